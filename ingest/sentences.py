"""Sentences: the one splitter used by chunking, answers, drafts and briefings."""

from __future__ import annotations

import re

# Abbreviations whose full stop does not end a sentence (each guard includes the stop).
SENTENCE_END = re.compile(
    r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bCllr\.)(?<!\bNo\.)(?<!\bno\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bSt\.)(?<!\bpara\.)(?<!\bCo\.)(?<!\bvs\.)"
    r"(?<!\b[A-Z]\.)"
    r"(?<=[.!?])['\u2019\"\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9\u00a3\u20ac])"
)
TERMINAL = re.compile(r"[.!?:;]['\u2019\"\u201d)*]*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text (no span is empty)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def ends_sentence(text: str) -> bool:
    """Whether text ends where a sentence (or a list's lead-in) ends."""
    return bool(TERMINAL.search(text.rstrip()))
