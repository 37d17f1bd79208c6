"""Files people take away: a draft or a briefing as Word, a conversation as Markdown."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO


def save_docx(markdown: str, path: Path | IO[bytes]) -> None:
    """Write a Markdown draft (headings in **bold**, paragraphs) as a .docx file."""
    import docx

    document = docx.Document()
    for block in markdown.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("**") and block.endswith("**"):
            document.add_heading(block.strip("*"), level=2)
            continue
        paragraph = document.add_paragraph()
        for piece in re.split(r"(\*\*[^*]+\*\*)", block):
            run = paragraph.add_run(piece.strip("*") if piece.startswith("**") else piece)
            run.bold = piece.startswith("**")
    document.save(path if not isinstance(path, Path) else str(path))


def docx_bytes(markdown: str) -> bytes:
    """Return a .docx file of a Markdown draft, as bytes for a download."""
    buffer = io.BytesIO()
    save_docx(markdown, buffer)
    return buffer.getvalue()
