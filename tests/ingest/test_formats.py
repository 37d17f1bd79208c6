"""Real PDF, DOCX and HTML files made from the seeds, and text in old encodings."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from assistant.service import Assistant
from ingest.embed import Embedder
from ingest.parse import parse_file
from ingest.settings import Settings
from ingest.store import Store
from tests.conftest import CORPUS, DATA, MINUTES_2018, REPORT_2021, REPORT_2022, seed_index_with

ASCII = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


def seed_text(doc_id: str) -> str:
    return (CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8")


def make_pdf(text: str, path: Path, *, lines_per_page: int = 45, width: int = 95) -> Path:
    """Write text as a real PDF, wrapping long lines as a PDF export does, with page numbers."""
    import textwrap

    lines: list[str] = []
    for line in text.translate(ASCII).split("\n"):
        wrapped = textwrap.wrap(line, width) or [""]
        lines.extend(wrapped)
    pages = [
        lines[start : start + lines_per_page] for start in range(0, len(lines), lines_per_page)
    ]
    return pdf_of_pages(pages, path)


def pdf_of_pages(pages: list[list[str]], path: Path) -> Path:
    """Write each page's lines to a real PDF page, its number at the foot."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=9)
    for page_no, lines in enumerate(pages, 1):
        pdf.add_page()
        for i, line in enumerate(lines):
            pdf.text(15, 15 + i * 6, line.encode("latin-1", "replace").decode("latin-1"))
        pdf.text(100, 290, str(page_no))
    pdf.output(str(path))
    return path


def test_pdf_keeps_locators_and_pages(tmp_path: Path) -> None:
    pdf = make_pdf(seed_text(REPORT_2022), tmp_path / "report.pdf")
    record = parse_file(pdf)
    by_locator = {c.locator: c for c in record.chunks}
    para11 = by_locator["para 11"]
    assert "not protected from harm" in para11.text
    assert "\n" not in para11.text  # wrapped lines re-joined
    assert para11.page is not None and para11.page >= 2
    assert "recommendation (a)" in by_locator and "para 21(b)" in by_locator
    assert by_locator["header"].page == 1
    assert record.meta.meeting_date == "2022-09-29"
    for c in record.chunks:
        assert record.text[c.char_start : c.char_end] == c.text
        assert not c.text.strip().isdigit()  # page numbers are not chunks


def test_pdf_of_pdf_converted_seed(tmp_path: Path) -> None:
    record = parse_file(make_pdf(seed_text(REPORT_2021), tmp_path / "r2021.pdf"))
    para28 = next(c for c in record.chunks if c.locator == "para 28")
    assert "from 56% in 2018 to 16% currently" in para28.text


def test_docx_keeps_locators(tmp_path: Path) -> None:
    document = docx.Document()
    for line in seed_text(MINUTES_2018).split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    path = tmp_path / "minutes.docx"
    document.save(str(path))
    record = parse_file(path)
    by_locator = {c.locator: c.text for c in record.chunks}
    assert "25 October 2018" in by_locator["minutes, resolution (b)"]
    assert "requiring improvement overall" in by_locator["minutes, bullet 4"]


def test_docx_tables_and_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Resource implications", level=2)
    document.add_paragraph("12. The cost is shown below.")
    document.add_paragraph("Spending by team")
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Team", "2022/23"), ("Auditors", "523"), ("MASH", "361")]):
        table.rows[r].cells[0].text, table.rows[r].cells[1].text = a, b
    path = tmp_path / "t.docx"
    document.save(str(path))
    record = parse_file(path)
    table_chunk = next(c for c in record.chunks if c.kind == "table")
    assert table_chunk.locator == "table: Spending by team"
    assert "Auditors | 523" in table_chunk.text
    assert next(c for c in record.chunks if c.locator == "para 12").section == (
        "Resource implications"
    )


