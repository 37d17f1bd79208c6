"""Plain text and Markdown records -> raw lines (with the encoding guessed right)."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import UnreadableRecord
from ingest.lines import RawLine


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


def parse_text(path: Path) -> list[RawLine]:
    """Return the raw lines of a .txt or .md record."""
    text = decode(path.read_bytes(), str(path))
    return [RawLine(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
