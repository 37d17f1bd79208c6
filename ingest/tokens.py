"""The lexical side of the index: tokenising that keeps numbers, sums and references whole."""

from __future__ import annotations

import re
from functools import lru_cache

TOKENIZER_VERSION = 3  # bump when tokenize() changes: stored BM25 indexes are rebuilt
TOKEN = re.compile(r"[a-z0-9]+(?:[.,/'][a-z0-9]+)*")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "did",
        "does",
        "also",
        "may",
        "might",
        "must",
        "shall",
        "tell",
        "me",
        "please",
    ]
)


def stem(word: str) -> str:
    """Return a light stem: plural and common verb endings off, numbers untouched."""
    if any(ch.isdigit() for ch in word) or len(word) <= 4:
        return word
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)] + keep
    return word


def tokenize(text: str) -> list[str]:
    """Return the index terms of text: lower-cased, stopwords out, numbers kept with variants."""
    out: list[str] = []
    for raw in TOKEN.findall(text.lower().replace("\u2019", "'")):
        out.extend(_terms(raw))
    return out


@lru_cache(maxsize=1 << 18)
def _terms(raw: str) -> tuple[str, ...]:
    """Return the index terms of one word as found (cached: a search tokenizes thousands of
    passages, of a vocabulary that repeats)."""
    raw = raw.strip(".,/'")
    if raw.endswith("'s"):
        raw = raw[:-2]
    if not raw or raw in STOPWORDS:
        return ()
    out = [stem(raw)]
    if any(ch.isdigit() for ch in raw):
        plain = raw.replace(",", "")
        if plain != raw:
            out.append(plain)
        # "6.49m" is also findable as "6.49"; "497a" as "497".
        bare = re.sub(r"[a-z]+$", "", plain)
        if bare and bare != plain:
            out.append(bare)
    elif "/" in raw or "'" in raw:
        out.extend(p for p in re.split(r"[/']", raw) if p and p not in STOPWORDS)
    return tuple(out)


def overlap(a: str, b: str) -> float:
    """Return the share of a's terms that b holds (0 when a has none)."""
    terms = set(tokenize(a))
    return len(terms & set(tokenize(b))) / len(terms) if terms else 0.0


def coverage(
    terms: tuple[str, ...] | list[str] | set[str],
    text: str,
    idf: dict[str, float],
    rarest: float | None = None,
) -> float:
    """Return the IDF-weighted share of the terms that text holds (rare words count more;
    a word the index has never seen counts as the rarest: `rarest`, the highest IDF, which
    a caller that asks often passes in)."""
    wanted = set(terms)
    if not wanted:
        return 0.0
    have = set(tokenize(text))
    default = rarest if rarest is not None else max(idf.values(), default=1.0)
    total = sum(idf.get(t, default) for t in wanted)
    return sum(idf.get(t, default) for t in wanted if t in have) / total if total else 0.0
