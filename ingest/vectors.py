"""The vector side of the index: a Chroma collection of our own embeddings (cosine).

The only module that imports chromadb. Chroma's default embedding function would download
a model, so the collection is made without one and is always given vectors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunk import Chunk

UPSERT_BATCH = 1000
PAGE = 5000


def date_number(iso: str) -> int:
    """Return YYYYMMDD as an int (0 when unknown), for range filters in Chroma."""
    digits = iso.replace("-", "")
    return int(digits) if len(digits) == 8 and digits.isdigit() else 0


def vector_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    """Return the few fields Chroma filters on."""
    return {
        "doc_id": chunk.doc_id,
        "body": chunk.body,
        "doc_type": chunk.doc_type,
        "classification": chunk.classification,
        "date": date_number(chunk.meeting_date),
    }


class Vectors:
    """A Chroma collection, embedded under a folder or on a Chroma server."""

    def __init__(self, folder: Path, name: str, *, url: str = "") -> None:
        self.folder = folder
        self.name = name
        self.url = url
        self._collection: Any = None

    @property
    def collection(self) -> Any:
        """Return the Chroma collection (opened on first use)."""
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            settings = ChromaSettings(anonymized_telemetry=False)
            if self.url:
                from urllib.parse import urlparse

                url = urlparse(self.url)
                client: Any = chromadb.HttpClient(
                    host=url.hostname or "localhost",
                    port=url.port or 8000,
                    ssl=url.scheme == "https",
                    settings=settings,
                )
            else:
                client = chromadb.PersistentClient(path=str(self.folder), settings=settings)
            self._collection = client.get_or_create_collection(
                self.name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )
        return self._collection

    def reopen(self) -> None:
        """Drop the cached client so the next use reads the store afresh."""
        if not self.url:
            from chromadb.api.shared_system_client import SharedSystemClient

            SharedSystemClient.clear_system_cache()
        self._collection = None

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Return (chunk id, cosine similarity) of the n nearest vectors passing `where`."""
        if n <= 0:
            return []

        def run() -> Any:
            return self.collection.query(
                query_embeddings=[vector.tolist()],
                n_results=n,
                where=where or None,
                include=["distances"],
            )

        try:
            result = run()
        except Exception:
            # An embedded Chroma read by one process while another writes can go stale
            # ("Error finding id"): reopen it and try once more. A server has no such limit.
            self.reopen()
            try:
                result = run()
            except Exception:
                return []  # the caller still has the lexical ranking for this query
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else []
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]

    def get(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Return the stored vectors of the given chunk ids (those that have one)."""
        if not ids:
            return {}
        try:
            got = self.collection.get(ids=ids, include=["embeddings"])
        except Exception:
            self.reopen()
            return {}
        return {
            i: np.asarray(v, dtype=np.float32)
            for i, v in zip(got["ids"], got["embeddings"], strict=True)
        }

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Store the chunks' vectors (replacing any with the same ids)."""
        for k in range(0, len(chunks), UPSERT_BATCH):
            part = chunks[k : k + UPSERT_BATCH]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[k : k + UPSERT_BATCH].tolist(),
                metadatas=[vector_metadata(c) for c in part],
            )

    def update_metadata(self, chunks: list[Chunk]) -> None:
        """Store the chunks' metadata again (their vectors are unchanged)."""
        for k in range(0, len(chunks), UPSERT_BATCH):
            part = chunks[k : k + UPSERT_BATCH]
            self.collection.update(
                ids=[c.id for c in part], metadatas=[vector_metadata(c) for c in part]
            )

    def delete(self, ids: list[str] | None = None, *, doc_id: str = "") -> None:
        """Remove vectors by id, or every vector of a document."""
        if ids:
            self.collection.delete(ids=ids)
        elif doc_id:
            self.collection.delete(where={"doc_id": doc_id})

    def all_ids(self) -> set[str]:
        """Return every id in the collection (paged)."""
        ids: set[str] = set()
        offset = 0
        while True:
            page = self.collection.get(include=[], limit=PAGE, offset=offset)["ids"]
            ids.update(page)
            if len(page) < PAGE:
                return ids
            offset += len(page)
