"""A whole council archive, ingested and asked: `python -m evals.bench archive`.

Prints records, chunks, parse rate, the model's own embed rate, the end-to-end ingest rate,
peak memory, index size, retriever load time and CLI `ask` time in a fresh process, app start
time in Chromium, ask p50/p95 for 30 new questions with and without filters, and brief and
decisions times over the whole archive. Skips with a message if the archive is absent.
Compare figures as ratios within one run: these machines are noisy.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant.audience import Filters
from assistant.briefing import brief
from assistant.registers import find_decisions
from assistant.service import Assistant
from evals.bench import peak_rss_mb
from ingest.embed import Embedder
from ingest.pipeline import FolderFacts, Tally, find_records, ingest_paths, read_record
from ingest.settings import Settings
from ingest.store import Store
from ingest.templates import load_templates

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = ROOT.parent / "shared" / "records" / "limerick"

# New questions over the archive (not in any question set): latency only. Each carries the
# filters a user would add (body, year, type); the figures are taken with and without them.
QUESTIONS: list[tuple[str, Filters]] = [
    (
        "What has the council done about derelict sites in Limerick city?",
        Filters(bodies=("Metropolitan District of Limerick",)),
    ),
    (
        "How many houses were added to the vacant homes register?",
        Filters(since="2018-01-01", until="2018-12-31"),
    ),
    ("What was agreed about the Limerick Greenway?", Filters(doc_types=("minutes",))),
    ("What did councillors say about flooding in Castleconnell?", Filters(since="2020-01-01")),
    ("When was the budget for 2020 adopted?", Filters(since="2019-10-01", until="2019-12-31")),
    ("What was the local property tax rate decision?", Filters(doc_types=("minutes",))),
    ("What is the council's housing delivery target?", Filters(since="2021-01-01")),
    (
        "Who was elected Cathaoirleach of the Municipal District of Newcastle West?",
        Filters(bodies=("Municipal District of Newcastle West",)),
    ),
    ("What was decided about the Adare bypass?", Filters(since="2019-01-01")),
    (
        "What did the Joint Policing Committee hear about burglaries?",
        Filters(doc_types=("minutes",)),
    ),
    ("How much was allocated to the Community Support Fund?", Filters(since="2022-01-01")),
    (
        "What was said about the rollout of broadband in rural areas?",
        Filters(since="2017-01-01", until="2019-12-31"),
    ),
    ("What did the council decide about the Georgian Quarter?", Filters(doc_types=("minutes",))),
    ("What was reported about homeless services?", Filters(since="2023-01-01")),
    ("Were there motions about the closure of bank branches?", Filters(doc_types=("minutes",))),
    (
        "What did members ask about speed limits near schools?",
        Filters(since="2016-01-01", until="2018-12-31"),
    ),
    ("What is the Limerick Development Plan timetable?", Filters(since="2020-01-01")),
    (
        "What did the council say about taking estates in charge?",
        Filters(bodies=("Municipal District of Adare - Rathkeale",)),
    ),
    (
        "What grants were given under the Town and Village Renewal Scheme?",
        Filters(since="2017-01-01"),
    ),
    ("What was decided about the disposal of land at Mungret?", Filters(doc_types=("minutes",))),
    ("What was said about the Opera Site development?", Filters(since="2015-01-01")),
    (
        "How did members vote on the directly elected mayor?",
        Filters(since="2018-06-01", until="2019-06-30"),
    ),
    (
        "What did the council report about water services and Irish Water?",
        Filters(since="2014-01-01", until="2016-12-31"),
    ),
    (
        "What were the conclusions about the Limerick Northern Distributor Road?",
        Filters(doc_types=("minutes",)),
    ),
    ("What was discussed about climate action?", Filters(since="2021-01-01")),
    ("What did the council say about Traveller accommodation?", Filters(doc_types=("minutes",))),
    ("What was approved for the Cleeves site?", Filters(since="2020-01-01")),
    ("What was said about library opening hours?", Filters(since="2016-01-01")),
    (
        "How much did the council spend on road resurfacing?",
        Filters(since="2018-01-01", until="2018-12-31"),
    ),
    ("What did the members say about dog fouling and litter?", Filters(doc_types=("minutes",))),
]
TOPICS = ("derelict sites", "housing", "budget")


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def bench_archive(paths: list[Path], data_dir: Path, *, sample: int = 200) -> None:
    """Print the archive figures; `data_dir` keeps the index (a rerun resumes the ingest)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"skipped: {missing[0]} is not here (the archive lives in ../shared/records/)")
        return
    files = find_records(paths)
    print(f"archive: {len(files):,} records under {', '.join(str(p) for p in paths)}")
    # Parse alone, on an even sample.
    facts = FolderFacts(load_templates())
    picked = files[:: max(1, len(files) // sample)][:sample]
    started = time.perf_counter()
    texts = [c.embedding_text() for f in picked for c in read_record(f, facts).chunks]
    spent = time.perf_counter() - started
    print(
        f"parse: {len(picked) / spent:.1f} records/s, {len(texts) / spent:.0f} chunks/s "
        f"({len(picked)} records, {len(texts):,} chunks)"
    )
    # The model alone, on those chunks.
    embedder = Embedder(backend=Settings().embedder)
    embedder.encode(["warm up"])
    random.Random(5).shuffle(texts)
    probe = texts[:2000]
    started = time.perf_counter()
    embedder.encode(probe)
    model_rate = len(probe) / (time.perf_counter() - started)
    print(f"embed (model alone, {embedder.backend}): {model_rate:.0f} chunks/s on {len(probe):,}")
    # End to end, resumable.
    store = Store(data_dir)
    last = [0.0]

    def show(t: Tally) -> None:
        if time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"  {t.records:,}/{t.total:,} records, {t.chunks:,} chunks, {t.rate:.0f}/s")

    report = ingest_paths(paths, store, embedder, on_tally=show)
    chunks = len(store.chunk_ids())
    rate = report.chunks_embedded / report.seconds if report.chunks_embedded else 0.0
    print(f"ingest: {report.summary()}")
    if report.chunks_embedded:
        print(
            f"end to end: {rate:.0f} chunks/s = {rate / model_rate:.2f} of the model's rate; "
            f"peak RSS {peak_rss_mb():.0f} MB"
        )
    print(f"index: {chunks:,} chunks, {store.size_bytes() / 1e6:.0f} MB on disk")
    del store
    # A fresh process: the retriever's load, and `council ask` from start to answer.
    code = (
        "import time, sys; t = time.perf_counter();"
        "from assistant.service import Assistant; from ingest.settings import Settings;"
        f"a = Assistant(Settings(data_dir={str(data_dir)!r})); "
        "print(f'{time.perf_counter() - t:.2f}')"
    )
    load = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    print(f"retriever load (fresh process): {load.stdout.strip() or load.stderr[-300:]} s")
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("council")), "ask", QUESTIONS[0][0]],
        capture_output=True,
        env={"COUNCIL_DATA_DIR": str(data_dir), "PATH": ""},
        check=False,
    )
    print(f"CLI ask, start to answer: {time.perf_counter() - started:.2f} s")
    _bench_app_start(data_dir)
    # Asking, warm: new questions, without and with their filters.
    assistant = Assistant(Settings(data_dir=data_dir))
    assistant.ask("warm up: the council's budget")
    plain = [assistant.ask(q).timings_ms["total"] for q, _ in QUESTIONS]
    filtered = [
        assistant.ask(q, filters=assistant.filters(**_fields(f))).timings_ms["total"]
        for q, f in QUESTIONS
    ]
    for label, times in (("without filters", plain), ("with filters", filtered)):
        p50, p95 = _percentiles(times)
        print(f"ask {label} (n={len(times)}): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    for topic in TOPICS:
        started = time.perf_counter()
        decisions = find_decisions(assistant, topic=topic)
        decided = time.perf_counter() - started
        started = time.perf_counter()
        briefing = brief(assistant, topic)
        briefed = time.perf_counter() - started
        print(
            f"'{topic}': decisions {decided:.2f} s ({len(decisions)} found), "
            f"brief {briefed:.2f} s ({len(briefing.timeline)} timeline entries)"
        )


def _fields(f: Filters) -> dict[str, object]:
    return {k: v for k, v in f.__dict__.items() if v and k != "audience"}


def _bench_app_start(data_dir: Path) -> None:
    from evals.browser import CHAT_BOX, CHROMIUM, launch, serve_app

    if not Path(CHROMIUM).exists():
        print("app start: skipped (Debian's chromium is not installed)")
        return
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with serve_app({"COUNCIL_DATA_DIR": str(data_dir)}) as url, sync_playwright() as p:
        up = time.perf_counter() - started
        browser = launch(p)
        page = browser.new_page()
        began = time.perf_counter()
        page.goto(url)
        page.get_by_placeholder(CHAT_BOX).wait_for(timeout=120_000)
        print(
            f"app start: server up {up:.1f} s; first page load to chat ready "
            f"{time.perf_counter() - began:.1f} s"
        )
        browser.close()
