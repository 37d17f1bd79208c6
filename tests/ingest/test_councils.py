"""Records of councils nobody here wrote (tests/data: Kent modern.gov PDFs, Limerick's
converted minutes) are read as well as the seeds: metadata, classification, named parts in
the record's own words, registers and exact offsets."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from ingest.block import RawLine
from ingest.blocks import build_blocks
from ingest.chunk import ParsedRecord
from ingest.dates import parse_date
from ingest.metadata import long_date
from ingest.parse import parse_file
from ingest.pipeline import FolderFacts, find_records, read_record
from ingest.registers import extract_decisions, extract_questions
from ingest.templates import load_templates
from ingest.tokens import STOPWORDS
from tests.conftest import CORPUS, COUNCIL_2022, DATA
from tests.ingest.test_formats import MSCC, pdf_of_pages

KENT_REPORT = "Devolution White Paper - County Council Report - FINAL.pdf"
KENT_MINUTES = "Printed minutes 13th-Feb-2025 09.30 County Council.pdf"
KENT_DECEMBER = "19 December 2024 - County Council minutes.pdf"
KENT_JANUARY = "Printed minutes 09th-Jan-2025 10.00 County Council.pdf"
LIMERICK_MD = (
    "Minutes - Monthly Meeting of the Municipal District of Newcastle West - 6th February 2019.md"
)
LIMERICK_COUNCIL = (
    "Minutes - Full Meeting of Limerick City and County Council - 28th January 2019.md"
)


@pytest.fixture(scope="module")
def records() -> dict[str, ParsedRecord]:
    """Return every record of tests/data parsed with its folder's sidecars, by file name."""
    facts = FolderFacts(load_templates())
    files = find_records([DATA / "kent", DATA / "limerick"])
    return {p.name: read_record(p, facts) for p in files}


def written(folder: Path, name: str, text: str) -> ParsedRecord:
    """Return a record written to a file of this name, as ingest reads it."""
    (folder / name).write_text(text, encoding="utf-8")
    return read_record(folder / name, FolderFacts(load_templates()))


def part(record: ParsedRecord, locator: str) -> str:
    found = [c for c in record.chunks if c.locator == locator]
    assert found, f"no {locator!r} in {record.doc_id}: {[c.locator for c in record.chunks]}"
    return found[0].text


@pytest.mark.parametrize(
    ("name", "title", "body", "date", "doc_type"),
    [
        (KENT_REPORT, "English Devolution White Paper", "County Council", "2025-01-09", "report"),
        (
            KENT_MINUTES,
            "Minutes: County Council, 13 February 2025",
            "County Council",
            "2025-02-13",
            "minutes",
        ),
        (
            KENT_DECEMBER,
            "Minutes: County Council, 19 December 2024",
            "County Council",
            "2024-12-19",
            "minutes",
        ),
        (
            LIMERICK_MD,
            "Minutes: Municipal District of Newcastle West, 6 February 2019",
            "Municipal District of Newcastle West",
            "2019-02-06",
            "minutes",
        ),
        (
            LIMERICK_COUNCIL,
            "Minutes: Limerick City and County Council, 28 January 2019",
            "Limerick City and County Council",
            "2019-01-28",
            "minutes",
        ),
    ],
)
def test_metadata_is_read_from_each_councils_template(
    records: dict[str, ParsedRecord], name: str, title: str, body: str, date: str, doc_type: str
) -> None:
    meta = records[name].meta
    assert (meta.title, meta.body, meta.meeting_date, meta.doc_type) == (
        title,
        body,
        date,
        doc_type,
    )
    assert meta.classification == "Open"
    assert not meta.date_inferred  # each states its own date


def test_minutes_keep_their_own_date_not_the_folder_or_adopted_minutes(
    records: dict[str, ParsedRecord],
) -> None:
    # Filed in the 13 February 2025 meeting's folder (its metadata.json says so), and the
    # 13 February minutes name 19 December 2024 as minutes they approve.
    assert records[KENT_DECEMBER].meta.meeting_date == "2024-12-19"
    assert records[KENT_MINUTES].meta.meeting_date == "2025-02-13"
    # Limerick files minutes in the adopting meeting's folder (25 March 2019).
    assert records[LIMERICK_COUNCIL].meta.meeting_date == "2019-01-28"


def test_cover_sheet_fields_come_from_labels(records: dict[str, ParsedRecord]) -> None:
    meta = records[KENT_REPORT].meta
    assert meta.report_by == "Roger Gough, Leader of the Council"
    assert meta.sources["title"] == "text" and meta.sources["classification"] == "text"
    assert records[KENT_REPORT].warnings == ()  # "Unrestricted" is a known open word


@pytest.mark.parametrize(
    ("name", "locator", "words"),
    [
        (KENT_REPORT, "para 1.1", "On 16 December 2024 the Government published"),
        (KENT_REPORT, "recommendation (2)", "Endorse the proposed decision by the Leader"),
        (KENT_MINUTES, "minute 288, resolution", "be approved as a correct record"),
        (KENT_MINUTES, "minute 290(3)", "Motion carried."),
        (KENT_MINUTES, "minute 290, resolution (4)", "noted the report and agreed to have due"),
        (LIMERICK_COUNCIL, "minute 2(a), resolution", "8, O’Donoghue Avenue, Janesboro"),
        # "... draft Minutes of the following Meetings:" is read with its "a)" and "b)" lines
        (LIMERICK_COUNCIL, "minute 1", "b) Special Meeting of the Council held on 26th"),
        (LIMERICK_COUNCIL, "minute 1, resolution", "be taken as read and adopted and signed"),
        (LIMERICK_MD, "Q 6 question", "when footpath renewal works will be undertaken"),
        (LIMERICK_MD, "Q 6 response", "Footpath upgrade works along Scanlan’s Lane"),
    ],
)
def test_named_parts_hold_the_records_words(
    records: dict[str, ParsedRecord], name: str, locator: str, words: str
) -> None:
    assert words in part(records[name], locator)


def test_a_recorded_vote_is_one_chunk_with_its_motion(records: dict[str, ParsedRecord]) -> None:
    vote = next(c for c in records[KENT_MINUTES].chunks if c.locator == "minute 290(3)")
    assert vote.kind == "vote"
    assert vote.text.startswith("(3) The Chairman put the motion")
    for words in ("For (57)", "Against (0)", "Abstain (2)", "Mr B Lewis, Mr D Ross"):
        assert words in vote.text


def test_a_resolution_is_read_with_who_proposed_and_seconded_it(
    records: dict[str, ParsedRecord],
) -> None:
    # Limerick puts the proposer and seconder on lines of their own before "And Resolved:";
    # Kent names them in the motion's own paragraph. Either way the decision's chunk says who.
    limerick = next(
        c for c in records[LIMERICK_COUNCIL].chunks if c.locator == "minute 2(a), resolution"
    )
    assert limerick.kind == "resolution"
    assert limerick.text.startswith("Proposed by Councillor Collins (M);")
    assert "Seconded by Councillor Sheahan (J);" in limerick.text
    assert (
        not [  # nor joined to the paragraph before, as a wrapped line
            (c.locator, c.text[-60:])
            for r in (records[LIMERICK_COUNCIL], records[LIMERICK_MD])
            for c in r.chunks
            if c.kind != "resolution" and ("Proposed by" in c.text or "Seconded by" in c.text)
        ]
    )
    kent = [c for c in records[KENT_JANUARY].chunks if "seconded the motion" in c.text]
    assert kent and all("Mr Gough proposed" in c.text for c in kent)


