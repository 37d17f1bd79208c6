"""One entry point for every format: a file -> a parsed record, or a clear refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ingest.block import RawLine
from ingest.blocks import build_blocks
from ingest.chunk import ParsedRecord
from ingest.errors import UnreadableRecord
from ingest.parse_docx import parse_docx
from ingest.parse_html import parse_html
from ingest.parse_pdf import parse_pdf
from ingest.parse_text import parse_text
from ingest.record import assemble
from ingest.templates import Templates

PARSERS: dict[str, Callable[[Path], list[RawLine]]] = {
    ".txt": parse_text,
    ".md": parse_text,
    ".text": parse_text,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
    ".html": parse_html,
    ".htm": parse_html,
}


def doc_id_for(path: Path) -> str:
    """Return the record's id: its file name without extension, in safe characters."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", path.stem)


def parse_file(
    path: Path,
    *,
    doc_id: str | None = None,
    manifest_entry: dict[str, object] | None = None,
    sidecar: dict[str, str] | None = None,
    templates: Templates | None = None,
    max_bytes: int | None = None,
) -> ParsedRecord:
    """Return the parsed record for a file; raise UnreadableRecord saying why not."""
    from ingest.parse_transcript import TRANSCRIPT_SUFFIXES, parse_transcript

    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableRecord(str(path), "no such file", "check the path")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise UnreadableRecord(
            str(path),
            f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit",
            "split it, or raise COUNCIL_MAX_FILE_MB",
        )
    if size == 0:
        raise UnreadableRecord(str(path), "the file is empty", "export the record again")
    doc_id = doc_id or doc_id_for(path)
    if suffix in TRANSCRIPT_SUFFIXES or path.name.endswith(".transcript.txt"):
        return parse_transcript(path, doc_id=doc_id, manifest_entry=manifest_entry)
    parser = PARSERS.get(suffix)
    if parser is None:
        raise UnreadableRecord(
            str(path),
            f"unknown file type '{suffix or '(none)'}'",
            f"supported: {', '.join(sorted(PARSERS))}",
        )
    blocks = build_blocks(parser(path), templates)
    if not blocks:
        raise UnreadableRecord(str(path), "no text could be read from it", "check the file")
    record = assemble(
        doc_id, str(path), blocks, manifest_entry, sidecar=sidecar, templates=templates
    )
    if not record.chunks:
        raise UnreadableRecord(str(path), "no citable text found in it", "check the file")
    return record
