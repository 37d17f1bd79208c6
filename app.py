"""Streamlit app: ask the records, check the source, draft a reply, prepare a briefing.

Widgets only: retrieval, answers, registers and exports live in `assistant/`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from assistant.answer import Answer
from assistant.auth import SignIn
from assistant.cli import corpus_status
from assistant.present import (
    conversation_markdown,
    docx_bytes,
    passage_html,
    record_html,
    record_link,
    source_label,
    uk_date,
)
from assistant.retrieve import Filters
from assistant.service import Assistant
from assistant.workflows import brief, draft_reply, find_decisions, find_questions
from ingest.registers import PART_ORDER
from ingest.settings import Settings

st.set_page_config(page_title="Council records assistant", page_icon="📜", layout="wide")
st.markdown(
    """<style>
    .passage p, .record p {margin: 0.4em 0; line-height: 1.45; overflow-wrap: anywhere;}
    .passage .ctx {color: #666;}
    mark {background: #fff3b0; padding: 0 2px;}
    .record .loc {font-size: 0.75em; color: #888; margin-right: 0.6em;}
    </style>""",
    unsafe_allow_html=True,
)


@st.cache_resource
def load_assistant(data_dir: str) -> Assistant:
    """Return the assistant for a data directory, loaded once per process."""
    settings = Settings(data_dir=Path(data_dir))
    assistant = Assistant(settings)
    assistant.retriever.search("warm up")  # the first answer should not pay for loading
    return assistant


@st.cache_resource
def load_sign_in(data_dir: str) -> SignIn:
    """Return the sign-in checker, shared by every session so failures are counted across them."""
    return SignIn(Settings().users)


assistant = load_assistant(str(Settings().data_dir))
sign_in = load_sign_in(str(Settings().data_dir))
state = st.session_state
state.setdefault("messages", [])
state.setdefault("audience", assistant.settings.audience)
audience: str = state.audience


def show_sources(answer: Answer, key: str) -> None:
    """List an answer's sources; each opens to its passage among its neighbours."""
    chunks = {c.id: i for i, c in enumerate(assistant.retriever.chunks)}
    heading = "Closest records (none answers the question)" if answer.abstained else "Sources"
    st.caption(heading)
    for c in answer.citations:
        with st.expander(source_label(c)):
            row = chunks.get(c.chunk_id)
            if row is not None:
                before, after = assistant.retriever.neighbours(row, filters=filters)
                chunk = assistant.retriever.chunks[row]
                st.html(passage_html(chunk, list(before), list(after)))
            else:
                st.write(c.quote)
            st.link_button(
                "Open the whole record", record_link(c.doc_id, c.locator), key=f"open-{key}-{c.n}"
            )


def answer_stream(
    question: str, history: list[dict[str, str]], filters: Filters, holder: dict[str, Any]
) -> Iterator[str]:
    """Yield the answer as it comes (tokens from an LLM, or the extractive text word by word)."""
    tokens: queue.Queue[str | None] = queue.Queue()

    def work() -> None:
        try:
            holder["answer"] = assistant.ask(
                question, history=history, filters=filters, on_token=tokens.put
            )
        except Exception as exc:  # shown to the user below, never a bare traceback
            holder["error"] = str(exc)
        tokens.put(None)

    threading.Thread(target=work, daemon=True).start()
    streamed = False
    while (token := tokens.get()) is not None:
        streamed = True
        yield token
    if "answer" in holder and (not streamed or holder["answer"].answerer == "extractive"):
        if streamed:
            yield "\n\n"
        for word in holder["answer"].text.split(" "):
            yield word + " "


def record_view(doc_id: str, locator: str) -> None:
    """Show a whole record, the cited part highlighted and scrolled to."""
    doc = assistant.store.document(doc_id)
    allowed = Filters(audience=audience)
    chunks = [c for c in assistant.store.chunks(doc_id) if allowed.allows(c)]
    if doc is None or not chunks:
        st.error(f"No record '{doc_id}' that you may see.")
        return
    meta = doc["meta"]
    st.link_button("← Back to the assistant", "?")
    st.header(meta["title"] or doc_id)
    inferred = " (date inferred)" if meta.get("date_inferred") else ""
    st.caption(
        f"{meta['body']} · {uk_date(meta['meeting_date'])}{inferred} · "
        f"{meta['doc_type']} · {doc_id}"
    )
    st.html(f'<div class="record">{record_html(chunks, locator)}</div>')
    target = next((c.ordinal for c in chunks if c.locator == locator), None)
    if target is not None:
        components.html(
            "<script>const el = window.parent.document.getElementById("
            f"'part-{target}'); if (el) el.scrollIntoView({{block: 'center'}});</script>",
            height=0,
        )


if "record" in st.query_params:
    record_view(st.query_params["record"], st.query_params.get("locator", ""))
    st.stop()

info = corpus_status(assistant.store)
chunks_all = [c for c in assistant.retriever.chunks if Filters(audience=audience).allows(c)]
with st.sidebar:
    st.header("Records held")
    cols = st.columns(2)
    cols[0].metric("Records", info["records"])
    cols[1].metric("Passages", info["chunks"])
    if info["date_from"]:
        st.caption(f"{uk_date(info['date_from'])} to {uk_date(info['date_to'])}")
    if info["last_ingest"]:
        st.caption(f"Last ingest: {info['last_ingest'].replace('T', ' ')}")
    llm = assistant.settings.llm if assistant.settings.answerer == "llm" else ""
    st.caption(f"Answerer: {'LLM ' + llm if llm else 'extractive (the records’ own words)'}")

    st.header("Search only")
    bodies = st.multiselect("Meeting body", sorted({c.body for c in chunks_all if c.body}))
    types = st.multiselect("Document type", sorted({c.doc_type for c in chunks_all}))
    dates = sorted(c.meeting_date for c in chunks_all if c.meeting_date)
    span: Any = ()
    if dates:
        first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
        span = st.date_input(
            "Meeting dates",
            value=(first, last),
            min_value=first,
            max_value=last,
            format="DD/MM/YYYY",
        )
    since = span[0].isoformat() if len(span) > 0 and span[0] != date.fromisoformat(dates[0]) else ""
    until = (
        span[1].isoformat() if len(span) > 1 and span[1] != date.fromisoformat(dates[-1]) else ""
    )
    filters = assistant.filters(
        bodies=tuple(bodies), doc_types=tuple(types), since=since, until=until, audience=audience
    )

    if sign_in.users:
        st.header("Sign in")
        if audience != "public":
            st.caption(f"Signed in as {state.get('user', '')} ({audience}): exempt items shown.")
            if st.button("Sign out"):
                state.audience, state.user, state.messages = "public", "", []
                st.rerun()
        else:
            with st.form("sign-in"):
                user = st.text_input("User name")
                password = st.text_input("Password", type="password")
                if st.form_submit_button("Sign in"):
                    role = sign_in.check(user, password)
                    if role:
                        state.audience, state.user = role, user
                        st.rerun()
                    elif sign_in.locked(user):
                        st.error("Too many failed attempts: try again in a few minutes.")
                    else:
                        st.error("User name or password not recognised.")

    st.header("Add records")
    uploads = st.file_uploader(
        "PDF, DOCX, HTML or text",
        accept_multiple_files=True,
        type=["pdf", "docx", "html", "htm", "txt", "md"],
    )
    if uploads and st.button("Ingest these files"):
        folder = assistant.store.data_dir / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        saved = []
        for f in uploads:
            path = folder / Path(f.name).name
            path.write_bytes(f.getvalue())
            saved.append(path)
        bar = st.progress(0.0, text="Reading records")
        report = assistant.ingest(
            saved,
            progress=lambda done, total, name: bar.progress(
                done / max(total, 1), text=f"Reading {name}" if name else "Indexing"
            ),
        )
        for path_text, message in report.failed:
            st.error(f"Not added: {message}")
            Path(path_text).unlink(missing_ok=True)
        st.success(report.summary())

ask_tab, draft_tab, brief_tab, decisions_tab = st.tabs(
    ["Ask the records", "Draft a reply to a public question", "Briefing", "Decisions"]
)

with ask_tab:
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
    for i, m in enumerate(state.messages):
        with st.chat_message(m["role"]):
            if m["role"] == "user":
                st.markdown(m["content"])
            else:
                st.markdown(m["answer"].text)
                if m["answer"].notice:
                    st.warning(m["answer"].notice)
                st.caption(f"{m['answer'].answerer} · {m['answer'].timings_ms['total']:.0f} ms")
                show_sources(m["answer"], key=str(i))
    question = st.chat_input("Ask about decisions, reports, minutes or public questions")
    if question:
        history = [{"role": m["role"], "content": m["content"]} for m in state.messages]
        state.messages.append({"role": "user", "content": question})
        with st.chat_message("user"):
            st.markdown(question)
        with st.chat_message("assistant"):
            holder: dict[str, Any] = {}
            st.write_stream(answer_stream(question, history, filters, holder))
            if "error" in holder:
                st.error(holder["error"])
            else:
                answer = holder["answer"]
                state.messages.append(
                    {"role": "assistant", "content": answer.text, "answer": answer}
                )
                st.rerun()

with draft_tab:
    st.caption(
        "Paste a new public question: see what was asked and answered before, then a "
        "draft reply in which every statement cites the records."
    )
    new_question = st.text_area("Public question", key="draft_question")
    if st.button("Find similar questions and draft a reply") and new_question.strip():
        state.draft = draft_reply(assistant, new_question, audience=audience)
    draft = state.get("draft")
    if draft is not None:
        st.subheader("Similar questions asked before")
        for q, score in find_questions(assistant, similar=draft.question, k=3, audience=audience):
            with st.expander(
                f"{q.number} · {q.body} · {uk_date(q.meeting_date)} · "
                f"{q.questioner} · similarity {score:.2f}"
            ):
                for part in PART_ORDER:
                    refs = q.parts.get(part)
                    if refs:
                        st.markdown(f"**{part.capitalize()}** ({refs[0].locator})")
                        st.text("\n\n".join(r.quote for r in refs))
                st.link_button("Open the record", record_link(q.doc_id, f"{q.number} question"))
        st.subheader("Draft reply")
        edited = st.text_area("Edit the draft", draft.markdown, height=360, key="draft_text")
        cols = st.columns(2)
        cols[0].download_button(
            "Download Markdown", edited, file_name="draft-reply.md", mime="text/markdown"
        )
        cols[1].download_button(
            "Download Word (.docx)", docx_bytes(edited), file_name="draft-reply.docx"
        )

with brief_tab:
    st.caption(
        "A dated, cited timeline of a topic across meetings: decisions first, what "
        "was asked, the outcomes the records state, and what is still open."
    )
    topic = st.text_input("Topic", placeholder="e.g. Ofsted inspections, tranche two funding")
    if st.button("Prepare briefing") and topic.strip():
        state.briefing = brief(assistant, topic, since=since, until=until, audience=audience)
    briefing = state.get("briefing")
    if briefing is not None:
        if briefing.outcomes:
            st.subheader("Outcomes recorded")
            st.table(
                pd.DataFrame(
                    [
                        {
                            "Year": str(o["year"]),
                            "Outcome": o["outcome"],
                            "Source": f"[{o['n']}] {o['locator']}",
                        }
                        for o in briefing.outcomes
                    ]
                )
            )
        st.subheader("Timeline")
        current = None
        for item in briefing.timeline:
            meeting = f"{uk_date(item['date'])} — {item['body']}"
            if meeting != current:
                st.markdown(f"**{meeting}**")
                current = meeting
            st.markdown(f"- *{item['kind']}*: {item['text']} [{item['n']}]")
        st.subheader("Still open")
        for o in briefing.open_items or [{"text": "Nothing recorded as open.", "n": ""}]:
            st.markdown(f"- {o['text']} {'[' + str(o['n']) + ']' if o['n'] else ''}")
        with st.expander("Sources"):
            for c in briefing.citations:
                st.markdown(f"[{source_label(c)}]({record_link(c.doc_id, c.locator)})")
        st.download_button(
            "Download briefing",
            briefing.to_markdown(),
            file_name="briefing.md",
            mime="text/markdown",
        )

with decisions_tab:
    cols = st.columns([3, 2])
    words = cols[0].text_input("Search decisions", placeholder="e.g. action plan")
    body_choice = cols[1].selectbox("Body", ["All"] + sorted({c.body for c in chunks_all}))
    found = find_decisions(
        assistant,
        topic=words,
        body="" if body_choice == "All" else body_choice,
        since=since,
        until=until,
        audience=audience,
    )
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Date": uk_date(d.meeting_date),
                    "Body": d.body,
                    "Status": d.status,
                    "Decision": " ".join(d.text.split()),
                    "Part": d.ref.locator,
                    "Record": record_link(d.doc_id, d.ref.locator),
                }
                for d in found
            ]
        ),
        column_config={"Record": st.column_config.LinkColumn("Record", display_text="open")},
        hide_index=True,
        width="stretch",
    )