def test_wrapped_lines_and_page_breaks_are_joined(records: dict[str, ParsedRecord]) -> None:
    # Limerick's converter put a blank line after every PDF line and '---' between pages.
    text = part(records[LIMERICK_COUNCIL], "minute 2(a), resolution")
    assert "Local Government Act, 2001, as amended, and Section 211" in text
    assert "\n" not in text.split("And Resolved:")[-1].strip()
    for record in records.values():
        for c in record.chunks:
            after = record.text[c.char_end : c.char_end + 20].lstrip()
            if c.kind not in ("table", "header", "caption", "question") and after:
                assert not (after[0].islower() and c.text[-1].isalpha()), (c.locator, c.text)


def test_offsets_quote_the_record_exactly(records: dict[str, ParsedRecord]) -> None:
    assert len(records) == 6
    for record in records.values():
        assert record.chunks
        for c in record.chunks:
            assert record.text[c.char_start : c.char_end] == c.text


def test_registers_find_each_councils_decisions_and_questions(
    records: dict[str, ParsedRecord],
) -> None:
    kent = {d.ref.locator: d for d in extract_decisions(records[KENT_MINUTES])}
    assert kent["minute 288, resolution"].status == "resolved"
    assert "minute 290, resolution (4)" in kent
    limerick = extract_decisions(records[LIMERICK_COUNCIL])
    assert len([d for d in limerick if d.status == "resolved"]) >= 10
    questions = {q.number: q for q in extract_questions(records[LIMERICK_MD])}
    # Questions (6-11), then notices of motion that were replied to (13, 14, 16, 17; 15 had
    # no reply): what officers answered, found as questions are.
    assert list(questions) == [f"Q {n}" for n in (6, 7, 8, 9, 10, 11, 13, 14, 16, 17)]
    assert questions["Q 6"].questioner == "Councillor J. Scanlan"
    assert "Footpath upgrade works" in questions["Q 6"].text("response")
    assert questions["Q 14"].questioner == "Councillor J. Scanlan"
    assert questions["Q 14"].text("question").startswith("I will move at the next Meeting")
    assert "Newcastle West Movement Plan" in questions["Q 14"].text("response")


def test_a_folder_readme_and_a_sidecar_fill_only_what_the_text_lacks(tmp_path: Path) -> None:
    folder = tmp_path / "25-Full Meeting of Limerick City and County Council"
    folder.mkdir()
    (folder / "README.md").write_text(
        "# Meeting Details\n\n**Meeting Name:** Full Meeting of Limerick City and County "
        "Council\n\n**Date and Time:** 2019-03-25 15:00:00\n",
        encoding="utf-8",
    )
    (folder / "notes.txt").write_text(
        "Item 4: the Chief Executive's report on housing was circulated.\n", encoding="utf-8"
    )
    record = read_record(folder / "notes.txt", FolderFacts(load_templates()))
    assert (
        record.meta.body == "Limerick City and County Council"
    )  # "Full Meeting of" is not the body
    assert record.meta.meeting_date == "2019-03-25"
    assert record.meta.date_inferred and set(record.meta.inferred) >= {"body", "meeting_date"}


@pytest.mark.parametrize(
    ("sidecar", "content", "name"),
    [
        (  # Limerick: the folder's README dates the adopting meeting
            "README.md",
            "# Meeting Details\n\n**Meeting Name:** Monthly Meeting of the Municipal District of "
            "Cappamore-Kilmallock\n\n**Date and Time:** 2023-10-19 15:00:00\n",
            "Minutes - Meeting of the Municipal District of Cappamore-Kilmallock - "
            "21st September 2023.md",
        ),
        (  # Kent: metadata.json gives each file the meeting it was published with
            "metadata.json",
            '[{"filename": "19 December 2024 - County Council minutes.txt", '
            '"committee": "County Council", "meeting_date": "2025-02-13"}]',
            "19 December 2024 - County Council minutes.txt",
        ),
    ],
)
def test_a_files_own_name_dates_it_before_its_folders_sidecar(
    tmp_path: Path, sidecar: str, content: str, name: str
) -> None:
    # The minutes' own opening names the day but not the year, as Limerick's often do.
    (tmp_path / sidecar).write_text(content, encoding="utf-8")
    (tmp_path / name).write_text(
        "MINUTES OF PROCEEDINGS OF MONTHLY MEETING HELD ON THURSDAY 21st September AT 3.00PM."
        "\n\n1. Adoption of Minutes\n\nThe minutes were adopted.\n",
        encoding="utf-8",
    )
    meta = read_record(tmp_path / name, FolderFacts(load_templates())).meta
    assert meta.meeting_date == ("2023-09-21" if name.endswith(".md") else "2024-12-19")
    assert meta.date_inferred  # read from the name, not stated by the text


def test_a_reply_is_embedded_with_the_question_it_answers(
    records: dict[str, ParsedRecord],
) -> None:
    # A long reply is cut into parts; each part is read with the start of the question, so
    # "(b) A capital appraisal ..." still says it is about what was asked (Limerick's minutes
    # and Herefordshire's public questions).
    council = parse_file(CORPUS / f"{COUNCIL_2022}.txt")
    for record in (records[LIMERICK_MD], council):
        questions = {
            c.locator.split(" question")[0]: c for c in record.chunks if c.kind == "question"
        }
        replies = [c for c in record.chunks if c.kind == "response"]
        assert replies, record.doc_id
        for reply in replies:
            question = questions[reply.locator.split(" response")[0]]
            assert reply.context
            assert not re.match(r"(PQ|MQ|Q)? ?\d", reply.context)  # not the label or row line
            assert " ".join(reply.context.split()[-5:]) in " ".join(question.text.split())
            assert reply.context in reply.embedding_text()


