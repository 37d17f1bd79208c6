"""Ingest into a real store: incremental, idempotent, prunes, and survives bad files."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from assistant.status import facets
from ingest.chunk import Chunk
from ingest.embed import Embedder
from ingest.errors import IndexLocked
from ingest.pipeline import ingest_paths
from ingest.store import Store
from tests.conftest import REPORT_2022, TRANCHE_TWO


def counts(store: Store) -> tuple[int, int, int, int]:
    lexical_ids = store.load_lexical().ids
    return (
        len(store.document_hashes()),
        len(store.chunk_ids()),
        store.vectors_db.collection.count(),
        len(lexical_ids),
    )


def test_ingest_is_incremental_and_prunes(
    tmp_path: Path, corpus_copy: Path, embedder: Embedder
) -> None:
    store = Store(tmp_path / "data")
    first = ingest_paths([corpus_copy], store, embedder)
    assert len(first.added) == 5 and first.ok
    before = counts(store)
    assert before[1] == before[2] == before[3] > 300

    second = ingest_paths([corpus_copy], store, embedder)
    assert (second.chunks_embedded, len(second.unchanged)) == (0, 5)
    assert counts(store) == before

    ids_before = {c.id: c.doc_id for c in store.chunks()}
    path = corpus_copy / f"{TRANCHE_TWO}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("£6.49m", "£7.01m"), encoding="utf-8")
    vectors_before = store.vectors(sorted(store.chunk_ids()))
    third = ingest_paths([corpus_copy], store, embedder)
    assert third.updated == [TRANCHE_TWO] and len(third.unchanged) == 4
    # Only the passages holding the changed figure went to the model; the rest kept theirs.
    edited = [c for c in store.chunks(TRANCHE_TWO) if "£7.01m" in c.text]
    assert third.chunks_embedded == len(edited) and third.vectors_reused > 50
    kept = store.vectors([c.id for c in store.chunks(TRANCHE_TWO) if c not in edited])
    assert all(np.allclose(v, vectors_before[i]) for i, v in kept.items() if i in vectors_before)
    ids_after = {c.id: c.doc_id for c in store.chunks()}
    changed = {doc for i, doc in ids_before.items() if i not in ids_after}
    assert changed == {TRANCHE_TWO}
    assert counts(store)[1:] == (len(ids_after),) * 3
    assert any("£7.01m" in c.text for c in store.chunks(TRANCHE_TWO))

    # A corrected date in the manifest changes the record, not its words: nothing re-embedded.
    manifest = corpus_copy / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("2018-10-01", "2018-10-08"),
        encoding="utf-8",
    )
    redated = ingest_paths([corpus_copy], store, embedder)
    assert len(redated.updated) == 1 and redated.chunks_embedded == 0
    assert redated.vectors_reused == len(store.chunks(redated.updated[0]))
    assert {c.meeting_date for c in store.chunks(redated.updated[0])} == {"2018-10-08"}

    (corpus_copy / f"{REPORT_2022}.txt").unlink()
    pruned = ingest_paths([corpus_copy], store, embedder, prune=True)
    assert pruned.removed == [REPORT_2022]
    assert REPORT_2022 not in store.document_hashes()
    assert store.vectors_db.collection.get(where={"doc_id": REPORT_2022})["ids"] == []
    n = counts(store)
    assert n[1] == n[2] == n[3]


def bad_files(folder: Path) -> dict[str, str]:
    """Write one of each kind of bad input; return {file name: words its message must hold}."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.pdf").write_bytes(bytes(range(256)) * 40)
    good_pdf_head = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    (folder / "truncated.pdf").write_bytes(good_pdf_head + b"2 0 obj\n<< /Type /Pa")
    (folder / "notes.xyz").write_text("some notes", encoding="utf-8")
    (folder / "zero.txt").write_bytes(struct.pack("<4096x"))
    return {
        "empty.txt": "empty",
        "binary.pdf": "not a PDF",
        "truncated.pdf": "PDF",
        "notes.xyz": "unknown file type",
        "zero.txt": "binary",
    }


def test_bad_files_get_a_message_and_the_run_continues(
    tmp_path: Path, corpus_copy: Path, embedder: Embedder
) -> None:
    store = Store(tmp_path / "data")
    ingest_paths([corpus_copy], store, embedder)
    before = counts(store)
    expected = bad_files(corpus_copy)
    new = corpus_copy / "new_record.txt"
    new.write_text(
        "Title of report: Library opening hours\n\nMeeting: Cabinet\n\n"
        "Meeting date: 5 May 2023\n\nPurpose\n\n1. To extend library opening hours "
        "at Leominster library to Saturdays.\n",
        encoding="utf-8",
    )
    report = ingest_paths([corpus_copy], store, embedder)
    failed = {Path(p).name: message for p, message in report.failed}
    assert set(failed) == set(expected)
    for name, words in expected.items():
        assert name in failed[name] and words in failed[name], failed[name]
    assert report.added == ["new_record"] and len(report.unchanged) == 5
    after = counts(store)
    assert after[0] == before[0] + 1 and after[1] == after[2] == after[3] > before[1]


