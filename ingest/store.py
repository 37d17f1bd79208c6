"""The index: a SQLite catalogue (the truth), Chroma vectors and a BM25 index kept in step.

Only this module imports chromadb. A document is replaced so that a crash at any point
leaves either its old or its new version whole: new vectors are upserted first, then the
catalogue commits in one transaction, then vectors the catalogue no longer names are removed.
Readers trust the catalogue, so stray vectors never surface.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunk import Chunk, ParsedRecord
from ingest.errors import IndexLocked
from ingest.tokens import TOKENIZER_VERSION, tokenize

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT, content_hash TEXT, meta TEXT, text TEXT,
    n_chunks INTEGER, ingested_at REAL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT, ordinal INTEGER, text TEXT, meta TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, doc_id TEXT, entry TEXT);
CREATE TABLE IF NOT EXISTS questions (id TEXT PRIMARY KEY, doc_id TEXT, entry TEXT);
"""


def date_number(iso: str) -> int:
    """Return YYYYMMDD as an int (0 when unknown), for range filters in Chroma."""
    digits = iso.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


class Store:
    """The persistent index under one data directory (or a Chroma server for vectors)."""

    def __init__(
        self, data_dir: Path, *, collection: str = "council", chroma_url: str = ""
    ) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.collection_name = collection
        self.chroma_url = chroma_url
        self.db = sqlite3.connect(
            self.data_dir / f"{collection}.sqlite3", check_same_thread=False, timeout=30
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self._collection: Any = None

    # --- Chroma ---------------------------------------------------------------------------
    @property
    def collection(self) -> Any:
        """Return the Chroma collection (cosine space, our own embeddings only)."""
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.chroma_url:
                from urllib.parse import urlparse

                url = urlparse(self.chroma_url)
                client: Any = chromadb.HttpClient(
                    host=url.hostname or "localhost",
                    port=url.port or 8000,
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                client = chromadb.PersistentClient(
                    path=str(self.data_dir / "chroma"), settings=chroma_settings
                )
            self._collection = client.get_or_create_collection(
                self.collection_name,
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        return self._collection

    def dense_query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk id, cosine similarity) of the n nearest vectors passing `where`."""
        if n <= 0:
            return []
        try:
            result = self._query(vector, n, where)
        except Exception:
            # An embedded Chroma read by one process while another writes can go stale
            # ("Error finding id"): reopen it and try once more. A server has no such limit.
            self._reopen()
            try:
                result = self._query(vector, n, where)
            except Exception:
                return []  # the caller still has the lexical ranking for this query
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def _query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> Any:
        return self.collection.query(
            query_embeddings=[vector.tolist()],
            n_results=n,
            where=where or None,
            include=["distances"],
        )

    def _reopen(self) -> None:
        """Drop the cached Chroma client so the next use reads the store afresh."""
        if not self.chroma_url:
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        self._collection = None

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors of the given chunk ids (those that have one)."""
        if not ids:
            return {}
        try:
            got = self.collection.get(ids=ids, include=["embeddings"])
        except Exception:
            self._reopen()
            return {}
        return {
            i: np.asarray(v, dtype=np.float32)
            for i, v in zip(got["ids"], got["embeddings"], strict=True)
        }

    # --- catalogue ------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        """Return {doc_id: content hash} of every stored document."""
        return dict(self.db.execute("SELECT doc_id, content_hash FROM documents"))

    def document_paths(self) -> dict[str, str]:
        """Return {doc_id: source path} of every stored document."""
        return dict(self.db.execute("SELECT doc_id, path FROM documents"))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Return one document's row (text and metadata), or None."""
        row = self.db.execute(
            "SELECT doc_id, path, content_hash, meta, text, n_chunks, ingested_at "
            "FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        keys = ("doc_id", "path", "content_hash", "meta", "text", "n_chunks", "ingested_at")
        doc = dict(zip(keys, row, strict=True))
        doc["meta"] = json.loads(doc["meta"])
        return doc

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """Return stored chunks in record order (all, or one document's)."""
        sql = "SELECT id, text, meta FROM chunks"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        sql += " ORDER BY doc_id, ordinal"
        return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in self.db.execute(sql, args)]

    def chunk_ids(self) -> set[str]:
        """Return the ids of every stored chunk."""
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def generation(self) -> int:
        """Return a number that changes whenever the catalogue changes."""
        row = self.db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def last_ingest(self) -> float:
        """Return the time of the last change (seconds since the epoch), 0 if never."""
        row = self.db.execute("SELECT MAX(ingested_at) FROM documents").fetchone()
        return float(row[0] or 0)

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO state(key, value) VALUES('generation', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(self.generation() + 1),),
        )

    # --- writing --------------------------------------------------------------------------
    def replace_document(self, record: ParsedRecord, vectors: np.ndarray) -> None:
        """Store a document's chunks and vectors in place of any earlier version."""
        old_ids = {
            r[0]
            for r in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (record.doc_id,))
        }
        new_ids = [c.id for c in record.chunks]
        if record.chunks:
            batch = 1000
            for k in range(0, len(record.chunks), batch):
                part = record.chunks[k : k + batch]
                self.collection.upsert(
                    ids=[c.id for c in part],
                    embeddings=vectors[k : k + batch].tolist(),
                    metadatas=[self._vector_meta(c) for c in part],
                )
        with self.db:
            self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (record.doc_id,))
            self.db.executemany(
                "INSERT INTO chunks(id, doc_id, ordinal, text, meta) VALUES(?, ?, ?, ?, ?)",
                [
                    (c.id, c.doc_id, c.ordinal, c.text, json.dumps(c.to_metadata()))
                    for c in record.chunks
                ],
            )
            self._write_registers(record)
            self.db.execute(
                "INSERT OR REPLACE INTO documents VALUES(?, ?, ?, ?, ?, ?, ?)",
                (
                    record.doc_id,
                    record.path,
                    record.content_hash,
                    json.dumps(asdict(record.meta)),
                    record.text,
                    len(record.chunks),
                    time.time(),
                ),
            )
            self._bump()
        stale = sorted(old_ids - set(new_ids))
        if stale:
            self.collection.delete(ids=stale)

    def delete_document(self, doc_id: str) -> None:
        """Remove a document, its chunks and its vectors."""
        with self.db:
            self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM decisions WHERE doc_id = ?", (doc_id,))
            self.db.execute("DELETE FROM questions WHERE doc_id = ?", (doc_id,))
            self._bump()
        self.collection.delete(where={"doc_id": doc_id})

    def _write_registers(self, record: ParsedRecord) -> None:
        """Replace a record's register entries (inside the caller's transaction)."""
        from ingest.registers import extract_decisions, extract_questions

        for table in ("decisions", "questions"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (record.doc_id,))
        self.db.executemany(
            "INSERT OR REPLACE INTO decisions(id, doc_id, entry) VALUES(?, ?, ?)",
            [(d.id, d.doc_id, json.dumps(d.to_json())) for d in extract_decisions(record)],
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO questions(id, doc_id, entry) VALUES(?, ?, ?)",
            [(q.id, q.doc_id, json.dumps(q.to_json())) for q in extract_questions(record)],
        )

    def decisions(self) -> list[Any]:
        """Return the decisions register, newest first, with outcomes linked across records."""
        from ingest.registers import Decision, Ref, link_outcomes

        out = []
        for (raw,) in self.db.execute("SELECT entry FROM decisions"):
            data = json.loads(raw)
            data["ref"] = Ref(**data["ref"])
            out.append(Decision(**data))
        purposes = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT doc_id, text FROM chunks WHERE json_extract(meta, '$.locator') = 'purpose'"
            )
        }
        link_outcomes(out, purposes)
        return sorted(out, key=lambda d: (d.meeting_date, d.doc_id, d.ref.char_start), reverse=True)

    def questions(self) -> list[Any]:
        """Return the public and member questions register, newest first."""
        from ingest.registers import QuestionEntry, Ref

        out = []
        for (raw,) in self.db.execute("SELECT entry FROM questions"):
            data = json.loads(raw)
            data.pop("awaiting_written_response", None)
            data["parts"] = {k: [Ref(**r) for r in v] for k, v in data["parts"].items()}
            out.append(QuestionEntry(**data))
        return sorted(
            out, key=lambda q: (q.meeting_date, q.doc_id, _question_order(q.number)), reverse=True
        )

    @staticmethod
    def _vector_meta(chunk: Chunk) -> dict[str, str | int | float | bool]:
        return {
            "doc_id": chunk.doc_id,
            "body": chunk.body,
            "doc_type": chunk.doc_type,
            "classification": chunk.classification,
            "date": date_number(chunk.meeting_date),
        }

    # --- lexical index --------------------------------------------------------------------
    @property
    def lexical_dir(self) -> Path:
        return self.data_dir / f"{self.collection_name}.bm25"

    def rebuild_lexical(self) -> None:
        """Rebuild the BM25 index from the catalogue and save it beside Chroma, atomically."""
        import bm25s

        rows = list(self.db.execute("SELECT id, text, meta FROM chunks ORDER BY doc_id, ordinal"))
        generation = self.generation()
        tmp = self.lexical_dir.with_suffix(f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        ids = [r[0] for r in rows]
        if rows:
            corpus = [tokenize(lexical_text(text, json.loads(meta))) for _, text, meta in rows]
            corpus = [tokens or ["_empty_"] for tokens in corpus]
            index = bm25s.BM25()
            index.index(corpus, show_progress=False)
            index.save(str(tmp / "bm25"))
        (tmp / "ids.json").write_text(
            json.dumps({"generation": generation, "tokenizer": TOKENIZER_VERSION, "ids": ids})
        )
        old = self.lexical_dir.with_suffix(".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.lexical_dir.exists():
            self.lexical_dir.rename(old)
        tmp.rename(self.lexical_dir)
        shutil.rmtree(old, ignore_errors=True)

    def lexical_stale(self) -> bool:
        """Whether the saved BM25 index is missing or behind the catalogue."""
        meta_path = self.lexical_dir / "ids.json"
        try:
            saved = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            return True
        return (saved.get("generation"), saved.get("tokenizer")) != (
            self.generation(),
            TOKENIZER_VERSION,
        )

    def load_lexical(self, *, repair: bool = True) -> tuple[Any, list[str]]:
        """Return (BM25 index or None, chunk ids in index order).

        A writer (repair=True) rebuilds a stale index first; a reader takes the last saved
        one as it is, so queries during an ingest answer from the last complete state.
        """
        import bm25s

        meta_path = self.lexical_dir / "ids.json"
        if repair and self.lexical_stale():
            self.rebuild_lexical()
        if not meta_path.exists():
            return None, []
        saved = json.loads(meta_path.read_text())
        if not saved["ids"]:
            return None, []
        return bm25s.BM25.load(str(self.lexical_dir / "bm25")), saved["ids"]

    # --- locking --------------------------------------------------------------------------
    @contextmanager
    def writing(self, *, wait: bool = False) -> Iterator[None]:
        """Hold the ingest lock; a second writer is refused (or waits) instead of interleaving."""
        lock_path = self.data_dir / "ingest.lock"
        handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
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
            yield
        finally:
            # The kernel drops a dead holder's flock, so a stale lock file never blocks.
            handle.close()

    def all_vector_ids(self) -> set[str]:
        """Return every id in the Chroma collection (paged)."""
        ids: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=5000, offset=offset)["ids"]
            ids.update(page)
            if len(page) < 5000:
                return ids
            offset += len(page)

    def doctor(self, *, repair: bool = False, embedder: Any = None) -> dict[str, Any]:
        """Check that the catalogue, Chroma, BM25 and the registers agree; repair if asked.

        Returns the findings (counts and ids that disagree) and what was repaired.
        """
        from ingest.chunk import RecordMeta

        catalogue = self.chunk_ids()
        vectors = self.all_vector_ids()
        saved = self.lexical_dir / "ids.json"
        lexical = set(json.loads(saved.read_text())["ids"]) if saved.exists() else set()
        docs = self.document_hashes()
        short = [
            d
            for d, n in self.db.execute(
                "SELECT d.doc_id, d.n_chunks - COUNT(c.id) FROM documents d LEFT JOIN chunks c "
                "ON c.doc_id = d.doc_id GROUP BY d.doc_id"
            )
            if n
        ]
        entries = {
            r[0]
            for r in self.db.execute(
                "SELECT doc_id FROM decisions UNION SELECT doc_id FROM questions"
            )
        }
        stale_entries = sorted(entries - set(docs))
        findings: dict[str, Any] = {
            "documents": len(docs),
            "chunks": len(catalogue),
            "vectors": len(vectors),
            "lexical": len(lexical),
            "vectors_missing": sorted(catalogue - vectors),
            "vectors_orphaned": sorted(vectors - catalogue),
            "lexical_stale": self.lexical_stale() or lexical != catalogue,
            "documents_incomplete": short,
            "register_entries_orphaned": stale_entries,
            "repaired": [],
        }
        if not repair:
            return findings
        done: list[str] = findings["repaired"]
        if findings["vectors_orphaned"]:
            self.collection.delete(ids=findings["vectors_orphaned"])
            done.append(f"removed {len(findings['vectors_orphaned'])} orphaned vectors")
        if findings["vectors_missing"]:
            if embedder is None:
                raise ValueError("repairing missing vectors needs the embedding model")
            missing = set(findings["vectors_missing"])
            chunks = [c for c in self.chunks() if c.id in missing]
            vecs = embedder.encode([c.embedding_text() for c in chunks])
            self.collection.upsert(
                ids=[c.id for c in chunks],
                embeddings=vecs.tolist(),
                metadatas=[self._vector_meta(c) for c in chunks],
            )
            done.append(f"embedded {len(chunks)} missing vectors")
        with self.db:
            for doc_id in stale_entries:
                self.db.execute("DELETE FROM decisions WHERE doc_id = ?", (doc_id,))
                self.db.execute("DELETE FROM questions WHERE doc_id = ?", (doc_id,))
            for doc_id in short:
                # A record whose chunks are not all there is dropped, so the next ingest
                # re-reads it whole (its hash no longer matches).
                self.db.execute(
                    "UPDATE documents SET content_hash = '' WHERE doc_id = ?", (doc_id,)
                )
            for doc_id in docs:
                doc = self.document(doc_id)
                if doc is None:
                    continue
                record = ParsedRecord(
                    doc_id, doc["path"], doc["text"], RecordMeta(**doc["meta"]), self.chunks(doc_id)
                )
                self._write_registers(record)
        if stale_entries or short:
            done.append(
                f"cleared {len(stale_entries)} orphaned register records; marked "
                f"{len(short)} incomplete records for re-ingest"
            )
        done.append("rebuilt the registers")
        if findings["lexical_stale"]:
            self.rebuild_lexical()
            done.append("rebuilt the BM25 index")
        return findings

    def size_bytes(self) -> int:
        """Return the bytes the index takes on disk."""
        return sum(p.stat().st_size for p in self.data_dir.rglob("*") if p.is_file())

    def close(self) -> None:
        """Close the catalogue connection."""
        self.db.close()


def _question_order(number: str) -> tuple[int, int]:
    kind, _, n = number.partition(" ")
    return (0 if kind == "MQ" else 1, -int(n) if n.isdigit() else 0)


def lexical_text(text: str, meta: dict[str, Any]) -> str:
    """Return what BM25 indexes: the quote, its locator and section (so 'PQ 4' matches) and
    its record's title (so 'the tranche two report' finds that record's paragraphs)."""
    return f"{meta.get('title', '')} {meta.get('locator', '')} {meta.get('section', '')} {text}"