@pytest.mark.parametrize(
    ("name", "text", "lead_in"),
    [
        (  # Limerick's scanned minutes (Newcastle West, 14 July 2021), as converted
            "Minutes - Monthly Meeting of the Municipal District of Newcastle West - "
            "14th July 2021.md",
            "MINUTES OF PROCEEDINGS AT MEETING OF THE MUNICIPAL DISTRICT OF NEWCASTLE WEST "
            "HELD IN ARAS WILLIAM SMITH OBRIEN, ON WEDNESDAY, 14TH JULY, 2021, AT 10AM.\n\n"
            "4. Transportation and Mobility Directorate\n\n"
            "To consider and approve 30kph speed limits in accordance with\n"
            "Speed Limit Bye Laws for National and Non National Roads for the\n\nestates:\n\n"
            "(a) Rathronan, Athea.\n\n(b) Ellis Wood, Abbeyfeale.\n\n"
            "The Members approved the introduction of the above 30kph speed limits.\n",
            "To consider and approve 30kph speed limits in accordance with",
        ),
        (  # Kent's minutes, in the form of its printed minutes (numbered minute items)
            "Printed minutes 09th-Jan-2025 10.00 County Council.txt",
            "MINUTES of a meeting of the Kent County Council held in the Council Chamber, "
            "Sessions House, County Hall, Maidstone on Thursday, 9 January 2025.\n\n"
            "286. Appointments to committees\n\n"
            "The Chairman reported that the following Members had been appointed to the\n\n"
            "Governance Committee:\n\n(a) Mr Brady.\n\n(b) Ms Constantine.\n\n"
            "287. Chairman's announcements\n\nThe Chairman thanked Members.\n",
            "had been appointed to the",
        ),
    ],
)
def test_a_wrapped_lead_in_and_its_short_list_are_one_passage(
    tmp_path: Path, name: str, text: str, lead_in: str
) -> None:
    record = written(tmp_path, name, text)
    (passage,) = [c for c in record.chunks if lead_in in c.text]
    assert passage.text.rstrip().endswith(("Abbeyfeale.", "Ms Constantine."))
    assert not any(lead_in in c.section for c in record.chunks)  # the cut line is no heading


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (  # Limerick's converter: every PDF line followed by a blank line (16 May 2022)
            "Minutes - Monthly Meeting of Metropolitan District of Limerick - 16 May 2022.md",
            "MINUTES OF PROCEEDINGS AT MONTHLY MEETING OF THE METROPOLITAN DISTRICT OF "
            "LIMERICK HELD IN THE COUNCIL CHAMBER ON MONDAY, 16TH MAY, 2022\n\n"
            "4. Dockless Bicycle Hire Bye-Laws\n\n"
            + "Members welcomed the introduction of the Bye-Laws. They noted that advertising "
            "for alcohol\n\nproducts would not be permitted on the bicycles and suggested that "
            "this should be extended to\n\ntobacco products and the promotion of healthier "
            "eating options if possible too.\n\nProposed by Councillor Collins;\n\n"
            "Seconded by Councillor Leddin;\n\nAnd Resolved:\n\n"
            "“That, the Draft Bye-Laws 2022, be and are hereby adopted”.\n",
        ),
        (  # a text export of English minutes, one line per printed line
            "Cabinet minutes 29 September 2022.txt",
            "Minutes of the meeting of Cabinet held at Plough Lane, Hereford on Thursday 29 "
            "September 2022 at 2.30 pm\n\n12. Bus shelters\n\n"
            "Members welcomed the report on the new bus shelters and asked that the shelters "
            "at the\nhospital and the bus station be replaced first, as they were the busiest "
            "in the county.\nProposed by Councillor Smith;\nSeconded by Councillor Jones;\n"
            "RESOLVED: That the programme of bus shelter replacement be approved.\n",
        ),
    ],
)
def test_a_proposer_line_is_never_joined_to_the_paragraph_before(
    tmp_path: Path, name: str, text: str
) -> None:
    record = written(tmp_path, name, text)
    (resolution,) = [c for c in record.chunks if c.kind == "resolution"]
    assert resolution.text.startswith("Proposed by Councillor"), resolution.text
    assert not any("Proposed by" in c.text for c in record.chunks if c.kind != "resolution")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (  # Limerick (Newcastle West, 14 July 2021), one printed line per line
            "Minutes - Monthly Meeting of the Municipal District of Newcastle West - "
            "14th July 2021.md",
            "4. Transportation and Mobility Directorate\n\nThe Members approved the "
            "introduction of the above 30kph speed limits which were\nproposed by Councillor "
            "Sheahan and seconded by Councillor Galvin.\n",
        ),
        (  # Kent's printed minutes
            "Printed minutes 09th-Jan-2025 10.00 County Council.txt",
            "286. Election of Chair\n\nThe Council agreed that the nomination, which was\n"
            "proposed by Mr Gough and seconded by Mr Brady, be accepted.\n",
        ),
    ],
)
def test_a_wrapped_line_that_starts_proposed_by_is_still_a_wrap(
    tmp_path: Path, name: str, text: str
) -> None:
    record = written(tmp_path, name, text)
    assert any(
        "which were proposed by" in c.text or "which was proposed by" in c.text
        for c in record.chunks
    ), [c.text for c in record.chunks]


@pytest.mark.parametrize(
    ("name", "text", "mover", "motion", "reply"),
    [
        (  # Limerick (Cappamore-Kilmallock, 21 September 2023), as converted
            "Minutes - Meeting of the Municipal District of Cappamore-Kilmallock - "
            "21st September 2023.md",
            "NOTICES OF MOTION\n\n10.\n\nNotice of Motion submitted by Councillor E. Ryan\n\n"
            "I will move at the next meeting of the Cappamore-Kilmallock Municipal District\n\n"
            "that Limerick City and County Council extend the roadside barrier at Kilglass on "
            "the R513\n\nin the interest of health and safety .\n\n"
            "**Proposed: Councillor E Ryan**\n\n**Seconded: Councillor Donegan**\n\n**Reply**\n\n"
            "The Cappamore Kilmallock MD Office will request that this section of the R513 be\n\n"
            "considered for inclusion in submissions to the Department of Transport for funding"
            "\n\nunder the Safety Improvement Measures grants in 2024.\n\n11.\n\n"
            "Notice of Motion submitted by Councillor Carey\n\nI will move that the road in "
            "Kilfinane be one-way.\n\nIt was agreed to refer this Notice of Motion to the "
            "Roads Section.\n",
            "Councillor E. Ryan",
            "roadside barrier at Kilglass",
            "Safety Improvement Measures",
        ),
        (  # Herefordshire's labels ("Response:" on its own line, as its question tables use)
            "Council minutes 10 February 2023.txt",
            "MINUTES of the meeting of Council held at The Shire Hall, Hereford on Friday 10 "
            "February 2023 at 10.00 am\n\n12. Notice of motion from Councillor Jenny Bartlett"
            "\n\nCouncil calls on the executive to publish the children's services improvement "
            "plan every quarter.\n\nResponse:\n The cabinet member children and families said "
            "the improvement plan is published each quarter with the Ofsted monitoring letters."
            "\n\n13. Treasury management strategy\n\nIt was resolved that the strategy be "
            "approved.\n",
            "Councillor Jenny Bartlett",
            "improvement plan every quarter",
            "Ofsted monitoring letters",
        ),
    ],
)
def test_a_motion_replied_to_is_read_as_a_question_and_its_reply(
    tmp_path: Path, name: str, text: str, mover: str, motion: str, reply: str
) -> None:
    record = written(tmp_path, name, text)
    (entry,) = extract_questions(record)
    assert entry.questioner == mover
    assert motion in entry.text("question")
    assert reply in entry.text("response")
    (answer,) = [c for c in record.chunks if reply in c.text]
    assert answer.kind == "response"
    assert motion in answer.embedding_text()  # the reply is found by what it answers
    # A motion with no reply stays the minute's: its resolution is a decision.
    assert any(c.kind == "resolution" and c.text.startswith("It was") for c in record.chunks)


@pytest.mark.parametrize(
    ("name", "text", "subject"),
    [
        (  # Limerick (Metropolitan District, 21 May 2018), as converted: a double-spaced title
            "Minutes - Monthly Meeting of Metropolitan District of Limerick - 21st may 2018.md",
            "MINUTES OF PROCEEDINGS AT MEETING OF METROPOLITAN DISTRICT OF LIMERICK HELD IN THE "
            "COUNCIL CHAMBER, MERCHANT'S QUAY, LIMERICK, ON MONDAY, 21ST MAY, 2018.\n\n"
            "**10.**\n\n**Notice of Motion submitted by Councillor D. Butler (to be referred to "
            "the Economic**\n\n**Development, Enterprise and Planning Strategic Policy "
            "Committee)**\n\n***I call at the next meeting on Limerick City and County Council "
            "to develop a database of***\n\n***information on the reasons behind business "
            "closure in the city.***\n\nIt was agreed that this Notice of Motion be referred to "
            "the Economic Development, Enterprise\n\nand Planning Strategic Policy Committee.\n",
            "business closure",
        ),
        (  # Kent's minutes: an item's debate, then its resolution
            "Printed minutes 13th-Feb-2025 09.30 County Council.txt",
            "MINUTES of a meeting of the County Council held in the Council Chamber, Sessions "
            "House, County Hall, Maidstone on Thursday, 13 February 2025.\n\n"
            "289. Treasury Management Strategy\n\n(1) Mr Oakford moved the treasury management "
            "strategy for 2025-26, which sets the limits on the council's borrowing.\n\n"
            "RESOLVED that the strategy be approved.\n",
            "treasury management strategy",
        ),
    ],
)
def test_a_resolution_is_read_with_what_its_item_is_about(
    tmp_path: Path, name: str, text: str, subject: str
) -> None:
    record = written(tmp_path, name, text)
    (resolution,) = [c for c in record.chunks if c.kind == "resolution"]
    assert subject in resolution.context.lower(), resolution
    assert subject in resolution.embedding_text().lower()
    # The motion's title, wrapped over two lines, is its item's heading, whole, and not
    # joined to the motion's words.
    assert resolution.section.startswith(("10. Notice of Motion", "289.")), resolution.section
    assert resolution.section.endswith(("Committee)", "Strategy")), resolution.section
    assert not any(c.text.startswith(("10. Notice", "Notice of")) for c in record.chunks)


