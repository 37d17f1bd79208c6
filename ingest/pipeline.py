"""Ingest: files -> parsed records -> embedded chunks in the store, incrementally."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunk import ParsedRecord, content_hash
from ingest.embed import Embedder
from ingest.errors import ConfigError, UnreadableRecord
from ingest.manifest import MANIFEST_NAMES, load_manifest
from ingest.parse import PARSERS, doc_id_for, parse_file
from ingest.parse_transcript import TRANSCRIPT_SUFFIXES
from ingest.sidecars import SIDECAR_NAMES, read_sidecars, sidecar_for
from ingest.store import Store
from ingest.templates import Templates, load_templates

Progress = Callable[[int, int, str], None]


@dataclass
class IngestReport:
    """What an ingest run did: per-record outcomes, counts and time."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    warnings: list[str] = field(default_factory=list)  # read, but with something to check
    chunks_embedded: int = 0
    vectors_reused: int = 0  # chunks of changed records whose text was embedded before
    bodies_folded: dict[str, str] = field(default_factory=dict)  # stray name -> usual name
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether every record was read."""
        return not self.failed

    def summary(self) -> str:
        """Return the one-line summary printed at the end of a run."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, "
            f"{len(self.failed)} failed; {self.chunks_embedded} chunks embedded "
            + (f"({self.vectors_reused} more kept their vectors) " if self.vectors_reused else "")
            + f"in {self.seconds:.1f}s"
            + (
                f"; {len(self.bodies_folded)} body names shown as their usual spelling"
                if self.bodies_folded
                else ""
            )
        )


def find_records(paths: Iterable[Path]) -> list[Path]:
    """Return the record files named or found (recursively) under the given paths."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not _ignored(child.relative_to(path)):
                    found.append(child)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _ignored(path: Path) -> bool:
    return (
        path.name in MANIFEST_NAMES
        or path.name in SIDECAR_NAMES
        or any(part.startswith(".") for part in path.parts)
        or path.name.lower() in ("readme.md", "readme.txt", "license", "licence")
    )


def supported(path: Path) -> bool:
    """Whether a file's extension has a parser."""
    return path.suffix.lower() in PARSERS or path.suffix.lower() in TRANSCRIPT_SUFFIXES


class FolderFacts:
    """What each folder says about its records (manifest, sidecars), read once per folder."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates
        self._manifests: dict[Path, dict[str, dict[str, object]] | ConfigError] = {}
        self._sidecars: dict[Path, dict[str, dict[str, str]]] = {}
        self.warnings: list[str] = []

    def manifest_entry(self, path: Path) -> dict[str, object] | None:
        """Return the manifest's entry for a file (raises ConfigError for a bad manifest)."""
        folder = path.parent
        if folder not in self._manifests:
            try:
                self._manifests[folder] = load_manifest(folder)
            except ConfigError as exc:
                # Every file of the folder is refused, not only the first: a record read
                # without its manifest could lose an `classification: Exempt` it needs.
                self._manifests[folder] = exc
        entries = self._manifests[folder]
        if isinstance(entries, ConfigError):
            raise entries
        return entries.get(path.name)

    def sidecar(self, path: Path) -> dict[str, str]:
        """Return what the folder's sidecar files say of a file."""
        folder = path.parent
        if folder not in self._sidecars:
            self._sidecars[folder], warnings = read_sidecars(folder, self.templates)
            self.warnings.extend(warnings)
        return sidecar_for(self._sidecars[folder], path.name)


def read_record(
    path: Path,
    facts: FolderFacts,
    *,
    doc_id: str | None = None,
    max_bytes: int | None = None,
) -> ParsedRecord:
    """Return one file parsed with its folder's manifest and sidecars."""
    return parse_file(
        path,
        doc_id=doc_id,
        manifest_entry=facts.manifest_entry(path),
        sidecar=facts.sidecar(path),
        templates=facts.templates,
        max_bytes=max_bytes,
    )


