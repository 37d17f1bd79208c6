"""Synthetic corpora for benchmarks: report-like records made from the seed paragraphs,
with sums, years, names and references varied, at any size."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

from ingest.embed import Embedder
from ingest.parse import parse_file
from ingest.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
NAMES = ["Alder", "Birch", "Cedar", "Hazel", "Rowan", "Willow", "Ash", "Elm", "Oak", "Yew"]
BODIES = ["Cabinet", "Council", "Scrutiny", "Planning", "Audit"]


def seed_paragraphs() -> list[str]:
    """Return the seed records' longer paragraphs, items and bullets, numbering removed."""
    return [
        re.sub(r"^\d+\.\s*", "", c.text)
        for p in sorted(CORPUS.glob("*.txt"))
        for c in parse_file(p).chunks
        if c.kind in ("paragraph", "item", "bullet") and len(c.text.split()) > 12
    ]


def synthetic_report(
    rng: random.Random, n: int, paragraphs: list[str], picks: list[int], year: int
) -> list[str]:
    """Return the lines of a report-like record: the picked paragraphs, numbered, with
    varied sums, years, names and references."""
    lines = [
        f"Title of report: {rng.choice(NAMES)} programme update {n}",
        f"Meeting: {rng.choice(BODIES)}",
        f"Meeting date: {rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} {year}",
        "Key considerations",
    ]
    for i, k in enumerate(picks, 1):
        text = re.sub(
            r"£[\d.,]+m", f"£{rng.randint(1, 99)}.{rng.randint(0, 99):02d}m", paragraphs[k]
        )
        text = re.sub(r"\b20\d\d\b", str(year), text)
        lines.append(f"{i}. {text} ({rng.choice(NAMES)} ref {n}-{i})")
    return lines


def synthetic_reports(
    rng: random.Random, paragraphs: list[str], per_record: int, years: tuple[int, int]
) -> Iterator[tuple[int, list[int], list[str]]]:
    """Yield (number, picked paragraph indexes, lines) of report-like records, endlessly."""
    n = 0
    while True:
        n += 1
        year = rng.randint(*years)
        picks = [rng.randrange(len(paragraphs)) for _ in range(per_record)]
        yield n, picks, synthetic_report(rng, n, paragraphs, picks, year)


def synthetic_corpus(folder: Path, chunks: int, seed: int = 7) -> int:
    """Write report-like records built from the seed paragraphs, varied; return chunk count."""
    paragraphs = seed_paragraphs()
    made = 0
    for n, _, lines in synthetic_reports(random.Random(seed), paragraphs, 40, (2012, 2025)):
        if made >= chunks:
            break
        (folder / f"synthetic_{n:05d}.txt").write_text("\n\n".join(lines), encoding="utf-8")
        made += 40
    return made


def scale_corpus(store: Store, embedder: Embedder, chunks: int, seed: int = 11) -> float:
    """Fill a store with ~`chunks` synthetic chunks; return seconds spent storing them.

    Texts are seed paragraphs with varied sums, years, names and refs; each vector is its
    source paragraph's embedding plus small noise, so a 100k index is built in minutes
    (embedding 100k paragraphs here takes ~30 min; that cost is measured by `ingest`).
    """
    import numpy as np

    from ingest.block import RawLine
    from ingest.blocks import build_blocks
    from ingest.record import assemble

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    paragraphs = seed_paragraphs()
    base = embedder.encode(paragraphs)
    stored = 0
    spent = 0.0
    for n, picks, lines in synthetic_reports(rng, paragraphs, 100, (2005, 2025)):
        if stored >= chunks:
            break
        raw = [RawLine(line) for block in lines for line in (block, "")]
        record = assemble(f"scale_{n:06d}", f"scale_{n:06d}.txt", build_blocks(raw))
        sources = [
            picks[int(c.locator.split()[1].split(",")[0]) - 1]
            if c.locator.startswith("para ")
            else 0
            for c in record.chunks
        ]
        vectors = base[sources] + noise.normal(0, 0.02, (len(sources), base.shape[1]))
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        started = time.perf_counter()
        store.replace_document(record, vectors)
        spent += time.perf_counter() - started
        stored += len(record.chunks)
    started = time.perf_counter()
    store.rebuild_lexical()
    spent += time.perf_counter() - started
    return spent
