"""Streamlit page: corpus status and a question box (widgets only; logic is in assistant/)."""

from __future__ import annotations

import streamlit as st

from assistant.cli import corpus_status, uk_date
from assistant.service import Assistant
from ingest.settings import Settings

st.set_page_config(page_title="Council records assistant", layout="wide")


@st.cache_resource
def load_assistant() -> Assistant:
    """Return the assistant, loaded once per process (model, index, retriever)."""
    return Assistant(Settings())


assistant = load_assistant()
info = corpus_status(assistant.store)

with st.sidebar:
    st.header("Corpus")
    st.metric("Records", info["records"])
    st.metric("Chunks", info["chunks"])
    if info["date_from"]:
        st.write(f"{uk_date(info['date_from'])} to {uk_date(info['date_to'])}")
    if info["last_ingest"]:
        st.caption(f"Last ingest: {info['last_ingest']}")

st.title("Council records assistant")
if not info["records"]:
    st.info("No records are indexed yet. Run `make run` or `council ingest corpus/`.")
question = st.text_input("Ask about the meeting records")
if question:
    answer = assistant.ask(question)
    st.write(answer.text)
    if answer.notice:
        st.caption(answer.notice)
    st.subheader("Closest records" if answer.abstained else "Sources")
    for c in answer.citations:
        with st.expander(f"[{c.n}] {c.body}, {uk_date(c.meeting_date)} — {c.title} — {c.locator}"):
            st.text(c.quote)
