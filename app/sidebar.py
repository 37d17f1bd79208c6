"""The sidebar: what the index holds for this reader, search filters, sign-in, adding
records (officers only)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from app.session import Session
from assistant.audience import Filters
from assistant.present import uk_date
from assistant.status import corpus_status, facets
from assistant.uploads import ALLOWED_TYPES, add_uploads, may_upload


def render(session: Session) -> Filters:
    """Draw the sidebar; return the filters the reader set."""
    assistant = session.assistant
    with st.sidebar:
        info = corpus_status(assistant.store, session.audience)
        st.header("Records held")
        cols = st.columns(2)
        cols[0].metric("Records", info["records"])
        cols[1].metric("Passages", info["chunks"])
        if info["date_from"]:
            st.caption(f"{uk_date(info['date_from'])} to {uk_date(info['date_to'])}")
        settings = assistant.settings
        llm = settings.llm if settings.answerer == "llm" else ""
        st.caption(f"Answerer: {'LLM ' + llm if llm else 'extractive (the records’ own words)'}")
        filters = _filters(session)
        _sign_in(session)
        _uploads(session)
    return filters


def _filters(session: Session) -> Filters:
    values = facets(session.assistant.store, session.audience)
    st.header("Search only")
    bodies = st.multiselect("Meeting body", values["bodies"])
    types = st.multiselect("Document type", values["types"])
    since = until = ""
    if len(values["dates"]) == 2:
        first, last = (date.fromisoformat(d) for d in values["dates"])
        span: Any = st.date_input(
            "Meeting dates",
            value=(first, last),
            min_value=first,
            max_value=last,
            format="DD/MM/YYYY",
        )
        if len(span) > 0 and span[0] != first:
            since = span[0].isoformat()
        if len(span) > 1 and span[1] != last:
            until = span[1].isoformat()
    return Filters(
        bodies=tuple(bodies),
        doc_types=tuple(types),
        since=since,
        until=until,
        audience=session.audience,
    )


def _sign_in(session: Session) -> None:
    state, sign_in = session.state, session.sign_in
    if not sign_in.users:
        return
    st.header("Sign in")
    if session.audience != "public":
        st.caption(
            f"Signed in as {state.get('user', '')} ({session.audience}): exempt items shown."
        )
        if st.button("Sign out"):
            state.audience, state.user, state.messages, state.record = "public", "", [], None
            st.rerun()
        return
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


def _uploads(session: Session) -> None:
    assistant = session.assistant
    st.header("Add records")
    allowed, reason = may_upload(
        session.audience,
        users_configured=bool(session.sign_in.users),
        allow_anonymous=assistant.settings.allow_uploads,
    )
    if not allowed:
        st.caption(reason)
        return
    limit = assistant.settings.max_file_mb
    files = st.file_uploader(
        f"PDF, Word, web page or text, up to {limit:.0f} MB each",
        accept_multiple_files=True,
        type=list(ALLOWED_TYPES),
    )
    if files and st.button("Ingest these files"):
        with st.spinner("Reading and indexing the records…"):
            session.state.upload_outcome = add_uploads(
                assistant, [(f.name, f.getvalue()) for f in files]
            )
        st.rerun()  # the counts and filters above now include the new records
    outcome = session.state.get("upload_outcome")
    if outcome is not None:
        for problem in outcome.refused:
            st.error(f"Not added: {problem}")
        if outcome.message:
            st.success(outcome.message)