def _marks_on_their_own_lines(seed_lines: list[str], mark: str) -> str:
    """Return a seed's list as converters give it: the list mark on a line of its own."""
    return "\n\n".join(f"{mark}\n\n{line}" for line in seed_lines)


SEED_LIST = [  # the first three of the 2022 report's nine key areas for improvement
    line.strip(" -")
    for line in (CORPUS / "000_c63c77a5f0830ac3.txt").read_text(encoding="utf-8").splitlines()
    if re.match(r"\s*- [A-Z][a-z]", line)
][:3]


@pytest.mark.parametrize(
    ("name", "text", "items"),
    [
        (  # Limerick (Home and Social Development SPC, 16 February 2022), as converted
            "Minutes - Meeting of the Home and Social Strategic Policy Committee - 16th "
            "February 2022.md",
            "**Item 4:** **Presentation from Threshold**\n\nA discussion took place and the "
            "main points were:\n\n-\n\nCllr. Ryan advised that he would support an increase "
            "in HAP payments, as it is\n\nimportant.\n\n-\n\nMs. Una Burns noted the huge "
            "financial burden on the state when it comes to\n\nemergency accommodation and "
            "supports an increase in HAP payments.\n",
            [
                "Cllr. Ryan advised that he would support an increase in HAP payments",
                "Ms. Una Burns noted the huge financial burden",
            ],
        ),
        (  # Herefordshire: the seed report's list of key areas, its marks on lines of their own
            "Cabinet report 29 September 2022.txt",
            "15. Nine key areas for improvement are identified, as follows:\n\n"
            + _marks_on_their_own_lines(SEED_LIST, "\u2022"),
            [line[:40] for line in SEED_LIST],
        ),
    ],
)
def test_a_list_mark_alone_on_its_line_marks_the_next_as_an_item(
    tmp_path: Path, name: str, text: str, items: list[str]
) -> None:
    blocks = build_blocks([RawLine(line) for line in text.split("\n")])
    bullets = [b.text for b in blocks if b.kind == "bullet"]
    assert len(bullets) == len(items)
    for bullet, words in zip(bullets, items, strict=True):
        assert bullet.startswith(words), bullet
    record = written(tmp_path, name, text)  # as ingest stores it
    assert not [c for c in record.chunks if len(c.text.strip()) <= 2]  # no chunk of a mark
    for words in items:
        assert any(words in c.text for c in record.chunks), words


@pytest.mark.parametrize(
    "text",
    [
        # Limerick (Metropolitan District, 2021): an en dash alone on its line, mid-sentence
        "Ms. Duke noted that 76% of demand is for one\n\n\u2013\n\ntwo bed units and we need "
        "to find an additional delivery source.\n",
        # Kent-style wrapped dash in a report sentence
        "The council will spend \u00a32.5m in 2025-26\n\n-\n\nrising to \u00a33m the year after.\n",
    ],
)
def test_a_dash_alone_mid_sentence_is_part_of_the_sentence(tmp_path: Path, text: str) -> None:
    record = written(tmp_path, "minutes.md", text)
    assert [c.kind for c in record.chunks if c.kind == "bullet"] == []
    first, last = text.split("\n\n")[0], text.split("\n\n")[-1].strip()
    assert any(first in c.text and last[:20] in c.text for c in record.chunks), [
        c.text for c in record.chunks
    ]


LIMERICK_ATTENDANCE = (  # Limerick's Community, Leisure & Emergency Services SPC, 17 Dec 2018
    "A meeting of the Community, Leisure & Emergency Services Strategic Policy Committee was\n\n"
    "held in Council Chamber, Limerick City and County Council, Dooradoyle, Limerick on\n\n"
    "Monday, 17th December, 2018\n\nThe following were in attendance:-\n\nIN THE CHAIR:\n\n"
    "Cllr. Marian Hurley\n\nPRESENT:\n\nCllr. Michael Sheehan\n\nCllr. Michael Collins\n\n"
    "Cllr. Michael Hourigan\n\nCllr Brigid Teefy\n\nIN ATTENDANCE:\n\n"
    "Ms. Anne Rizzo, Administrative Officer\n\nAPOLOGIES:\n\n"
    "Mr. Seamus O\u2019Connor, Senior Executive Officer,\n\nMr. Killian Flynn\n\n"
    "Cllr. M. Hurley opened the meeting by thanking Brid Bourke for her work and contribution\n\n"
    "to the SPC and in the Community Development Department.\n"
)
HEREFORDSHIRE_ATTENDANCE = (  # the seed minutes' attendance, one name a line as Word gives it
    "Minutes of the meeting of Council held at Herefordshire Council Offices, Plough Lane, "
    "Hereford, HR4 0LE on Friday 14 October 2022 at 10.30 am\n\nPresent:\n\n"
    "Councillor Sebastian Bowen (chairperson)\n\nCouncillor Kema Guthrie (vice-chairperson)\n\n"
    "Councillor Graham Andrews\n\nCouncillor Paul Andrews\n\nCouncillor Polly Andrews\n\n"
    "23. APOLOGIES FOR ABSENCE\n\nApologies for absence were received from Councillors "
    "Bartrum, Harvey, Howells, Graham Jones, Millmore, Phillips, Rone, Shaw, Stone, Tyler and "
    "Watson.\n"
)


@pytest.mark.parametrize(
    ("text", "labels", "names", "after"),
    [
        (
            LIMERICK_ATTENDANCE,
            ["IN THE CHAIR:", "PRESENT:", "IN ATTENDANCE:", "APOLOGIES:"],
            ["Cllr. Marian Hurley", "Cllr Brigid Teefy", "Ms. Anne Rizzo", "Mr. Killian Flynn"],
            "Cllr. M. Hurley opened the meeting",
        ),
        (
            HEREFORDSHIRE_ATTENDANCE,
            ["Present:"],
            ["Councillor Sebastian Bowen (chairperson)", "Councillor Polly Andrews"],
            "Apologies for absence were received",
        ),
    ],
)
def test_one_name_a_line_is_a_list_of_who_attended_not_headings(
    tmp_path: Path, text: str, labels: list[str], names: list[str], after: str
) -> None:
    record = written(tmp_path, "minutes.md", text)
    attendance = part(record, "attendance")
    for words in labels + names:
        assert words in attendance, words
    # no name became a heading, and the prose after the list is a passage of its own
    assert not [
        c.section for c in record.chunks if re.match(r"(Cllr|Councillor|M[rs])\b", c.section)
    ]
    assert any(c.text.startswith(after) and c.locator != "attendance" for c in record.chunks)


