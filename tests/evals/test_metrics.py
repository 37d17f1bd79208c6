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
