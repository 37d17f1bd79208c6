"""Running question sets and the QMSum benchmark against an assistant; used by `council eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.service import Assistant
from evals.metrics import (
    USERS,
    Question,
    Scores,
    Summary,
    score,
    spans_overlap,
    summarise,
)
from ingest.chunk import RecordMeta
from ingest.embed import Embedder
from ingest.parse_transcript import build_transcript
from ingest.settings import Settings
from ingest.store import Store


def run_questions(
    assistant: Assistant,
    questions: list[Question],
    *,
    answerer: str = "extractive",
    k: int = 5,
    mode: str = "hybrid",
) -> tuple[list[dict[str, Any]], dict[str, Summary]]:
    """Ask every question; return (JSON rows with scores, summaries overall and by user)."""
    texts: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    scores: list[tuple[str, Scores]] = []
    for q in questions:
        answer = assistant.ask(
            q.question, history=list(q.history), answerer=answerer, k=k, mode=mode
        )
        result = answer.to_json()
        for c in answer.citations:
            if c.doc_id not in texts:
                doc = assistant.store.document(c.doc_id)
                texts[c.doc_id] = doc["text"] if doc else ""
        s = score(q, result, [c.quote for c in answer.retrieved[:k]], texts)
        scores.append((q.user, s))
        rows.append({"id": q.id, "user": q.user, **result, "scores": s.to_json()})
    summaries = {"all": summarise([s for _, s in scores])}
    for user in USERS:
        mine = [s for u, s in scores if u == user]
        if mine:
            summaries[user] = summarise(mine)
    return rows, summaries


def load_qmsum(path: Path) -> list[dict[str, Any]]:
    """Return the meetings of a QMSum JSONL file, named by file and line ("val_0", ...)."""
    meetings = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            data = json.loads(line)
            data["name"] = f"{path.stem.split('_')[-1]}_{n}"
            meetings.append(data)
    return meetings


def qmsum_assistant(path: Path, data_dir: Path, embedder: Embedder) -> Assistant:
    """Return an assistant over the QMSum meetings, ingested into their own collection."""
    store = Store(data_dir, collection="qmsum")
    known = store.document_hashes()
    changed = False
    for meeting in load_qmsum(path):
        turns = [(t["speaker"], t["content"]) for t in meeting["meeting_transcripts"]]
        meta = RecordMeta(title=meeting["name"], body="Committee", doc_type="transcript")
        record = build_transcript(meeting["name"], str(path), turns, meta)
        if known.get(record.doc_id) == record.content_hash:
            continue
        store.replace_document(record, embedder.encode([c.embedding_text() for c in record.chunks]))
        changed = True
    if changed:
        store.rebuild_lexical()
    return Assistant(
        Settings(data_dir=data_dir, collection="qmsum"), store=store, embedder=embedder
    )


def run_qmsum(
    assistant: Assistant, path: Path, *, ks: tuple[int, ...] = (5, 10), mode: str = "hybrid"
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Ask every specific QMSum query over all meetings pooled; return rows and recall/MRR."""
    rows: list[dict[str, Any]] = []
    ranks: list[int | None] = []
    depth = max(ks)
    for meeting in load_qmsum(path):
        for q in meeting["specific_query_list"]:
            spans = [(int(a), int(b)) for a, b in q["relevant_text_span"]]
            answer = assistant.ask(q["query"], k=depth, mode=mode)
            rank = None
            for r, c in enumerate(answer.retrieved[:depth], 1):
                if c.doc_id == meeting["name"] and spans_overlap(c.locator, spans):
                    rank = r
                    break
            ranks.append(rank)
            result = answer.to_json()
            rows.append(
                {
                    "meeting": meeting["name"],
                    "gold_spans": spans,
                    **result,
                    "scores": {"rank": rank},
                }
            )
    n = max(len(ranks), 1)
    summary = {f"recall@{k}": sum(r is not None and r <= k for r in ranks) / n for k in ks}
    summary["mrr"] = sum(1 / r for r in ranks if r) / n
    summary["n"] = len(ranks)
    return rows, summary
