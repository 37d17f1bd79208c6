"""The index as one object: the catalogue (the truth), Chroma vectors and the BM25 index,
kept in step under a lock.

A document is replaced so that a crash at any point leaves either its old or its new version
whole: new vectors are upserted first, then the catalogue commits in one transaction, then
vectors the catalogue no longer names are removed. Readers trust the catalogue.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from ingest.catalogue import Catalogue
from ingest.chunk import Chunk, ParsedRecord
from ingest.errors import ConfigError, IndexLocked
from ingest.lexical_index import (
    Column,
    LexicalIndex,
    clean_leftovers,
    is_stale,
    load_columns,
    load_matrix,
    load_snapshot,
)
from ingest.metadata import fold_bodies
from ingest.registers import Decision, QuestionEntry
from ingest.vectors import Vectors


class Store:
    """The persistent index under one data directory (or a Chroma server for vectors).

    `read_only` opens an existing index for reading where the folder cannot be written.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        collection: str = "council",
        chroma_url: str = "",
        read_only: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.collection_name = collection
        self.read_only = read_only
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise ConfigError(
                f"COUNCIL_DATA_DIR {self.data_dir} is a file, not a folder; "
                "point it at a folder for the index"
            )
        if not read_only:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(
                    f"COUNCIL_DATA_DIR {self.data_dir} cannot be created ({exc.strerror}); "
                    "choose a folder you may write to"
                ) from exc
        path = self.data_dir / f"{collection}.sqlite3"
        if read_only and not path.exists():
            raise ConfigError(f"no index in {self.data_dir}; run `council ingest` first")
        self.catalogue = Catalogue(path, read_only=read_only)
        self.chroma_url = chroma_url
        self._vectors: Vectors | None = None

    @property
    def vectors_db(self) -> Vectors:
        """Return the vector store, opened on first use: a reader that searches the saved
        matrix never imports Chroma."""
        if self._vectors is None:
            self._vectors = Vectors(
                self.data_dir / "chroma", self.collection_name, url=self.chroma_url
            )
        return self._vectors

    # --- reading (the catalogue answers) --------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        """Return {doc_id: content hash} of every stored document."""
        return self.catalogue.document_hashes()

    def document_paths(self) -> dict[str, str]:
        """Return {doc_id: source path} of every stored document."""
        return self.catalogue.document_paths()

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Return one document's row (text and metadata), or None."""
        return self.catalogue.document(doc_id)

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """Return stored chunks in record order (all, or one document's)."""
        return self.catalogue.chunks(doc_id)

    def chunk_ids(self) -> set[str]:
        """Return the ids of every stored chunk."""
        return self.catalogue.chunk_ids()

    def generation(self) -> int:
        """Return a number that changes whenever the catalogue changes."""
        return self.catalogue.generation()

    def last_ingest(self) -> float:
        """Return the time of the last change (seconds since the epoch), 0 if never."""
        return self.catalogue.last_ingest()

    def decisions(self) -> list[Decision]:
        """Return the decisions register, newest first."""
        return self.catalogue.decisions()

    def questions(self) -> list[QuestionEntry]:
        """Return the questions register, newest first."""
        return self.catalogue.questions()

    def dense_query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk id, cosine similarity) of the n nearest vectors passing `where`."""
        return self.vectors_db.query(vector, n, where)

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors of the given chunk ids (those that have one)."""
        return self.vectors_db.get(ids)

    # --- writing --------------------------------------------------------------------------
    def replace_document(self, record: ParsedRecord, vectors: np.ndarray) -> None:
        """Store a document's chunks and vectors in place of any earlier version."""
        old_ids = self.catalogue.chunk_ids_of(record.doc_id)
        if record.chunks:
            self.vectors_db.upsert(record.chunks, vectors)
        self.catalogue.write(record)
        stale = sorted(old_ids - {c.id for c in record.chunks})
        if stale:
            self.vectors_db.delete(stale)

    def fold_body_names(self) -> dict[str, str]:
        """Show a body's stray spellings (other punctuation, a scan's misreading) as its usual
        name everywhere it is stored; return {stray name: usual name} for those renamed."""
        folds = fold_bodies(self.catalogue.body_counts())
        renamed = self.catalogue.rename_bodies(folds)
        if renamed:
            self.vectors_db.update_metadata(renamed)
        return folds

    def delete_document(self, doc_id: str) -> None:
        """Remove a document, its chunks and its vectors."""
        self.catalogue.delete(doc_id)
        self.vectors_db.delete(doc_id=doc_id)

    # --- the lexical index ----------------------------------------------------------------
    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / f"{self.collection_name}.bm25"

    def rebuild_lexical(self) -> None:
        """Rebuild the BM25 index from the catalogue and save it beside Chroma, atomically,
        with a snapshot of the chunks that a reader loads in a fraction of the time."""
        generation = self.generation()
        self.catalogue.save_summary()
        index = LexicalIndex.build(self.catalogue.chunk_rows())
        chunks = self.catalogue.chunks()
        index.save(self.lexical_dir, generation, chunks=chunks, vectors=self._matrix(chunks))

    def _matrix(self, chunks: list[Chunk]) -> np.ndarray:
        """Return the chunks' vectors row for row (zeros where one is missing)."""
        matrix = np.zeros((len(chunks), 384), dtype=np.float32)
        for k in range(0, len(chunks), 5000):
            part = chunks[k : k + 5000]
            got = self.vectors([c.id for c in part])
            for i, c in enumerate(part, k):
                if c.id in got:
                    matrix[i] = got[c.id]
        return matrix

    def vector_matrix(self) -> np.ndarray | None:
        """Return the snapshot's vectors (row i is `chunks_snapshot()[i]`), memory-mapped,
        or None when there is none of the catalogue's generation."""
        return load_matrix(self.lexical_dir, self.generation())

    def snapshot_columns(self) -> dict[str, Column] | None:
        """Return the snapshot's filter columns (row i is `chunks_snapshot()[i]`), or None."""
        return load_columns(self.lexical_dir, self.generation())

    def chunks_snapshot(self) -> list[Chunk] | None:
        """Return every chunk from the snapshot saved with the lexical index, or None when
        there is none or it is behind the catalogue (then read `chunks()`)."""
        return load_snapshot(self.lexical_dir, self.generation())

    def lexical_stale(self) -> bool:
        """Whether the saved BM25 index is missing or behind the catalogue."""
        return is_stale(self.lexical_dir, self.generation())

    def load_lexical(self, *, repair: bool = True) -> LexicalIndex:
        """Return the BM25 index. A writer (repair=True) rebuilds a stale one first; a reader
        takes the last saved one as it is, so queries during an ingest answer from the last
        complete state."""
        if repair and self.lexical_stale():
            self.rebuild_lexical()
        return LexicalIndex.load(self.lexical_dir)

    # --- locking --------------------------------------------------------------------------
    @contextmanager
    def writing(self, *, wait: bool = False) -> Iterator[None]:
        """Hold the ingest lock; a second writer is refused (or waits) instead of interleaving."""
        if self.read_only:
            raise ConfigError(f"{self.data_dir} is opened read-only; it cannot be written")
        handle = open(self.data_dir / "ingest.lock", "a+")  # noqa: SIM115 - held for the block
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError as exc:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise IndexLocked(
                    f"another ingest ({holder}) is writing to {self.data_dir}; "
                    "wait for it to finish, or run again with --wait"
                ) from exc
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}")
            handle.flush()
            clean_leftovers(self.lexical_dir)
            yield
        finally:
            # The kernel drops a dead holder's flock, so a stale lock file never blocks.
            handle.close()

    def writer_active(self) -> bool:
        """Whether another process holds the ingest lock now."""
        path = self.data_dir / "ingest.lock"
        if not path.exists():
            return False
        with open(path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False

    def size_bytes(self) -> int:
        """Return the bytes the index takes on disk."""
        return sum(p.stat().st_size for p in self.data_dir.rglob("*") if p.is_file())

    def close(self) -> None:
        """Close the catalogue connection."""
        self.catalogue.close()
