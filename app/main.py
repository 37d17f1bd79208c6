"""Streamlit app: ask the records, check the source, draft a reply, prepare a briefing.

Widgets only: retrieval, answers, registers, uploads and exports live in `assistant/`.
Run with `streamlit run app/main.py` (the Makefile's `make app`).
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Council records assistant", page_icon="📜", layout="wide")

from app import ask, briefing, decisions, draft, sidebar, sources  # noqa: E402
from app.session import start  # noqa: E402

session = start()
if session.record is not None:
    sources.record_view(session)
    st.stop()
st.title("Council records assistant")
filters = sidebar.render(session)
# Only the open tab runs (the decisions table reads every decision of an archive).
tabs = st.tabs(
    ["Ask the records", "Draft a reply to a public question", "Briefing", "Decisions"],
    key="tab",
    on_change="rerun",
)
if tabs[0].open:
    with tabs[0]:
        ask.render(session, filters)
if tabs[1].open:
    with tabs[1]:
        draft.render(session)
if tabs[2].open:
    with tabs[2]:
        briefing.render(session, filters)
if tabs[3].open:
    with tabs[3]:
        decisions.render(session, filters)
