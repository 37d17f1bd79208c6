"""Plain text and Markdown records -> raw lines (with the encoding guessed right)."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.block import RawLine
from ingest.errors import UnreadableRecord

PAGE_RULE = "---"  # a PDF-to-Markdown converter's page break
# A site generator's front matter (Jekyll, Hugo): "---", then "key: value" lines and their
# lists ("  - parish-councils"), then "---" (or "+++" round TOML's "key = value").
FRONT_FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
FRONT_FIELD = re.compile(r"^(?:[A-Za-z_][\w-]*\s*[:=].*|\s+\S.*|\s*-\s.*|\s*)$")


def decode(data: bytes, path: str) -> str:
    """Return the text of a record's bytes: UTF-8, else Windows-1252, else Latin-1."""
    if not data.strip():
        raise UnreadableRecord(path, "the file is empty", "export the record again")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableRecord(
            path, "the file holds binary data, not text", "check it is the right file and format"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def front_matter(lines: list[str]) -> int:
    """Return how many lines a record's front matter takes (0 when it has none). Its fields
    are the website's (the post's title, the day it was posted, its categories), not the
    record's words: the record's own opening names its meeting and date."""
    if not lines or not FRONT_FENCE.match(lines[0]):
        return 0
    for end in range(1, min(len(lines), 60)):
        if FRONT_FENCE.match(lines[end]):
            return end + 1 if any(line.strip() for line in lines[1:end]) else 0
        if not FRONT_FIELD.match(lines[end]):
            return 0  # prose: the first line was a rule, not a fence
    return 0


def parse_text(path: Path) -> list[RawLine]:
    """Return the raw lines of a .txt or .md record; a converter's page rules ('---' lines,
    two or more) number the pages, so running headers and wraps are read as in a PDF. A
    website's front matter is left out."""
    text = decode(path.read_bytes(), str(path))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = lines[front_matter(lines) :]
    if sum(line.strip() == PAGE_RULE for line in lines) < 2:
        return [RawLine(line) for line in lines]
    out: list[RawLine] = []
    page = 1
    for line in lines:
        if line.strip() == PAGE_RULE:
            page += 1
            out.append(RawLine("", page=page))
            continue
        out.append(RawLine(line, page=page))
    return out
