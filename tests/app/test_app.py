"""The Streamlit app through streamlit.testing: ask, follow up, filter, upload, draft, brief."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.service import Assistant
from tests.conftest import ROOT

APP = str(ROOT / "app" / "main.py")


@pytest.fixture()
def app(
    seed_dir: Path, seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppTest]:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(seed_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    yield at


def open_tab(at: AppTest, label: str) -> None:
    """Open a tab as a click on it would (only the open tab's content runs)."""
    at.session_state["tab"] = label
    at.run()


def ask(at: AppTest, question: str) -> None:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]


def answers(at: AppTest) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.name == "assistant"]


def source_labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith("[")]


def test_ask_shows_answer_and_source_with_locator(app: AppTest) -> None:
    ask(app, "What is being done about domestic abuse specialists in the MASH?")
    assert "Domestic Abuse Hub into the MASH" in answers(app)[0]
    labels = source_labels(app)
    assert any("30 September 2022" in label and "PQ 4 response" in label for label in labels)
    assert any("extractive" in c.value for c in app.caption)


def test_follow_up_uses_the_conversation(app: AppTest) -> None:
    ask(app, "What was the overall judgement of the 2022 Ofsted inspection?")
    ask(app, "And what about 2018?")
    assert len(answers(app)) == 2
    assert "requir" in answers(app)[1].lower()
    new = next(b for b in app.button if b.label == "New conversation")
    new.click().run()
    assert answers(app) == []


def test_filter_narrows_the_sources(app: AppTest) -> None:
    app.sidebar.multiselect[0].set_value(["Council"]).run()
    ask(app, "What did the commissioner say about improvement?")
    labels = source_labels(app)
    assert labels and all(label.split(" · ")[0].endswith("Council") for label in labels)


def test_draft_mode_lists_pq4(app: AppTest) -> None:
    open_tab(app, "Draft a reply to a public question")
    app.text_area(key="draft_question").set_value(
        "What support is there for victims of domestic abuse, and are there specialists "
        "in the MASH?"
    ).run()
    next(b for b in app.button if b.label.startswith("Find similar")).click().run()
    assert not app.exception
    similar = [e.label for e in app.expander if e.label.startswith(("PQ", "MQ"))]
    assert similar[0].startswith("PQ 4")
    first = draft_text(app)
    assert "Thank you for your question." in first and "**" not in first
    # A second question in the same session replaces the draft: nothing stale is exported.
    app.text_area(key="draft_question").set_value(
        "How many social workers does the council employ through agencies?"
    ).run()
    next(b for b in app.button if b.label.startswith("Find similar")).click().run()
    second = draft_text(app)
    assert second != first and "agenc" in second.lower()
    assert "domestic abuse" not in second.lower() and "PQ 4" not in second


def draft_text(at: AppTest) -> str:
    editors = [t for t in at.text_area if str(t.key).startswith("draft_text")]
    assert len(editors) == 1
    return str(editors[0].value)


def test_briefing_mode_lists_judgements_in_order(app: AppTest) -> None:
    open_tab(app, "Briefing")
    app.text_input[0].set_value("Ofsted").run()
    next(b for b in app.button if b.label == "Prepare briefing").click().run()
    assert not app.exception
    table = app.table[0].value
    years = list(table["Year"])
    assert "2018" in years and "2022" in years
    assert years.index("2018") < years.index("2022")
    outcome = dict(zip(table["Year"], table["Outcome"], strict=True))
    assert (outcome["2018"], outcome["2022"]) == ("Requires Improvement", "Inadequate")


def test_broken_upload_is_named_and_corpus_kept(
    seed_dir: Path, seed_assistant: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(seed_dir, data)
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(data))
    monkeypatch.setenv("COUNCIL_ALLOW_UPLOADS", "1")  # no users configured: allowed explicitly
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    before = at.sidebar.metric[0].value
    uploader = at.sidebar.get("file_uploader")[0]
    uploader.upload("broken.pdf", b"this is not a pdf", "application/pdf")
    uploader.upload(
        "notes.txt",
        b"Title of report: Bus shelters\n\nMeeting: Cabinet\n\n"
        b"Meeting date: 3 March 2023\n\nPurpose\n\n1. To replace twelve bus "
        b"shelters in Kington.\n",
        "text/plain",
    )
    at.run()
    next(b for b in at.sidebar.button if b.label == "Ingest these files").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.sidebar.error]
    assert any("broken.pdf" in e and "not a PDF" in e for e in errors)
    assert at.sidebar.success[0].value == "1 record added: notes.txt."
    assert not any(str(data) in e for e in errors)  # no server paths shown
    at.run()
    assert int(at.sidebar.metric[0].value) == int(before) + 1
