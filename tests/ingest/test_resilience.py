"""Ingest that loses nothing: killed mid-run, queried mid-run, repaired, on a Chroma server."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.doctor import doctor
from ingest.embed import Embedder
from ingest.settings import Settings
from ingest.store import Store
from tests.conftest import CORPUS, TRANCHE_TWO, free_port


def corpus_with_variants(folder: Path, variants: int = 6) -> Path:
    """Return a folder of the seeds plus variants of them (new names, changed figures)."""
    folder.mkdir()
    for seed in sorted(CORPUS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    small = (CORPUS / "001_e95ac735ff5be21a.txt").read_text(encoding="utf-8")
    for n in range(variants):
        text = re.sub(r"25 October 2018", f"{n + 1} November 2019", small)
        (folder / f"variant_{n}.txt").write_text(f"Variant {n}\n\n{text}", encoding="utf-8")
    return folder


def ingest_process(data: Path, records: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COUNCIL_DATA_DIR": str(data)}
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "ingest", str(records)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stored_documents(data: Path) -> int:
    path = data / "council.sqlite3"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def assert_whole(data: Path) -> None:
    """Every stored record is whole: all its chunks, each with a vector."""
    store = Store(data)
    found = doctor(store)
    assert not found["documents_incomplete"] and not found["vectors_missing"], found
    store.close()


def test_killed_ingests_lose_nothing(tmp_path: Path) -> None:
    records = corpus_with_variants(tmp_path / "records")
    data = tmp_path / "data"
    for kill_at in (1, 4, 8):  # kill once this many records are stored
        proc = ingest_process(data, records)
        deadline = time.time() + 240
        while stored_documents(data) < kill_at and proc.poll() is None:
            assert time.time() < deadline, "ingest made no progress"
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
        assert_whole(data)
    final = ingest_process(data, records)
    assert final.wait(timeout=300) == 0  # the lock the killed runs held is not in the way
    store = Store(data)
    found = doctor(store)
    assert found["documents"] == 11
    assert found["chunks"] == found["vectors"] == found["lexical"]
    assert not found["vectors_orphaned"] and not found["lexical_stale"]


def test_queries_answer_while_an_ingest_runs(
    tmp_path: Path, seed_dir: Path, seed_assistant: Assistant, embedder: Embedder
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(seed_dir, data)
    records = corpus_with_variants(tmp_path / "records", variants=4)
    assistant = Assistant(Settings(data_dir=data), store=Store(data), embedder=embedder)
    proc = ingest_process(data, records)
    answered = 0
    try:
        while proc.poll() is None or answered < 3:
            answer = assistant.ask("What did cabinet decide about tranche two funding?")
            assert not answer.abstained and "6.49m" in answer.text
            doc = assistant.store.document(TRANCHE_TWO)
            assert doc is not None
            for c in answer.citations:
                text = assistant.store.document(c.doc_id)["text"]  # type: ignore[index]
                assert text[c.char_start : c.char_end] == c.quote
            answered += 1
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0 and answered >= 3
    assistant.retriever.refresh()
    # The copies of the seeds are the same records (same names and text): not duplicated.
    assert len(assistant.store.document_hashes()) == 9


def test_doctor_finds_and_repairs(
    tmp_path: Path, seed_dir: Path, seed_assistant: Assistant, embedder: Embedder
) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(seed_dir, data)
    store = Store(data)
    victim = store.chunks(TRANCHE_TWO)[3]
    store.vectors_db.collection.delete(ids=[victim.id])
    store.vectors_db.collection.upsert(
        ids=["stray::vector"], embeddings=[[0.1] * 384], metadatas=[{"doc_id": "gone"}]
    )
    with store.catalogue.db:
        store.catalogue.db.execute("DELETE FROM decisions WHERE doc_id = ?", (TRANCHE_TWO,))
        store.catalogue.db.execute(
            "INSERT INTO state VALUES('generation', '999') "
            "ON CONFLICT(key) DO UPDATE SET value = '999'"
        )
    found = doctor(store)
    assert found["vectors_missing"] == [victim.id]
    assert found["vectors_orphaned"] == ["stray::vector"] and found["lexical_stale"]
    doctor(store, repair=True, embedder=embedder)
    again = doctor(store)
    assert not again["vectors_missing"] and not again["vectors_orphaned"]
    assert not again["lexical_stale"]
    assert any(d.doc_id == TRANCHE_TWO for d in store.decisions())


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = Path(sys.executable).with_name("chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the Chroma server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ingest_and_ask_on_a_chroma_server(
    tmp_path: Path, chroma_server: str, embedder: Embedder
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    for name in ("002_9fa7507ced00a622.txt", "003_1b0338201f812a34.txt"):
        (records / name).write_bytes((CORPUS / name).read_bytes())
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server)
    assistant = Assistant(settings, embedder=embedder)
    first = assistant.ingest([records])
    assert first.ok and len(first.added) == 2
    assert assistant.store.vectors_db.collection.count() == len(assistant.store.chunk_ids())
    assert assistant.ingest([records]).chunks_embedded == 0
    answer = assistant.ask("What is being done about domestic abuse specialists in the MASH?")
    assert any(c.locator.startswith("PQ 4 response") for c in answer.citations)
    answer = assistant.ask("What did cabinet decide about tranche two funding?")
    assert "6.49m" in answer.text
    assert not doctor(assistant.store)["vectors_orphaned"]


def test_settings_pick_the_server(tmp_path: Path) -> None:
    store = Store(tmp_path, chroma_url="http://127.0.0.1:9")
    with pytest.raises(Exception, match="(?i)connect"):
        _ = store.vectors_db.collection  # the server named, not an embedded store
    assert not (tmp_path / "chroma").exists()


def test_thousands_of_pages_pdf_in_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    from fpdf import FPDF

    from ingest.parse import parse_file

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=10)
    words = ("highways", "drainage", "libraries", "parking", "schools", "housing", "waste")
    areas = ("north", "south", "east", "west")
    for page in range(1, 2001):
        pdf.add_page()
        # Varied lines: a line repeated on most pages would rightly be dropped as a header.
        topic = " and ".join(words[(page + k) % len(words)] for k in range(page % 3 + 1))
        pdf.text(15, 20, f"{page}. The committee considered {topic} for the {areas[page % 4]}.")
        pdf.text(100, 290, str(page))
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    tracemalloc.start()
    record = parse_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(record.chunks) >= 2000
    assert record.chunks[-1].page == 2000
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MB"  # ~30x the text, not the file


def test_a_restored_backup_answers_the_same(
    tmp_path: Path, seed_dir: Path, seed_assistant: Assistant, embedder: Embedder
) -> None:
    import shutil

    backup = tmp_path / "restored"
    shutil.copytree(seed_dir, backup)  # what docs/operations.md tells an IT team to copy
    restored = Assistant(Settings(data_dir=backup), store=Store(backup), embedder=embedder)
    assert not doctor(restored.store)["vectors_missing"]
    for question in (
        "What did cabinet decide about tranche two funding?",
        "Who chairs the Children's Improvement Board?",
    ):
        a, b = seed_assistant.ask(question), restored.ask(question)
        assert a.text == b.text
        assert [(c.doc_id, c.locator) for c in a.citations] == [
            (c.doc_id, c.locator) for c in b.citations
        ]
