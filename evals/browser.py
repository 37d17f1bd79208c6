"""A real browser against the real app: `streamlit run` on loopback and Debian's Chromium
driven by Playwright. Shared by the browser tests and the app benchmark."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium tries hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CHAT_BOX = "Ask about decisions, reports, minutes or public questions"


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_app(env: dict[str, str], *, start_timeout: float = 120.0) -> Iterator[str]:
    """Run the app with `streamlit run` on a free loopback port; yield its URL."""
    port = free_port()
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
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + start_timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"streamlit did not start within {start_timeout:.0f} s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def launch(playwright: Any) -> Any:
    """Return Debian's Chromium, headless, launched by Playwright (never a downloaded one)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def settled(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until the app's script has finished its run (Streamlit marks its root element
    `data-test-script-state="notRunning"`). A click that lands while a run is still drawing
    the page can be lost; a user sees the page settle before clicking, a test must wait."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=timeout_ms
    )


def click_until_shown(page: Any, button: Any, shown: Any, tries: int = 3) -> None:
    """Click a button until what it opens is shown (each wait 15 s): a click can still be
    lost when a run starts between the page settling and the click landing, as a user's
    would be, who clicks again."""
    for attempt in range(tries):
        settled(page)
        if shown.is_visible():
            return  # the last click was slow, not lost
        button.click()
        try:
            shown.wait_for(state="visible", timeout=15_000)
            return
        except Exception:
            if attempt == tries - 1:
                raise
