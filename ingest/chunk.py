"""The chunk: the unit of citation shared by ingest, store, retrieval, answers and the UI."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = ("report", "minutes", "agenda", "questions", "appendix", "transcript", "other")
CLASSIFICATIONS = ("Open", "Exempt")


def content_hash(text: str) -> str:
    """Return a short stable hash of text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


RESPONSE_KINDS = ("response", "supplementary_response", "written_response")  # replies


def question_label(locator: str) -> str:
    """Return the label a question's parts share ("Q 10" of "Q 10 question", "PQ 2
    supplementary"): its reply is "Q 10 response"."""
    return locator.split(" question")[0].split(" supplementary")[0]


@dataclass(frozen=True)
class Chunk:
    """One citable piece of a record: `doc_text[char_start:char_end] == text`."""

    id: str
    doc_id: str
    text: str
    locator: str
    section: str
    char_start: int
    char_end: int
    ordinal: int
    kind: str = "paragraph"
    page: int | None = None
    body: str = ""
    meeting_date: str = ""
    doc_type: str = "other"
    title: str = ""
    classification: str = "Open"
    url: str = ""
    speaker: str = ""
    context: str = ""
    date_inferred: bool = False
    embedded: str = ""  # content_hash of the text the model embedded (embedding_text())

    def embedding_text(self) -> str:
        """Return the text the model embeds: the quote with its heading for context."""
        head = " ".join(p for p in (self.section, self.context) if p)
        return f"{head}: {self.text}" if head else self.text

    def to_metadata(self) -> dict[str, str | int | float | bool]:
        """Return Chroma-safe metadata (no None values, scalars only)."""
        meta: dict[str, str | int | float | bool] = {}
        for key, value in asdict(self).items():
            if key in ("id", "text"):
                continue
            meta[key] = -1 if value is None else value
        meta["year"] = int(self.meeting_date[:4]) if self.meeting_date[:4].isdigit() else 0
        return meta

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
        """Rebuild a chunk from what `to_metadata` stored."""
        fields = {f for f in cls.__dataclass_fields__ if f not in ("id", "text")}
        values = {k: v for k, v in meta.items() if k in fields}
        if values.get("page") == -1:
            values["page"] = None
        return cls(id=chunk_id, text=text, **values)


def make_chunk_id(doc_id: str, locator: str, text: str) -> str:
    """Return the stable id: document id + locator + content hash."""
    return f"{doc_id}::{locator}::{content_hash(text)[:10]}"


@dataclass(frozen=True)
class RecordMeta:
    """What is known about a record as a whole (from its text, then the manifest)."""

    title: str = ""
    body: str = ""
    meeting_date: str = ""
    doc_type: str = "other"
    classification: str = "Open"
    url: str = ""
    decision_type: str = ""
    report_by: str = ""
    wards: str = ""
    decision_ref: str = ""
    date_inferred: bool = False
    inferred: tuple[str, ...] = ()  # fields not read from the text or the manifest
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it was read
    notes: str = ""


@dataclass(frozen=True)
class ParsedRecord:
    """A record after parsing: its normalised text and its chunks."""

    doc_id: str
    path: str
    text: str
    meta: RecordMeta
    chunks: list[Chunk] = field(default_factory=list)
    content_hash: str = ""
    warnings: tuple[str, ...] = ()  # said once at ingest (an unknown classification, ...)