def test_html_minutes_page(tmp_path: Path) -> None:
    items = "".join(
        f"<li>{line.strip(' ·').strip()}</li>"
        for line in seed_text(MINUTES_2018).split("\n")
        if line.strip().startswith("·")
    )
    page = (
        "<html><head><script>var x=1;</script></head><body><nav>Home | Meetings</nav>"
        "<h2>Agenda item</h2><p>Outcome of children's Ofsted inspection</p>"
        "<p>Minutes:</p><p>The cabinet member introduced the report. It was noted that:</p>"
        f"<ul>{items}</ul><p>Resolved that:</p>"
        "<p>a) cabinet determine any additional actions;</p>"
        "<p>b) the action plan be approved for submission to Ofsted by 25 October 2018.</p>"
        "</body></html>"
    )
    path = tmp_path / "minutes.html"
    path.write_text(page, encoding="utf-8")
    record = parse_file(path)
    by_locator = {c.locator: c.text for c in record.chunks}
    assert "25 October 2018" in by_locator["minutes, resolution (b)"]
    assert "requiring improvement overall" in by_locator["minutes, bullet 4"]
    assert "var x" not in record.text and "Home | Meetings" not in record.text


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_old_encodings_read_correctly(tmp_path: Path, encoding: str) -> None:
    text = seed_text(REPORT_2022).translate({0x2013: "-"} if encoding == "latin-1" else {})
    if encoding == "latin-1":
        text = text.translate(ASCII)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))
    record = parse_file(path)
    para34 = next(c for c in record.chunks if c.locator == "para 34")
    assert "£11.49m" in para34.text


def test_plain_transcript(tmp_path: Path) -> None:
    path = tmp_path / "meeting.transcript.txt"
    path.write_text(
        "Chair: Welcome to the meeting of the scrutiny committee.\n"
        "Cllr Gandy: I want to ask about caseloads in the assessment teams, which have been\n"
        "far too high for far too long.\n"
        "Director: Caseloads have halved since last year.\n",
        encoding="utf-8",
    )
    record = parse_file(path)
    assert record.meta.doc_type == "transcript"
    assert [c.locator for c in record.chunks] == ["turns 0-2"]
    assert "Cllr Gandy" in record.chunks[0].speaker
    assert "far too high for far too long" in record.chunks[0].text


def test_a_transcript_question_and_its_answer_share_a_passage(tmp_path: Path) -> None:
    """Turns run together while they fit the model's window, so the answer is found by the
    question's words too; a turn that would overflow it starts the next passage."""
    question = (
        "Cllr Gandy: " + "Can the director tell us why caseloads in the assessment teams rose? " * 5
    )
    answer = "Director: " + "Caseloads rose because referrals doubled over the winter months. " * 5
    long_turn = "Chair: " + "The committee will now move to the next item of business today. " * 14
    path = tmp_path / "meeting.transcript.txt"
    path.write_text(f"{question}\n{answer}\n{long_turn}\n", encoding="utf-8")
    record = parse_file(path)
    assert [c.locator for c in record.chunks] == ["turns 0-1", "turn 2"]
    assert "assessment teams" in record.chunks[0].text
    assert "referrals doubled" in record.chunks[0].text
    assert record.chunks[0].speaker == "Cllr Gandy, Director"


QUESTION_TURN = (
    "Cllr Gandy: Thank you, Chair. I have read the quarterly performance report closely and "
    "I remain worried about the children's assessment teams. Social workers in those teams "
    "told members at the last visit that they were each holding well over twenty cases, and "
    "several experienced staff have left the service since the summer because of the "
    "pressure. Families are waiting longer for an assessment than the statutory timescale "
    "allows, and the report itself says that agency cover is expensive and short-lived. "
    "Members need to understand whether this is getting better or worse. So my question to "
    "the director is this: what is happening to caseloads in the assessment teams?"
)
ANSWER_TURN = (
    "Director: They have come down a long way. At their worst last winter the average was "
    "twenty-four per worker, and the figure at the end of October was eleven. That is because "
    "we recruited twelve permanent social workers through the overseas programme, we stopped "
    "relying on agency cover for all but two posts, and the front door now screens referrals "
    "so that only those needing a statutory response come through. We expect the figure to "
    "stay at about that level through the spring, although the new duty rota will need to "
    "settle in first. I would be happy to bring the monthly figures to the next meeting of "
    "this committee so that members can see the trend for themselves."
)


def test_a_reply_in_its_own_passage_is_embedded_with_the_question(tmp_path: Path) -> None:
    """A reply too long to share a passage with the question it answers carries that
    question as its context (what the model embeds), not another speaker's remarks."""
    path = tmp_path / "meeting.transcript.txt"
    path.write_text(f"{QUESTION_TURN}\n{ANSWER_TURN}\n", encoding="utf-8")
    record = parse_file(path)
    assert [c.locator for c in record.chunks] == ["turn 0", "turn 1"]
    question, answer = record.chunks
    assert question.context == ""
    assert answer.context.endswith("what is happening to caseloads in the assessment teams?")
    assert len(answer.context.split()) <= 25
    assert "caseloads in the assessment teams" in answer.embedding_text()
    assert "caseloads" not in answer.text


