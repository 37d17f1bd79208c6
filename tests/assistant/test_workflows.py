"""Registers of decisions and questions, drafting a reply, and a briefing, on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from assistant.briefing import brief
from assistant.export import save_docx
from assistant.registers import find_decisions, find_questions, matches_topic
from assistant.reply import draft_reply
from assistant.service import Assistant
from cli.main import app
from tests.conftest import COUNCIL_2022, MINUTES_2018, REPORT_2022, TRANCHE_TWO


def record_text(assistant: Assistant, doc_id: str) -> str:
    doc = assistant.store.document(doc_id)
    assert doc is not None
    return str(doc["text"])


def test_tranche_two_recommendations(seed_assistant: Assistant) -> None:
    recs = [d for d in find_decisions(seed_assistant) if d.doc_id == TRANCHE_TWO]
    assert [d.ref.locator for d in recs] == [f"recommendation ({x})" for x in "dcba"]
    a = recs[-1]
    assert (a.status, a.decision_type, a.sums, a.meeting_date) == (
        "recommended",
        "Key",
        ["£6.49m"],
        "2022-11-24",
    )
    assert "drawdown of tranche two funding" in a.purpose
    for d in recs:
        assert record_text(seed_assistant, d.doc_id)[d.ref.char_start : d.ref.char_end] == d.text


def test_2018_resolutions_and_council_noting(seed_assistant: Assistant) -> None:
    found = {(d.doc_id, d.ref.locator): d for d in find_decisions(seed_assistant)}
    b = found[(MINUTES_2018, "minutes, resolution (b)")]
    assert b.status == "resolved" and "25 October 2018" in b.text
    assert found[(MINUTES_2018, "minutes, resolution (a)")].status == "resolved"
    noted = found[(COUNCIL_2022, "minute 27")]
    assert noted.status == "noted" and "received and noted" in noted.text
    # The 29 Sep 2022 report's "receive and note" recommendation has its outcome linked.
    assert noted.id in found[(REPORT_2022, "recommendation (a)")].links
    assert not found[(REPORT_2022, "recommendation (d)")].links


@pytest.mark.parametrize(
    ("topic", "text", "matches"),
    [
        ("communities", "A community centre for Kington", True),  # "communities" -> "community"
        ("derelict sites", "The Derelict Sites Register: 12 added", True),
        ("planning meetings", "The Planning Committee meeting", True),
        ("children's services", "Children's Services improvement plan", True),
        ("£6,490 grant", "A grant of £6,490 was approved", True),
        ("derelict sites", "Traffic calming on the Dock Road", False),
    ],
)
def test_a_topic_matches_every_form_of_its_words(topic: str, text: str, matches: bool) -> None:
    assert matches_topic(topic, text) is matches


def test_decision_filters(seed_assistant: Assistant) -> None:
    council = find_decisions(seed_assistant, body="Council")
    assert {d.body for d in council} == {"Council"}
    dated = find_decisions(seed_assistant, since="2022-01-01", until="2022-10-31")
    assert dated and all("2022-01-01" <= d.meeting_date <= "2022-10-31" for d in dated)
    dates = [d.meeting_date for d in find_decisions(seed_assistant)]
    assert dates == sorted(dates, reverse=True)
    tranche = find_decisions(seed_assistant, topic="tranche two")
    assert tranche and all("tranche" in (d.text + d.title).lower() for d in tranche)


def test_questions_register(seed_assistant: Assistant) -> None:
    entries = {q.number: q for q, _ in find_questions(seed_assistant)}
    assert set(entries) == {"PQ 1", "PQ 2", "PQ 3", "PQ 4", "PQ 5", "MQ 1"}
    assert entries["PQ 1"].questioner == "Name and address supplied"
    assert entries["PQ 4"].questioner == "Mr Griffiths, Hereford"
    assert entries["MQ 1"].questioner == "Cllr Carole Gandy, Mortimer"
    assert entries["PQ 4"].put_to == "Cabinet member children and families"
    for q in entries.values():
        assert {"question", "response", "supplementary", "supplementary response"} <= set(q.parts)
        for refs in q.parts.values():
            for r in refs:
                assert record_text(seed_assistant, q.doc_id)[r.char_start : r.char_end] == r.quote
    pq2 = entries["PQ 2"]
    assert pq2.written_response_date == "2022-10-13" and "written response" in pq2.parts
    assert "Social Work England" in pq2.text("written response")
    assert entries["PQ 5"].awaiting_written_response
    assert not pq2.awaiting_written_response


def test_similar_ranks_pq4_first(seed_assistant: Assistant) -> None:
    ranked = find_questions(
        seed_assistant, similar="Are there domestic abuse specialists working in the MASH?"
    )
    assert ranked[0][0].number == "PQ 4"
    assert ranked[0][1] > ranked[1][1] + 0.2


def test_draft_reply_is_cited(seed_assistant: Assistant, tmp_path: Path) -> None:
    draft = draft_reply(
        seed_assistant,
        "What is the council doing to make sure there are domestic abuse specialists in the MASH?",
    )
    assert draft.markdown.count("Thank you for your question.") == 1
    assert "Domestic Abuse Hub into the MASH" in draft.markdown
    body = draft.markdown.split("**Draft reply**")[1].split("**Sources**")[0]
    for paragraph in [p for p in body.strip().split("\n\n")[1:] if p]:
        assert "[" in paragraph, paragraph  # every factual paragraph carries a citation
    assert any(c.locator.startswith("PQ 4") for c in draft.citations)
    for c in draft.citations:
        assert record_text(seed_assistant, c.doc_id)[c.char_start : c.char_end] == c.quote
    path = tmp_path / "draft.docx"
    save_docx(draft.markdown, path)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Thank you for your question." in text and "**" not in text


def test_ofsted_briefing(seed_assistant: Assistant) -> None:
    briefing = brief(seed_assistant, "Ofsted inspections")
    outcomes = [(o["year"], o["outcome"]) for o in briefing.outcomes]
    assert outcomes == [
        (2012, "Inadequate"),
        (2014, "Requires Improvement"),
        (2018, "Requires Improvement"),
        (2022, "Inadequate"),
    ]
    by_n = {c.n: c for c in briefing.citations}
    for o in briefing.outcomes:
        quote = by_n[o["n"]].quote
        assert str(o["year"]) in quote
    dates = [t["date"] for t in briefing.timeline]
    assert dates == sorted(dates)
    first_2018 = [t for t in briefing.timeline if t["date"].startswith("2018")]
    assert first_2018[0]["kind"] == "Resolved"  # decisions first within a meeting
    for c in briefing.citations:
        assert record_text(seed_assistant, c.doc_id)[c.char_start : c.char_end] == c.quote
    markdown = briefing.to_markdown()
    assert "| 2012 | Inadequate |" in markdown and "## Open" in markdown


def test_briefing_lists_open_items(seed_assistant: Assistant) -> None:
    briefing = brief(seed_assistant, "complaints unallocated cases measures that matter")
    assert any(
        "PQ 5" in o["text"] and "written response was promised" in o["text"]
        for o in briefing.open_items
    )


def test_cli_registers(
    seed_dir: Path, seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(seed_dir))
    runner = CliRunner()
    out = runner.invoke(app, ["decisions", "--body", "Cabinet", "--topic", "tranche two", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output[out.output.index("[") :])
    assert data and all(d["body"] == "Cabinet" for d in data)
    out = runner.invoke(app, ["questions", "--similar", "domestic abuse support in the MASH"])
    assert out.exit_code == 0 and out.output.startswith("PQ 4")
    out = runner.invoke(app, ["brief", "Ofsted inspections"])
    assert out.exit_code == 0 and "| 2022 | Inadequate |" in out.output
