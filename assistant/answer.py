"""The answer: text with [n] markers, the citations behind them, and the JSON contract."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.retrieve import Hit


@dataclass(frozen=True)
class Citation:
    """One cited passage: which record, where in it, and the exact quoted text."""

    n: int
    doc_id: str
    title: str
    body: str
    meeting_date: str
    doc_type: str
    locator: str
    quote: str
    char_start: int
    char_end: int
    url: str
    score: float
    section: str = ""
    chunk_id: str = ""
    also_in: tuple[str, ...] = ()

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        """Return the citation of a retrieved chunk, numbered n."""
        c = hit.chunk
        return cls(
            n=n,
            doc_id=c.doc_id,
            title=c.title,
            body=c.body,
            meeting_date=c.meeting_date,
            doc_type=c.doc_type,
            locator=c.locator,
            quote=c.text,
            char_start=c.char_start,
            char_end=c.char_end,
            url=c.url,
            score=round(hit.score, 6),
            section=c.section,
            chunk_id=c.id,
            also_in=tuple(f"{o.doc_id} {o.locator}" for o in hit.also_in),
        )

    def to_json(self) -> dict[str, Any]:
        """Return the citation as the stable JSON contract's object."""
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "body": self.body,
            "meeting_date": self.meeting_date,
            "doc_type": self.doc_type,
            "locator": self.locator,
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "url": self.url,
            "score": self.score,
        }


@dataclass
class Answer:
    """What the assistant says to a question, and everything needed to check it."""

    question: str
    text: str
    citations: list[Citation]
    abstained: bool
    answerer: str
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str = ""  # e.g. "The LLM did not answer; this answer is extractive."
    retrieved: list[Citation] = field(default_factory=list)  # the ranked passages searched

    def to_json(self) -> dict[str, Any]:
        """Return the answer as the stable JSON contract of `council ask --json`."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "answerer": self.answerer,
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "notice": self.notice,
            "retrieved": [
                {
                    "doc_id": c.doc_id,
                    "locator": c.locator,
                    "char_start": c.char_start,
                    "char_end": c.char_end,
                    "score": c.score,
                }
                for c in self.retrieved
            ],
        }


ABSTAIN_TEXT = (
    "The records held do not cover this question. "
    "The closest records are listed below; none of them answers it."
)