def failure_message(path: Path, exc: Exception) -> str:
    """Return the one line that says why a file was not read and what to do."""
    if isinstance(exc, UnreadableRecord | ConfigError):
        return str(exc)
    return f"{path}: could not be parsed ({type(exc).__name__}: {exc}); please report this file"


EMBED_BATCH = 256  # chunks embedded per model call, gathered across records


@dataclass(frozen=True)
class Tally:
    """Where a run is: records read of all, chunks stored, and when it started."""

    records: int
    total: int
    chunks: int
    started: float
    name: str = ""

    @property
    def rate(self) -> float:
        """Chunks stored per second so far."""
        return self.chunks / max(time.perf_counter() - self.started, 1e-9)

    @property
    def eta(self) -> float:
        """Seconds left, from the pace of the records read so far."""
        spent = time.perf_counter() - self.started
        return spent / self.records * (self.total - self.records) if self.records else 0.0


def ingest_paths(
    paths: list[Path],
    store: Store,
    embedder: Embedder,
    *,
    prune: bool = False,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    templates: Templates | None = None,
    on_tally: Callable[[Tally], None] | None = None,
) -> IngestReport:
    """Ingest records under the lock: skip unchanged, replace changed, optionally prune.

    Records are parsed and stored while the model embeds the batch before: chunks of
    several records go to the model together (EMBED_BATCH), on a worker thread. Each record
    is stored whole or not at all, so a run that is stopped (Ctrl-C, a kill) resumes where
    it stopped: finished records are unchanged the next time and skipped.
    """
    started = time.perf_counter()
    report = IngestReport()
    files = find_records(paths)
    facts = FolderFacts(templates or load_templates())
    with store.writing(), ThreadPoolExecutor(1, thread_name_prefix="embed") as model:
        known = store.document_hashes()
        stored_paths = store.document_paths()
        used: dict[str, Path] = {}
        waiting: list[tuple[str, ParsedRecord]] = []  # parsed, not yet sent to the model
        # Each batch sent: its records, the texts the model was given, and vectors kept.
        in_flight: list[
            tuple[list[tuple[str, ParsedRecord]], list[str], dict[str, np.ndarray], Future[Any]]
        ] = []
        read = 0

        def tell(name: str = "") -> None:
            if progress:
                progress(read, len(files), name)
            if on_tally:
                on_tally(Tally(read, len(files), report.chunks_embedded, started, name))

        def store_done(say: bool = True) -> None:
            """Store the batch the model has finished (waiting for it if need be)."""
            batch, todo, kept, vectors = in_flight.pop(0)
            fresh = dict(zip(todo, vectors.result(), strict=True))
            for doc_id, record in batch:
                texts = [c.embedding_text() for c in record.chunks]
                matrix = np.array(
                    [kept[t] if t in kept else fresh[t] for t in texts], dtype=np.float32
                ).reshape(len(texts), -1)
                store.replace_document(record, matrix)
                reused = sum(t in kept for t in texts)
                report.chunks_embedded += len(texts) - reused
                report.vectors_reused += reused
                (report.updated if doc_id in known else report.added).append(doc_id)
            if say:
                tell()

        def send() -> None:
            """Send the waiting records to the model; store the batch before meanwhile."""
            if not waiting:
                return
            texts = [c.embedding_text() for _, r in waiting for c in r.chunks]
            # A changed record keeps the vectors of the passages it still has word for word
            # (a corrected date or classification re-embeds nothing).
            kept = _stored_vectors(store, [d for d, _ in waiting if d in known], set(texts))
            todo = [t for t in dict.fromkeys(texts) if t not in kept]
            in_flight.append((list(waiting), todo, kept, model.submit(embedder.encode, todo)))
            waiting.clear()
            if len(in_flight) > 1:
                store_done()

        try:
            for path in files:
                read += 1
                try:
                    doc_id = _doc_id(path, used)
                    record = read_record(path, facts, doc_id=doc_id, max_bytes=max_bytes)
                    if _other_record(doc_id, path, record, known, stored_paths, store):
                        doc_id = _doc_id(path, {**used, doc_id: Path("/")})
                        record = read_record(path, facts, doc_id=doc_id, max_bytes=max_bytes)
                except Exception as exc:  # a parser bug must not stop the run either
                    report.failed.append((str(path), failure_message(path, exc)))
                    tell(path.name)
                    continue
                if doc_id != doc_id_for(path):
                    report.warnings.append(
                        f"{path}: another file has the id '{doc_id_for(path)}', so this one "
                        f"is stored as '{doc_id}'"
                    )
                report.warnings.extend(record.warnings)
                used[doc_id] = path
                if known.get(doc_id) == record.content_hash:
                    report.unchanged.append(doc_id)
                    tell(path.name)
                    continue
                waiting.append((doc_id, record))
                if sum(len(r.chunks) for _, r in waiting) >= EMBED_BATCH:
                    send()
                tell(path.name)
            send()
        finally:
            # Stopped or finished: what the model was given is stored, then the lexical
            # index is brought up to date, so the records stored so far can be asked.
            try:
                while in_flight:
                    store_done(say=False)
            finally:
                if report.added or report.updated:
                    report.bodies_folded = store.fold_body_names()
                    store.rebuild_lexical()
        report.warnings.extend(facts.warnings)
        tell()
        if prune:
            roots = [p.resolve() for p in paths]
            for doc_id, stored in store.document_paths().items():
                if doc_id in used:
                    continue
                source = Path(stored).resolve()
                under = any(source == r or r in source.parents for r in roots)
                if under or not source.exists():
                    store.delete_document(doc_id)
                    report.removed.append(doc_id)
            # Vectors a killed ingest stored for records the catalogue never took.
            orphans = sorted(store.vectors_db.all_ids() - store.chunk_ids())
            if orphans:
                store.vectors_db.delete(orphans)
                report.warnings.append(f"removed {len(orphans)} vectors no record owns")
        if report.removed:
            store.rebuild_lexical()
        elif not (report.added or report.updated):
            store.load_lexical()  # repairs a lexical index left stale by a crash
    report.seconds = time.perf_counter() - started
    return report


