"""PDF records -> raw lines with page numbers, read a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.block import RawLine
from ingest.errors import UnreadableRecord


def iter_pdf_lines(path: Path) -> Iterator[RawLine]:
    """Yield the lines of a PDF, page by page (1-based page numbers)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    head = path.read_bytes()[:1024]
    if b"%PDF" not in head:
        raise UnreadableRecord(
            str(path), "not a PDF (no %PDF header)", "check the file is a real PDF export"
        )
    try:
        reader = PdfReader(str(path), strict=False)
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types on damaged files
        raise UnreadableRecord(
            str(path), f"damaged or truncated PDF ({type(exc).__name__})", "export it again"
        ) from exc
    if encrypted and not _opens_without_password(reader):
        raise UnreadableRecord(
            str(path),
            "the PDF is encrypted (password-protected)",
            "save an unlocked copy, or ask the publisher for one",
        )
    try:
        pages = reader.pages
        count = len(pages)
    except Exception as exc:
        raise UnreadableRecord(
            str(path), f"damaged or truncated PDF ({type(exc).__name__})", "export it again"
        ) from exc
    for number in range(count):
        try:
            text = pages[number].extract_text() or ""
        except (PdfReadError, Exception) as exc:
            raise UnreadableRecord(
                str(path),
                f"page {number + 1} cannot be read ({type(exc).__name__})",
                "export the PDF again",
            ) from exc
        for line in text.split("\n"):
            yield RawLine(line, page=number + 1)
        yield RawLine("", page=number + 1, hint="page")  # the page ends, not a paragraph


def _opens_without_password(reader: object) -> bool:
    """Whether an encrypted PDF opens with the empty password (many 'protected' ones do)."""
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:
        return False


def parse_pdf(path: Path) -> list[RawLine]:
    """Return the raw lines of a PDF record; a PDF with no text layer is refused."""
    lines = list(iter_pdf_lines(path))
    if not any(line.text.strip() for line in lines):
        raise UnreadableRecord(
            str(path), "the PDF has no text layer (a scan?)", "run OCR on it first"
        )
    return lines
