"""Blocks -> a parsed record: normalised text, metadata read from the text, and chunks."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ingest.chunk import Chunk, ParsedRecord, RecordMeta, content_hash, make_chunk_id
from ingest.lines import Block
from ingest.structure import MAX_WORDS, Piece, plan_pieces, split_sentences, words

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {m: i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTH = "(?:" + "|".join(m.capitalize() for m in MONTH_NAMES) + ")"  # for other patterns
DATE_WORDS = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH})\s+(\d{{4}})\b", re.IGNORECASE)
DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def parse_date(text: str) -> str:
    """Return the first date in text as ISO (YYYY-MM-DD), or '' if there is none."""
    candidates: list[tuple[int, str]] = []
    for m in DATE_WORDS.finditer(text):
        d = _iso(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    for m in DATE_NUMERIC.finditer(text):
        d = _iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            candidates.append((m.start(), d))
    for m in DATE_ISO.finditer(text):
        d = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            candidates.append((m.start(), d))
    return min(candidates)[1] if candidates else ""


def _iso(y: int, m: int, d: int) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def _field(text: str, label: str) -> str:
    """Return the value of 'Label: value' or of a 'Label' line followed by its value line."""
    m = re.search(rf"^{label}\s*:\s*(.+)$", text, re.IGNORECASE | re.MULTILINE)
    if m:
        return m.group(1).strip()
    m = re.search(rf"^{label}\s*\n\n(.+)$", text, re.IGNORECASE | re.MULTILINE)
    return m.group(1).strip() if m else ""


def read_meta(text: str) -> RecordMeta:
    """Return the metadata a record's own text states (title, body, date, type, ...)."""
    head = text[:6000]
    title = _field(head, "Title of report")
    body = _field(head, "Meeting").rstrip(";")
    meeting_date = parse_date(_field(head, "Meeting date"))
    doc_type = "report" if title else "other"
    minutes = re.search(
        r"Minutes of the meeting of (.+?) held (?:at|in|on) (.+?)(?:\n|$)", head, re.IGNORECASE
    )
    if minutes:
        doc_type = "minutes"
        body = body or minutes.group(1).strip()
        meeting_date = meeting_date or parse_date(minutes.group(2))
        title = title or f"Minutes of the meeting of {minutes.group(1).strip()}"
    elif re.search(r"^Minutes:\s*$|^Resolved\b", text, re.IGNORECASE | re.MULTILINE):
        doc_type = "minutes"
    agenda = re.search(r"^Agenda item\s*\n\n(.+)$", head, re.MULTILINE)
    if agenda and not title:
        title = agenda.group(1).strip()
    if doc_type == "other" and len(re.findall(r"^(?:PQ|MQ)\s*\d+", text, re.MULTILINE)) >= 1:
        doc_type = "questions"
    classification = _field(head, "Classification")
    classification = (
        "Open" if not classification or classification.lower().startswith("open") else "Exempt"
    )
    decision = _field(head, "Decision type")
    return RecordMeta(
        title=title,
        body=body,
        meeting_date=meeting_date,
        doc_type=doc_type,
        classification=classification,
        decision_type=decision.split()[0] if decision else "",
        report_by=_field(head, "Report by").rstrip(";"),
        wards=_field(head, "Wards affected").rstrip(";"),
    )


def merge_meta(found: RecordMeta, override: dict[str, object] | None) -> RecordMeta:
    """Return the text's metadata filled or overridden by a manifest entry."""
    if not override:
        return found
    known = set(RecordMeta.__dataclass_fields__)  # exempt_sections is read by assemble()
    values = {k: v for k, v in override.items() if k in known and v not in (None, "")}
    if "meeting_date" in values:
        values["meeting_date"] = str(values["meeting_date"])
    return replace(found, **values)  # type: ignore[arg-type]


def assemble(
    doc_id: str, path: str, blocks: list[Block], manifest_entry: dict[str, object] | None = None
) -> ParsedRecord:
    """Return the parsed record: normalised text, metadata and chunks with offsets."""
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for block in blocks:
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text) + 2
    text = "\n\n".join(parts)
    meta = merge_meta(read_meta(text), manifest_entry)
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    listed = (manifest_entry or {}).get("exempt_sections") or []
    exempt_parts = [str(x).lower() for x in listed] if isinstance(listed, list) else []
    for piece in plan_pieces(blocks):
        start = starts[piece.first]
        end = starts[piece.last] + len(blocks[piece.last].text)
        for locator, s, e in _split_long(text, piece, start, end):
            locator = _unique(locator, piece.section, seen)
            chunks.append(
                make_chunk(
                    doc_id,
                    text,
                    s,
                    e,
                    exempt_meta(meta, piece.section, locator, exempt_parts),
                    locator=locator,
                    section=piece.section,
                    ordinal=len(chunks),
                    kind=piece.kind,
                    page=blocks[piece.first].page,
                    context=piece.context,
                )
            )
    return finish_record(doc_id, path, text, meta, chunks)