def test_a_lead_in_is_read_with_the_paragraphs_it_introduces(
    tmp_path: Path, records: dict[str, ParsedRecord]
) -> None:
    # Kent: the motion moved is the mover's passage, and the list it goes on to is still
    # the recommendations it asks the council to agree.
    moved = part(records[KENT_MINUTES], "minute 291(4)")
    assert moved.startswith("(4) Mr Oakford proposed and Mr Gough Seconded the following motion:")
    assert "having given due regard to the s25 Report" in moved
    kinds = {c.locator: c.kind for c in records[KENT_MINUTES].chunks}
    assert kinds["recommendation (a)"] == kinds["recommendation (c)"] == "recommendation"
    # Limerick (county council, 22 April 2014): a lettered title with a colon, then its words
    record = written(
        tmp_path,
        "Minutes of Meeting of Limerick County Council - Tuesday 22nd April 2014.md",
        "MINUTES OF PROCEEDINGS AT MEETING OF LIMERICK COUNTY COUNCIL HELD ON TUESDAY, 22ND "
        "APRIL, 2014.\n\n7. Community, Leisure and Emergency Services\n\n"
        "(b) Grants under the Arts Act, 2003:\n\nThe Cathaoirleach stated that a Supplementary "
        "Report had been circulated following the\nissue of the Agenda in relation to the "
        "allocation of Grants in accordance with the Arts Act, 2003,\n\nand he proposed to deal "
        "with the item at this point in the Meeting.\n",
    )
    (item,) = [c for c in record.chunks if c.text.startswith("(b) Grants")]
    assert "a Supplementary Report had been circulated" in item.text
    assert "at this point in the Meeting." in item.text


@pytest.mark.parametrize(
    ("text", "section", "first"),
    [
        (  # Limerick's CLES SPC minutes (17 December 2018), double-spaced as converted
            "A meeting of the Community, Leisure & Emergency Services Strategic Policy Committee "
            "was held in Council Chamber, Dooradoyle, Limerick on Monday, 17th December, 2018\n\n"
            "**Item 2:**\n\n**Matters Arising**\n\nThere were no matters arising from the previous "
            "minutes.\n\n**Item 3:**\n\n**Presentation on Age Friendly Limerick**\n\nThe members "
            "received a presentation from Anne Rizzo, Administrative Officer regarding Age "
            "Friendly Limerick.\n",
            "Item 3: Presentation on Age Friendly Limerick",
            "The members received a presentation from Anne Rizzo",
        ),
        (  # Herefordshire's council minutes, their items written "Item 24" as a Word export
            "Minutes of the meeting of Council held at Herefordshire Council Offices, Plough Lane, "
            "Hereford, HR4 0LE on Friday 14 October 2022 at 10.30 am\n\nItem 23\n\nApologies for "
            "absence\n\nApologies for absence were received from Councillors Bartrum, Harvey and "
            "Howells.\n\nItem 24\n\nDeclarations of interest\n\nThere were no declarations of "
            "interest.\n",
            "Item 24 Declarations of interest",
            "There were no declarations of interest.",
        ),
        (  # Limerick's Home and Social Development SPC (16 February 2022): number and title
            # on one line, the chair's office before her name
            "MINUTES OF MEETING OF LIMERICK CITY AND COUNTY COUNCIL HOME AND SOCIAL DEVELOPMENT "
            "SPC\n\nAn Cathaoirleach, Cllr. Michael Murphy\n\n**Item 3:** **Limerick City and "
            "County Council Disability Strategy Plan**\n\nMs. Curley gave a presentation of the "
            "Disability Strategy Plan to SPC members.\n",
            "Item 3: Limerick City and County Council Disability Strategy Plan",
            "Ms. Curley gave a presentation of the Disability Strategy Plan",
        ),
        (  # Herefordshire's minutes, an item's number and title on one line
            "Minutes of the meeting of Council held at Herefordshire Council Offices, Plough Lane, "
            "Hereford, HR4 0LE on Friday 14 October 2022 at 10.30 am\n\nItem 24: Declarations of "
            "interest\n\nThere were no declarations of interest.\n",
            "Item 24: Declarations of interest",
            "There were no declarations of interest.",
        ),
    ],
)
def test_an_item_number_alone_on_its_line_titles_the_item_below(
    tmp_path: Path, text: str, section: str, first: str
) -> None:
    record = written(tmp_path, "Minutes of the meeting.md", text)
    number = section.split()[1].rstrip(":")
    item = [c for c in record.chunks if c.locator == f"minute {number}"]
    assert [c.section for c in item] == [section], [(c.locator, c.section) for c in record.chunks]
    assert item[0].text.startswith(first)
    # the item's number never ends the paragraph before it
    assert not [c for c in record.chunks if re.search(r"\bItem \d+:?$", c.text)]


HEREFORDSHIRE_VOTE = (  # the seed council's minutes, with a recorded vote as modern.gov gives it
    "Minutes of the meeting of Council held at Herefordshire Council Offices, Plough Lane, "
    "Hereford, HR4 0LE on Friday 14 October 2022 at 10.30 am\n\n27. NOTICE OF MOTION\n\n"
    "(1) Councillor Ellie Chowns proposed, and Councillor Jenny Bartlett seconded the "
    "following motion: That this council publishes its children's services improvement plan "
    "each quarter.\n\n(2) The chairperson put the motion set out in paragraph 1 to the vote "
    "and the voting was as follows:\n\nFor (30)\n\nAgainst (5)\n\nMotion carried.\n"
)


@pytest.mark.parametrize(
    ("vote", "subject"),
    [
        ("minute 290(3)", "Pursuant to section 25 of the Local Government Act"),  # Kent
        ("minute 27(2)", "publishes its children's services improvement plan"),  # Herefordshire
    ],
)
def test_a_vote_is_read_with_the_paragraph_it_names(
    tmp_path: Path, records: dict[str, ParsedRecord], vote: str, subject: str
) -> None:
    """'the motion set out in paragraph 2' is what the vote was on: the vote is embedded
    with that paragraph's opening words (template vote_subjects)."""
    record = (
        records[KENT_MINUTES]
        if vote.startswith("minute 290")
        else written(tmp_path, "Minutes of Council 14 October 2022.txt", HEREFORDSHIRE_VOTE)
    )
    (chunk,) = [c for c in record.chunks if c.locator == vote]
    assert chunk.kind == "vote" and "to the vote" in chunk.text
    assert subject in chunk.context and subject in chunk.embedding_text()


