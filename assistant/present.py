"""Presenting answers to people: source labels, highlighted passages, exports (no widgets)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from assistant.answer import Answer, Citation
from ingest.chunk import Chunk


def uk_date(iso: str, inferred: bool = False) -> str:
    """Return an ISO date as '29 September 2022' ('date unknown' if missing); a date that
    was inferred, not stated, is shown to the month only and marked ('October 2018, date
    inferred'), so nobody quotes it as the record's own."""
    try:
        when = datetime.strptime(iso, "%Y-%m-%d")
    except ValueError:
        return iso or "date unknown"
    if inferred:
        return when.strftime("%B %Y") + ", date inferred"
    return when.strftime("%-d %B %Y")


def source_label(c: Citation) -> str:
    """Return a compact source line: body, date, record title, locator (and a mark on
    exempt text, which only signed-in members and officers see)."""
    when = uk_date(c.meeting_date, c.date_inferred)
    exempt = " · EXEMPT (not for publication)" if c.exempt else ""
    return f"[{c.n}] {c.body or 'Meeting'} · {when} · {c.title} · {c.locator}{exempt}"


def record_link(doc_id: str, locator: str) -> str:
    """Return the app's own link to a record view scrolled to a part."""
    return "?" + urlencode({"record": doc_id, "locator": locator})


def passage_html(
    quote_chunk: Chunk, before: list[Chunk], after: list[Chunk], span: tuple[int, int] | None = None
) -> str:
    """Return the cited passage between its neighbours as escaped HTML, the words the answer
    used (`span`, offsets in the passage; all of it by default) highlighted."""
    a, b = span if span is not None else (0, len(quote_chunk.text))
    text = quote_chunk.text
    cited = f"{_escape(text[:a])}<mark>{_escape(text[a:b])}</mark>{_escape(text[b:])}"
    parts = [f'<p class="ctx">{_escape(c.text)}</p>' for c in before]
    parts.append(f'<p class="cited">{cited}</p>')
    parts += [f'<p class="ctx">{_escape(c.text)}</p>' for c in after]
    return f'<div class="passage">{"".join(parts)}</div>'


def record_html(chunks: list[Chunk], locator: str, span: tuple[int, int] | None = None) -> str:
    """Return a whole record as escaped HTML, the part at `locator` anchored and its used
    words (`span`, offsets in that part) highlighted."""
    out = []
    for c in chunks:
        anchor = f'id="part-{c.ordinal}"'
        label = f'<span class="loc">{_escape(c.locator)}</span>'
        if c.locator == locator:
            a, b = span if span is not None else (0, len(c.text))
            body = f"{_escape(c.text[:a])}<mark>{_escape(c.text[a:b])}</mark>{_escape(c.text[b:])}"
            out.append(f'<p {anchor} class="cited">{label}{body}</p>')
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
