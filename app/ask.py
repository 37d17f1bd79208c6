"""The chat: questions, streamed answers with their sources, follow-ups, export."""

from __future__ import annotations

import streamlit as st

from app.session import Session
from app.sources import show_sources
from assistant.audience import Filters
from assistant.present import conversation_markdown
from assistant.stream import Streamed, stream_answer

EXAMPLES = {
    "Councillor": "What did cabinet decide about tranche two funding?",
    "Officer": "What has the council said before about domestic abuse support?",
    "Scrutiny member": "What did Ofsted find, and what is still open?",
}


def render(session: Session, filters: Filters) -> None:
    """Show the conversation and take the next question."""
    state = session.state
    top = st.columns([4, 1, 1])
    top[0].caption(
        "Every answer quotes the records and cites where; if they do not cover a "
        "question, it says so."
    )
    if top[1].button("New conversation"):
        state.messages = []
    if state.messages:
        top[2].download_button(
            "Export",
            conversation_markdown(state.messages),
            file_name="conversation.md",
            mime="text/markdown",
        )
    else:
        st.markdown("**Try asking**")
        cols = st.columns(len(EXAMPLES))
        for col, (who, example) in zip(cols, EXAMPLES.items(), strict=True):
            if col.button(f"{who}: {example}", key=f"example-{who}"):
                state.pending = example
    conversation = st.container()  # above the input box, new answers included
    question = st.chat_input("Ask about decisions, reports, minutes or public questions")
    question = question or state.pop("pending", None)
    with conversation:
        _show_messages(session)
        if question is not None:
            _answer(session, filters, question)


def _show_messages(session: Session) -> None:
    for i, m in enumerate(session.state.messages):
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(m["content"])
                continue
            answer = m["answer"]
            st.markdown(answer.text)
            if answer.notice:
                st.warning(answer.notice)
            st.caption(f"{answer.answerer} · {answer.timings_ms['total']:.0f} ms")
            heading = (
                "Closest records (none answers the question)" if answer.abstained else "Sources"
            )
            show_sources(session, answer.citations, str(i), heading)


def _answer(session: Session, filters: Filters, question: str) -> None:
    """Stream the answer to a new question, then keep it in the conversation."""
    state = session.state
    if not question.strip():
        st.warning("Type a question about the records first.")
        return
    history = [{"role": m["role"], "content": m["content"]} for m in state.messages]
    with st.chat_message("user"):
        st.markdown(question)
    with st.chat_message("assistant"):
        result = Streamed()
        st.write_stream(
            stream_answer(
                lambda on_token: session.assistant.ask(
                    question, history=history, filters=filters, on_token=on_token
                ),
                result,
            )
        )
        if result.answer is None:
            st.error(result.error)
            return
    state.messages.append({"role": "user", "content": question})
    state.messages.append(
        {"role": "assistant", "content": result.answer.text, "answer": result.answer}
    )
    st.rerun()
