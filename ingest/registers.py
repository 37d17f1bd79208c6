"""Registers extracted at ingest: what was decided (recommended, resolved, noted) and what
was asked (public and member questions with every part), each entry cited like a chunk."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.chunk import Chunk, ParsedRecord
from ingest.dates import parse_date
from ingest.tokens import overlap

MONEY = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:m|k|bn|million|billion)?\b")
NOTED = re.compile(
    r"\b(received and noted|noted the (report|update)|(report|update) (was|be) noted)\b",
    re.IGNORECASE,
)
PART_ORDER = ("question", "response", "supplementary", "supplementary response", "written response")
WRITTEN_PROMISE = re.compile(
    r"\b(will|shall) (provide|send|be providing) a written response", re.IGNORECASE
)


@dataclass(frozen=True)
class Ref:
    """Where an entry's words are in its record: exactly like a chunk's citation."""

    chunk_id: str
    locator: str
    char_start: int
    char_end: int
    quote: str


@dataclass
class Decision:
    """One recommendation, resolution or noting, with its status as the record states it."""

    id: str
    doc_id: str
    status: str  # recommended | resolved | noted
    text: str
    ref: Ref
    body: str
    meeting_date: str
    title: str
    section: str
    decision_type: str = ""
    wards: str = ""
    sums: list[str] = field(default_factory=list)
    purpose: str = ""
    classification: str = "Open"
    links: list[str] = field(default_factory=list)  # ids of entries recording its outcome
    date_inferred: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data."""
        return asdict(self)


@dataclass
class QuestionEntry:
    """One public (PQ) or member (MQ) question with each part citable."""

    id: str
    doc_id: str
    number: str  # "PQ 4"
    questioner: str
    put_to: str
    body: str
    meeting_date: str
    title: str
    parts: dict[str, list[Ref]] = field(default_factory=dict)
    written_response_date: str = ""
    classification: str = "Open"
    date_inferred: bool = False

    def text(self, part: str) -> str:
        """Return a part's words (several chunks joined), or ''."""
        return "\n\n".join(r.quote for r in self.parts.get(part, []))

    @property
    def awaiting_written_response(self) -> bool:
        """Whether a written response was promised and none is recorded."""
        promised = any(
            WRITTEN_PROMISE.search(self.text(p)) for p in ("response", "supplementary response")
        )
        return promised and "written response" not in self.parts

    def to_json(self) -> dict[str, Any]:
        """Return the entry as JSON-ready data."""
        data = asdict(self)
        data["awaiting_written_response"] = self.awaiting_written_response
        return data


def _ref(c: Chunk) -> Ref:
    return Ref(c.id, c.locator, c.char_start, c.char_end, c.text)


def extract_decisions(record: ParsedRecord) -> list[Decision]:
    """Return the decisions a record states: recommendations, resolutions and notings."""
    meta = record.meta
    purpose = next((c.text for c in record.chunks if c.locator == "purpose"), "")
    out: list[Decision] = []
    for c in record.chunks:
        status = ""
        if c.kind == "recommendation":
            status = "recommended"
        elif c.kind == "resolution":
            status = "resolved"
        elif (
            meta.doc_type == "minutes"
            and c.kind == "paragraph"
            and NOTED.search(c.text)
            and re.search(r"\breport\b", c.text, re.I)
        ):
            status = "noted"
        if not status:
            continue
        out.append(
            Decision(
                id=f"{c.doc_id}::{c.locator}",
                doc_id=c.doc_id,
                status=status,
                text=c.text,
                ref=_ref(c),
                body=c.body,
                meeting_date=c.meeting_date,
                title=c.title,
                section=c.section,
                decision_type=meta.decision_type if status == "recommended" else "",
                wards=meta.wards,
                sums=list(dict.fromkeys(m.group().strip() for m in MONEY.finditer(c.text))),
                purpose=purpose if status == "recommended" else "",
                classification=c.classification,
                date_inferred=c.date_inferred,
            )
        )
    return out


QUESTION_LOCATOR = re.compile(
    r"^((?:PQ|MQ|Q) \d+) (question|response|supplementary response|"
    r"supplementary|written response)(?:, part \d+)?$"
)


def extract_questions(record: ParsedRecord) -> list[QuestionEntry]:
    """Return the public and member questions of a record with their parts: who asked
    (the chunk's speaker, or a question table's cell) and who it was put to."""
    entries: dict[str, QuestionEntry] = {}
    for c in record.chunks:
        m = QUESTION_LOCATOR.match(c.locator)
        if not m:
            continue
        number, part = m.group(1), m.group(2)
        entry = entries.get(number)
        if entry is None:
            row = c.text.split("\n", 1)[0] if part == "question" else ""
            cells = [x.strip() for x in row.split("|")] if "|" in row else []
            entry = QuestionEntry(
                id=f"{c.doc_id}::{number}",
                doc_id=c.doc_id,
                number=number,
                questioner=c.speaker or (cells[1] if len(cells) > 1 else ""),
                put_to=cells[2] if len(cells) > 2 else "",
                body=c.body,
                meeting_date=c.meeting_date,
                title=c.title,
                classification=c.classification,
                date_inferred=c.date_inferred,
            )
            entries[number] = entry
        if part == "response" and c.speaker and not entry.put_to:
            entry.put_to = c.speaker
        entry.parts.setdefault(part, []).append(_ref(c))
        if c.classification != "Open":
            entry.classification = c.classification  # one exempt part withholds the entry
        if part == "written response" and not entry.written_response_date:
            entry.written_response_date = parse_date(c.text.split("\n", 1)[0])
    return list(entries.values())


def link_outcomes(decisions: list[Decision], purposes: dict[str, str]) -> None:
    """Link a report's recommendations to later minutes that record what was done with it:
    a minute noting or resolving on the report (its words match the report's purpose), or
    a resolution of the same body on the same day."""
    outcomes = [d for d in decisions if d.status in ("resolved", "noted")]
    for rec in (d for d in decisions if d.status == "recommended"):
        rec.links = []
        purpose = purposes.get(rec.doc_id, "")
        for out in outcomes:
            if out.meeting_date and rec.meeting_date and out.meeting_date < rec.meeting_date:
                continue
            same_meeting = out.body == rec.body and out.meeting_date == rec.meeting_date
            about_report = bool(purpose) and overlap(purpose, out.text) >= 0.5
            if (about_report or same_meeting) and overlap(rec.text, out.text) >= 0.4:
                rec.links.append(out.id)
