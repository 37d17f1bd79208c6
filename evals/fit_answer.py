"""Fit the extractive answerer's weights on the development questions.

    python -m evals.fit_answer [--set NAME=PATH[,PATH...]] [--cache DIR] [--rounds N]
                               [--abstain-only]

Each development set (a question file in evals/questions/ and the records it is asked of) is
ingested, every question is retrieved as `council ask` would, and each candidate sentence is
described by the features of `assistant.selection`. A sentence is a right answer when it
holds the question's gold evidence, or one of its facts inside a passage that holds the gold
evidence. Three things are fitted and written to assistant/answer_model.json:

- sentence weights: a conditional logit (softmax over a question's candidates, L2);
- keep_ratio: how close to the best a second sentence must score to be added (grid, facts);
- abstention: a logistic model of "the records answer this" over a few question-level
  values, with the threshold that best separates answerable from unanswerable questions.

Only *_dev.yaml files are fitted on; the *_test.yaml files are for reporting.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from assistant.extractive import (
    Scoring,
    abstain_values,
    candidate_sentences,
    ranked,
    score_sentences,
    select,
    shown_text,
)
from assistant.retrieve import Retrieval
from assistant.selection import FEATURES, MODEL_FILE, AnswerModel, load_model
from assistant.service import Assistant
from evals.metrics import Question, contains_any, facts_present, load_questions, normalise
from ingest.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "evals" / "questions"
SHARED = ROOT.parent / "shared" / "records"
DEV_SETS = {
    "seeds_dev": [ROOT / "corpus"],
    "other_dev": [SHARED / "kent"]
    + [SHARED / "limerick" / "meetings" / "2019" / m for m in ("01", "02", "03", "04")],
}
ABSTAIN_FEATURES = (
    "relevance",
    "top_dense",
    "top_coverage",
    "best_sentence",
    "best_sim",
    "best_lexical",
    "unseen",
    "missing",
    "fact_coverage",
)
START = {"sim": 2.0, "passage_sim": 1.0, "lexical": 1.0, "inv_rank": 0.5, "fact": 0.5}


@dataclass
class Case:
    """One development question as retrieved: its candidates and their labels."""

    question: Question
    retrieval: Retrieval
    scoring: Scoring
    labels: np.ndarray


def label(q: Question, scoring: Scoring, retrieval: Retrieval) -> np.ndarray:
    """Return 1 for each candidate that is a right answer sentence, else 0."""
    forms = [f for fact in q.facts for f in fact]
    out = []
    for s in scoring.sentences:
        text = f"{s.context} {s.text}"
        passage = retrieval.hits[s.hit].chunk.text
        sentence = normalise(s.text)
        holds_gold = contains_any(text, q.gold) or (
            len(sentence.split()) >= 6 and any(sentence in normalise(g) for g in q.gold)
        )
        fact_in_gold_passage = contains_any(text, forms) and contains_any(passage, q.gold)
        out.append(1.0 if holds_gold or fact_in_gold_passage else 0.0)
    return np.array(out)


def collect(assistant: Assistant, questions: list[Question], model: AnswerModel) -> list[Case]:
    """Return every question retrieved and its candidates described, as `ask` does."""
    cases = []
    for q in questions:
        retrieval = assistant.retriever.search(
            q.question,
            filters=assistant.filters(),
            k=max(assistant.settings.k, 6),
            history=list(q.history),
        )
        scoring = score_sentences(
            retrieval,
            candidate_sentences(retrieval),
            encode=assistant.retriever.encode_cached,
            coverage=assistant.retriever.coverage,
            model=model,
        )
        cases.append(Case(q, retrieval, scoring, label(q, scoring, retrieval)))
    return cases


def fit_weights(cases: list[Case], l2: float = 0.01) -> np.ndarray:
    """Return sentence weights maximising the chance given to right sentences (softmax)."""
    usable = [c for c in cases if c.question.answerable and c.labels.sum() > 0]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = l2 * float(w @ w), 2 * l2 * w
        for c in usable:
            z = c.scoring.rows @ w
            z -= z.max()
            p = np.exp(z) / np.exp(z).sum()
            pos = c.labels > 0
            mass = p[pos].sum()
            total -= np.log(mass + 1e-12) / len(usable)
            # d(-log sum_pos p)/dw = E_p[x] - E_{p|pos}[x]
            grad += (p @ c.scoring.rows - (p[pos] / mass) @ c.scoring.rows[pos]) / len(usable)
        return total, grad

    w0 = np.array([START.get(f, 0.0) for f in FEATURES])
    return np.asarray(minimize(loss, w0, jac=True, method="L-BFGS-B").x)


L2_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
L2_DEFAULT = 0.01


def choose_l2(cases: list[Case], folds: int = 4) -> tuple[float, dict[float, float]]:
    """Return the L2 strength for the sentence weights, and each strength's fact accuracy on
    held-out dev questions (k-fold over questions, the keep ratio fitted on the other folds).
    The default stands unless another strength beats it by more than one standard error:
    with a hundred questions, a question or two either way is noise."""
    order = np.random.default_rng(0).permutation(len(cases))
    held = {l2: 0.0 for l2 in L2_GRID}
    for fold in range(folds):
        test = [cases[i] for i in order[fold::folds]]
        train = [cases[i] for j, i in enumerate(order) if j % folds != fold]
        with_facts = [c for c in test if c.question.answerable and c.question.facts]
        for l2 in L2_GRID:
            weights = fit_weights(train, l2)
            ratio, _ = fit_keep_ratio(train, weights)
            held[l2] += sum(
                facts_present(answer_text(c, rescored(c, weights), ratio), c.question.facts)
                for c in with_facts
            )
    n = max(sum(1 for c in cases if c.question.answerable and c.question.facts), 1)
    accuracy = {l2: right / n for l2, right in held.items()}
    base = accuracy[L2_DEFAULT]
    error = float(np.sqrt(base * (1 - base) / n))
    best = max(L2_GRID, key=lambda l2: accuracy[l2])
    return (best if accuracy[best] > base + error else L2_DEFAULT), accuracy


def rescored(case: Case, weights: np.ndarray) -> Scoring:
    """Return a case's candidates ranked by other weights."""
    s = case.scoring
    return ranked(s.sentences, s.rows, s.rows @ weights, s.intent)