def make_chunk(
    doc_id: str,
    text: str,
    start: int,
    end: int,
    meta: RecordMeta,
    *,
    locator: str,
    section: str = "",
    ordinal: int,
    kind: str,
    page: int | None = None,
    speaker: str = "",
    context: str = "",
) -> Chunk:
    """Return the chunk quoting text[start:end], carrying the record's metadata."""
    quote = text[start:end]
    return Chunk(
        id=make_chunk_id(doc_id, locator, quote),
        doc_id=doc_id,
        text=quote,
        locator=locator,
        section=section,
        char_start=start,
        char_end=end,
        ordinal=ordinal,
        kind=kind,
        page=page,
        body=meta.body,
        meeting_date=meta.meeting_date,
        doc_type=meta.doc_type,
        title=meta.title,
        classification=meta.classification,
        url=meta.url,
        speaker=speaker,
        context=context,
    )


def finish_record(
    doc_id: str, path: str, text: str, meta: RecordMeta, chunks: list[Chunk]
) -> ParsedRecord:
    """Return the parsed record, its hash covering text and metadata."""
    return ParsedRecord(
        doc_id=doc_id,
        path=path,
        text=text,
        meta=meta,
        chunks=chunks,
        content_hash=content_hash(text + repr(meta)),
    )


EXEMPT_HEADING = re.compile(
    r"\bexempt\b|not for publication|\bpart (ii|2)\b|schedule 12a|\bconfidential\b",
    re.IGNORECASE,
)


def exempt_meta(
    meta: RecordMeta, section: str, locator: str, exempt_parts: list[str]
) -> RecordMeta:
    """Return the record's metadata, marked Exempt for a part the record or manifest says is
    exempt (a 'Part II' / 'Not for publication' section, or a manifest `exempt_sections`)."""
    if meta.classification != "Open":
        return meta
    named = any(
        section.lower().startswith(p) or locator.lower().startswith(p) for p in exempt_parts
    )
    if named or (section and EXEMPT_HEADING.search(section)):
        return replace(meta, classification="Exempt")
    return meta


def _unique(locator: str, section: str, seen: dict[str, int]) -> str:
    """Return a locator not used before in this record (adds the section, then a count)."""
    if locator not in seen:
        seen[locator] = 1
        return locator
    candidate = f"{locator} ({section})" if section else locator
    if candidate not in seen:
        seen[candidate] = 1
        return candidate
    seen[locator] += 1
    candidate = f"{locator} #{seen[locator]}"
    seen[candidate] = 1
    return candidate


def _split_long(text: str, piece: Piece, start: int, end: int) -> list[tuple[str, int, int]]:
    """Return (locator, start, end) parts of a piece, split at sentences when too long."""
    parts = split_span(text, start, end, by_line=piece.kind == "table")
    if len(parts) == 1:
        return [(piece.locator, *parts[0])]
    return [(f"{piece.locator}, part {n}", s, e) for n, (s, e) in enumerate(parts, 1)]


def split_span(text: str, start: int, end: int, *, by_line: bool = False) -> list[tuple[int, int]]:
    """Return spans covering text[start:end] of at most MAX_WORDS words, cut at sentences
    (or at lines, for tables); a span that fits is returned whole."""
    if _table_words(text[start:end]) <= MAX_WORDS * 1.15:
        return [(start, end)]
    if by_line:
        sentences = [m.span() for m in re.finditer(r"[^\n]+", text[start:end])]
    else:
        sentences = split_sentences(text[start:end])
    spans: list[tuple[int, int]] = []
    for s, e in sentences:
        if words(text[start + s : start + e]) > MAX_WORDS:
            spans.extend(_word_windows(text, start + s, start + e))
        else:
            spans.append((start + s, start + e))
    parts: list[tuple[int, int]] = []
    for s, e in spans:
        if parts and _table_words(text[parts[-1][0] : e]) <= MAX_WORDS:
            parts[-1] = (parts[-1][0], e)
        else:
            parts.append((s, e))
    return parts


def _table_words(text: str) -> int:
    """Return the words of text, not counting table cell separators."""
    return len([w for w in text.split() if w != "|"])


def _word_windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return spans of at most MAX_WORDS words covering text[start:end]."""
    matches = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    out = []
    for k in range(0, len(matches), MAX_WORDS):
        group = matches[k : k + MAX_WORDS]
        out.append((start + group[0][0], start + group[-1][1]))
    return out
