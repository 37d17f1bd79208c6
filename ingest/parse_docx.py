"""DOCX records -> raw lines: paragraphs and tables in document order, styles as hints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.block import RawLine
from ingest.errors import UnreadableRecord


def parse_docx(path: Path) -> list[RawLine]:
    """Return the raw lines of a .docx record."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        return _read(docx.Document(str(path)), Paragraph, Table)
    except UnreadableRecord:
        raise
    except Exception as exc:  # zip, XML and package errors of a damaged file
        raise UnreadableRecord(
            str(path), f"not a readable DOCX ({type(exc).__name__})", "save it again from Word"
        ) from exc


def _read(document: Any, Paragraph: Any, Table: Any) -> list[RawLine]:  # noqa: N803
    """Return the lines of an opened document, in document order."""
    lines: list[RawLine] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "").lower()
            hint = "heading" if style.startswith(("heading", "title")) else ""
            if "list" in style and "number" not in style:
                hint = "bullet"
            lines.append(RawLine(item.text, hint=hint))
            lines.append(RawLine("", hint="break"))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [cell.text.replace("\n", " ") for cell in row.cells]
                lines.append(RawLine("\t".join(cells)))
            lines.append(RawLine("", hint="break"))
    return lines
