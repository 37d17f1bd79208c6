"""Presenting answers to people: source labels, highlighted passages, exports (no widgets)."""

from __future__ import annotations

import html
import io
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from assistant.answer import Answer, Citation
from ingest.chunk import Chunk


def uk_date(iso: str) -> str:
    """Return an ISO date as '29 September 2022' ('date unknown' if missing)."""
    try:
        return datetime.strptime(iso, "%Y-%m-%d").strftime("%-d %B %Y")
    except ValueError:
        return iso or "date unknown"


def source_label(c: Citation) -> str:
    """Return a compact source line: body, date, record title, locator."""
    return f"[{c.n}] {c.body or 'Meeting'} · {uk_date(c.meeting_date)} · {c.title} · {c.locator}"


def record_link(doc_id: str, locator: str) -> str:
    """Return the app's own link to a record view scrolled to a part."""
    return "?" + urlencode({"record": doc_id, "locator": locator})


def passage_html(quote_chunk: Chunk, before: list[Chunk], after: list[Chunk]) -> str:
    """Return the cited passage highlighted between its neighbours, as escaped HTML."""
    parts = []
    for c in before:
        parts.append(f'<p class="ctx">{_escape(c.text)}</p>')
    parts.append(f'<p class="cited"><mark>{_escape(quote_chunk.text)}</mark></p>')
    for c in after:
        parts.append(f'<p class="ctx">{_escape(c.text)}</p>')
    return f'<div class="passage">{"".join(parts)}</div>'


def record_html(chunks: list[Chunk], locator: str) -> str:
    """Return a whole record as escaped HTML, the part at `locator` highlighted and anchored."""
    out = []
    for c in chunks:
        anchor = f'id="part-{c.ordinal}"'
        label = f'<span class="loc">{_escape(c.locator)}</span>'
        if c.locator == locator:
            out.append(f'<p {anchor} class="cited">{label}<mark>{_escape(c.text)}</mark></p>')
        else:
            out.append(f"<p {anchor}>{label}{_escape(c.text)}</p>")
    return "".join(out)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def conversation_markdown(messages: list[dict[str, Any]]) -> str:
    """Return a conversation as Markdown, each answer followed by its sources and quotes."""
    lines = ["# Conversation with the council records assistant", ""]
    for m in messages:
        if m["role"] == "user":
            lines += [f"**Question:** {m['content']}", ""]
            continue
        answer: Answer = m["answer"]
        lines += [f"**Answer ({answer.answerer}):** {answer.text}", ""]
        if answer.notice:
            lines += [f"_{answer.notice}_", ""]
        heading = "Closest records" if answer.abstained else "Sources"
        lines += [f"{heading}:", ""]
        for c in answer.citations:
            quote = " ".join(c.quote.split())
            lines.append(f"- {source_label(c)} ({c.doc_id}): \u201c{quote}\u201d")
        lines.append("")
    return "\n".join(lines)


def docx_bytes(markdown: str) -> bytes:
    """Return a .docx file of a Markdown draft, as bytes for a download."""
    from assistant.workflows import save_docx

    buffer = io.BytesIO()
    save_docx(markdown, buffer)
    return buffer.getvalue()
