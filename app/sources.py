"""Sources: each cited passage opens to the words used, highlighted among its neighbours,
and to the whole record scrolled there, in the same tab."""

from __future__ import annotations

import streamlit as st

from app.session import Session
from assistant.answer import Citation
from assistant.audience import Filters
from assistant.present import passage_html, record_html, source_label, uk_date


def show_sources(session: Session, citations: list[Citation], key: str, heading: str) -> None:
    """Show the [n] markers as buttons that open their passage at the words used, then the
    list of sources; each opens the whole record in this tab."""
    if not citations:
        return
    with st.container(horizontal=True):
        for c in citations:
            with st.popover(f"[{c.n}]", help=source_label(c), key=f"pop-{key}-{c.n}"):
                st.caption(source_label(c))
                _passage(session, c, f"pop-{key}")
    st.caption(heading)
    for c in citations:
        with st.expander(source_label(c)):
            _passage(session, c, f"list-{key}")


def _passage(session: Session, c: Citation, key: str) -> None:
    """Show a cited passage among its neighbours, the used words highlighted."""
    retriever = session.assistant.retriever
    row = retriever.by_id.get(c.chunk_id)
    if row is not None:
        before, after = retriever.neighbours(row, filters=Filters(audience=session.audience))
        st.html(passage_html(c.chunk, list(before), list(after), c.span))
    else:
        st.write(c.quote)
    st.button(  # a callback runs even when the click lands while the page is still running
        "Open the whole record",
        key=f"open-{key}-{c.n}",
        on_click=session.open_record,
        args=(c.doc_id, c.locator, c.span),
    )


def record_view(session: Session) -> None:
    """Show a whole record, the cited words highlighted and scrolled to."""
    assert session.record is not None
    doc_id, locator, span = session.record
    st.button("← Back to the assistant", on_click=session.close_record)
    assistant = session.assistant
    doc = assistant.store.document(doc_id)
    allowed = Filters(audience=session.audience)
    chunks = [c for c in assistant.store.chunks(doc_id) if allowed.allows(c)]
    if doc is None or not chunks:
        st.error("That record is not one you may see here.")
        return
    meta = doc["meta"]
    st.header(meta["title"] or doc_id)
    when = uk_date(meta["meeting_date"], bool(meta.get("date_inferred")))
    withheld = " · parts withheld" if len(chunks) < doc["n_chunks"] else ""
    st.caption(f"{meta['body']} · {when} · {meta['doc_type']} · {doc_id}{withheld}")
    if any(c.classification != "Open" for c in chunks):
        st.warning(
            "Exempt information (not for publication): shown because you are signed in. "
            "Do not pass it on."
        )
    st.html(f'<div class="record">{record_html(chunks, locator, span)}</div>')
    target = next((c.ordinal for c in chunks if c.locator == locator), None)
    if target is not None:
        st.html(
            f"<script>const el = document.getElementById('part-{target}');"
            "if (el) el.scrollIntoView({block: 'center'});</script>",
            unsafe_allow_javascript=True,
        )
