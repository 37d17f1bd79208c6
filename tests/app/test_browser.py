"""A real browser (Debian's Chromium via Playwright) against `streamlit run` on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.service import Assistant
from tests.conftest import ROOT, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make test installs it with apt-get)",
)


@pytest.fixture(scope="module")
def server(seed_dir: Path, seed_assistant: Assistant) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "COUNCIL_DATA_DIR": str(seed_dir)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app" / "main.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("streamlit did not start within 90 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_ask_open_a_source_and_its_record(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="networkidle")
        box = page.get_by_placeholder("Ask about decisions, reports, minutes or public questions")
        expect(box).to_be_visible(timeout=60_000)
        box.fill("What is being done about domestic abuse specialists in the MASH?")
        box.press("Enter")
        source = page.get_by_text("PQ 4 response", exact=False).first
        expect(source).to_be_visible(timeout=60_000)
        answer = page.locator('[data-testid="stChatMessage"]').nth(1)
        expect(answer).to_contain_text("Domestic Abuse Hub into the MASH")
        expect(answer).not_to_contain_text("**")  # no raw markdown
        source.click()
        mark = page.locator(".passage mark").first
        expect(mark).to_contain_text("incorporate the Domestic Abuse Hub into the MASH")
        page.screenshot(path=str(SHOTS / "answer-with-source.png"), full_page=True)

        page.get_by_role("button", name="Open the whole record").first.click()
        cited = page.locator(".record .cited mark").first
        expect(cited).to_contain_text("incorporate the Domestic Abuse Hub", timeout=30_000)
        expect(page.get_by_text("30 September 2022").first).to_be_visible()
        page.screenshot(path=str(SHOTS / "record-view.png"))
        # Back in the same tab, the conversation is still there.
        page.get_by_role("button", name="← Back to the assistant").click()
        answer = page.locator('[data-testid="stChatMessage"]').nth(1)
        expect(answer).to_contain_text("Domestic Abuse Hub into the MASH", timeout=30_000)
        browser.close()