def answer_text(case: Case, scoring: Scoring, keep_ratio: float) -> str:
    chosen = select(scoring, case.retrieval, keep_ratio=keep_ratio)
    return " ".join(shown_text(s, case.retrieval.hits[s.hit].chunk.text) for s in chosen)


def fit_keep_ratio(cases: list[Case], weights: np.ndarray) -> tuple[float, float]:
    """Return the keep ratio with the best fact accuracy on the cases, and that accuracy."""
    with_facts = [c for c in cases if c.question.answerable and c.question.facts]
    scorings = [rescored(c, weights) for c in with_facts]
    best = (0.0, -1.0)
    for ratio in (0.9, 0.7, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05):
        right = sum(
            facts_present(answer_text(c, s, ratio), c.question.facts)
            for c, s in zip(with_facts, scorings, strict=True)
        )
        accuracy = right / max(len(with_facts), 1)
        if accuracy > best[1]:
            best = (ratio, accuracy)
    return best


def choose_threshold(p: np.ndarray, y: np.ndarray, window: float = 0.05) -> float:
    """Return the abstention threshold (abstain when p < it) for dev probabilities p of
    questions that are answerable (y = 1) or not: the one whose neighbourhood (+-window)
    keeps precision and recall highest on average, not the edge of a gap between two dev
    questions (on questions never seen the scores move)."""

    def goal(t: float) -> float:
        abstain = p < t
        right = (abstain & (y == 0)).sum()
        precision = right / max(abstain.sum(), 1)
        recall = right / max((y == 0).sum(), 1)
        return float(min(precision, recall) + 0.01 * (precision + recall))  # both goals

    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = np.array([goal(t) for t in grid])
    smooth = np.array([scores[np.abs(grid - t) <= window + 1e-9].mean() for t in grid])
    best = np.flatnonzero(smooth >= smooth.max() - 1e-9)
    return float(grid[best[len(best) // 2]])  # the middle of the best stretch


def fit_abstention(
    cases: list[Case], weights: np.ndarray, l2: float = 0.1
) -> tuple[np.ndarray, float, float, dict[str, float]]:
    """Return abstention weights, bias and threshold, and the dev precision and recall."""
    rows, ys = [], []
    for c in cases:
        if any(h.referenced for h in c.retrieval.hits[:3]):
            continue
        values = abstain_values(c.retrieval, rescored(c, weights))
        rows.append([values[f] for f in ABSTAIN_FEATURES])
        ys.append(1.0 if c.question.answerable else 0.0)
    x, y = np.array(rows), np.array(ys)
    mean, scale = x.mean(0), x.std(0) + 1e-9
    xs = (x - mean) / scale

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        p = 1 / (1 + np.exp(-(xs @ w + b)))
        weight = np.where(y > 0, 0.5 / y.mean(), 0.5 / (1 - y.mean()))  # classes count equally
        err = -(weight * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).mean()
        g = weight * (p - y) / len(y)
        return err + l2 * float(w @ w), np.append(xs.T @ g + 2 * l2 * w, g.sum())

    theta = np.asarray(minimize(loss, np.zeros(x.shape[1] + 1), jac=True).x)
    w, b = theta[:-1] / scale, theta[-1] - float((theta[:-1] / scale) @ mean)
    p = 1 / (1 + np.exp(-(x @ w + b)))

    threshold = choose_threshold(p, y)
    abstain = p < threshold
    stats = {
        "precision": float((abstain & (y == 0)).sum() / max(abstain.sum(), 1)),
        "recall": float((abstain & (y == 0)).sum() / max((y == 0).sum(), 1)),
        "answerable": int(y.sum()),
        "unanswerable": int((y == 0).sum()),
    }
    return w, float(b), threshold, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", action="append", default=[], help="NAME=PATH[,PATH...]")
    parser.add_argument("--cache", type=Path, help="Keep the sets' indexes here between runs.")
    parser.add_argument("--rounds", type=int, default=2, help="Refits (the proxy ranking moves).")
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    parser.add_argument(
        "--abstain-only",
        action="store_true",
        help="Keep the sentence weights and keep ratio of --output; refit abstention alone.",
    )
    args = parser.parse_args()
    sets = dict(DEV_SETS)
    for item in args.set:
        name, _, paths = item.partition("=")
        sets[name] = [Path(p) for p in paths.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base = args.cache or Path(tmp)
        assistants = {}
        for name, paths in sets.items():
            if not name.endswith("_dev"):
                raise SystemExit(f"{name}: only development sets (*_dev) may be fitted on")
            missing = [p for p in paths if not p.exists()]
            if missing:
                print(f"skipping {name}: {missing[0]} is not here")
                continue
            assistant = Assistant(Settings(data_dir=base / name))
            report = assistant.ingest(paths)
            print(f"{name}: {len(report.added)} records added, {len(report.unchanged)} unchanged")
            assistants[name] = assistant
        model = load_model(args.output) if args.output.exists() else None
        for round_ in range(1, args.rounds + 1):
            current = model or _start_model()
            cases = [
                case
                for name, assistant in assistants.items()
                for case in collect(assistant, load_questions(QUESTIONS / f"{name}.yaml"), current)
            ]
            kept = (
                json.loads(args.output.read_text(encoding="utf-8"))
                if args.abstain_only and model is not None
                else None
            )
            if kept is not None and model is not None:
                weights, ratio, l2 = model.weights, model.keep_ratio, float(kept["l2"])
                held_out = {l2: float(kept["dev"]["facts_held_out"])}
                accuracy = float(kept["dev"]["facts"])
            else:
                l2, held_out = choose_l2(cases)
                print(
                    "held-out dev facts by L2: "
                    + ", ".join(f"{k}: {v:.2f}" for k, v in held_out.items())
                )
                weights = fit_weights(cases, l2)
                ratio, accuracy = fit_keep_ratio(cases, weights)
            aw, ab, threshold, stats = fit_abstention(cases, weights)
            data: dict[str, Any] = {
                "fitted_on": sorted(assistants),
                "features": list(FEATURES),
                "weights": [round(float(v), 5) for v in weights],
                "keep_ratio": ratio,
                "abstain": {
                    "features": list(ABSTAIN_FEATURES),
                    "weights": [round(float(v), 5) for v in aw],
                    "bias": round(ab, 5),
                    "threshold": round(threshold, 4),
                },
                "l2": l2,
                "dev": {
                    "facts": round(accuracy, 3),
                    "facts_held_out": round(held_out[l2], 3),
                    "abstention": stats,
                    "questions": len(cases),
                },
            }
            if kept is not None:
                # the sentence weights keep the sets they were fitted on
                data["fitted_on"] = kept["fitted_on"]
                data["abstain"]["fitted_on"] = sorted(assistants)
            args.output.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
            load_model.cache_clear()
            model = load_model(args.output)
            print(
                f"round {round_}: {len(cases)} dev questions, facts {accuracy:.2f} "
                f"(keep ratio {ratio}), abstention P/R {stats['precision']:.2f}/"
                f"{stats['recall']:.2f} at {threshold:.3f}"
            )
        for f, v in sorted(zip(FEATURES, model.weights, strict=True), key=lambda t: -abs(t[1])):
            print(f"  {f:22s} {v:+.3f}")


def _start_model() -> AnswerModel:
    return AnswerModel(
        weights=np.array([START.get(f, 0.0) for f in FEATURES]),
        keep_ratio=0.5,
        abstain_features=ABSTAIN_FEATURES,
        abstain_weights=np.zeros(len(ABSTAIN_FEATURES)),
        abstain_bias=0.0,
        abstain_threshold=0.0,
    )


if __name__ == "__main__":
    main()