def _stored_vectors(store: Store, doc_ids: list[str], wanted: set[str]) -> dict[str, np.ndarray]:
    """Return {embedding text: stored vector} for the wanted texts the documents hold now,
    matched by the text each stored vector was made from (`Chunk.embedded`), so a change in
    how embedding_text() composes a chunk's fields re-embeds it; a chunk stored before that
    was kept is matched by the text its fields give now."""
    by_hash = {content_hash(t): t for t in wanted}
    by_text = {}
    for doc_id in doc_ids:
        for c in store.chunks(doc_id):
            text = by_hash.get(c.embedded or content_hash(c.embedding_text()))
            if text is not None:
                by_text[text] = c.id
    stored = store.vectors(list(by_text.values())) if by_text else {}
    return {t: stored[i] for t, i in by_text.items() if i in stored}


def _doc_id(path: Path, used: dict[str, Path]) -> str:
    """Return the record's id: its name, or, when another file of this run has taken that,
    its name and a short hash of its path (stable from run to run)."""
    doc_id = doc_id_for(path)
    other = used.get(doc_id)
    if other is None or other == path:
        return doc_id
    suffix = content_hash(str(path.resolve()))[:8]
    return f"{doc_id}_{suffix}"


def _other_record(
    doc_id: str,
    path: Path,
    record: ParsedRecord,
    known: dict[str, str],
    paths: dict[str, str],
    store: Store,
) -> bool:
    """Whether a stored record has this id but is another file: elsewhere, still there, and
    with other text. The same record moved or copied to another folder keeps its id."""
    stored = paths.get(doc_id)
    if stored is None or known.get(doc_id) == record.content_hash:
        return False
    source = Path(stored)
    if source.resolve() == path.resolve() or not source.exists():
        return False
    doc = store.document(doc_id)
    return doc is None or doc["text"] != record.text
