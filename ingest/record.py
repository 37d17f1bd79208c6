"""Blocks -> a parsed record: normalised text, metadata, exempt spans and cited chunks."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingest.block import Block
from ingest.blocks import NUMBERED, question_part
from ingest.chunk import (
    RESPONSE_KINDS,
    Chunk,
    ParsedRecord,
    RecordMeta,
    content_hash,
    make_chunk_id,
    question_label,
)
from ingest.exemption import find_exemption
from ingest.locators import MAX_WORDS, Piece, plan_pieces, words
from ingest.metadata import describe
from ingest.sentences import split_sentences
from ingest.templates import Templates, load_templates


def assemble(
    doc_id: str,
    path: str,
    blocks: list[Block],
    manifest_entry: dict[str, object] | None = None,
    *,
    sidecar: dict[str, str] | None = None,
    templates: Templates | None = None,
) -> ParsedRecord:
    """Return the parsed record: normalised text, metadata and chunks with offsets."""
    templates = templates or load_templates()
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for block in blocks:
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text) + 2
    text = "\n\n".join(parts)
    meta, warnings = describe(text, Path(path), templates, manifest=manifest_entry, sidecar=sidecar)
    exemption = find_exemption(blocks, templates, classification=meta.classification)
    listed = (manifest_entry or {}).get("exempt_sections") or []
    exempt_parts = [str(x).lower() for x in listed] if isinstance(listed, list) else []
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    asked = ("", "")  # the question being answered: its label ("Q 10") and its words
    opening = ("", "")  # the first passage of the current item: its section and its words
    planned: dict[tuple[str, str], str] = {}  # a numbered paragraph's words: (number, section)
    for piece in plan_pieces(blocks, minutes=meta.doc_type == "minutes", templates=templates):
        start = starts[piece.first]
        end = starts[piece.last] + len(blocks[piece.last].text)
        label = question_label(piece.locator)
        if piece.kind == "question":
            asked = (label, text[start:end])
        elif piece.kind in RESPONSE_KINDS and piece.locator.startswith(asked[0] + " ") and asked[0]:
            # A reply is read (embedded) with the start of what it answers: its later parts
            # ("(b) A capital appraisal ...") no longer say what they are about.
            piece = replace(piece, context=piece.context or _opening_words(asked[1], templates))
        if piece.kind == "vote":
            # "the Chairman put to the vote the amendment set out in paragraph 7 above": the
            # vote is read with the start of what it votes on.
            moved = planned.get((_voted_on(text[start:end], templates), piece.section))
            if moved:
                piece = replace(piece, context=_opening_words(moved, templates))
        number = re.match(r"\(?(\d{1,3})\)", text[start:end])
        if number:
            planned[(number.group(1), piece.section)] = text[start:end]
        if piece.section != opening[0]:
            opening = (piece.section, text[start:end])
        elif piece.kind == "resolution" and not piece.context:
            # A resolution is read with the start of its item: "It was agreed that this Notice
            # of Motion be referred to ..." says what it decided only with the motion's words.
            piece = replace(piece, context=_opening_words(opening[1], templates))
        withheld = any(exemption.blocks[piece.first : piece.last + 1]) or _named(
            piece, exempt_parts
        )
        chunk_meta = replace(meta, classification="Exempt") if withheld else meta
        for locator, s, e in _split_long(text, piece, start, end):
            locator = _unique(locator, piece.section, seen)
            chunks.append(
                make_chunk(
                    doc_id,
                    text,
                    s,
                    e,
                    chunk_meta,
                    locator=locator,
                    section=piece.section,
                    ordinal=len(chunks),
                    kind=piece.kind,
                    page=blocks[piece.first].page,
                    context=piece.context,
                    speaker=piece.who,
                )
            )
    notes = tuple(f"{Path(path).name}: withheld from the public {n}" for n in exemption.notes)
    return finish_record(doc_id, path, text, meta, chunks, warnings=warnings + notes)


def _voted_on(words: str, templates: Templates) -> str:
    """Return the number of the paragraph a vote names as what it is on ("the amendment set
    out in paragraph 7 above": template `vote_subjects`), or ""."""
    for pattern in templates.vote_subject:
        m = pattern.search(words)
        if m:
            return m.group(1)
    return ""


ASKED_WORDS = 30  # of the question, read with its reply: the reply keeps the model's room


def _opening_words(question: str, templates: Templates) -> str:
    """Return the start of a question's words, without its label line ("10. Question
    submitted by Councillor L. Galvin", a question table's "PQ 1 | name | to") when it has
    one."""
    lines = [line for line in question.split("\n") if line.strip()]
    first = NUMBERED.sub("", lines[0]).strip() if lines else ""
    labelled = len(lines) > 1 and (
        question_part(first, templates) is not None or bool(templates.question_row.match(first))
    )
    body = " ".join(lines[1:]) if labelled else question
    return " ".join(body.split()[:ASKED_WORDS])


def _named(piece: Piece, exempt_parts: list[str]) -> bool:
    """Whether the manifest's `exempt_sections` names this piece's section or locator."""
    section, locator = piece.section.lower(), piece.locator.lower()
    return any(section.startswith(p) or locator.startswith(p) for p in exempt_parts)


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
        date_inferred=meta.date_inferred,
    )


def finish_record(
    doc_id: str,
    path: str,
    text: str,
    meta: RecordMeta,
    chunks: list[Chunk],
    *,
    warnings: tuple[str, ...] = (),
) -> ParsedRecord:
    """Return the parsed record, its hash covering text, metadata and chunking."""
    # Everything a chunk is stored and embedded with: a parser change that moves any of it
    # makes the record changed (its passages whose embedded text is the same keep vectors).
    chunks = [replace(c, embedded=content_hash(c.embedding_text())) for c in chunks]
    shape = "".join(
        f"{c.locator}{c.char_start}{c.classification}{c.kind}\x1f{c.embedded}" for c in chunks
    )
    return ParsedRecord(
        doc_id=doc_id,
        path=path,
        text=text,
        meta=meta,
        chunks=chunks,
        content_hash=content_hash(text + repr(meta) + shape),
        warnings=warnings,
    )


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
