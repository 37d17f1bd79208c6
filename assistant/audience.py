"""Who may read what: the one audience filter every read path uses, and the search filters
a caller sets (bodies, types, dates, records)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.chunk import Chunk
from ingest.vectors import date_number

AUDIENCES = ("public", "member", "officer")
AUDIENCE_CLASSES = {
    "public": ("Open",),
    "member": ("Open", "Exempt"),
    "officer": ("Open", "Exempt"),
}


def visible(classification: str, audience: str) -> bool:
    """Whether an audience may read text of this classification (unknown audiences: Open)."""
    return classification in AUDIENCE_CLASSES.get(audience, ("Open",))


@dataclass(frozen=True)
class Filters:
    """What the caller wants searched, and what the caller may see."""

    bodies: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    since: str = ""  # ISO date, inclusive
    until: str = ""
    doc_ids: tuple[str, ...] = ()
    audience: str = "public"

    @property
    def narrowing(self) -> bool:
        """Whether any filter beyond the audience is set."""
        return bool(self.bodies or self.doc_types or self.doc_ids or self.since or self.until)

    def describe(self) -> str:
        """Return the active filters in words ("body Cabinet, from 2022-01-01"), or ''."""
        parts = []
        if self.bodies:
            parts.append("body " + " or ".join(self.bodies))
        if self.doc_types:
            parts.append("type " + " or ".join(self.doc_types))
        if self.since:
            parts.append(f"from {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.doc_ids:
            parts.append("records " + ", ".join(self.doc_ids))
        return ", ".join(parts)

    def allows(self, chunk: Chunk) -> bool:
        """Whether a chunk passes every filter."""
        if not visible(chunk.classification, self.audience):
            return False
        if self.bodies and chunk.body not in self.bodies:
            return False
        if self.doc_types and chunk.doc_type not in self.doc_types:
            return False
        if self.doc_ids and chunk.doc_id not in self.doc_ids:
            return False
        if self.since and (not chunk.meeting_date or chunk.meeting_date < self.since):
            return False
        return not (self.until and (not chunk.meeting_date or chunk.meeting_date > self.until))

    def where(self) -> dict[str, Any]:
        """Return the same filters as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = [
            {"classification": {"$in": list(AUDIENCE_CLASSES.get(self.audience, ("Open",)))}}
        ]
        if self.bodies:
            clauses.append({"body": {"$in": list(self.bodies)}})
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.doc_ids:
            clauses.append({"doc_id": {"$in": list(self.doc_ids)}})
        if self.since:
            clauses.append({"date": {"$gte": date_number(self.since)}})
        if self.until:
            clauses.append({"date": {"$lte": date_number(self.until)}})
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
