"""Parsing the seed records: metadata, locators, the record's own words, exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunk import ParsedRecord
from ingest.manifest import load_manifest
from ingest.parse import parse_file
from tests.conftest import (
    CORPUS,
    COUNCIL_2022,
    MINUTES_2018,
    REPORT_2021,
    REPORT_2022,
    SEEDS,
    TRANCHE_TWO,
)


def parse_seed(doc_id: str) -> ParsedRecord:
    path = CORPUS / f"{doc_id}.txt"
    return parse_file(path, manifest_entry=load_manifest(CORPUS).get(path.name))


def chunk(record: ParsedRecord, locator: str) -> str:
    found = [c.text for c in record.chunks if c.locator == locator]
    assert found, f"no {locator!r} in {record.doc_id}: {[c.locator for c in record.chunks]}"
    return found[0]


@pytest.mark.parametrize(
    ("doc_id", "title", "body", "date", "doc_type"),
    [
        (
            REPORT_2022,
            "Inspection of Herefordshire Children's Services",
            "Cabinet",
            "2022-09-29",
            "report",
        ),
        (
            MINUTES_2018,
            "Cabinet minutes: Outcome of children's Ofsted inspection (ILACS) and action plan",
            "Cabinet",
            "2018-10-01",
            "minutes",
        ),
        (
            TRANCHE_TWO,
            "Children's Improvement Plan Transformation Funding - Tranche Two",
            "Cabinet",
            "2022-11-24",
            "report",
        ),
        (
            COUNCIL_2022,
            "Minutes of the extraordinary meeting of Council, 30 September 2022",
            "Council",
            "2022-09-30",
            "minutes",
        ),
        (
            REPORT_2021,
            "Update Cabinet on the improvement programme within Children and "
            "Families directorate following publication of Ofsted focused visit July 2021",
            "Cabinet",
            "2021-09-30",
            "report",
        ),
    ],
)
def test_seed_metadata(doc_id: str, title: str, body: str, date: str, doc_type: str) -> None:
    meta = parse_seed(doc_id).meta
    assert (meta.title, meta.body, meta.meeting_date, meta.doc_type) == (
        title,
        body,
        date,
        doc_type,
    )
    assert meta.classification == "Open"


def test_metadata_read_from_text_without_manifest() -> None:
    record = parse_file(CORPUS / f"{TRANCHE_TWO}.txt")
    assert record.meta.decision_type == "Key"
    assert record.meta.report_by == "Cabinet member children and families"
    council = parse_file(CORPUS / f"{COUNCIL_2022}.txt")
    assert (council.meta.body, council.meta.meeting_date) == ("Council", "2022-09-30")


def test_2018_minutes_date_is_marked_inferred() -> None:
    assert parse_seed(MINUTES_2018).meta.date_inferred is True
    assert parse_file(CORPUS / f"{MINUTES_2018}.txt").meta.meeting_date == ""


@pytest.mark.parametrize(
    ("doc_id", "locator", "words"),
    [
        (REPORT_2022, "para 11", "not protected from harm"),
        (REPORT_2022, "para 17", "appointed Eleanor Brazil as Commissioner"),
        (REPORT_2022, "para 3", "2014. Inspection of services for children in need"),
        (REPORT_2022, "para 21(b)", "MASH (Multi-Agency Safeguarding Hub)"),
        (REPORT_2022, "recommendation (d)", "submission to Ofsted by 20 December 2022"),
        (COUNCIL_2022, "PQ 4 response, part 1", "incorporate the Domestic Abuse Hub into the MASH"),
        (COUNCIL_2022, "PQ 4 question", "Mr Griffiths, Hereford"),
        (COUNCIL_2022, "PQ 1 question", "Name and address supplied"),
        (COUNCIL_2022, "PQ 2 written response, part 1", "Written response sent on 13 October 2022"),
        (COUNCIL_2022, "MQ 1 supplementary response", "I share Cllr Gandy's impatience"),
        (COUNCIL_2022, "minute 27", "Council received and noted a report"),
        (COUNCIL_2022, "minute 23", "Apologies for absence were received"),
        (MINUTES_2018, "minutes, resolution (b)", "submission to Ofsted by 25 October 2018"),
        (
            MINUTES_2018,
            "minutes, bullet 4",
            "the 2018 inspection judged Herefordshire as requiring",
        ),
        (TRANCHE_TWO, "recommendation (a)", "up to the value of £6.49m"),
        (TRANCHE_TWO, "para 7", "£6.489m as agreed in the original decision in March 2022"),
        (REPORT_2021, "para 28", "from 56% in 2018 to 16% currently"),
    ],
)
def test_named_chunks_hold_the_records_words(doc_id: str, locator: str, words: str) -> None:
    assert words in chunk(parse_seed(doc_id), locator)


def test_finance_table_stays_whole_with_its_rows() -> None:
    record = parse_seed(TRANCHE_TWO)
    table = chunk(record, "table: Anticipated Tranche 2 spending allocation")
    rows = table.split("\n")
    assert any(r.startswith("Auditors") and r.endswith("523") for r in rows)
    assert "TOTAL |  |  | 6,489" in rows
    assert rows[2].startswith("Revenue | 2020/21")  # header row kept with the table


def test_pdf_wrapped_paragraph_is_one_chunk() -> None:
    record = parse_seed(REPORT_2021)
    para = chunk(record, "para 28")
    assert "\n" not in para and para.startswith("28. Whilst there has rightly been a drive")
    assert para.endswith("key positions.")
    assert not [c for c in record.chunks if c.locator.startswith("para 28,")]


def test_form_residue_and_page_numbers_dropped() -> None:
    for seed in SEEDS:
        record = parse_file(seed)
        assert "Click or tap" not in record.text
        assert "\n\n7\n\n" not in record.text
        assert "<p>" not in record.text and "**" not in record.text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_every_chunk_quotes_the_record_exactly(seed: Path) -> None:
    record = parse_file(seed)
    assert record.chunks
    ids = [c.id for c in record.chunks]
    assert len(ids) == len(set(ids))
    assert len({c.locator for c in record.chunks}) == len(record.chunks)
    for c in record.chunks:
        assert record.text[c.char_start : c.char_end] == c.text
        assert c.text.strip() == c.text and c.text


def test_long_parts_split_at_sentences_keep_their_locator() -> None:
    record = parse_seed(COUNCIL_2022)
    parts = [c for c in record.chunks if c.locator.startswith("PQ 2 written response")]
    assert [c.locator for c in parts] == [
        "PQ 2 written response, part 1",
        "PQ 2 written response, part 2",
    ]
    assert all(len([w for w in c.text.split() if w != "|"]) <= 200 for c in record.chunks)


def test_questions_register_parts_for_every_question() -> None:
    locators = {c.locator.split(",")[0] for c in parse_seed(COUNCIL_2022).chunks}
    for q in ("PQ 1", "PQ 2", "PQ 3", "PQ 4", "PQ 5", "MQ 1"):
        assert {
            f"{q} question",
            f"{q} response",
            f"{q} supplementary",
            f"{q} supplementary response",
        } <= locators
