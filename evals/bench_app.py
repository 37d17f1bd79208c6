"""The app as its users feel it, timed in a real browser: page load to chat ready, submit to
first streamed words and to the final answer with its sources (the first question after
start, then warm), and a draft and a briefing.

Usage: python -m evals.bench app   (needs Debian's chromium; ingests the seeds first)
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from evals.browser import CHAT_BOX, CHROMIUM, launch, serve_app
from ingest.embed import Embedder
from ingest.pipeline import ingest_paths
from ingest.store import Store

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "What did cabinet decide about tranche two funding?",
    "Who was appointed Commissioner for Children's Services?",
    "What is being done about domestic abuse specialists in the MASH?",
    "How much was the first tranche and when was it drawn down?",
]


def _ask(page: Any, question: str, n: int) -> tuple[float, float]:
    """Ask; return (seconds to first words, seconds to the answer with its sources)."""
    box = page.get_by_placeholder(CHAT_BOX)
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    # The reply is the (2n+2)th message, once it shows words of its own.
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('[data-testid="stChatMessage"]');
                  return m.length >= 2 * n + 2 && m[2 * n + 1].innerText.trim().length > 2; }""",
        arg=n,
        timeout=60_000,
    )
    first = time.perf_counter() - started
    page.wait_for_function(
        """n => { const m = document.querySelectorAll('[data-testid="stChatMessage"]');
                  return m.length >= 2 * n + 2 && m[2 * n + 1].innerText.includes('Sources'); }""",
        arg=n,
        timeout=60_000,
    )
    return first, time.perf_counter() - started


def bench_app() -> None:
    """Print the app's figures, measured in Chromium against `streamlit run`."""
    if not Path(CHROMIUM).exists():
        print("skipped: Debian's chromium is not installed (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        ingest_paths([ROOT / "corpus"], Store(data), Embedder())
        started = time.perf_counter()
        with serve_app({"COUNCIL_DATA_DIR": str(data)}) as url, sync_playwright() as p:
            print(f"server up (health check answers): {time.perf_counter() - started:.1f}s")
            browser = launch(p)
            rows = []
            for session in range(3):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                began = time.perf_counter()
                page.goto(url)
                page.get_by_placeholder(CHAT_BOX).wait_for(timeout=120_000)
                ready = time.perf_counter() - began
                first = _ask(page, QUESTIONS[0], 0)
                warm = [_ask(page, q, n) for n, q in enumerate(QUESTIONS[1:], 1)]
                rows.append((ready, first, warm))
                label = "first session after start" if session == 0 else f"session {session + 1}"
                print(
                    f"{label}: page load to chat ready {ready:.2f}s; first question: first words "
                    f"{first[0]:.2f}s, answer with sources {first[1]:.2f}s"
                )
                page.close()
            warm_first = [w[0] for r in rows for w in r[2]]
            warm_final = [w[1] for r in rows for w in r[2]]
            print(
                f"warm questions (n={len(warm_first)}): first words median "
                f"{statistics.median(warm_first):.2f}s, answer with sources median "
                f"{statistics.median(warm_final):.2f}s"
            )
            print(
                "page load to chat ready, median of the later sessions: "
                f"{statistics.median(r[0] for r in rows[1:]):.2f}s"
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.get_by_placeholder(CHAT_BOX).wait_for(timeout=120_000)
            page.get_by_role("tab", name="Draft a reply to a public question").click()
            page.get_by_role("textbox", name="Public question", exact=True).fill(
                "Are there domestic abuse specialists?"
            )
            began = time.perf_counter()
            page.get_by_role("button", name="Find similar questions and draft a reply").click()
            page.get_by_role("textbox", name="Edit the draft", exact=True).wait_for(timeout=60_000)
            print(f"draft a reply: {time.perf_counter() - began:.2f}s")
            page.get_by_role("tab", name="Briefing").click()
            page.get_by_role("textbox", name="Topic", exact=True).fill("Ofsted inspections")
            began = time.perf_counter()
            page.get_by_role("button", name="Prepare briefing").click()
            page.get_by_text("Outcomes recorded").wait_for(timeout=60_000)
            print(f"briefing: {time.perf_counter() - began:.2f}s")
            browser.close()