def test_a_number_closed_by_a_bracket_alone_numbers_a_part(
    tmp_path: Path, records: dict[str, ParsedRecord]
) -> None:
    """'26) RESOLVED that the County Council:' (Kent) and '1) Monitor and enforce ...'
    (Limerick) number their parts as '(26)' and '(1)' would: a resolution's parts are
    resolutions, a motion's numbered steps are items of their own."""
    kent = {c.locator: c for c in records[KENT_JANUARY].chunks}
    endorsed = kent["minute 285, resolution (2)"]
    assert endorsed.kind == "resolution"
    assert endorsed.text.startswith("(2) Endorses the proposed decision by the Leader")
    assert endorsed.context == "26) RESOLVED that the County Council:"
    assert "RESOLVED" not in kent["minute 285(25)"].text  # the vote before it ends there
    record = written(  # Limerick's council minutes of 25 March 2019, minute 11, as converted
        tmp_path,
        "Minutes - Full Meeting of Limerick City and County Council - 25th March 2019.md",
        "**MINUTES OF PROCEEDINGS AT MEETING OF LIMERICK CITY AND COUNTY COUNCIL HELD ON "
        "MONDAY, 25TH MARCH, 2019**\n\n**11.**\n\n**Notice of Motion submitted by Councillor M. "
        "Cahillane**\n\n***We will move at the next Limerick City and County Council meeting "
        "that the following steps***\n\n***be taken to immediately alleviate some of the "
        "transport problems being felt across Limerick***\n\n***city.***\n\n***That Limerick City "
        "and County Council:***\n\n***1) Monitor and enforce penalties for anyone who is "
        "parking in the red line designated bus***\n\n***stops.***\n\n***2) Propose that the "
        "terminus for the 304 route be moved from Debenhams to a new***\n\n***terminus in "
        "O'Connell Street between Roches Street and Cecil Street which is easier for buses***"
        "\n\n***to access, saving time.***\n\n***4) Expand the 301 Augustinian bus stop to avoid "
        "congestion.***\n\nIt was agreed to refer this Motion to the Travel and Transportation "
        "Strategic Policy\n\nCommittee.\n",
    )
    steps = {c.locator: c for c in record.chunks if c.kind == "item"}
    assert steps["minute 11(1)"].text == (
        "1) Monitor and enforce penalties for anyone who is parking in the red line designated "
        "bus stops."
    )
    assert steps["minute 11(2)"].text.endswith("which is easier for buses to access, saving time.")
    assert (
        steps["minute 11(4)"].text == "4) Expand the 301 Augustinian bus stop to avoid congestion."
    )


@pytest.mark.parametrize(
    ("line", "vote"),
    [
        ("Substantive Motion carried.", True),  # Kent, 9 January 2025
        ("Amendment lost.", True),  # Kent
        ("The Meetings Administrator declared the Motion defeated.", True),  # Limerick
        (  # Limerick, wrapped: the outcome comes on the next line
            "The Meetings Administrator declared that the proposal to adopt the Castletroy Local "
            "Area Plan",
            True,
        ),
        ("The Chairman declared an interest in item 5 as a school governor.", False),
        ("The motion set out in paragraph 2 was debated at length.", False),
    ],
)
def test_a_votes_outcome_line_is_read_as_part_of_the_vote(line: str, vote: bool) -> None:
    assert bool(load_templates().vote_line.match(line)) is vote


def test_an_outcome_declared_after_the_tallies_ends_the_vote(tmp_path: Path) -> None:
    """Limerick's minutes declare the outcome in a sentence of its own after the tallies
    (wrapped over two lines); it is the vote's last line, not a paragraph apart."""
    record = written(
        tmp_path,
        "Minutes - Monthly Meeting of Metropolitan District of Limerick - 17th December 2018.md",
        "MINUTES OF MEETING OF THE METROPOLITAN DISTRICT OF LIMERICK\n\n4. Economic Development "
        "Directorate\n\nA Vote was taken on the proposal to adopt the Castletroy Local Area Plan "
        "2019-2025 which\nresulted as follows:\n\nFor: 14\n\nCouncillors Cahillane, Collins, "
        "Gilligan and Sheahan.\n\nAgainst: 3\n\nCouncillor Costello, O Ceallaigh and McCreesh."
        "\n\nThe Meetings Administrator declared that the proposal to adopt the Castletroy Local "
        "Area Plan\n2019-2025 Plan as presented was carried.\n\nThe report was noted by Members.\n",
    )
    (vote,) = [c for c in record.chunks if c.kind == "vote"]
    assert vote.text.startswith("A Vote was taken on the proposal to adopt")
    assert vote.text.endswith("2019-2025 Plan as presented was carried.")
    assert not [c for c in record.chunks if c.text.startswith("2019-2025 Plan as presented")]


def _cut_inside_a_name(record: ParsedRecord, width: int) -> tuple[str, list[str], list[str]]:
    """Return a paragraph of the record wrapped at `width`, cut between two lines where a
    capitalised name runs on ("... Limerick City and" / "County Council ..." is not one:
    "Cabinet Member" / "Children ...", "Herefordshire" / "Council" are)."""
    for chunk in record.chunks:
        if chunk.kind != "paragraph":
            continue
        lines = textwrap.wrap(chunk.text, width)
        for k in range(len(lines) - 2):
            last, first = lines[k].split()[-1], lines[k + 1].split()[0]
            if (
                last.isalpha()
                and first.isalpha()
                and last[0].isupper()
                and first[0].isupper()
                and not first.isupper()
                and first.lower() not in STOPWORDS
            ):
                return chunk.text, lines[: k + 1], lines[k + 1 :]
    raise AssertionError(f"no paragraph of {record.doc_id} wraps inside a name")


@pytest.mark.parametrize(
    "source",
    [
        CORPUS / "000_c63c77a5f0830ac3.txt",  # Herefordshire's cabinet report
        DATA
        / "limerick"
        / "25-Full Meeting of Limerick City and County Council"
        / LIMERICK_COUNCIL,
    ],
)
def test_a_sentence_the_page_cut_inside_a_name_is_one_passage(tmp_path: Path, source: Path) -> None:
    # Kent's Reserves Policy: "... this is limited to the nine groups, plus Public" ends page
    # 1 and "Health, Schools and General. Operationally, ..." opens page 2 (under its running
    # header): the paragraph had been cut in two, its first half read as a heading.
    record = read_record(source, FolderFacts(load_templates()))
    paragraph, before, after = _cut_inside_a_name(record, 95)
    paragraph = paragraph.encode("latin-1", "replace").decode("latin-1")  # as the PDF holds it
    filler = textwrap.wrap(" ".join(["A paragraph of many words fills the page."] * 30), 95)
    closing = "The next paragraph opens a new page of the record and says so in full."
    header = ["Running title of the record"]
    pages = [
        header + filler + before,
        header + after + filler,
        header + [closing] + filler,
    ]
    parsed = parse_file(pdf_of_pages(pages, tmp_path / "cut.pdf"))
    texts = [c.text for c in parsed.chunks]
    assert any(" ".join(paragraph.split()) in " ".join(t.split()) for t in texts), texts
    # a page that ends its sentence ends its paragraph: the next page's is a passage of its own
    assert any(t.startswith(closing) for t in texts), texts
    assert not any("Running title" in t for t in texts)  # the header on every page goes
    assert not any(t.strip().isdigit() for t in texts)  # and so do the page numbers


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        # Kent (Reserves Policy): a numbered sentence with no full stop where its page ended
        (
            "1.4 Within the Statement of Accounts, reserves are summarised by the headings "
            "above. By categorising the reserves into the headings above, this is limited to "
            "the nine groups, plus Public",
            "Operationally, each will be divided into the relevant sub reserves.",
        ),
        # Limerick (Metropolitan District, 17 December 2018): a numbered reply cut the same way
        (
            "2. The timescale for Stage 1 and 2 are comparable for Rapid Build and Conventional "
            "construction. The main time saving is at Stage 3 and 4 (site stage). On a current",
            "Rapid Build project the site stage duration is 9 months.",
        ),
    ],
)
def test_a_numbered_line_holding_a_whole_sentence_is_no_heading(line: str, rest: str) -> None:
    blocks = build_blocks([RawLine(line), RawLine(""), RawLine(rest)])
    assert blocks[0].kind == "numbered", blocks[0]
    # a title with an abbreviation or initials is still a title
    title = "8. Notice of Motion submitted by Cmhir. S. O Ceallaigh (deferred from Meeting)"
    assert build_blocks([RawLine(title), RawLine(""), RawLine(rest)])[0].kind == "minute"


