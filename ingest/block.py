"""The two shapes a record takes on its way to chunks: raw lines as a parser read them,
and the logical blocks they are joined into."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawLine:
    """One line as a parser read it, with its page (PDF, or a converter's page rule)."""

    text: str
    page: int | None = None
    hint: str = ""  # "heading", "bullet", "table", "html" when the format says so; "page"
    # on the blank line a PDF's page ends with (no paragraph need end there); "break" on the
    # blank line a block of HTML or Word ends with (a paragraph ends there)


@dataclass(frozen=True)
class Block:
    """A logical unit of a record: a paragraph, item, bullet, heading, table or label."""

    kind: str
    text: str
    page: int | None = None
    number: str = ""  # "11" or "1.2" for a numbered paragraph or minute item
    letter: str = ""  # "a" (or "3") for a lettered item
    label: str = ""  # "response", "supplementary", ... for question parts; "PQ 4" for rows
    who: str = ""  # the questioner or answerer a question part names
