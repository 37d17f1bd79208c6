"""The answer: text with [n] markers, the citations behind them, and the JSON contract.

A citation is a chunk and the span of it the answer used: the chunk says where in which
record (its locator), the span says which words (`quote`), with offsets into the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.chunk import Chunk


@dataclass(frozen=True)
class Citation:
    """One cited passage: the chunk, and the span of its text the answer drew on."""

    n: int
    chunk: Chunk
    start: int = 0  # offsets of the used words inside the chunk's text
    end: int = -1  # -1: to the chunk's end
    score: float = 0.0
    also_in: tuple[str, ...] = ()  # "doc_id locator" of the same words in other records

    @classmethod
    def of(
        cls, n: int, chunk: Chunk, *, score: float = 0.0, also_in: tuple[Chunk, ...] = ()
    ) -> Citation:
        """Return the citation of a whole chunk, numbered n."""
        return cls(
            n,
            chunk,
            score=round(score, 6),
            also_in=tuple(f"{o.doc_id} {o.locator}" for o in also_in),
        )

    def at(self, start: int, end: int) -> Citation:
        """Return this citation narrowed to the words at chunk offsets start:end."""
        return Citation(self.n, self.chunk, start, end, self.score, self.also_in)

    @property
    def span(self) -> tuple[int, int]:
        """Return the used words' offsets inside the chunk."""
        return self.start, len(self.chunk.text) if self.end < 0 else self.end

    @property
    def quote(self) -> str:
        """Return the words the answer used, exactly as the record has them."""
        a, b = self.span
        return self.chunk.text[a:b]

    @property
    def char_start(self) -> int:
        """Return where the quote starts in the record's normalised text."""
        return self.chunk.char_start + self.span[0]

    @property
    def char_end(self) -> int:
        """Return where the quote ends in the record's normalised text."""
        return self.chunk.char_start + self.span[1]

    @property
    def passage(self) -> str:
        """Return the whole cited chunk's text."""
        return self.chunk.text

    @property
    def chunk_id(self) -> str:
        return self.chunk.id

    @property
    def doc_id(self) -> str:
        return self.chunk.doc_id

    @property
    def title(self) -> str:
        return self.chunk.title

    @property
    def body(self) -> str:
        return self.chunk.body

    @property
    def meeting_date(self) -> str:
        return self.chunk.meeting_date

    @property
    def date_inferred(self) -> bool:
        return self.chunk.date_inferred

    @property
    def doc_type(self) -> str:
        return self.chunk.doc_type

    @property
    def locator(self) -> str:
        return self.chunk.locator

    @property
    def section(self) -> str:
        return self.chunk.section

    @property
    def url(self) -> str:
        return self.chunk.url

    @property
    def exempt(self) -> bool:
        """Whether the cited text is exempt (shown to members and officers only)."""
        return self.chunk.classification != "Open"

    def to_json(self) -> dict[str, Any]:
        """Return the citation as the stable JSON contract's object."""
        return {
            "n": self.n,
            "doc_id": self.doc_id,
            "title": self.title,
            "body": self.body,
            "meeting_date": self.meeting_date,
            "date_inferred": self.date_inferred,
            "doc_type": self.doc_type,
            "locator": self.locator,
            "kind": self.chunk.kind,
            "quote": self.quote,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "passage_start": self.chunk.char_start,
            "passage_end": self.chunk.char_end,
            "url": self.url,
            "score": self.score,
            "classification": self.chunk.classification,
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
