"""The registers as a reader sees them: decisions and questions the caller may see, by
body, date, topic, or by likeness to a new question."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.audience import visible
from assistant.service import Assistant
from ingest.registers import Decision, QuestionEntry
from ingest.tokens import tokenize


@lru_cache(maxsize=100_000)
def _terms(text: str) -> frozenset[str]:
    """Return a text's index terms (cached: register entries are searched again and again)."""
    return frozenset(tokenize(text))


def matches_topic(topic: str, *texts: str) -> bool:
    """Whether most of a topic's words appear in the texts."""
    wanted = _terms(topic)
    if not wanted:
        return False
    # Wherever a word's term is, the term less its last letter is in the text ("cities" ->
    # "city"): most entries lack the topic's words outright and are passed over here,
    # without tokenizing them (a second over 10,000 decisions and questions otherwise).
    lowered = " ".join(texts).lower()
    possible = sum(any(c.isdigit() for c in t) or t[:-1] in lowered for t in wanted)
    if possible / len(wanted) < 0.5:
        return False
    have = frozenset().union(*(_terms(t) for t in texts))
    return len(wanted & have) / len(wanted) >= 0.5


def find_decisions(
    assistant: Assistant,
    *,
    body: str = "",
    since: str = "",
    until: str = "",
    topic: str = "",
    audience: str | None = None,
) -> list[Decision]:
    """Return decisions the caller may see, newest first, filtered as asked; an outcome
    link to a decision the caller may not see is left out, never shown as an id."""
    seen = [
        d
        for d in assistant.store.decisions()
        if visible(d.classification, audience or assistant.audience)
    ]
    ids = {d.id for d in seen}
    out = []
    for d in seen:
        d.links = [link for link in d.links if link in ids]
        if body and d.body.lower() != body.lower():
            continue
        if since and d.meeting_date < since or until and d.meeting_date > until:
            continue
        if topic and not matches_topic(topic, d.text, d.title, d.purpose, d.section):
            continue
        out.append(d)
    return out


def find_questions(
    assistant: Assistant,
    *,
    topic: str = "",
    similar: str = "",
    audience: str | None = None,
    k: int = 0,
) -> list[tuple[QuestionEntry, float]]:
    """Return questions the caller may see: all newest first, or ranked by similarity."""
    entries = [
        q
        for q in assistant.store.questions()
        if visible(q.classification, audience or assistant.audience)
    ]
    if topic:
        entries = [
            q
            for q in entries
            if matches_topic(topic, *(q.text(p) for p in ("question", "response", "supplementary")))
        ]
    if not similar:
        return [(q, 0.0) for q in entries][: k or None]
    if not entries:
        return []
    query = assistant.embedder.encode([similar])[0]
    texts = [re.sub(r"^[^\n]*\n\n", "", q.text("question")) for q in entries]
    vectors = assistant.retriever.encode_cached(texts)
    dense = vectors @ query
    q_tokens = tokenize(similar)
    ranked = []
    for q, sim, text in zip(entries, dense, texts, strict=True):
        lexical = assistant.retriever.coverage(q_tokens, text + " " + q.text("response"))
        ranked.append((q, float(0.7 * sim + 0.3 * lexical)))
    ranked.sort(key=lambda pair: -pair[1])
    return ranked[: k or None]
