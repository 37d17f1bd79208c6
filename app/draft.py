"""Drafting a reply to a new public question: similar questions asked before, then a
cited draft to edit and download."""

from __future__ import annotations

import streamlit as st

from app.session import Session
from app.sources import show_sources
from assistant.export import docx_bytes
from assistant.present import uk_date
from assistant.reply import draft_reply
from ingest.registers import PART_ORDER


def render(session: Session) -> None:
    """Show the drafting tab."""
    state = session.state
    st.caption(
        "Paste a new public question: see what was asked and answered before, then a "
        "draft reply in which every statement cites the records."
    )
    question = st.text_area("Public question", key="draft_question")
    if st.button("Find similar questions and draft a reply"):
        if not question.strip():
            st.warning("Paste the public question first.")
        else:
            state.draft = draft_reply(session.assistant, question, audience=session.audience)
            state.draft_version = state.get("draft_version", 0) + 1
    draft = state.get("draft")
    if draft is None:
        return
    st.subheader("Similar questions asked before")
    if not draft.similar:
        st.caption("No similar question is recorded.")
    for q, score in draft.similar:
        with st.expander(
            f"{q.number} · {q.body} · {uk_date(q.meeting_date, q.date_inferred)} · "
            f"{q.questioner} · similarity {score:.2f}"
        ):
            for part in PART_ORDER:
                refs = q.parts.get(part)
                if refs:
                    st.markdown(f"**{part.capitalize()}** ({refs[0].locator})")
                    st.text("\n\n".join(r.quote for r in refs))
    st.subheader("Draft reply")
    # A new draft gets a new editor: an edited earlier draft is never exported by mistake.
    edited = st.text_area(
        "Edit the draft",
        draft.text,
        height=360,
        key=f"draft_text_{state.draft_version}",
    )
    cols = st.columns(2)
    cols[0].download_button(
        "Download Markdown", edited, file_name="draft-reply.md", mime="text/markdown"
    )
    cols[1].download_button(
        "Download Word (.docx)", docx_bytes(edited), file_name="draft-reply.docx"
    )
    show_sources(session, draft.citations, f"draft{state.draft_version}", "Sources")