def test_oversize_file_is_refused_with_the_limit(tmp_path: Path, embedder: Embedder) -> None:
    big = tmp_path / "in" / "big.txt"
    big.parent.mkdir()
    line = b"1. The council noted the report on highways maintenance and drainage.\n\n"
    with big.open("wb") as handle:
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    assert big.stat().st_size > 50_000_000
    store = Store(tmp_path / "data")
    report = ingest_paths([big.parent], store, embedder, max_bytes=20_000_000)
    assert len(report.failed) == 1
    assert (
        "over the 20 MB limit" in report.failed[0][1]
        and "COUNCIL_MAX_FILE_MB" in (report.failed[0][1])
    )
    assert counts(store)[0] == 0


def test_second_writer_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    other = Store(tmp_path / "data")
    with store.writing(), pytest.raises(IndexLocked, match="another ingest"), other.writing():
        pass
    with other.writing():  # released: the next writer gets in
        pass


NEWCASTLE_WEST = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "limerick"
    / ("06-Monthly Meeting of the Municipal District of Newcastle West")
)
FULL_COUNCIL = NEWCASTLE_WEST.parent / "25-Full Meeting of Limerick City and County Council"


def test_a_misread_body_name_is_stored_as_the_usual_one(tmp_path: Path, embedder: Embedder) -> None:
    """Four meetings of one Limerick district; the last one's scan misread the district's
    name. After the ingest every stored row (record, chunks, registers, vectors' metadata,
    the snapshot readers load) names the district one way, and nothing else changed."""
    minutes = next(NEWCASTLE_WEST.glob("Minutes*.md"))
    readme = (NEWCASTLE_WEST / "README.md").read_text(encoding="utf-8")
    for i, month in enumerate(("February", "March", "April", "May")):
        folder = tmp_path / "records" / f"meeting-{i}"
        folder.mkdir(parents=True)
        text = minutes.read_text(encoding="utf-8")
        folder_readme = readme
        if month == "May":
            text = text.replace("NEWCASTLE WEST HELD IN", "NEWCASTLE WESL HELD IN")
            folder_readme = readme.replace(
                "District of Newcastle West\n", "District of Newcastle Wesl\n"
            )
        name = minutes.name.replace("February", month)
        (folder / name).write_text(text, encoding="utf-8")
        (folder / "README.md").write_text(folder_readme, encoding="utf-8")
    shutil.copytree(FULL_COUNCIL, tmp_path / "records" / FULL_COUNCIL.name)
    store = Store(tmp_path / "data")
    report = ingest_paths([tmp_path / "records"], store, embedder)

    assert report.ok and len(report.added) == 5
    usual = "Municipal District of Newcastle West"
    assert report.bodies_folded == {"Municipal District of Newcastle Wesl": usual}
    assert "1 body names shown as their usual spelling" in report.summary()
    council = "Limerick City and County Council"
    assert store.catalogue.body_counts() == {usual: 4, council: 1}
    # the app's body filter offers the body with most records first
    assert facets(store)["bodies"] == [usual, council]
    chunks = [c for c in store.chunks() if c.body != council]
    assert {c.body for c in chunks} == {usual}
    assert {d.body for d in store.decisions()} == {usual, council}
    got = store.vectors_db.collection.get(where={"body": usual}, include=[])["ids"]
    others = [c for c in store.chunks() if c.body == council]
    assert len(got) == len(chunks) == store.vectors_db.collection.count() - len(others)
    assert {c.body for c in store.chunks_snapshot() or []} == {usual, council}

    again = ingest_paths([tmp_path / "records"], store, embedder)
    assert (len(again.unchanged), again.chunks_embedded, again.bodies_folded) == (5, 0, {})
    assert store.catalogue.body_counts() == {usual: 4, council: 1}


def test_a_new_way_of_composing_the_embedded_text_re_embeds_the_passages(
    tmp_path: Path, corpus_copy: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored vectors are reused by the text they were made from, not by what the stored
    fields give under today's code: when embedding_text() changes, the passages it changes
    go to the model again, and their vectors are the new text's."""
    for other in corpus_copy.glob("*.txt"):
        if other.stem != TRANCHE_TWO:
            other.unlink()
    store = Store(tmp_path / "data")
    first = ingest_paths([corpus_copy], store, embedder)
    n = len(store.chunks(TRANCHE_TWO))
    assert first.chunks_embedded == n
    composed = Chunk.embedding_text
    monkeypatch.setattr(Chunk, "embedding_text", lambda c: "Re-read: " + composed(c))
    again = ingest_paths([corpus_copy], store, embedder)
    assert again.updated == [TRANCHE_TWO]
    assert (again.chunks_embedded, again.vectors_reused) == (n, 0)
    chunks = store.chunks(TRANCHE_TWO)
    stored = store.vectors([c.id for c in chunks])
    fresh = embedder.encode([c.embedding_text() for c in chunks])
    assert all(np.allclose(stored[c.id], v, atol=1e-5) for c, v in zip(chunks, fresh, strict=True))
