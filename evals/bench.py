"""Benchmarks that print figures: ingest throughput, memory, index size, ask latency.

Usage: python -m evals.bench [ingest|ask|all] [--synthetic N]
Figures go to docs/benchmarks.md by hand, with the command that produced them.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.service import Assistant
from evals.synthetic import scale_corpus, synthetic_corpus
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


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


SCALE_QUESTIONS = [
    "What did cabinet decide about drawing down the reserve?",
    "How much was allocated to the Assessment Team?",
    "When did Ofsted carry out its focused visit?",
    "Who chairs the improvement board?",
    "What did the report say about caseloads for social workers?",
    "What share of agency staff was used?",
    "What is planned for the fostering service?",
    "How will complaints procedures be improved?",
    "What did the commissioner say about timescales?",
    "Which wards are affected by the decision?",
    "What is the council doing about domestic abuse?",
    "What were the risks of the recruitment market?",
    "When is the action plan due?",
    "What training is offered to staff?",
    "How is the MASH being strengthened?",
    "What did scrutiny say about the action plan?",
    "What happened to the Domestic Abuse Hub?",
    "What is the cost of interim staffing?",
    "Who was appointed improvement director?",
    "What did the leader say in the debate?",
]


def bench_scale(sizes: list[int]) -> list[dict[str, float]]:
    """Print store throughput, index size, memory and ask latency at each corpus size."""
    rows = []
    embedder = Embedder()
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(data_dir=Path(tmp))
            store = Store(Path(tmp))
            spent = scale_corpus(store, embedder, size)
            n = len(store.chunk_ids())
            started = time.perf_counter()
            assistant = Assistant(settings, store=store, embedder=embedder)
            load_s = time.perf_counter() - started
            assistant.ask("warm up question about the budget")
            times = sorted(assistant.ask(q).timings_ms["total"] for q in SCALE_QUESTIONS)
            p50 = statistics.median(times)
            p95 = times[int(len(times) * 0.95) - 1]
            size_mb = store.size_bytes() / 1e6
            row = {
                "chunks": n,
                "store_per_s": n / spent,
                "size_mb": size_mb,
                "p50": p50,
                "p95": p95,
                "rss_mb": peak_rss_mb(),
                "load_s": load_s,
            }
            rows.append(row)
            print(
                f"scale {n} chunks: stored at {n / spent:.0f} chunks/s (vectors given), "
                f"index {size_mb:.0f} MB, retriever load {load_s:.1f}s, "
                f"ask p50 {p50:.0f} ms p95 {p95:.0f} ms (n={len(times)} distinct questions), "
                f"peak RSS {peak_rss_mb():.0f} MB"
            )
    return rows


def chart(rows: list[dict[str, float]], path: Path) -> None:
    """Save a PNG of ask latency and index size against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["chunks"] for r in rows]
    fig, left = plt.subplots(figsize=(7, 4))
    left.plot(xs, [r["p50"] for r in rows], "o-", label="ask p50 (ms)")
    left.plot(xs, [r["p95"] for r in rows], "s--", label="ask p95 (ms)")
    left.set_xscale("log")
    left.set_xlabel("chunks in the index")
    left.set_ylabel("latency (ms)")
    right = left.twinx()
    right.plot(xs, [r["size_mb"] for r in rows], "^:", color="grey", label="index size (MB)")
    right.set_ylabel("index size (MB)")
    lines = left.get_legend_handles_labels()
    more = right.get_legend_handles_labels()
    left.legend(lines[0] + more[0], lines[1] + more[1], loc="upper left")
    left.set_title("Extractive ask latency and index size by corpus size")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"chart: {path}")


