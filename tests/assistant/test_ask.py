"""Asking the seed corpus: the right record and part cited, the fact in the answer, abstention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.answer import Answer
from assistant.audience import Filters
from assistant.query import understand
from assistant.retrieve import _dated
from assistant.service import Assistant
from cli.main import app
from tests.conftest import (
    COUNCIL_2022,
    MINUTES_2018,
    REPORT_2021,
    REPORT_2022,
    TRANCHE_TWO,
    abstention_of,
)

# (user, question, record, locator prefix that must be cited, a fact the answer must hold in
# any of its "|"-separated forms)
CASES = [
    (
        "councillor",
        "What did cabinet decide about tranche two funding?",
        TRANCHE_TWO,
        "recommendation (a)",
        "£6.49m",
    ),
    (
        "councillor",
        "Who was appointed Commissioner for Children's Services?",
        None,
        "",
        "Eleanor Brazil",
    ),
    (
        "councillor",
        "How much is tranche two of the transformation funding?",
        TRANCHE_TWO,
        "",
        "6.489m|6.49m",
    ),
    (
        "councillor",
        "When was the Ofsted inspection report published?",
        REPORT_2022,
        "para 9",
        "21 September 2022",
    ),
    (
        "councillor",
        "What reserve is the tranche two drawdown funded from?",
        TRANCHE_TWO,
        "",
        "Financial Resilience Reserve",
    ),
    (
        "councillor",
        "By when must the action plan be submitted to Ofsted after the 2022 inspection?",
        REPORT_2022,
        "",
        "20 December 2022",
    ),
    (
        "councillor",
        "What did cabinet resolve about the action plan in 2018?",
        MINUTES_2018,
        "minutes, resolution",
        "25 October 2018",
    ),
    (
        "councillor",
        "How many cases did the independent audit project audit?",
        TRANCHE_TWO,
        "para 5",
        "1,000",
    ),
    (
        "officer",
        "What is being done about domestic abuse specialists in the MASH?",
        COUNCIL_2022,
        "PQ 4 response",
        "Domestic Abuse Hub into the MASH",
    ),
    (
        "officer",
        "What did the council say it does when there is evidence of misconduct by staff?",
        COUNCIL_2022,
        "PQ 2",
        "misconduct",
    ),
    (
        "officer",
        "What was the number of unallocated cases in Quarter 4 2021/22?",
        COUNCIL_2022,
        "PQ 5",
        "30",
    ),
    (
        "officer",
        "Which organisation is commissioned to provide specialist domestic abuse support?",
        COUNCIL_2022,
        "PQ 4 response",
        "West Mercia Womens Aid",
    ),
    (
        "officer",
        "When was the written response to PQ 2 sent?",
        COUNCIL_2022,
        "PQ 2 written response",
        "13 October 2022",
    ),
    (
        "officer",
        "How long do courts aim to complete care proceedings in?",
        COUNCIL_2022,
        "PQ",
        "26",
    ),
    (
        "scrutiny",
        "What share of agency staff was used in 2018 compared with now?",
        REPORT_2021,
        "para 28",
        "56%",
    ),
    (
        "scrutiny",
        "What did paragraph 11 of the report say about children being protected?",
        REPORT_2022,
        "para 11",
        "not protected from harm",
    ),
    (
        "scrutiny",
        "How much did the Auditors line cost in the tranche 2 spending allocation?",
        TRANCHE_TWO,
        "table",
        "523",
    ),
    (
        "scrutiny",
        "When did Ofsted inspect Herefordshire children's services in 2022?",
        REPORT_2022,
        "para 2",
        "18 to 29 July 2022",
    ),
    (
        "scrutiny",
        "What is the likely timescale to move beyond an inadequate service?",
        COUNCIL_2022,
        "minute 27",
        "18 months to 2 years",
    ),
    (
        "scrutiny",
        "Who chairs the Children's Improvement Board?",
        REPORT_2022,
        "para 19",
        "Gladys Rhodes White",
    ),
    (
        "scrutiny",
        "What share of police referrals to the MASH required no further action?",
        MINUTES_2018,
        "minutes, bullet",
        "70%",
    ),
    (
        "scrutiny",
        "When did the Department for Education issue the non-statutory improvement notice?",
        None,
        "",
        "18 May 2021",
    ),
]

UNANSWERABLE = [
    "What are the council's parking charges in Hereford city centre?",
    "When will the new leisure centre in Ross-on-Wye open?",
    "Who won the 2019 local elections in Herefordshire?",
    "How many potholes were repaired on the A49 last winter?",
    "What is the council's policy on recycling glass bottles?",
]


def check_citations(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        doc = assistant.store.document(c.doc_id)
        assert doc is not None
        assert doc["text"][c.char_start : c.char_end] == c.quote
        assert any(c.quote in chunk.text for chunk in assistant.store.chunks(c.doc_id))


@pytest.mark.parametrize(
    ("user", "question", "doc_id", "locator", "fact"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_answers_cite_the_right_part(
    seed_assistant: Assistant, user: str, question: str, doc_id: str | None, locator: str, fact: str
) -> None:
    answer = seed_assistant.ask(question)
    assert not answer.abstained, answer.text
    assert any(form.lower() in answer.text.lower() for form in fact.split("|")), answer.text
    cited = [(c.doc_id, c.locator) for c in answer.citations]
    assert any((doc_id is None or d == doc_id) and loc.startswith(locator) for d, loc in cited), (
        cited
    )
    assert "[1]" in answer.text
    check_citations(seed_assistant, answer)


@pytest.mark.parametrize("question", UNANSWERABLE)
def test_abstains_when_the_records_do_not_cover_it(
    seed_assistant: Assistant, question: str
) -> None:
    abstention_of(seed_assistant, question)


def test_follow_up_carries_the_subject_forward(seed_assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "What was the Ofsted judgement in 2022?"},
        {"role": "assistant", "content": "The overall effectiveness was inadequate [1]."},
    ]
    answer = seed_assistant.ask("And what about 2018?", history=history)
    assert not answer.abstained
    assert "requir" in answer.text.lower() and "improvement" in answer.text.lower(), answer.text
    assert any("2018" in c.quote for c in answer.citations)
    check_citations(seed_assistant, answer)


def test_filters_narrow_the_sources(seed_assistant: Assistant) -> None:
    filters = seed_assistant.filters(bodies=("Council",))
    answer = seed_assistant.ask("What did the commissioner say about improvement?", filters=filters)
    assert answer.citations and {c.body for c in answer.retrieved} == {"Council"}
    dated = seed_assistant.filters(until="2021-12-31")
    answer = seed_assistant.ask("What did Ofsted find?", filters=dated)
    assert answer.retrieved and all(c.meeting_date <= "2021-12-31" for c in answer.retrieved)


def test_question_numbers_resolve_to_their_parts(seed_assistant: Assistant) -> None:
    retrieval = seed_assistant.retriever.search("What was asked in PQ 3?")
    assert retrieval.hits[0].chunk.locator.startswith("PQ 3")


def test_cli_ask_json_contract(
    seed_dir: Path, seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(seed_dir))
    history = tmp_path / "h.json"
    history.write_text(json.dumps([{"role": "user", "content": "Tell me about tranche two"}]))
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "How much was drawn down in the first tranche?",
            "--json",
            "--history",
            str(history),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(next(line for line in result.output.splitlines() if line.startswith("{")))
    assert {"question", "answer", "abstained", "answerer", "citations", "timings_ms"} <= set(data)
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    assert data["answerer"] == "extractive" and "£5m" in data["answer"]
    assert set(data["citations"][0]) >= {
        "n",
        "doc_id",
        "title",
        "body",
        "meeting_date",
        "doc_type",
        "locator",
        "quote",
        "char_start",
        "char_end",
        "url",
        "score",
    }


def test_cli_show_and_status(
    seed_dir: Path, seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(seed_dir))
    runner = CliRunner()
    shown = runner.invoke(app, ["show", REPORT_2022, "--locator", "para 11"])
    assert shown.exit_code == 0 and ">> [para 11]" in shown.output
    assert "not protected from harm" in shown.output and "[para 10]" in shown.output
    status = runner.invoke(app, ["status", "--json"])
    info = json.loads(status.output)
    assert info["records"] == 5 and info["by_body"] == {"Cabinet": 4, "Council": 1}
    missing = runner.invoke(app, ["show", "nope"])
    assert missing.exit_code == 2 and "no record 'nope'" in missing.output


@pytest.mark.parametrize(
    ("question", "filters", "since", "until"),
    [
        ("Who chaired the meeting in February 2024?", Filters(), "2024-02-01", "2024-02-31"),
        ("What was decided about housing in 2019 and 2020?", Filters(), "2019-01-01", "2020-12-31"),
        (  # within the dates already chosen in the app
            "What did cabinet decide in 2022?",
            Filters(since="2022-06-01"),
            "2022-06-01",
            "2022-12-31",
        ),
    ],
)
def test_the_months_or_years_a_question_names_get_a_ranking_of_their_own(
    question: str, filters: Filters, since: str, until: str
) -> None:
    dated = _dated(understand(question), filters)
    assert dated is not None
    assert (dated.since, dated.until) == (since, until)
    assert _dated(understand("What did cabinet decide about tranche two?"), filters) is None
    assert _dated(understand(question), Filters(until="2010-01-01")) is None  # no overlap


def test_a_narrow_filter_still_finds_its_passages_by_their_words(
    seed_assistant: Assistant,
) -> None:
    # The lexical ranking scores only what the filter keeps: one record's passages are found
    # even when every record's best matches for these words lie elsewhere.
    retriever = seed_assistant.retriever
    query = understand("Ofsted inspection judgement")
    only = Filters(doc_ids=(TRANCHE_TWO,))
    ranked = retriever._lexical_ranking(query, only, pool=3)
    assert len(ranked) == 3
    assert all(retriever.chunks[row].doc_id == TRANCHE_TWO for row, _ in ranked)