FILLER = textwrap.wrap(
    "A paragraph " + " ".join(["of many words that runs on across the page"] * 90), 110
)

# Each council's lines: (the cells that wrap, the lines that must stay apart). A wrapped cell
# runs short of the page's width, cut between two capitalised words.
CELL_WRAPS = {
    # Kent's budget amendment form (4 - Highway Asset Maintenance): the amount's cell
    "kent": (
        [
            (
                "£5.6m to increase the Highways Asset",
                "Management/Annual Maintenance capital project.",
            ),
            ("Cancellation of the Scope 2 enhanced works to Invicta", "House."),
        ],
        [
            ("Directorate: Growth, Environment and Transport", "Proposer: Mr Richard Streatfeild"),
            ("Proposed Amount Proposed Funding Source:", "£5.6m to increase the Highways Asset"),
        ],
    ),
    # Limerick's full council, 24 May 2021: a table of water treatment plants
    "limerick": (
        [
            (
                "An upgrade to the Adare WWTP is included in the Capital",
                "Investment Plan. This project is at concept design stage.",
            ),
        ],
        [
            ("agenda of the June Meeting", "Councillor Donegan also thanked the Elected Members."),
            # a form's fields (the Joint Policing Committee, 23 November 2022)
            (
                "Re-enactment of Gardaí arriving in NCW District",
                "Location: Locations of relevance, NCW.",
            ),
            (
                "Proposed lease of land at Deer Park, Adare to Adare United AFC",
                "Proposed lease of derelict property at Main Street, Rathkeale.",
            ),
        ],
    ),
}


@pytest.mark.parametrize("council", sorted(CELL_WRAPS))
def test_a_table_cell_wrapped_inside_a_name_is_one_passage(tmp_path: Path, council: str) -> None:
    wraps, apart = CELL_WRAPS[council]
    body = [line for pair in wraps + apart for line in pair]
    pages = [FILLER[:14] + ["The form follows."] + body, FILLER[14:28], FILLER[28:]]
    if council == "kent":  # a modern.gov PDF
        path = pdf_of_pages(pages, tmp_path / "amendment.pdf")
    else:  # a PDF converted to Markdown: double-spaced lines, its pages ruled off
        path = tmp_path / "Minutes - Full Meeting of Limerick City and County Council.md"
        path.write_text(
            "\n\n---\n\n".join("\n\n".join(page) for page in pages) + "\n", encoding="utf-8"
        )
    texts = [" ".join(c.text.split()) for c in parse_file(path).chunks]
    for first, rest in wraps:
        assert f"{first} {rest}" in texts, texts
    for first, second in apart:
        assert not any(f"{first} {second}" in t for t in texts), texts


PORTLAND = DATA / "portland" / "Portland City Council minutes 12 January 2011.txt"


def test_a_cover_sheet_ends_where_a_long_record_body_begins(
    records: dict[str, ParsedRecord],
) -> None:
    """Portland's consent agenda, a run of capitalised item titles and votes, does not read
    as prose; past a few hundred words it is the record's body, not its cover sheet. The
    cover sheets and attendance lists of Limerick's and Kent's records stay what they are."""
    portland = parse_file(PORTLAND)
    agenda = [c for c in portland.chunks if "Janus Youth Programs" in c.text]
    assert agenda and all(c.kind != "header" for c in agenda), [c.locator for c in agenda]
    header = [c for c in portland.chunks if c.kind == "header"]
    assert header and "OFFICERS IN ATTENDANCE" in header[0].text
    for name in (LIMERICK_COUNCIL, KENT_REPORT):
        covers = [c for c in records[name].chunks if c.kind == "header"]
        assert covers, name
        assert sum(len(c.text.split()) for c in covers) < 500


def test_a_us_citys_minutes_give_their_body_date_and_kind() -> None:
    """Portland's minutes open "A REGULAR MEETING OF THE COUNCIL OF THE CITY OF PORTLAND,
    OREGON WAS HELD THIS 12TH DAY OF JANUARY, 2011" (a template's opening, beside
    Limerick's "A meeting of ... was held ...", read as before)."""
    facts = FolderFacts(load_templates())
    chunk = read_record(PORTLAND, facts).chunks[0]
    assert (chunk.body, chunk.meeting_date, chunk.doc_type) == (
        "Council of the City of Portland, Oregon",
        "2011-01-12",
        "minutes",
    )
    assert chunk.title == "Minutes: Council of the City of Portland, Oregon, 12 January 2011"
    assert parse_date("executed this 18th day of February, 2025") == "2025-02-18"
    spc = DATA / "limerick_spc"
    limerick = read_record(next(spc.iterdir()), facts).chunks[0]
    assert limerick.meeting_date == "2018-12-17", limerick.meeting_date
    assert limerick.body.startswith("Community, Leisure"), limerick.body


PARISH = DATA / "parish"
STOKE_FERRY = PARISH / "stoke-ferry-parish-council-minutes-of-january-meeting.md"
STOKE_FERRY_NOVEMBER = PARISH / "stoke-ferry-parish-council-meeting-november.md"
WEST_DEREHAM = PARISH / "west-dereham-parish-council-draft-minuites-june.md"
WRETTON = PARISH / "wretton-parish-council-meeting-july.md"
LIMERICK_COUNCIL_PATH = next((DATA / "limerick").rglob(LIMERICK_COUNCIL))


@pytest.mark.parametrize(
    ("path", "body", "date"),
    [
        (STOKE_FERRY, "Stoke Ferry Parish Council", "2020-01-08"),
        (STOKE_FERRY_NOVEMBER, "Stoke Ferry Parish Council", "2020-11-11"),
        (WEST_DEREHAM, "West Dereham Parish Council", "2017-06-01"),
        (WRETTON, "Wretton Parish Council", "2020-07-06"),
    ],
)
def test_a_websites_front_matter_is_not_the_records(path: Path, body: str, date: str) -> None:
    """Parish councils' minutes posted to a village website carry its front matter (the
    post's title, the day it was posted, its categories): the record's own opening gives
    its body and meeting date, and the site's fields are neither text nor page rules."""
    record = parse_file(path)
    assert (record.meta.body, record.meta.meeting_date, record.meta.doc_type) == (
        body,
        date,
        "minutes",
    )
    assert record.meta.title == f"Minutes: {body}, {long_date(date)}"
    assert "categories" not in record.text and "parish-councils" not in record.text
    assert {c.page for c in record.chunks} == {None}  # the fences are no page breaks


def test_a_rule_opening_prose_is_no_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "minutes.md"
    path.write_text("---\nThe Council met on 3 May 2019 and agreed the budget.\n---\nAll agreed.\n")
    assert "The Council met on 3 May 2019" in parse_file(path).text


def _items(record: ParsedRecord) -> list[str]:
    """Return the numbers of the items a record's passages belong to, in order."""
    found = (re.match(r"(?:minute|Q) (\d+(?:/\d+)?)", c.locator) for c in record.chunks)
    return list(dict.fromkeys(m.group(1) for m in found if m))


