"""Scoring answers against a question set: pure functions over `council ask --json` objects."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.selection import DECISION_KINDS, read_intent

QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
USERS = ("councillor", "officer", "scrutiny")


def normalise(text: str) -> str:
    """Return text lower-cased with quotes, dashes and white space folded."""
    return " ".join(text.translate(QUOTES).lower().replace(" | ", " ").replace("|", " ").split())


@dataclass(frozen=True)
class Question:
    """One question of a set, in the documented YAML format."""

    id: str
    user: str
    question: str
    history: tuple[dict[str, str], ...] = ()
    gold: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    answerable: bool = True


def load_questions(path: Path) -> list[Question]:
    """Return the questions of a YAML file; a malformed entry is named in the error."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of questions")
    out = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict) or "question" not in item or "id" not in item:
            raise ValueError(f"{path}: entry {n} needs at least 'id' and 'question'")
        out.append(
            Question(
                id=str(item["id"]),
                user=str(item.get("user", "councillor")),
                question=str(item["question"]),
                history=tuple(item.get("history") or ()),
                gold=tuple(item.get("gold") or ()),
                facts=tuple(tuple(str(f) for f in fact) for fact in item.get("facts") or ()),
                answerable=bool(item.get("answerable", True)),
            )
        )
    return out


def contains_any(text: str, snippets: Iterable[str]) -> bool:
    """Whether normalised text contains any normalised snippet."""
    body = normalise(text)
    return any(normalise(s) in body for s in snippets if s)


def first_hit_rank(passages: list[str], gold: Iterable[str]) -> int | None:
    """Return the 1-based rank of the first passage holding gold evidence, or None."""
    gold = list(gold)
    for rank, text in enumerate(passages, 1):
        if contains_any(text, gold):
            return rank
    return None


def facts_present(answer: str, facts: Iterable[Iterable[str]]) -> bool:
    """Whether every fact (any of its forms) appears in the answer text."""
    return all(contains_any(answer, forms) for forms in facts)


@dataclass
class Scores:
    """Per-question scores, as written beside each JSON line."""

    rank: int | None = None
    facts_ok: bool | None = None
    citations_valid: bool = True
    cited: int = 0
    cited_relevant: int = 0
    latency_ms: float = 0.0
    abstained: bool = False
    answerable: bool = True
    decision_lead: bool | None = None  # a decision asked for: the answer opens with it

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def score(
    question: Question, result: dict[str, Any], passages: list[str], record_text: dict[str, str]
) -> Scores:
    """Return the scores of one answer (its JSON object, the ranked passage texts)."""
    s = Scores(
        latency_ms=float(result["timings_ms"]["total"]),
        abstained=bool(result["abstained"]),
        answerable=question.answerable,
    )
    for c in result["citations"]:
        text = record_text.get(c["doc_id"], "")
        if text[c["char_start"] : c["char_end"]] != c["quote"]:
            s.citations_valid = False
    if not question.answerable:
        return s
    s.rank = first_hit_rank(passages, question.gold)
    if question.facts:
        s.facts_ok = facts_present(result["answer"], question.facts)
    if not result["abstained"]:
        if read_intent(question.question).decision and result["citations"]:
            s.decision_lead = opens_with_decision(result, question)
        forms = [f for fact in question.facts for f in fact]
        s.cited = len(result["citations"])
        s.cited_relevant = sum(
            contains_any(c["quote"], question.gold) or contains_any(c["quote"], forms)
            for c in result["citations"]
        )
    return s


def opens_with_decision(result: dict[str, Any], question: Question) -> bool:
    """Whether an answer to a question about a decision opens with the decision itself: its
    first sentence comes from a resolution, recommendation or vote, or holds the gold
    evidence (a minute's "Cabinet approved ..." paragraph), not an option turned down."""
    first = min(result["citations"], key=lambda c: result["answer"].find(f"[{c['n']}]"))
    return first.get("kind") in DECISION_KINDS or contains_any(first["quote"], question.gold)


@dataclass
class Summary:
    """The metrics of a run, overall or for one kind of user."""

    n: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    fact_accuracy: float = 0.0
    abstention_precision: float = 0.0
    abstention_recall: float = 0.0
    citation_validity: float = 0.0
    citation_precision: float = 0.0
    decision_lead: float | None = None  # share of decision answers that open with one
    p50_ms: float = 0.0
    p95_ms: float = 0.0


def summarise(scores: list[Scores], ks: tuple[int, ...] = (1, 3, 5)) -> Summary:
    """Return the metrics over a list of per-question scores."""
    out = Summary(n=len(scores))
    answerable = [s for s in scores if s.answerable]
    if answerable:
        for k in ks:
            out.recall[k] = sum(s.rank is not None and s.rank <= k for s in answerable) / len(
                answerable
            )
        out.mrr = sum(1 / s.rank for s in answerable if s.rank) / len(answerable)
    with_facts = [s for s in answerable if s.facts_ok is not None]
    if with_facts:
        out.fact_accuracy = sum(bool(s.facts_ok) for s in with_facts) / len(with_facts)
    abstained = [s for s in scores if s.abstained]
    unanswerable = [s for s in scores if not s.answerable]
    out.abstention_precision = (
        sum(not s.answerable for s in abstained) / len(abstained) if abstained else 1.0
    )
    out.abstention_recall = (
        sum(s.abstained for s in unanswerable) / len(unanswerable) if unanswerable else 1.0
    )
    if scores:
        out.citation_validity = sum(s.citations_valid for s in scores) / len(scores)
    cited = sum(s.cited for s in scores)
    out.citation_precision = sum(s.cited_relevant for s in scores) / cited if cited else 0.0
    leads = [s.decision_lead for s in scores if s.decision_lead is not None]
    if leads:
        out.decision_lead = sum(leads) / len(leads)
    latencies = sorted(s.latency_ms for s in scores)
    if latencies:
        out.p50_ms = statistics.median(latencies)
        out.p95_ms = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    return out


def markdown_table(rows: dict[str, Summary], ks: tuple[int, ...] = (1, 3, 5)) -> str:
    """Return the summaries as a Markdown table, one row each."""
    head = (
        ["set", "n"]
        + [f"R@{k}" for k in ks]
        + [
            "MRR",
            "facts",
            "abst P",
            "abst R",
            "cite valid",
            "cite prec",
            "p50 ms",
            "p95 ms",
            "dec lead",
        ]
    )
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, s in rows.items():
        cells = (
            [name, str(s.n)]
            + [f"{s.recall.get(k, 0):.2f}" for k in ks]
            + [
                f"{s.mrr:.2f}",
                f"{s.fact_accuracy:.2f}",
                f"{s.abstention_precision:.2f}",
                f"{s.abstention_recall:.2f}",
                f"{s.citation_validity:.2f}",
                f"{s.citation_precision:.2f}",
                f"{s.p50_ms:.0f}",
                f"{s.p95_ms:.0f}",
                "-" if s.decision_lead is None else f"{s.decision_lead:.2f}",
            ]
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def spans_overlap(locator: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a transcript locator ("turn 12", "turns 10-14", "turn 3, part 2") overlaps
    any gold span of turn indices (inclusive)."""
    m = re.match(r"turns? (\d+)(?:-(\d+))?", locator)
    if not m:
        return False
    a = int(m.group(1))
    b = int(m.group(2) or a)
    return any(a <= end and start <= b for start, end in spans)
