"""The three users' journeys in a real browser (Debian's Chromium via Playwright) against
`streamlit run` on loopback. Screenshots of each journey go to test-output/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.auth import hash_password
from assistant.service import Assistant
from evals.browser import CHAT_BOX, CHROMIUM, click_until_shown, launch, serve_app, settled
from ingest.embed import Embedder
from tests.assistant.test_exempt import EXEMPT_REPORT, SECRET
from tests.conftest import ROOT, seed_index_with

SHOTS = ROOT / "test-output"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (make test installs it with apt-get)",
)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    seed_dir: Path,
    seed_assistant: Assistant,
    embedder: Embedder,
) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    data = seed_index_with(folder, seed_dir, embedder, {"placements.txt": EXEMPT_REPORT})
    users = {"ann": {"role": "officer", "password_hash": hash_password("s3cret-pass")}}
    env = {"COUNCIL_DATA_DIR": str(data), "COUNCIL_USERS": json.dumps(users)}
    with serve_app(env) as url:
        yield url


@pytest.fixture()
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server, wait_until="networkidle")
        expect(page.get_by_placeholder(CHAT_BOX)).to_be_visible(timeout=90_000)
        yield page
        browser.close()


def answers(page: Any) -> Any:
    return page.locator('[data-testid="stChatMessage"]')


def test_councillor_asks_follows_a_marker_and_opens_the_record(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Council records assistant")).to_be_visible()
    example = page.get_by_role("button", name="Councillor: What did cabinet decide")
    expect(example).to_be_visible()
    settled(page)
    example.click()
    reply = answers(page).nth(1)
    expect(reply).to_contain_text("tranche two", timeout=60_000)
    expect(reply).not_to_contain_text("**")  # no raw markdown
    settled(page)
    page.get_by_role("button", name="[1]", exact=True).first.click()
    popover = page.locator('[data-testid="stPopoverBody"]')
    mark = popover.locator(".passage mark").first
    expect(mark).to_be_visible(timeout=30_000)
    assert len(mark.inner_text()) > 20
    page.screenshot(path=str(SHOTS / "councillor-marker.png"), full_page=True)
    settled(page)
    popover.get_by_role("button", name="Open the whole record").click()
    cited = page.locator(".record .cited mark").first
    expect(cited).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SHOTS / "councillor-record.png"))
    settled(page)
    page.get_by_role("button", name="← Back to the assistant").click()
    expect(answers(page).nth(1)).to_contain_text("tranche two", timeout=30_000)


def test_officer_signs_in_opens_an_exempt_record_and_uploads(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Only a signed-in officer may add records")).to_be_visible()
    sidebar.get_by_role("textbox", name="User name", exact=True).fill("ann")
    sidebar.get_by_role("textbox", name="Password").fill("s3cret-pass")
    settled(page)
    sidebar.get_by_role("button", name="Sign in").click()
    expect(sidebar.get_by_text("Signed in as ann (officer)")).to_be_visible(timeout=30_000)
    box = page.get_by_placeholder(CHAT_BOX)
    box.fill("Who was awarded the children's placements contract?")
    box.press("Enter")
    expect(answers(page).nth(1)).to_contain_text(SECRET, timeout=60_000)
    source = page.locator('[data-testid="stExpander"]').filter(has_text="EXEMPT").first
    expect(source).to_be_visible(timeout=30_000)  # drawn by the run after the answer streams
    settled(page)
    source.get_by_text("EXEMPT (not for publication)").click()
    click_until_shown(
        page,
        source.get_by_role("button", name="Open the whole record"),
        page.locator(".record").first,
    )
    expect(page.locator(".record .cited mark").first).to_be_visible(timeout=30_000)
    expect(page.locator(".record")).to_contain_text(SECRET)
    expect(page.get_by_text("Exempt information (not for publication)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "officer-exempt-record.png"))
    settled(page)
    page.get_by_role("button", name="← Back to the assistant").click()
    expect(sidebar.get_by_text("Signed in as ann (officer)")).to_be_visible(timeout=30_000)
    expect(answers(page).nth(1)).to_contain_text(SECRET)
    before = int(sidebar.locator('[data-testid="stMetricValue"]').first.inner_text())
    record = tmp_path / "bus-shelters.txt"
    record.write_text(
        "Title of report: Bus shelters\n\nMeeting: Cabinet\n\nMeeting date: 3 March 2023\n\n"
        "1. Twelve bus shelters in Kington will be replaced.\n",
        encoding="utf-8",
    )
    expect(sidebar.get_by_text("up to 20 MB each")).to_be_visible()
    sidebar.locator('input[type="file"]').set_input_files(str(record))
    settled(page)
    sidebar.get_by_role("button", name="Ingest these files").click()
    expect(sidebar.get_by_text("1 record added: bus-shelters.txt.")).to_be_visible(timeout=60_000)
    after = sidebar.locator('[data-testid="stMetricValue"]').first
    expect(after).to_have_text(str(before + 1))
    page.screenshot(path=str(SHOTS / "officer-upload.png"), full_page=True)


def test_officer_drafts_two_replies_in_one_session(page: Any) -> None:
    from playwright.sync_api import expect

    settled(page)
    page.get_by_role("tab", name="Draft a reply to a public question").click()
    question = page.get_by_role("textbox", name="Public question", exact=True)
    question.fill("What support is there for victims of domestic abuse in the MASH?")
    settled(page)
    page.get_by_role("button", name="Find similar questions and draft a reply").click()
    editor = page.get_by_role("textbox", name="Edit the draft", exact=True)
    expect(editor).to_contain_text("Domestic Abuse", timeout=60_000)
    page.screenshot(path=str(SHOTS / "officer-draft-1.png"), full_page=True)
    question.fill("How many social workers does the council employ through agencies?")
    settled(page)
    page.get_by_role("button", name="Find similar questions and draft a reply").click()
    expect(editor).to_contain_text("agenc", timeout=60_000)
    expect(editor).not_to_contain_text("Domestic Abuse")
    assert "**" not in editor.input_value()
    page.screenshot(path=str(SHOTS / "officer-draft-2.png"), full_page=True)


def test_scrutiny_member_briefs_and_searches_decisions(page: Any) -> None:
    from playwright.sync_api import expect

    settled(page)
    page.get_by_role("tab", name="Briefing").click()
    page.get_by_role("textbox", name="Topic", exact=True).fill("Ofsted inspections")
    settled(page)
    page.get_by_role("button", name="Prepare briefing").click()
    expect(page.get_by_text("Outcomes recorded")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    page.screenshot(path=str(SHOTS / "scrutiny-briefing.png"), full_page=True)
    settled(page)
    page.get_by_role("tab", name="Decisions").click()
    search = page.get_by_role("textbox", name="Search decisions", exact=True)
    search.fill("action plan")
    search.press("Enter")
    expect(page.get_by_text("decisions, newest first")).to_be_visible(timeout=30_000)
    search.fill("helicopter landing pad")
    search.press("Enter")
    expect(page.get_by_text("No decisions match")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SHOTS / "scrutiny-decisions.png"), full_page=True)