def _one_line(path: Path, folder: Path) -> Path:
    """Return a copy of a Markdown record with its lines run into one, as a PDF's text
    pasted whole would be (its converter's page rules left out)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    copy = folder / path.name
    copy.write_text(" ".join(" ".join(line for line in lines if line.strip() != "---").split()))
    return copy


def test_items_run_into_one_line_are_cut_at_their_numbers(tmp_path: Path) -> None:
    """A PDF's text pasted as one line runs a record's items together: a run of item numbers
    in sequence cuts it before each ("01/20 ... 02/20 ...", "1. ... 2. ..."), and each
    passage is cited by its item. Limerick's minutes, run into one line the same way, are
    cut at the same items as the record as published."""
    assert _items(parse_file(STOKE_FERRY))[:6] == [
        "01/20",
        "02/20",
        "03/20",
        "04/20",
        "05/20",
        "06/20",
    ]
    assert _items(parse_file(WRETTON)) == ["1", "3", "4", "5", "6", "7", "9"]
    published = parse_file(LIMERICK_COUNCIL_PATH)
    run_together = parse_file(_one_line(LIMERICK_COUNCIL_PATH, tmp_path))
    assert _items(run_together) == _items(published)[: len(_items(run_together))]
    assert len(_items(run_together)) >= 16
    for record in (parse_file(STOKE_FERRY), run_together):
        for c in record.chunks:
            assert record.text[c.char_start : c.char_end] == c.text


def test_a_line_with_numbers_out_of_sequence_is_one_paragraph(tmp_path: Path) -> None:
    """Two items, or figures that do not count up, are no run of items: the line is kept."""
    text = " ".join(WRETTON.read_text(encoding="utf-8").split())
    opening = text[text.index("1. Apologies") : text.index("3. The minutes")]
    assert len(opening) > 100
    path = tmp_path / "minutes.txt"
    path.write_text(
        f"MINUTES OF WRETTON PARISH COUNCIL VIRTUAL MEETING HELD ON JULY 6TH 2020\n\n{opening * 3}"
    )
    record = parse_file(path)
    assert len([c for c in record.chunks if c.locator != "header"]) == 1


def test_minute_numbers_with_their_years_series_number_the_items() -> None:
    """West Dereham's "70/17 Apologies for absence ...", each at a line's start (and four run
    into one line): minute numbers, as Stoke Ferry's are inside its one-line record."""
    record = parse_file(WEST_DEREHAM)
    items = _items(record)
    assert items[:6] == ["70/17", "71/17", "72/17", "73/17", "74/17", "75/17"]
    police = next(c for c in record.chunks if c.locator == "minute 78/17")
    assert police.text.startswith("78/17 Police Report")


def test_an_exclusion_inside_a_one_line_record_withholds_only_its_item() -> None:
    """Stoke Ferry's November minutes end "225/20 EXCLUSION OF PRESS AND PUBLIC ...": that
    item is withheld, and the meeting's public business before it is not."""
    record = parse_file(STOKE_FERRY_NOVEMBER)
    withheld = [c.locator for c in record.chunks if c.classification != "Open"]
    assert withheld == ["minute 225/20"]
    assert len(record.chunks) > 20


def _resolved(record: ParsedRecord) -> Counter[str]:
    """Return what each resolution of a record resolves, by its first words."""
    found = (
        re.search(r"Resolved:?\s*(.{40})", " ".join(c.text.split()), re.I)
        for c in record.chunks
        if c.kind == "resolution"
    )
    return Counter(m.group(1) for m in found if m)


def test_a_resolution_run_into_a_line_is_a_passage_of_its_own(tmp_path: Path) -> None:
    """Stoke Ferry's "... dealt with enquiries to date. RESOLVED: That the Council enlist ...
    (Cllr Sue Lintern proposed, ... one was against). 212/20 ...": the resolution, with
    its movers, is its item's resolution. Limerick's minutes run into one line keep every
    resolution ("...; And Resolved: “That ...") the published record has."""
    record = parse_file(STOKE_FERRY_NOVEMBER)
    resolution = part(record, "minute 211/20, resolution")
    assert resolution.startswith("RESOLVED: That the Council enlist the assistance")
    assert resolution.endswith("seven were in favour and one was against).")
    wall = _one_line(LIMERICK_COUNCIL_PATH, tmp_path)
    published = _resolved(parse_file(LIMERICK_COUNCIL_PATH))
    assert sum(published.values()) >= 10
    assert _resolved(parse_file(wall)) == published


ADARE = (
    DATA
    / "limerick_roman"
    / "Minutes - Municipal District of Adare - Rathkeale - 10th March 2015.md"
)


@pytest.mark.parametrize(
    ("path", "first", "second"),
    [
        (MSCC, "minute 5(i)", "minute 5(ii)"),  # "i) Lloyds Bank Statement ..." "ii) C.C.C. ..."
        (ADARE, "minute 2(i)", "minute 2(ii)"),  # "(i) that Submission Nos. 27-30 be changed"
    ],
)
def test_a_list_numbered_i_ii_is_one_passage_an_entry(path: Path, first: str, second: str) -> None:
    """A list numbered in roman numerals from "i)" has an entry a passage, "ii)" no part of
    "i)" (a lettered item's own roman parts stay with it: Kent's "(2) Recommend ...:" with
    its "i." and "ii.")."""
    record = parse_file(path)
    one, two = part(record, first), part(record, second)
    assert re.match(r"\(?i\)", one) and re.match(r"\(?ii\)", two)
    assert "ii)" not in one
    kent = parse_file(DATA / "kent" / KENT_JANUARY)
    assert "i. Kent prioritises getting the right outcome" in part(kent, "minute 285(2) #6")


def test_a_policy_naming_meetings_closed_to_the_public_withholds_nothing() -> None:
    """Stoke Ferry's filming policy ("Meetings or parts of meetings from which the press and
    public are excluded may not be filmed") excludes no one: the minutes after it are public,
    and only the agenda's "Exclusion of Press and Public" item at the record's end is
    withheld. Northwold's "members of the public be excluded ... within the next item" is an
    exclusion: its last item is withheld."""
    stoke = parse_file(PARISH / "stoke-ferry-parish-council-24.md")
    policy = next(
        c for c in stoke.chunks if "from which the press and public are excluded" in c.text
    )
    assert policy.classification == "Open"
    withheld = [i for i, c in enumerate(stoke.chunks) if c.classification != "Open"]
    assert withheld and len(withheld) <= 3
    start = stoke.chunks[withheld[0]].char_start
    assert "Exclusion of Press and Public" in stoke.text[start - 100 : start + 100]
    northwold = parse_file(PARISH / "northwold-parish-council-june-meeting.md")
    closed = [c for c in northwold.chunks if c.classification != "Open"]
    assert closed and closed[0].text.startswith("The meeting was closed to the public at 8.55pm")
    assert all(
        c.classification == "Open" for c in northwold.chunks[: northwold.chunks.index(closed[0])]
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        # "TO: THE CHAIR AND EACH MEMBER OF THE CULTURAL STRATEGIC POLICY COMMITTEE The
        # meeting of ... will be held on Tuesday 12th February at 3.00pm in the Council
        # Chamber ...": the file's name gives the body
        (
            DATA
            / "limerick_agenda"
            / "Agenda - Meeting of the Cultural Strategic Policy Committee - 12th February 2019.md",
            "Cultural Strategic Policy Committee",
        ),
        # "Village Liaison Committee Agriculture Division Stoke Ferry Feed Mill VILLAGE
        # LIAISON MEETING Wednesday 8th December 2004 Present: Ms Jacqueline Murfitt ...": no
        # name at all rather than a sentence
        (PARISH / "minutes-of-the-favor-parker-liaison-committee.md", ""),
    ],
)
def test_a_body_read_on_past_its_name_is_not_the_body(path: Path, body: str) -> None:
    record = read_record(path, FolderFacts(load_templates()))
    assert record.meta.body == body
