"""An archive's ingest: progress, stopping and resuming, the fast-loading snapshot, and the
ONNX model giving the same vectors as sentence-transformers."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieve import Retriever
from ingest.embed import Embedder
from ingest.pipeline import Tally, ingest_paths
from ingest.store import Store
from tests.conftest import CORPUS, DATA


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Two councils' records in one folder tree: the seeds and Limerick's minutes."""
    root = tmp_path / "archive"
    shutil.copytree(CORPUS, root / "herefordshire")
    shutil.copytree(DATA / "limerick", root / "limerick")
    return root


def test_progress_counts_records_and_chunks(
    archive: Path, tmp_path: Path, embedder: Embedder
) -> None:
    seen: list[Tally] = []
    report = ingest_paths([archive], Store(tmp_path / "data"), embedder, on_tally=seen.append)
    assert report.ok and len(report.added) == 7
    assert [t.records for t in seen] == sorted(t.records for t in seen)  # never goes back
    assert seen[-1].records == seen[-1].total == 7
    assert seen[-1].chunks == report.chunks_embedded > 0 and seen[-1].rate > 0
    assert any(0 < t.chunks < report.chunks_embedded for t in seen)  # stored as it goes


def test_a_stopped_ingest_keeps_what_it_finished_and_resumes(
    archive: Path, tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.pipeline.EMBED_BATCH", 1)  # a batch per record

    def stop_after_three(t: Tally) -> None:
        if t.records == 3:
            raise KeyboardInterrupt

    store = Store(tmp_path / "data")
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([archive], store, embedder, on_tally=stop_after_three)
    kept = store.document_hashes()
    assert 1 <= len(kept) < 7
    assert not store.lexical_stale()  # what was stored can be asked at once
    assert Retriever(store, embedder).search("children's services").hits
    report = ingest_paths([archive], store, embedder)
    assert set(report.unchanged) == set(kept) and len(report.added) == 7 - len(kept)
    fresh = Store(tmp_path / "fresh")
    ingest_paths([archive], fresh, embedder)
    assert store.chunk_ids() == fresh.chunk_ids()  # nothing lost, nothing twice
    assert store.vectors_db.all_ids() == fresh.vectors_db.all_ids()


def test_the_snapshot_is_the_catalogue_and_goes_stale_with_it(
    archive: Path, tmp_path: Path, embedder: Embedder
) -> None:
    store = Store(tmp_path / "data")
    ingest_paths([archive / "limerick"], store, embedder)
    assert store.chunks_snapshot() == store.chunks()
    store.delete_document(store.chunks()[0].doc_id)
    assert store.chunks_snapshot() is None  # behind the catalogue: not used
    assert len(Retriever(store, embedder).chunks) == len(store.chunks())
    ingest_paths([archive / "limerick"], store, embedder)
    assert store.chunks_snapshot() == store.chunks()
    assert len({c.doc_id for c in store.chunks()}) == 2


def test_the_onnx_model_gives_sentence_transformers_vectors(embedder: Embedder) -> None:
    texts = [p for p in (CORPUS / "002_9fa7507ced00a622.txt").read_text().split("\n\n") if p][:40]
    onnx = Embedder(backend="onnx").encode(texts)
    torch = Embedder(backend="torch").encode(texts)
    cosine = (onnx * torch).sum(axis=1)
    assert cosine.min() > 0.9999, cosine.min()
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1, atol=1e-5)


def test_an_unknown_embedder_is_named() -> None:
    with pytest.raises(ValueError, match="unknown embedder 'gpu'"):
        Embedder(backend="gpu")
