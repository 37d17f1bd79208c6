"""Exempt information never reaches the public, however a council marks it: each marking
variant carries its own company name and sum, and every read path is searched for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant.briefing import brief
from assistant.registers import find_decisions, find_questions
from assistant.reply import draft_reply
from assistant.service import Assistant
from cli.main import app
from evals.exempt_variants import (
    SECRETS,
    TOPICS,
    VARIANTS,
    leak_table,
    leaks,
    questions,
)
from ingest.embed import Embedder
from ingest.store import Store
from tests.conftest import ROOT, assistant_for, seed_index_with


@pytest.fixture(scope="module")
def data(
    tmp_path_factory: pytest.TempPathFactory,
    seed_dir: Path,
    seed_assistant: Assistant,
    embedder: Embedder,
) -> Path:
    records = {f"{name}.txt": text for name, (text, _, _) in VARIANTS.items()}
    return seed_index_with(tmp_path_factory.mktemp("variants"), seed_dir, embedder, records)


def test_each_variant_is_stored_exempt_and_its_open_parts_open(data: Path) -> None:
    store = Store(data)
    for name, (_, secret, open_words) in VARIANTS.items():
        chunks = store.chunks(name)
        with_secret = [c for c in chunks if secret in c.text]
        assert with_secret and all(c.classification == "Exempt" for c in with_secret), name
        if open_words:
            assert any(open_words in c.text and c.classification == "Open" for c in chunks), name


def test_no_read_path_shows_any_variant(data: Path, embedder: Embedder) -> None:
    table = leak_table(data, embedder)
    assert {path: n for row in table.values() for path, n in row.items() if n} == {}


def test_ask_and_every_workflow(data: Path, embedder: Embedder) -> None:
    public = assistant_for(data, embedder, "public")
    seen = []
    for q in questions():
        answer = public.ask(q)
        seen.append(json.dumps(answer.to_json()))
        seen.append(" ".join(c.passage for c in answer.retrieved))
    for topic in TOPICS:
        seen.append(draft_reply(public, f"What was agreed on the {topic}?").markdown)
        seen.append(brief(public, topic).to_markdown())
        seen.append(json.dumps([d.to_json() for d in find_decisions(public, topic=topic)]))
    seen.append(json.dumps([d.to_json() for d in find_decisions(public)]))
    seen.append(json.dumps([q.to_json() for q, _ in find_questions(public, similar="contract")]))
    assert leaks("\n".join(seen)) == []
    officer = assistant_for(data, embedder, "officer")
    officer_text = " ".join(json.dumps(officer.ask(q).to_json()) for q in questions()[:8])
    officer_text += json.dumps([d.to_json() for d in find_decisions(officer)])
    assert "Brackenfold" in officer_text and "Ebonwick" in officer_text


@pytest.mark.parametrize(
    "command",
    [
        ["status", "--json"],
        ["decisions", "--json"],
        ["questions", "--json"],
        ["brief", "Westfields land sale"],
        ["draft-reply", "What did the council pay for the leisure centre contract?"],
        ["ask", "Who asked for more money on the waste contract?", "--json"],
        *[["show", name] for name in VARIANTS],
    ],
)
def test_cli_read_paths(
    data: Path, seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    result = CliRunner().invoke(app, command)
    assert leaks(result.output) == [], command
    officer = CliRunner().invoke(app, [*command, "--audience", "officer"])
    assert officer.exit_code == 0, officer.output


def test_status_counts_only_what_the_public_may_see(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    public = json.loads(CliRunner().invoke(app, ["status", "--json"]).output)
    officer = json.loads(
        CliRunner().invoke(app, ["status", "--json", "--audience", "officer"]).output
    )
    # Three records are exempt whole; the other four have open parts.
    assert officer["records"] - public["records"] == 3
    assert officer["chunks"] > public["chunks"]


def test_eval_output_files(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    qs = tmp_path / "qs.yaml"
    qs.write_text(
        "\n".join(
            f'- id: v{n}\n  question: "{q}"\n  gold: ["{SECRETS[n % len(SECRETS)]}"]'
            for n, q in enumerate(questions()[:6])
        ),
        encoding="utf-8",
    )
    out = tmp_path / "rows.jsonl"
    result = CliRunner().invoke(app, ["eval", "--questions", str(qs), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert leaks(out.read_text(encoding="utf-8") + result.output) == []


def test_app_every_tab(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
    at.run()
    at.chat_input[0].set_value(questions()[2]).run()
    pages = [page_text(at)]
    at.session_state["tab"] = "Draft a reply to a public question"  # as a click on the tab
    at.run()
    at.text_area(key="draft_question").set_value("What did we pay for the leisure centre?").run()
    next(b for b in at.button if b.label.startswith("Find similar")).click().run()
    pages.append(page_text(at))
    at.session_state["tab"] = "Briefing"
    at.run()
    at.text_input(key="briefing_topic").set_value("Westfields land sale").run()
    next(b for b in at.button if b.label == "Prepare briefing").click().run()
    pages.append(page_text(at))
    at.session_state["tab"] = "Decisions"
    at.run()
    pages.append(page_text(at))
    assert not at.exception, [e.value for e in at.exception]
    assert all(pages) and leaks(" ".join(pages)) == []


def page_text(at: AppTest) -> str:
    """Return the words an app page shows: text, tables, metrics, expanders, chat."""
    page = " ".join(
        str(el.value) if hasattr(el, "value") else ""
        for kind in ("markdown", "caption", "text", "text_area", "dataframe", "table", "metric")
        for el in getattr(at, kind)
    )
    page += " ".join(e.label for e in at.expander)
    return page + " ".join(str(m.markdown[0].value) for m in at.chat_message if m.markdown)
