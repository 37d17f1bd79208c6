"""How the answer model's abstention threshold is chosen from development questions."""

from __future__ import annotations

import numpy as np

from evals.fit_answer import choose_threshold


def test_the_abstention_threshold_is_not_the_edge_of_a_narrow_gap() -> None:
    # Unanswerable dev questions score 0.1-0.3 and answerable ones 0.6-0.9, but one
    # answerable question scores 0.31. Splitting at the 0.30-0.31 gap is perfect on dev, and
    # an unseen unanswerable question scoring 0.32 would be answered; the threshold goes
    # where a small move of the scores changes little.
    p = np.array([0.1, 0.15, 0.2, 0.25, 0.3, 0.31, 0.6, 0.7, 0.8, 0.9])
    y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    assert 0.35 <= choose_threshold(p, y) <= 0.55
    # With no such question, the wide gap itself is chosen.
    p_clean = np.array([0.1, 0.15, 0.2, 0.25, 0.3, 0.6, 0.6, 0.7, 0.8, 0.9])
    assert 0.3 < choose_threshold(p_clean, y) <= 0.6


def test_a_decision_answer_opens_with_the_decision_not_an_option_turned_down() -> None:
    from evals.metrics import Question, score

    question = Question(
        id="d1",
        user="councillor",
        question="What did cabinet decide about tranche two funding?",
        gold=("approve the drawdown of tranche two",),
    )

    def answer(first_kind: str, first_quote: str) -> dict[str, object]:
        cites = [
            {"n": 1, "kind": "recommendation", "quote": "Cabinet approve the drawdown."},
            {"n": 2, "kind": first_kind, "quote": first_quote},
        ]
        for c in cites:
            c.update(doc_id="r", char_start=0, char_end=0)
        return {
            "answer": f"{first_quote} [2] Cabinet approve the drawdown. [1]",
            "abstained": False,
            "citations": cites,
            "timings_ms": {"total": 1.0},
        }

    rejected = "Cabinet could decide not to approve the drawdown; this is not recommended."
    record = {"r": ""}  # the quotes' offsets are not what this test reads
    assert score(question, answer("paragraph", rejected), [], record).decision_lead is False
    assert score(question, answer("resolution", "RESOLVED that"), [], record).decision_lead
    # A minute's paragraph that is the gold evidence is the decision itself.
    minuted = "Cabinet agreed to approve the drawdown of tranche two."
    assert score(question, answer("paragraph", minuted), [], record).decision_lead
    # A question that asks for no decision is not counted.
    other = Question(id="d2", user="officer", question="Who asked about the MASH?", gold=("MASH",))
    assert score(other, answer("paragraph", rejected), [], record).decision_lead is None
