"""The lexical side of the index: BM25 over chunk text, saved beside Chroma.

The only module that imports bm25s. The saved index carries the catalogue generation and
the tokenizer version it was built from, so a stale one is known as such.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from ingest.chunk import Chunk
from ingest.tokens import TOKENIZER_VERSION, tokenize


def lexical_text(text: str, meta: dict[str, Any]) -> str:
    """Return what BM25 indexes: the quote, its locator and section (so 'PQ 4' matches) and
    its record's title (so 'the tranche two report' finds that record's paragraphs)."""
    return f"{meta.get('title', '')} {meta.get('locator', '')} {meta.get('section', '')} {text}"


# The chunk fields search filters read, saved as arrays with the snapshot.
COLUMNS = ("classification", "body", "doc_type", "doc_id", "meeting_date")


class LexicalIndex:
    """A BM25 index and the chunk ids in its row order."""

    def __init__(self, index: Any, ids: list[str], doc_freq: dict[str, int] | None = None) -> None:
        self.index = index
        self.ids = ids
        self.doc_freq = doc_freq or {}  # term -> rows holding it, for IDF-weighted coverage

    @classmethod
    def build(cls, rows: list[tuple[str, str, dict[str, Any]]]) -> LexicalIndex:
        """Return an index of (chunk id, text, metadata) rows."""
        import bm25s

        if not rows:
            return cls(None, [])
        corpus = [tokenize(lexical_text(text, meta)) or ["_empty_"] for _, text, meta in rows]
        doc_freq: dict[str, int] = {}
        for terms in corpus:
            for t in set(terms):
                doc_freq[t] = doc_freq.get(t, 0) + 1
        index = bm25s.BM25()
        index.index(corpus, show_progress=False)
        return cls(index, [r[0] for r in rows], doc_freq)

    def scores(self, tokens: list[str]) -> Any:
        """Return the BM25 score of every row for the query's tokens."""
        return self.index.get_scores(tokens)

    def save(
        self,
        folder: Path,
        generation: int,
        *,
        chunks: list[Chunk] | None = None,
        vectors: np.ndarray | None = None,
    ) -> None:
        """Write the index to folder atomically (a reader sees the old or the new one), with
        the catalogue's chunks and their vectors (row for row) as a snapshot when given."""
        tmp = folder.with_suffix(f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.index is not None:
            self.index.save(str(tmp / "bm25"))
        stamp = {"generation": generation, "tokenizer": TOKENIZER_VERSION, "ids": self.ids}
        (tmp / "ids.json").write_text(json.dumps(stamp))
        (tmp / "doc_freq.json").write_text(json.dumps(self.doc_freq))
        if chunks is not None:
            with open(tmp / "chunks.pickle", "wb") as out:
                pickle.dump((generation, chunks), out, protocol=pickle.HIGHEST_PROTOCOL)
        if chunks is not None:
            for name, (values, codes) in encode_columns(chunks).items():
                np.save(tmp / f"{name}.{generation}.npy", codes)
                (tmp / f"{name}.{generation}.json").write_text(json.dumps(values.tolist()))
        if chunks is not None and vectors is not None and len(vectors) == len(chunks):
            np.save(tmp / f"vectors.{generation}.npy", np.ascontiguousarray(vectors, np.float32))
        old = folder.with_suffix(".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Return the saved index (empty if none is saved)."""
        import bm25s

        saved = read_stamp(folder)
        if not saved or not saved.get("ids"):
            return cls(None, [])
        try:
            doc_freq = json.loads((folder / "doc_freq.json").read_text())
        except (OSError, ValueError):
            doc_freq = {}  # saved before term counts were kept: the retriever counts them
        index = bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
        return cls(index, saved["ids"], doc_freq)


def load_snapshot(folder: Path, generation: int) -> list[Chunk] | None:
    """Return the chunks saved with the index if they are of this generation, else None.
    (A pickle of our own data, written only by an ingest into this data folder.)"""
    try:
        with open(folder / "chunks.pickle", "rb") as f:
            saved, chunks = pickle.load(f)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
        return None
    return chunks if saved == generation and isinstance(chunks, list) else None


Column = tuple[np.ndarray, np.ndarray]  # (distinct values, each row's index into them)


def encode_columns(chunks: list[Chunk]) -> dict[str, Column]:
    """Return the filter columns of the chunks, each as its distinct values and row codes
    (a long body name is stored once, not once per row)."""
    out = {}
    for name in COLUMNS:
        values, codes = np.unique([getattr(c, name) for c in chunks], return_inverse=True)
        out[name] = (values.astype(str), codes.astype(np.int32))
    return out


def load_columns(folder: Path, generation: int) -> dict[str, Column] | None:
    """Return the snapshot's filter columns (body, type, ...) if they are of this generation."""
    try:
        return {
            n: (
                np.array(json.loads((folder / f"{n}.{generation}.json").read_text()), dtype=str),
                np.load(folder / f"{n}.{generation}.npy"),
            )
            for n in COLUMNS
        }
    except (OSError, ValueError):
        return None


def load_matrix(folder: Path, generation: int) -> np.ndarray | None:
    """Return the snapshot's vectors, memory-mapped, if they are of this generation."""
    try:
        return np.load(folder / f"vectors.{generation}.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None


def read_stamp(folder: Path) -> dict[str, Any]:
    """Return the saved index's stamp (generation, tokenizer, ids), or {}."""
    try:
        data = json.loads((folder / "ids.json").read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def is_stale(folder: Path, generation: int) -> bool:
    """Whether the saved index is missing or behind the catalogue."""
    saved = read_stamp(folder)
    return (saved.get("generation"), saved.get("tokenizer")) != (generation, TOKENIZER_VERSION)


def clean_leftovers(folder: Path) -> list[Path]:
    """Remove temporary index folders a killed writer left behind; return what was removed."""
    removed = []
    for stray in folder.parent.glob(folder.name.rsplit(".", 1)[0] + ".tmp*"):
        pid = stray.suffix.removeprefix(".tmp")
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another writer's, still at work
        shutil.rmtree(stray, ignore_errors=True)
        removed.append(stray)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
