"""Benchmarks that print figures: ingest throughput, memory, index size, ask latency.

Usage: python -m evals.bench [ingest|ask|all] [--synthetic N]
Figures go to docs/benchmarks.md by hand, with the command that produced them.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.service import Assistant
from ingest.embed import Embedder
from ingest.parse import parse_file
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
QUESTIONS = [
    "What did cabinet decide about tranche two funding?",
    "Who was appointed Commissioner for Children's Services?",
    "How much is tranche two of the transformation funding?",
    "When was the Ofsted inspection report published?",
    "What is being done about domestic abuse specialists in the MASH?",
    "What did the council answer about staff who made mistakes in reports?",
    "What share of agency staff was used in 2018 compared with now?",
    "What did paragraph 11 of the report say about children being protected?",
    "How much did the Auditors line cost in the tranche 2 spending allocation?",
    "What are the council's parking charges in Hereford city centre?",
]
NAMES = ["Alder", "Birch", "Cedar", "Hazel", "Rowan", "Willow", "Ash", "Elm", "Oak", "Yew"]
BODIES = ["Cabinet", "Council", "Scrutiny", "Planning", "Audit"]


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_corpus(folder: Path, chunks: int, seed: int = 7) -> int:
    """Write report-like records built from the seed paragraphs, varied; return chunk count."""
    rng = random.Random(seed)
    paragraphs = [
        c.text
        for p in sorted(CORPUS.glob("*.txt"))
        for c in parse_file(p).chunks
        if c.kind in ("paragraph", "item", "bullet") and len(c.text.split()) > 12
    ]
    made = 0
    n = 0
    while made < chunks:
        n += 1
        year = rng.randint(2012, 2025)
        lines = [
            f"Title of report: {rng.choice(NAMES)} programme update {n}",
            f"Meeting: {rng.choice(BODIES)}",
            f"Meeting date: {rng.randint(1, 28)} {rng.choice(['March', 'June', 'October'])} {year}",
            "Key considerations",
        ]
        for i in range(1, 41):
            text = re.sub(r"^\d+\.\s*", "", rng.choice(paragraphs))
            text = re.sub(r"£[\d.,]+m", f"£{rng.randint(1, 99)}.{rng.randint(0, 99):02d}m", text)
            text = re.sub(r"\b20\d\d\b", str(year), text)
            lines.append(f"{i}. {text} ({rng.choice(NAMES)} ref {n}-{i})")
        (folder / f"synthetic_{n:05d}.txt").write_text("\n\n".join(lines), encoding="utf-8")
        made += 40
    return made


def bench_ingest(synthetic: int) -> None:
    """Print ingest figures for the seed corpus and a synthetic corpus."""
    embedder = Embedder()
    started = time.perf_counter()
    embedder.encode(["warm up"])
    print(f"model load: {time.perf_counter() - started:.2f}s")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        records = [parse_file(p) for p in sorted(CORPUS.glob("*.txt"))]
        parse_s = time.perf_counter() - started
        print(
            f"seed parse: {len(records)} records in {parse_s * 1000:.0f} ms "
            f"({len(records) / parse_s:.0f} records/s)"
        )
        store = Store(Path(tmp) / "seed")
        report = ingest_paths([CORPUS], store, embedder)
        print(
            f"seed ingest: {report.chunks_embedded} chunks in {report.seconds:.2f}s = "
            f"{report.chunks_embedded / report.seconds:.0f} chunks/s end to end; "
            f"index {store.size_bytes() / 1e6:.1f} MB"
        )
        if synthetic:
            folder = Path(tmp) / "synthetic"
            folder.mkdir()
            synthetic_corpus(folder, synthetic)
            big = Store(Path(tmp) / "big")
            report = ingest_paths([folder], big, embedder)
            print(
                f"synthetic ingest: {report.chunks_embedded} chunks from {len(report.added)} "
                f"records in {report.seconds:.1f}s = "
                f"{report.chunks_embedded / report.seconds:.0f} chunks/s end to end; "
                f"index {big.size_bytes() / 1e6:.1f} MB"
            )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")


def bench_ask(rounds: int = 3) -> None:
    """Print warm ask latency (extractive) on the seed corpus, and cold start of `council ask`."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        assistant = Assistant(settings)
        ingest_paths([CORPUS], assistant.store, assistant.embedder)
        assistant.ask(QUESTIONS[0])
        times = []
        for _ in range(rounds):
            for q in QUESTIONS:
                times.append(assistant.ask(q).timings_ms["total"])
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"ask (warm, extractive, seed corpus): n={len(times)} "
            f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms"
        )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", QUESTIONS[1], "--json"],
            check=True,
            capture_output=True,
            env={"COUNCIL_DATA_DIR": tmp, "PATH": "/usr/bin"},
        )
        print(
            f"cold start of `council ask` (process start to answer): "
            f"{time.perf_counter() - started:.1f}s"
        )


def main() -> None:
    """Run the chosen benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", default="all", choices=["ingest", "ask", "all"])
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic chunks to ingest")
    args = parser.parse_args()
    if args.what in ("ingest", "all"):
        bench_ingest(args.synthetic)
    if args.what in ("ask", "all"):
        bench_ask()


if __name__ == "__main__":
    main()
