"""Metrics on small hand-made cases whose right numbers are known; the question set is sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.metrics import (
    Question,
    Scores,
    contains_any,
    facts_present,
    first_hit_rank,
    load_questions,
    normalise,
    score,
    spans_overlap,
    summarise,
)
from ingest.parse import parse_file
from tests.conftest import CORPUS, ROOT


def result(
    answer: str, abstained: bool, quotes: list[tuple[str, int, int]], ms: float = 100.0
) -> dict[str, object]:
    return {
        "answer": answer,
        "abstained": abstained,
        "timings_ms": {"total": ms},
        "citations": [
            {"doc_id": "d", "quote": q, "char_start": s, "char_end": e} for q, s, e in quotes
        ],
    }


RECORD = {"d": "The drawdown of \u00a36.49m was approved. The hub moved into the MASH."}


def test_normalising_folds_case_quotes_dashes_and_table_bars() -> None:
    assert normalise("Council\u2019s  \u201cplan\u201d \u2013 A | B") == 'council\'s "plan" - a b'
    assert contains_any("Auditors |  |  | 523", ["auditors | | | 523"])
    assert not contains_any("Auditors 52", ["523"])


def test_rank_facts_and_citations_for_a_known_case() -> None:
    q = Question(
        id="x",
        user="officer",
        question="?",
        gold=("hub moved into the MASH",),
        facts=(("6.49m", "6,489"), ("MASH",)),
    )
    passages = ["unrelated", "The hub moved into the  MASH.", "The hub moved into the MASH"]
    assert first_hit_rank(passages, q.gold) == 2
    good = result(
        "It was \u00a36.49m [1]; the MASH [2].",
        False,
        [
            ("The drawdown of \u00a36.49m was approved.", 0, 36),
            ("The hub moved into the MASH.", 37, 65),
        ],
    )
    s = score(q, good, passages, RECORD)
    assert (s.rank, s.facts_ok, s.citations_valid, s.cited, s.cited_relevant) == (
        2,
        True,
        True,
        2,
        2,
    )
    wrong_offsets = result("MASH", False, [("The hub moved into the MASH.", 36, 64)])
    s = score(q, wrong_offsets, passages, RECORD)
    assert (s.facts_ok, s.citations_valid) == (False, False)


def test_summary_numbers_for_a_known_run() -> None:
    scores = [
        Scores(rank=1, facts_ok=True, cited=2, cited_relevant=2, latency_ms=100),
        Scores(rank=3, facts_ok=False, cited=1, cited_relevant=0, latency_ms=200),
        Scores(rank=None, facts_ok=True, cited=1, cited_relevant=1, latency_ms=300),
        Scores(rank=None, abstained=True, latency_ms=400),  # answerable, wrongly abstained
        Scores(answerable=False, abstained=True, latency_ms=500),
        Scores(answerable=False, abstained=False, latency_ms=600, citations_valid=False),
    ]
    s = summarise(scores)
    assert s.recall == {1: 0.25, 3: 0.5, 5: 0.5}
    assert s.mrr == pytest.approx((1 + 1 / 3) / 4)
    assert s.fact_accuracy == pytest.approx(2 / 3)
    assert (s.abstention_precision, s.abstention_recall) == (0.5, 0.5)
    assert s.citation_validity == pytest.approx(5 / 6)
    assert s.citation_precision == pytest.approx(3 / 4)
    assert (s.p50_ms, s.p95_ms) == (350, 600)


def test_facts_need_every_fact_in_any_form() -> None:
    assert facts_present("up to \u00a36,489k", [["6.49m", "6,489"]])
    assert not facts_present("\u00a36.49m", [["6.49m"], ["Reserve"]])


@pytest.mark.parametrize(
    ("locator", "spans", "hit"),
    [
        ("turn 12", [(10, 14)], True),
        ("turns 3-5", [(5, 9)], True),
        ("turns 3-4", [(5, 9)], False),
        ("turn 7, part 2", [(7, 7)], True),
        ("para 7", [(7, 7)], False),
    ],
)
def test_transcript_spans_overlap(locator: str, spans: list[tuple[int, int]], hit: bool) -> None:
    assert spans_overlap(locator, spans) is hit


def test_question_set_is_sound() -> None:
    questions = load_questions(ROOT / "evals" / "questions" / "seeds_dev.yaml")
    assert len(questions) >= 60 and len({q.id for q in questions}) == len(questions)
    assert sum(not q.answerable for q in questions) >= 10
    assert {q.user for q in questions} == {"councillor", "officer", "scrutiny"}
    assert any(q.history for q in questions)
    texts = [normalise(parse_file(p).text) for p in sorted(CORPUS.glob("*.txt"))]
    for q in questions:
        assert q.answerable == bool(q.gold), q.id
        for snippet in q.gold:
            assert any(normalise(snippet) in t for t in texts), (q.id, snippet)


def test_a_malformed_question_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "q.yaml"
    bad.write_text("- {user: officer}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="q.yaml: entry 1 needs"):
        load_questions(bad)
