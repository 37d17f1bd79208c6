"""Exempt information as spans of a record: a banner covers the whole record; a Part II
item, an exclusion of the press and public or an exempt appendix covers everything from
its start until the record says the public were readmitted (or a new open part begins),
or to the end. Headings inside a span do not end it. When in doubt, the text is withheld."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.block import Block
from ingest.templates import Templates

BANNER_BLOCKS = 12  # a banner stands in the record's opening blocks
BODY_KINDS = {"minute", "numbered", "lettered", "resolved", "label", "qrow", "table"}


@dataclass(frozen=True)
class Exemption:
    """Which blocks are exempt, and what the ingest summary should say about it."""

    blocks: tuple[bool, ...]
    notes: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        """Whether anything in the record is withheld."""
        return any(self.blocks)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


def find_exemption(
    blocks: list[Block], templates: Templates, *, classification: str = "Open"
) -> Exemption:
    """Return the exempt blocks of a record, from its classification and its own marks."""
    n = len(blocks)
    if classification != "Open":
        return Exemption((True,) * n)  # the classification itself says so
    for block in blocks[:BANNER_BLOCKS]:
        if block.kind in BODY_KINDS:
            break  # the record's business has begun: a mark from here on opens a span
        if templates.span_start.search(block.text) or _about_an_appendix(block.text):
            continue
        if templates.banner.search(block.text):
            return Exemption((True,) * n, (f"whole record: banner '{_short(block.text)}'",))
    flags = [False] * n
    notes: list[str] = []
    start: int | None = None
    for i, block in enumerate(blocks):
        if start is None:
            if templates.span_start.search(block.text):
                start = i
        elif templates.span_end.search(block.text) and not templates.span_start.search(block.text):
            notes.append(f"from '{_short(blocks[start].text)}' to '{_short(block.text)}'")
            start = None
            continue
        if start is not None:
            flags[i] = True
    if start is not None:
        notes.append(f"from '{_short(blocks[start].text)}' to the end of the record")
    return Exemption(tuple(flags), tuple(notes))


def _about_an_appendix(text: str) -> bool:
    """Whether a 'not for publication' line speaks of an appendix, not the whole record."""
    low = text.lower()
    return "appendix" in low or "annex" in low
