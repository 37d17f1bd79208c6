"""Bad settings and inputs: one line naming the setting or input and what to do, never a
traceback; nothing already stored is lost or duplicated."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from assistant.service import Assistant
from assistant.uploads import add_uploads, check_upload, may_upload
from cli.main import app
from ingest.doctor import doctor, problems
from ingest.embed import Embedder
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.store import Store
from tests.conftest import DATA

QUESTION = "What did cabinet decide about tranche two funding?"


@pytest.fixture()
def data(seed_dir: Path, seed_assistant: Assistant, tmp_path: Path) -> Path:
    """Return a writable copy of the seed index."""
    target = tmp_path / "data"
    shutil.copytree(seed_dir, target)
    return target


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("COUNCIL_AUDIENCE", "admin", "public, member or officer"),
        ("COUNCIL_MAX_FILE_MB", "abc", "COUNCIL_MAX_FILE_MB='abc' is not valid"),
        ("COUNCIL_USERS", "notjson", "COUNCIL_USERS could not be read"),
        ("COUNCIL_ANSWERER", "gpt", "extractive or llm"),
    ],
)
def test_a_bad_setting_is_named(data: Path, name: str, value: str, words: str) -> None:
    code, output = run("ask", QUESTION, env={"COUNCIL_DATA_DIR": str(data), name: value})
    assert code == 2
    assert words in output and "Traceback" not in output
    assert output.count("\n") == 1


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    bogus = tmp_path / "index"
    bogus.write_text("not a folder")
    code, output = run("status", env={"COUNCIL_DATA_DIR": str(bogus)})
    assert code == 2 and "is a file, not a folder" in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_read_only_data_dir_still_answers(data: Path) -> None:
    for path in [data, *data.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        code, output = run("ask", QUESTION, "--json", env={"COUNCIL_DATA_DIR": str(data)})
        assert code == 0 and json.loads(output)["citations"]
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


def test_a_read_only_store_opens_for_reading(data: Path) -> None:
    store = Store(data, read_only=True)
    assert store.document_hashes() and store.chunks()
    with pytest.raises(Exception, match="read-only"), store.writing():
        pass


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("draft-reply", ""), "the question is empty"),
        (("draft-reply", "   "), "the question is empty"),
        (("decisions", "--since", "last year"), "is not a date: use YYYY-MM-DD"),
        (("brief", "Ofsted", "--until", "2022-13-45"), "is not a date: use YYYY-MM-DD"),
        (("ask", "   "), "the question is empty"),
    ],
)
def test_a_bad_input_is_named(data: Path, args: tuple[str, ...], words: str) -> None:
    code, output = run(*args, env={"COUNCIL_DATA_DIR": str(data)})
    assert code == 2 and words in output and "Traceback" not in output


def test_a_history_entry_that_is_not_text(data: Path, tmp_path: Path) -> None:
    history = tmp_path / "turns.json"
    history.write_text(json.dumps([{"role": "user", "content": {"text": "hi"}}]))
    code, output = run(
        "ask", "And 2018?", "--history", str(history), env={"COUNCIL_DATA_DIR": str(data)}
    )
    assert code == 2 and "--history" in output and '"content": "..."' in output


def test_an_encrypted_pdf_is_called_encrypted(tmp_path: Path, embedder: Embedder) -> None:
    reader = PdfReader(str(DATA / "kent" / "19 December 2024 - County Council minutes.pdf"))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt("s3cret")
    locked = tmp_path / "records" / "locked.pdf"
    locked.parent.mkdir()
    with open(locked, "wb") as f:
        writer.write(f)
    report = ingest_paths([locked.parent], Store(tmp_path / "data"), embedder)
    ((path, message),) = report.failed
    assert path == str(locked) and "encrypted" in message and "damaged" not in message


def test_angle_brackets_in_plain_text_are_kept(tmp_path: Path, embedder: Embedder) -> None:
    record = tmp_path / "records" / "waits.txt"
    record.parent.mkdir()
    record.write_text(
        "Title of report: Waiting times\n\nMeeting: Cabinet\n\n1. The share waiting <5 days "
        "rose, while those waiting >10 days fell.\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "data")
    assert ingest_paths([record.parent], store, embedder).ok
    assert any(
        "waiting <5 days rose, while those waiting >10 days" in c.text for c in store.chunks()
    )


def test_files_whose_names_map_to_one_id_are_all_kept(tmp_path: Path, embedder: Embedder) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    for n, name in enumerate(("minutes 1.txt", "minutes_1.txt", "minutes+1.txt")):
        (folder / name).write_text(
            f"Title of report: Report {n}\n\nMeeting: Cabinet\n\n1. Item number {n} was agreed.\n",
            encoding="utf-8",
        )
    store = Store(tmp_path / "data")
    report = ingest_paths([folder], store, embedder)
    assert report.ok and len(report.added) == 3 and len(set(report.added)) == 3
    assert sum("another file has the id 'minutes_1'" in w for w in report.warnings) == 2
    again = ingest_paths([folder], store, embedder)  # a second run keeps the same ids
    assert sorted(again.unchanged) == sorted(report.added) and not again.added


def test_uploads_need_an_officer(tmp_path: Path) -> None:
    assert may_upload("officer", users_configured=True, allow_anonymous=False)[0]
    allowed, reason = may_upload("public", users_configured=True, allow_anonymous=False)
    assert not allowed and "signed-in officer" in reason
    allowed, reason = may_upload("public", users_configured=False, allow_anonymous=False)
    assert not allowed and "switched off" in reason
    assert may_upload("public", users_configured=False, allow_anonymous=True)[0]


def test_an_upload_is_checked_on_its_expanded_size() -> None:
    bomb = BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:t>" + "a" * 77_000_000 + "</w:t>")
    data = bomb.getvalue()
    assert len(data) < 1_000_000
    problem = check_upload("minutes.docx", data, max_bytes=5_000_000)
    assert "expand to 77 MB" in problem and problem.startswith("minutes.docx")
    assert "20 MB limit" in check_upload("big.pdf", b"%PDF" + b"x" * 21_000_000, 20_000_000)


def test_upload_messages_name_the_file_not_the_server(data: Path, embedder: Embedder) -> None:
    assistant = Assistant(Settings(data_dir=data), store=Store(data), embedder=embedder)
    outcome = add_uploads(
        assistant,
        [
            ("broken.pdf", b"this is not a pdf"),
            (
                "../../etc/notes.txt",
                b"Title of report: Bus shelters\n\nMeeting: Cabinet\n\n"
                b"1. Twelve bus shelters will be replaced.\n",
            ),
        ],
    )
    assert outcome.message == "1 record added: ../../etc/notes.txt."
    ((problem),) = outcome.refused
    assert problem.startswith("broken.pdf: not a PDF") and str(data) not in problem
    assert (data / "uploads" / "notes.txt").exists()  # saved inside the uploads folder only


def test_prune_removes_vectors_a_killed_ingest_left(data: Path, embedder: Embedder) -> None:
    store = Store(data)
    store.vectors_db.upsert(
        [store.chunks()[0].__class__(**{**store.chunks()[0].__dict__, "id": "ghost::x::1"})],
        embedder.encode(["a ghost"]),
    )
    stray = data / "council.tmp999999"
    stray.mkdir()
    assert "ghost::x::1" in store.vectors_db.all_ids()
    report = ingest_paths([Path("/nonexistent-folder")], store, embedder, prune=True)
    assert "ghost::x::1" not in store.vectors_db.all_ids()
    assert any("1 vectors no record owns" in w for w in report.warnings)
    assert not stray.exists()  # a dead writer's temporary index folder is cleaned


def test_doctor_raises_no_alarm_while_an_ingest_runs(data: Path) -> None:
    store = Store(data)
    other = Store(data)
    with store.writing():
        store.catalogue.forget_hash(next(iter(store.document_hashes())))
        store.vectors_db.delete(["not-there"])
        found = doctor(other)
        assert found["writer_active"] and problems(found) == []
    assert not doctor(other)["writer_active"]


def test_a_bad_manifest_refuses_every_record_of_its_folder(
    tmp_path: Path, embedder: Embedder
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(
            "Title of report: Depot lease\n\nMeeting: Cabinet\n\n1. The lease is renewed.\n",
            encoding="utf-8",
        )
    (folder / "manifest.yaml").write_text(
        "records:\n  a.txt:\n    classification: Exempt\n    colour: red\n", encoding="utf-8"
    )
    store = Store(tmp_path / "data")
    report = ingest_paths([folder], store, embedder)
    assert sorted(Path(p).name for p, _ in report.failed) == ["a.txt", "b.txt"]
    assert all("unknown field(s) colour" in m for _, m in report.failed)
    assert store.document_hashes() == {}  # nothing read without the manifest it names
