"""What one browser session holds, and what all sessions share (the loaded assistant)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import streamlit as st

from assistant.auth import SignIn
from assistant.service import Assistant
from ingest.errors import ConfigError
from ingest.settings import Settings, load_settings

STYLE = """<style>
.passage p, .record p {margin: 0.4em 0; line-height: 1.45; overflow-wrap: anywhere;}
.passage .ctx {color: #666;}
mark {background: #fff3b0; padding: 0 2px;}
.record .loc {font-size: 0.75em; color: #888; margin-right: 0.6em;}
</style>"""


WARM_UP_DELAY = 1.0  # seconds: the first page renders before the index loads


@st.cache_resource(show_spinner="Loading the records…")
def load_assistant(settings_json: str) -> Assistant:
    """Return the assistant for these settings, loaded once per process. The index and the
    model load in the background a moment after the first page is sent (loading at once
    held back the page by 2-3 s at 100k chunks: the two compete for this process); a
    question asked before they have loaded waits for them."""
    assistant = Assistant(Settings.model_validate_json(settings_json), lazy=True)
    warm_up = threading.Timer(WARM_UP_DELAY, assistant.retriever.search, args=("warm up",))
    warm_up.daemon = True
    warm_up.start()
    return assistant


@st.cache_resource
def load_sign_in(users_json: str) -> SignIn:
    """Return the sign-in checker, shared by every session so failures count across them."""
    return SignIn(Settings.model_validate_json(users_json).users)


@dataclass
class Session:
    """The assistant and this reader's state (audience, conversation, open record)."""

    assistant: Assistant
    sign_in: SignIn
    state: Any

    @property
    def audience(self) -> str:
        return str(self.state.audience)

    @property
    def record(self) -> tuple[str, str, tuple[int, int] | None] | None:
        """Return the record open in the reader (doc id, locator, span), if any."""
        return self.state.get("record")

    def open_record(self, doc_id: str, locator: str, span: tuple[int, int] | None) -> None:
        """Show a whole record in this tab (the conversation and sign-in are kept)."""
        self.state.record = (doc_id, locator, span)

    def close_record(self) -> None:
        self.state.record = None


def start() -> Session:
    """Return this session, loading settings once; a bad setting is shown, not a traceback."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        st.error(f"The assistant cannot start: {exc}")
        st.stop()
        raise
    st.html(STYLE)
    state = st.session_state
    state.setdefault("messages", [])
    state.setdefault("audience", settings.audience)
    state.setdefault("record", None)
    if "record" in st.query_params and state.record is None:  # a shared link to a record
        state.record = (st.query_params["record"], st.query_params.get("locator", ""), None)
        st.query_params.clear()
    assistant = load_assistant(settings.model_dump_json())
    sign_in = load_sign_in(settings.model_dump_json(include={"users"}))
    return Session(assistant, sign_in, state)