def test_a_reply_is_found_by_the_words_of_the_question(
    tmp_path: Path, seed_dir: Path, embedder: Embedder
) -> None:
    """Asked what the director said about caseloads, the director's reply is found although
    it never says "caseloads": the question it answers does."""
    data = seed_index_with(
        tmp_path,
        seed_dir,
        embedder,
        {"scrutiny.transcript.txt": f"{QUESTION_TURN}\n{ANSWER_TURN}\n"},
    )
    assistant = Assistant(Settings(data_dir=data), store=Store(data), embedder=embedder)
    hits = assistant.retriever.search(
        "What did the director say about caseloads in the assessment teams?", k=5
    ).hits
    found = [h.chunk.locator for h in hits[:3] if h.chunk.doc_type == "transcript"]
    assert "turn 1" in found, [h.chunk.locator for h in hits]


def test_running_headers_go_and_repeated_headings_stay(tmp_path: Path) -> None:
    pages = []
    for n in range(1, 6):
        pages.append(
            "Kent County Council - Questions to the Executive\n\n"
            f"Some business of page {n} was recorded here in a full sentence.\n\n"
            "Question\n\n"
            f"Councillor Ash asked when footpath {n} would be repaired.\n\n"
            "Answer\n\n"
            f"Footpath {n} will be repaired in the spring."
            + " It was inspected last month."
            * (n % 3)
        )
    record = parse_file(make_pdf("\n".join(pages), tmp_path / "q.pdf", lines_per_page=11))
    text = record.text
    assert "Questions to the Executive" not in text  # the running header, on every page
    assert text.count("Footpath 3 will be repaired") == 1
    parts = [c.locator for c in record.chunks if c.kind in ("question", "response")]
    assert len(parts) == 10  # "Question" and "Answer" open parts on every page


MSCC = DATA / "mscc" / "minutes_2020-11.html"


def test_an_html_pages_text_outside_its_paragraphs_is_kept() -> None:
    """Manordeilo and Salem Community Council's page opens with bare text beside its blocks
    ("Manordeilo and Salem Community Council held their meeting via Zoom ... 11th November
    2020. <hr> <h4>PRESENT</h4>"); each numbered <h4> heading is whole, and the paragraph
    under it is the item's first passage, not joined to the heading and lost with it."""
    record = parse_file(MSCC)
    assert (record.meta.body, record.meta.meeting_date, record.meta.doc_type) == (
        "Manordeilo and Salem Community Council",
        "2020-11-11",
        "minutes",
    )
    by_locator = {c.locator: c.text for c in record.chunks}
    assert by_locator["minute 1"].startswith("Cllr. O. Williams took the Chair")
    assert "unanimously agreed that the minutes of the last meeting" in by_locator["minute 2"]
    assert "declared an interest in Agenda Item 7" in by_locator["minute 3"]
    assert "×" not in record.text  # the page's close button


def test_an_html_page_of_the_seed_minutes_keeps_every_paragraph(tmp_path: Path) -> None:
    """The seed council's minutes as a page whose opening sits outside any paragraph and
    whose items have numbered headings: no paragraph is lost or joined to a heading."""
    paragraphs = [p.strip() for p in seed_text(MINUTES_2018).split("\n") if p.strip()]
    lead = [p for p in paragraphs if len(p) > 80 and not p.startswith("·")][:6]
    page = (
        "<html><body><div><time>11 September 2018</time> Cabinet met at 2.30 pm on 11 "
        "September 2018 in the council chamber.<hr>"
        + "".join(f"<h4>{n}. ITEM {n}</h4><p>{text}</p>" for n, text in enumerate(lead, 1))
        + "</div></body></html>"
    )
    path = tmp_path / "minutes.html"
    path.write_text(page, encoding="utf-8")
    record = parse_file(path)
    texts = [c.text for c in record.chunks]
    assert any(t.startswith("11 September 2018 Cabinet met at 2.30 pm") for t in texts), texts
    for text in lead:
        assert any(t.startswith(text[:60]) for t in texts), text[:60]