def bench_ask(rounds: int = 3) -> None:
    """Print warm ask latency (extractive) on the seed corpus, and cold start of `council ask`."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        assistant = Assistant(settings)
        ingest_paths([CORPUS], assistant.store, assistant.embedder)
        assistant.ask("warm up question about the budget")
        for label, repeat in (("new questions", 1), ("asked again", rounds)):
            times = sorted(
                assistant.ask(q).timings_ms["total"] for _ in range(repeat) for q in QUESTIONS
            )
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"ask (warm process, extractive, seed corpus, {label}): n={len(times)} "
                f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms"
            )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cli.main", "ask", QUESTIONS[1], "--json"],
            check=True,
            capture_output=True,
            env={"COUNCIL_DATA_DIR": tmp, "PATH": "/usr/bin"},
        )
        print(
            f"cold start of `council ask` (process start to answer): "
            f"{time.perf_counter() - started:.1f}s"
        )


def bench_load(clients: int = 20, seconds: float = 60.0) -> None:
    """Print latency and errors for `clients` concurrent question streams on the seed corpus,
    through the assistant API, bounded in time (loopback only: nothing leaves the process)."""
    import threading

    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(Settings(data_dir=Path(tmp)))
        assistant.ingest([CORPUS])
        assistant.ask("warm up question about the budget")
        questions = QUESTIONS + SCALE_QUESTIONS
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def stream(n: int) -> None:
            i = n
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    assistant.ask(questions[i % len(questions)])
                    with lock:
                        latencies.append((time.perf_counter() - started) * 1000)
                except Exception as exc:  # counted and reported, never hidden
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                i += 1

        threads = [threading.Thread(target=stream, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        latencies.sort()
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else 0
        print(
            f"load: {clients} concurrent streams for {seconds:.0f}s: {len(latencies)} answers "
            f"({len(latencies) / seconds:.1f}/s), {len(errors)} errors, "
            f"p50 {statistics.median(latencies) if latencies else 0:.0f} ms, p95 {p95:.0f} ms"
        )
        for e in errors[:5]:
            print(f"  error: {e}")


def bench_quality(qmsum: Path | None) -> None:
    """Print retrieval and answer quality of dense-only, BM25-only and hybrid, side by side."""
    from evals.metrics import load_questions
    from evals.run import qmsum_assistant, run_qmsum, run_questions

    questions = load_questions(ROOT / "evals" / "questions" / "seeds_dev.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(Settings(data_dir=Path(tmp)))
        assistant.ingest([CORPUS])
        print("| retriever | set | R@1 | R@3 | R@5 | R@10 | MRR | facts | abstain P/R |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for mode in ("dense", "lexical", "hybrid"):
            _, summary = run_questions(assistant, questions, mode=mode)
            a = summary["all"]
            print(
                f"| {mode} | seed (72) | {a.recall[1]:.2f} | {a.recall[3]:.2f} | "
                f"{a.recall[5]:.2f} | - | {a.mrr:.2f} | {a.fact_accuracy:.2f} | "
                f"{a.abstention_precision:.2f}/{a.abstention_recall:.2f} |"
            )
        if qmsum is not None and qmsum.is_file():
            qa = qmsum_assistant(qmsum, Path(tmp) / "qmsum", assistant.embedder)
            for mode in ("dense", "lexical", "hybrid"):
                _, q = run_qmsum(qa, qmsum, ks=(1, 3, 5, 10), mode=mode)
                print(
                    f"| {mode} | QMSum ({q['n']:.0f}) | {q['recall@1']:.2f} | "
                    f"{q['recall@3']:.2f} | {q['recall@5']:.2f} | {q['recall@10']:.2f} | "
                    f"{q['mrr']:.2f} | - | - |"
                )


def main() -> None:
    """Run the chosen benchmarks."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "what",
        nargs="?",
        default="all",
        choices=["ingest", "ask", "scale", "load", "quality", "parse", "app", "archive", "all"],
    )
    parser.add_argument(
        "--records",
        nargs="*",
        default=[str(ROOT.parent / "shared" / "records" / n) for n in ("kent", "limerick")],
        help="parse: one folder per council",
    )
    parser.add_argument("--limit", type=int, default=0, help="parse: records per council")
    parser.add_argument("--verbose", action="store_true", help="parse: show examples")
    parser.add_argument("--clients", type=int, default=20, help="load: concurrent streams")
    parser.add_argument("--seconds", type=float, default=60.0, help="load: how long")
    parser.add_argument(
        "--qmsum",
        default=str(ROOT.parent / "shared" / "external" / "qmsum" / "committee_val.jsonl"),
        help="quality: QMSum committee JSONL (skipped if missing)",
    )
    parser.add_argument("--synthetic", type=int, default=2000, help="synthetic chunks to ingest")
    parser.add_argument("--sizes", default="1000,10000,100000", help="scale corpus sizes")
    parser.add_argument("--chart", default=str(ROOT / "docs" / "scale.png"))
    parser.add_argument(
        "--archive",
        nargs="*",
        default=[str(ROOT.parent / "shared" / "records" / "limerick")],
        help="archive: the folders of one council's archive",
    )
    parser.add_argument(
        "--data", default="", help="archive: keep the index here (a rerun resumes the ingest)"
    )
    args = parser.parse_args()
    if args.what == "archive":  # long: not part of "all"
        from evals.bench_archive import bench_archive

        with tempfile.TemporaryDirectory() as tmp:
            bench_archive([Path(p) for p in args.archive], Path(args.data or tmp))
        return
    if args.what in ("parse", "all"):
        from evals.bench_parse import bench_parse

        bench_parse([Path(r) for r in args.records], limit=args.limit, verbose=args.verbose)
    if args.what in ("ingest", "all"):
        bench_ingest(args.synthetic)
    if args.what in ("app", "all"):
        from evals.bench_app import bench_app

        bench_app()
    if args.what in ("ask", "all"):
        bench_ask()
    if args.what in ("quality", "all"):
        bench_quality(Path(args.qmsum))
    if args.what in ("load", "all"):
        bench_load(args.clients, args.seconds)
    if args.what in ("scale", "all"):
        rows = bench_scale([int(x) for x in args.sizes.split(",")])
        if args.chart:
            chart(rows, Path(args.chart))


if __name__ == "__main__":
    main()
