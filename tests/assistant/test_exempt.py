"""Exempt (Part II) material never reaches the public on any read path; sign-in widens it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant.auth import SignIn, hash_password, verify_password
from assistant.briefing import brief
from assistant.present import conversation_markdown
from assistant.query import understand
from assistant.registers import find_decisions, find_questions
from assistant.reply import draft_reply
from assistant.service import Assistant
from cli.main import app
from ingest.embed import Embedder
from ingest.store import Store
from tests.conftest import ROOT, assistant_for, seed_index_with

SECRET = "Quillfeather"
EXEMPT_REPORT = f"""Title of report: Children's placements contract award

Meeting: Cabinet

Meeting date: Thursday 15 December 2022

Classification

Exempt under paragraph 3 of Schedule 12A of the Local Government Act 1972

Recommendation(s)

That:

a) Cabinet award the children's placements contract to {SECRET} Care Ltd at £987,654.

Key considerations

1. {SECRET} Care Ltd offered the lowest price for children's placements and the MASH.
"""
MIXED_MINUTES = f"""Minutes of the meeting of Cabinet held at Hereford on Thursday 15 December 2022

31. CHILDREN'S PLACEMENTS

Cabinet received and noted a report on children's placements and the Ofsted action plan.

32. EXCLUSION OF THE PUBLIC - NOT FOR PUBLICATION

Resolved that:

a) the negotiated settlement with {SECRET} Care Ltd of £987,654 for children's placements
be approved.
"""
QUESTIONS = [
    f"What was the settlement with {SECRET} Care Ltd?",
    f"the negotiated settlement with {SECRET} Care Ltd of £987,654 for children's placements",
    "Who was awarded the children's placements contract?",
]


@pytest.fixture(scope="module")
def data(
    tmp_path_factory: pytest.TempPathFactory,
    seed_dir: Path,
    seed_assistant: Assistant,
    embedder: Embedder,
) -> Path:
    records = {
        "placements_report.txt": EXEMPT_REPORT,
        "cabinet_minutes_dec22.txt": MIXED_MINUTES,
    }
    return seed_index_with(tmp_path_factory.mktemp("exempt"), seed_dir, embedder, records)


def without_echoes(text: str, questions: list[str]) -> str:
    """Return text without the caller's own words echoed back (not a leak): each question,
    and the names it gave quoted back ('None of the passages found mentions "Quillfeather
    Care Ltd"'), as written or inside JSON."""
    for q in questions:
        for echo in (q, *(f'"{name}"' for name in understand(q).names)):
            text = text.replace(echo, "").replace(json.dumps(echo, ensure_ascii=False)[1:-1], "")
            text = text.replace(json.dumps(echo)[1:-1], "")
    return text


def test_classification_is_stored_on_chunks_and_entries(data: Path) -> None:
    store = Store(data)
    report = store.chunks("placements_report")
    assert report and {c.classification for c in report} == {"Exempt"}
    minutes = {c.locator: c.classification for c in store.chunks("cabinet_minutes_dec22")}
    assert minutes["minute 31"] == "Open"
    assert minutes["minute 32, resolution (a)"] == "Exempt"
    entries = {d.id: d.classification for d in store.decisions()}
    assert entries["cabinet_minutes_dec22::minute 32, resolution (a)"] == "Exempt"


def test_public_never_sees_exempt_words(data: Path, embedder: Embedder) -> None:
    public = assistant_for(data, embedder, "public")
    outputs: list[str] = []
    for q in QUESTIONS:
        answer = public.ask(q)
        shown = [
            json.dumps({**answer.to_json(), "question": ""}),
            conversation_markdown([{"role": "assistant", "answer": answer}]),
        ]
        outputs += [without_echoes(text, [q]) for text in shown]
        hits = public.retriever.search(q).hits
        outputs += [c.text for h in hits for c in (h.chunk, *h.before, *h.after)]
        outputs.append(draft_reply(public, q).markdown.split("**Draft reply**")[1])
    outputs.append(brief(public, "children's placements contract").to_markdown())
    outputs += [d.text for d in find_decisions(public)]
    outputs += [q.text("question") for q, _ in find_questions(public, similar=QUESTIONS[0])]
    blob = "\n".join(outputs)
    assert SECRET not in blob and "987,654" not in blob


def test_officer_sees_exempt_words(data: Path, embedder: Embedder) -> None:
    officer = assistant_for(data, embedder, "officer")
    answer = officer.ask(QUESTIONS[0])
    assert SECRET in answer.text
    assert any(SECRET in d.text for d in find_decisions(officer))


def test_cli_reading_commands_filter(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    runner = CliRunner()
    for args in (
        ["ask", QUESTIONS[1], "--json"],
        ["decisions", "--json"],
        ["show", "cabinet_minutes_dec22"],
        ["brief", "children's placements"],
        ["draft-reply", QUESTIONS[0]],
        ["questions", "--json"],
    ):
        out = without_echoes(runner.invoke(app, args).output, QUESTIONS)
        assert SECRET not in out and "987,654" not in out, args
    hidden = runner.invoke(app, ["show", "placements_report"])
    assert hidden.exit_code == 2 and SECRET not in hidden.output
    shown = runner.invoke(app, ["show", "placements_report", "--audience", "officer"])
    assert shown.exit_code == 0 and SECRET in shown.output


def test_passwords_hash_and_sign_in_is_rate_limited() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("pbkdf2_sha256$") and "correct horse" not in stored
    assert verify_password("correct horse", stored) and not verify_password("wrong", stored)
    gate = SignIn({"ann": {"role": "officer", "password_hash": stored}}, max_failures=3)
    assert gate.check("ann", "correct horse") == "officer"
    for _ in range(3):
        assert gate.check("ann", "guess") is None
    assert gate.locked("ann")
    assert gate.check("ann", "correct horse") is None  # locked even with the right password


def test_app_hides_exempt_until_signed_in(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    users = {"ann": {"role": "officer", "password_hash": hash_password("s3cret-pass")}}
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    monkeypatch.setenv("COUNCIL_USERS", json.dumps(users))
    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
    at.run()
    at.chat_input[0].set_value(QUESTIONS[0]).run()
    page = " ".join(
        str(m.markdown[0].value) for m in at.chat_message if m.name == "assistant"
    ) + " ".join(e.label for e in at.expander)
    assert SECRET not in without_echoes(page, QUESTIONS)
    at.sidebar.text_input[0].set_value("ann")
    at.sidebar.text_input[1].set_value("s3cret-pass")
    at.sidebar.button[0].click().run()
    assert any("Signed in as ann (officer)" in c.value for c in at.sidebar.caption)
    at.chat_input[0].set_value(QUESTIONS[0]).run()
    answers = [m.markdown[0].value for m in at.chat_message if m.name == "assistant"]
    assert SECRET in answers[-1]
