"""The catalogue: SQLite holds the truth about what is indexed (records, chunks, registers).

Chroma and the BM25 index are kept in step with it; readers trust it, so a vector or an
index entry the catalogue does not name never surfaces.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ingest.chunk import Chunk, ParsedRecord
from ingest.registers import (
    Decision,
    QuestionEntry,
    Ref,
    extract_decisions,
    extract_questions,
    link_outcomes,
)

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
DOCUMENT_KEYS = ("doc_id", "path", "content_hash", "meta", "text", "n_chunks", "ingested_at")


class Catalogue:
    """One SQLite file: documents, chunks, registers and a generation counter."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        if read_only:
            self.db = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, check_same_thread=False, timeout=30
            )
        else:
            self.db = sqlite3.connect(path, check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(SCHEMA)

    # --- reading --------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, str]:
        """Return {doc_id: content hash} of every stored document."""
        return dict(self.db.execute("SELECT doc_id, content_hash FROM documents"))

    def document_paths(self) -> dict[str, str]:
        """Return {doc_id: source path} of every stored document."""
        return dict(self.db.execute("SELECT doc_id, path FROM documents"))

    def document(self, doc_id: str) -> dict[str, Any] | None:
        """Return one document's row (text and metadata), or None."""
        row = self.db.execute(
            f"SELECT {', '.join(DOCUMENT_KEYS)} FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        doc = dict(zip(DOCUMENT_KEYS, row, strict=True))
        doc["meta"] = json.loads(doc["meta"])
        return doc

    def document_facts(self) -> list[dict[str, str]]:
        """Return every document's id, body, type and meeting date (what the app's counts and
        filters read): saved once per change of the catalogue by the ingest that made it
        (`save_summary`), else read now."""
        saved = self._summary()
        return list(saved["docs"]) if saved else self._document_facts()

    def _document_facts(self) -> list[dict[str, str]]:
        fields = ("body", "doc_type", "meeting_date")
        sql = "SELECT doc_id, " + ", ".join(f"json_extract(meta, '$.{f}')" for f in fields)
        return [
            {"doc_id": d, **{f: v or "" for f, v in zip(fields, rest, strict=True)}}
            for d, *rest in self.db.execute(sql + " FROM documents")
        ]

    def class_counts(self) -> dict[str, dict[str, int]]:
        """Return each document's chunk counts by classification (saved like
        `document_facts`, else counted now)."""
        saved = self._summary()
        return dict(saved["by_doc"]) if saved else self._count_classes()

    def _summary(self) -> dict[str, Any] | None:
        row = self.db.execute("SELECT value FROM state WHERE key = 'summary'").fetchone()
        if row:
            saved = json.loads(row[0])
            if saved.get("generation") == self.generation():
                return dict(saved)
        return None

    def _count_classes(self) -> dict[str, dict[str, int]]:
        by_doc: dict[str, dict[str, int]] = {}
        for doc_id, cls, n in self.db.execute(
            "SELECT doc_id, json_extract(meta, '$.classification'), COUNT(*) FROM chunks "
            "GROUP BY 1, 2"
        ):
            by_doc.setdefault(doc_id, {})[cls or "Open"] = n
        return by_doc

    def save_summary(self) -> None:
        """Save the chunk counts by document and classification and every document's body,
        type and date for this generation (the app's counts and filter values then cost
        no pass over the chunks or the documents' texts)."""
        value = json.dumps(
            {
                "generation": self.generation(),
                "by_doc": self._count_classes(),
                "docs": self._document_facts(),
            }
        )
        with self.db:
            self.db.execute(
                "INSERT INTO state(key, value) VALUES('summary', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (value,),
            )

    def chunks(self, doc_id: str | None = None) -> list[Chunk]:
        """Return stored chunks in record order (all, or one document's)."""
        sql = "SELECT id, text, meta FROM chunks"
        args: tuple[str, ...] = ()
        if doc_id is not None:
            sql += " WHERE doc_id = ?"
            args = (doc_id,)
        sql += " ORDER BY doc_id, ordinal"
        return [Chunk.from_metadata(i, t, json.loads(m)) for i, t, m in self.db.execute(sql, args)]

    def chunk_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Return (id, text, metadata) of every chunk in record order."""
        rows = self.db.execute("SELECT id, text, meta FROM chunks ORDER BY doc_id, ordinal")
        return [(i, t, json.loads(m)) for i, t, m in rows]

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

    def incomplete_documents(self) -> list[str]:
        """Return ids of documents whose chunks are not all stored."""
        rows = self.db.execute(
            "SELECT d.doc_id, d.n_chunks - COUNT(c.id) FROM documents d LEFT JOIN chunks c "
            "ON c.doc_id = d.doc_id GROUP BY d.doc_id"
        )
        return [d for d, n in rows if n]

    def register_doc_ids(self) -> set[str]:
        """Return the ids of documents that have register entries."""
        rows = self.db.execute("SELECT doc_id FROM decisions UNION SELECT doc_id FROM questions")
        return {r[0] for r in rows}

    def decisions(self) -> list[Decision]:
        """Return the decisions register, newest first, with outcomes linked across records."""
        out = []
        for (raw,) in self.db.execute("SELECT entry FROM decisions"):
            data = json.loads(raw)
            data["ref"] = Ref(**data["ref"])
            out.append(Decision(**data))
        purposes = dict(
            self.db.execute(
                "SELECT doc_id, text FROM chunks WHERE json_extract(meta, '$.locator') = 'purpose'"
            )
        )
        link_outcomes(out, purposes)
        return sorted(out, key=lambda d: (d.meeting_date, d.doc_id, d.ref.char_start), reverse=True)

    def questions(self) -> list[QuestionEntry]:
        """Return the public and member questions register, newest first."""
        out = []
        for (raw,) in self.db.execute("SELECT entry FROM questions"):
            data = json.loads(raw)
            data.pop("awaiting_written_response", None)
            data["parts"] = {k: [Ref(**r) for r in v] for k, v in data["parts"].items()}
            out.append(QuestionEntry(**data))
        return sorted(
            out, key=lambda q: (q.meeting_date, q.doc_id, _question_order(q.number)), reverse=True
        )

    # --- writing --------------------------------------------------------------------------
    def chunk_ids_of(self, doc_id: str) -> set[str]:
        """Return the ids of one document's chunks."""
        return {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))}

    def write(self, record: ParsedRecord) -> None:
        """Store a record's row, chunks and register entries in one transaction."""
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

    def body_counts(self) -> dict[str, int]:
        """Return {body name: number of records} over every stored document."""
        sql = "SELECT json_extract(meta, '$.body'), COUNT(*) FROM documents GROUP BY 1"
        return {body or "": n for body, n in self.db.execute(sql)}

    def rename_bodies(self, names: dict[str, str]) -> list[Chunk]:
        """Show each body name in `names` as the name it maps to, in every stored row (the
        record, its chunks and its register entries); return the chunks renamed."""
        if not names:
            return []
        marks = ", ".join("?" * len(names))
        docs = [
            doc_id
            for (doc_id,) in self.db.execute(
                f"SELECT doc_id FROM documents WHERE json_extract(meta, '$.body') IN ({marks})",
                tuple(names),
            )
        ]
        renamed: list[Chunk] = []
        with self.db:
            for doc_id in docs:
                for table, key, column in (
                    ("documents", "doc_id", "meta"),
                    ("chunks", "id", "meta"),
                    ("decisions", "id", "entry"),
                    ("questions", "id", "entry"),
                ):
                    rows = self.db.execute(
                        f"SELECT {key}, {column} FROM {table} WHERE doc_id = ?", (doc_id,)
                    ).fetchall()
                    for row_id, value in rows:
                        data = json.loads(value)
                        if data.get("body") in names:
                            data["body"] = names[data["body"]]
                            self.db.execute(
                                f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                                (json.dumps(data), row_id),
                            )
                renamed.extend(self.chunks(doc_id))
            if docs:
                self._bump()
        return renamed

    def delete(self, doc_id: str) -> None:
        """Remove a document, its chunks and its register entries."""
        with self.db:
            for table in ("chunks", "documents", "decisions", "questions"):
                self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
            self._bump()

    def forget_hash(self, doc_id: str) -> None:
        """Make the next ingest re-read a document whole (its hash no longer matches)."""
        with self.db:
            self.db.execute("UPDATE documents SET content_hash = '' WHERE doc_id = ?", (doc_id,))

    def rewrite_registers(self, doc_ids: list[str]) -> None:
        """Rebuild the register entries of documents from their stored chunks."""
        from ingest.chunk import RecordMeta

        with self.db:
            for doc_id in doc_ids:
                doc = self.document(doc_id)
                if doc is None:
                    for table in ("decisions", "questions"):
                        self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
                    continue
                meta = RecordMeta(**{**doc["meta"], "inferred": tuple(doc["meta"]["inferred"])})
                record = ParsedRecord(doc_id, doc["path"], doc["text"], meta, self.chunks(doc_id))
                self._write_registers(record)

    def _write_registers(self, record: ParsedRecord) -> None:
        """Replace a record's register entries (inside the caller's transaction)."""
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

    def _bump(self) -> None:
        self.db.execute(
            "INSERT INTO state(key, value) VALUES('generation', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(self.generation() + 1),),
        )

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


def _question_order(number: str) -> tuple[int, int]:
    kind, _, n = number.partition(" ")
    return (0 if kind == "MQ" else 1, -int(n) if n.isdigit() else 0)
