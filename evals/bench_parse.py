"""How well records of each council are read: metadata found, chunk shapes, registers.

Usage: python -m evals.bench parse --records ../shared/records/kent ../shared/records/limerick
Prints one row per council (a folder named on the command line): records read, the share
with a title / body / date / type found, how many distinct body names they give, chunks, the
share of chunks under 40 characters and of those ending mid-sentence (tables and headers
aside), decisions and questions found,
how many records or chunks are withheld as exempt, and of the records whose text and file
name both give a date, how many disagree.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunk import ParsedRecord
from ingest.metadata import read_file_name, read_meta
from ingest.pipeline import FolderFacts, failure_message, find_records, read_record, supported
from ingest.registers import extract_decisions, extract_questions
from ingest.sentences import ends_sentence
from ingest.templates import load_templates

LIST_ITEM = re.compile(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[).]\s")
NOT_SENTENCES = {"table", "header", "caption", "vote", "question"}
TEMPLATES = load_templates()


@dataclass
class CouncilRow:
    """The parse figures of one council's records."""

    name: str
    records: int = 0
    failed: int = 0
    found: Counter[str] = field(default_factory=Counter)
    bodies: Counter[str] = field(default_factory=Counter)  # the names records give their body
    chunks: int = 0
    short: int = 0
    mid_sentence: int = 0
    decisions: int = 0
    questions: int = 0
    exempt_records: int = 0
    exempt_chunks: int = 0
    dated_twice: int = 0  # records whose text and file name both give a date
    dates_differ: int = 0  # ... and the two differ (one of them is wrong, or names another meeting)
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    def add(self, record: ParsedRecord) -> None:
        """Count one parsed record."""
        self.records += 1
        meta = record.meta
        for key in ("title", "body", "meeting_date"):
            self.found[key] += bool(getattr(meta, key))
        self.found["doc_type"] += meta.doc_type != "other"
        self.bodies[meta.body] += 1
        for c in record.chunks:
            self.chunks += 1
            self.short += len(c.text) < 40
            if cut_mid_sentence(record.text, c.char_end) and c.kind not in NOT_SENTENCES:
                self.mid_sentence += 1
                if len(self.examples) < 8:
                    self.examples.append(f"{record.doc_id} {c.locator}: ...{c.text[-70:]!r}")
        self.decisions += len(extract_decisions(record))
        self.questions += len(extract_questions(record))
        self.exempt_records += meta.classification != "Open"
        self.exempt_chunks += sum(c.classification != "Open" for c in record.chunks)
        stated = read_meta(record.text, TEMPLATES).values.get("meeting_date", "")
        named = read_file_name(Path(record.path), TEMPLATES).get("meeting_date", "")
        if stated and named:
            self.dated_twice += 1
            self.dates_differ += stated != named


def cut_mid_sentence(text: str, end: int) -> bool:
    """Whether a chunk ending at `end` leaves its sentence to go on in the next chunk: it
    does not end a sentence, and the record carries on in lower case."""
    after = text[end : end + 40].lstrip()
    if not after or LIST_ITEM.match(after):
        return False  # "...; and" then "d) The action plan ...": the list goes on
    return after[0].islower() and not ends_sentence(text[max(0, end - 5) : end])


def share(n: int, total: int) -> str:
    return f"{n / total:.0%}" if total else "-"


def measure(folder: Path, *, limit: int = 0) -> CouncilRow:
    """Return the parse figures of every record under a folder (or its first `limit`)."""
    row = CouncilRow(folder.name)
    facts = FolderFacts(load_templates())
    files = [p for p in find_records([folder]) if supported(p)]
    if limit:
        files = files[:limit]
    started = time.perf_counter()
    for path in files:
        try:
            row.add(read_record(path, facts))
        except Exception as exc:
            row.failed += 1
            if len(row.examples) < 12:
                row.examples.append(failure_message(path, exc))
    row.seconds = time.perf_counter() - started
    return row


def table(rows: list[CouncilRow]) -> str:
    """Return the rows as a Markdown table."""
    head = (
        "| council | records | failed | title | body | bodies named | date | type | chunks "
        "| <40 chars "
        "| mid-sentence | decisions | questions | exempt records | exempt chunks "
        "| text date is not name date | records/s |"
    )
    lines = [head, "|" + " --- |" * 17]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.records} | {r.failed} | {share(r.found['title'], r.records)} | "
            f"{share(r.found['body'], r.records)} | {len(r.bodies)} | "
            f"{share(r.found['meeting_date'], r.records)} | "
            f"{share(r.found['doc_type'], r.records)} | {r.chunks} | {share(r.short, r.chunks)} | "
            f"{r.mid_sentence} ({share(r.mid_sentence, r.chunks)}) | "
            f"{r.decisions} | {r.questions} | "
            f"{r.exempt_records} | {r.exempt_chunks} | {r.dates_differ} of {r.dated_twice} | "
            f"{r.records / max(r.seconds, 1e-9):.0f} |"
        )
    return "\n".join(lines)


def bench_parse(folders: list[Path], *, limit: int = 0, verbose: bool = False) -> list[CouncilRow]:
    """Print and return the parse figures of each council's folder (skipping absent ones)."""
    rows = []
    for folder in folders:
        if not folder.is_dir():
            print(f"skipped: {folder} is not here (the shared records are not on this machine)")
            continue
        rows.append(measure(folder, limit=limit))
    print(table(rows))
    if verbose:
        for r in rows:
            for line in r.examples:
                print(f"  {r.name}: {line}")
    return rows
