"""The template table: rules as data, extended by a council without touching Python; dates,
classification values and file names read by them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.blocks import clean_inline
from ingest.dates import find_dates, parse_date
from ingest.errors import ConfigError
from ingest.metadata import classify_value, fold_bodies, read_file_name, read_meta, tidy_name
from ingest.pipeline import FolderFacts, read_record
from ingest.templates import load_templates


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ON MONDAY, 28TH JANUARY, 2019, AT 3.00 P.M.", "2019-01-28"),  # Limerick
        ("on Thursday, 13 February 2025.", "2025-02-13"),  # Kent
        ("Meeting date: Thursday 29 September 2022", "2022-09-29"),  # Herefordshire
        ("Agenda frontsheet 13th-Feb-2025 09.30", "2025-02-13"),
        ("Appendix A - 16.12.24 Ministerial Letter", "2024-12-16"),
        ("held on 31/02/2022", ""),  # no such day
        ("in May 2026 and April 2027", ""),  # months are not days
    ],
)
def test_dates_as_councils_write_them(text: str, iso: str) -> None:
    assert parse_date(text) == iso


def test_the_first_date_is_the_one_returned() -> None:
    assert [d for _, d in find_dates("9 January 2025 and 19 December 2024")] == [
        "2025-01-09",
        "2024-12-19",
    ]


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        ("Unrestricted", "Open"),  # Kent
        ("Open", "Open"),  # Herefordshire
        ("OFFICIAL", "Open"),
        ("Exempt under paragraph 3 of Schedule 12A", "Exempt"),
        ("OFFICIAL-SENSITIVE", "Exempt"),
        ("Not exempt", "Open"),
        ("Amber", ""),  # unknown: the caller withholds it and warns
    ],
)
def test_classification_values(value: str, verdict: str) -> None:
    assert classify_value(value, load_templates()) == verdict


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Minutes - Full Meeting of Limerick City and County Council - 28th January 2019.md",
            {
                "doc_type": "minutes",
                "body": "Limerick City and County Council",
                "meeting_date": "2019-01-28",
            },
        ),
        (
            "Agenda frontsheet 13th-Mar-2025 15.00 Cabinet.pdf",
            {"doc_type": "agenda", "body": "Cabinet", "meeting_date": "2025-03-13"},
        ),
        ("000_c63c77a5f0830ac3.txt", {}),
    ],
)
def test_file_names_carry_type_body_and_date(name: str, expected: dict[str, str]) -> None:
    assert read_file_name(Path("/records") / name, load_templates()) == expected


def test_an_unknown_classification_is_withheld_with_one_warning(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(
        "Title of report: Roads update\n\nMeeting: Cabinet\n\nClassification: Amber\n\n"
        "1. The resurfacing programme is on time.\n",
        encoding="utf-8",
    )
    record = read_record(tmp_path / "report.txt", FolderFacts(load_templates()))
    assert record.meta.classification == "Exempt"
    assert {c.classification for c in record.chunks} == {"Exempt"}
    (warning,) = record.warnings
    assert "report.txt" in warning and "'Amber'" in warning and "manifest.yaml" in warning
    (tmp_path / "manifest.yaml").write_text(
        "records:\n  report.txt:\n    classification: Open\n", encoding="utf-8"
    )
    record = read_record(tmp_path / "report.txt", FolderFacts(load_templates()))
    assert record.meta.classification == "Open" and record.warnings == ()


def test_a_council_extends_the_table_without_python(tmp_path: Path) -> None:
    (tmp_path / "paper.txt").write_text(
        "Heading of paper: Library opening hours\n\nMeeting: Cabinet\n\n"
        "1. Opening hours will be extended on Saturdays.\n",
        encoding="utf-8",
    )
    extra = tmp_path / "ours.yaml"
    extra.write_text('labels:\n  title: ["Heading of paper"]\n', encoding="utf-8")
    plain = read_record(tmp_path / "paper.txt", FolderFacts(load_templates()))
    ours = read_record(tmp_path / "paper.txt", FolderFacts(load_templates(str(extra))))
    assert plain.meta.title != "Library opening hours"
    assert ours.meta.title == "Library opening hours"
    assert "Subject" in load_templates(str(extra)).labels["title"]  # built-ins kept


def test_a_bad_pattern_names_the_file(tmp_path: Path) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text("minute_openings: ['MINUTES of (?P<body>']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        load_templates(str(extra))


def test_a_bye_laws_part_ii_is_not_an_exempt_part(tmp_path: Path) -> None:
    # Limerick, Metropolitan District minutes of 20 March 2024: an amendment to bye-laws.
    (tmp_path / "minutes.md").write_text(
        "MINUTES OF PROCEEDINGS AT MEETING OF THE METROPOLITAN DISTRICT OF LIMERICK HELD ON "
        "20TH MARCH, 2024\n\nCouncillor Hartigan seconded the following amendment:\n\n"
        "Part II No. 5(j)\n\nThe Operator shall lease or own all vehicles.\n\n"
        "PART II - NOT FOR PUBLICATION\n\nThe settlement with Ashgrove Ltd was agreed.\n",
        encoding="utf-8",
    )
    record = read_record(tmp_path / "minutes.md", FolderFacts(load_templates()))
    by_text = {c.text: c.classification for c in record.chunks}
    assert by_text["The Operator shall lease or own all vehicles."] == "Open"
    assert by_text["The settlement with Ashgrove Ltd was agreed."] == "Exempt"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (  # Limerick minutes (21 February 2022) adopting the January minutes at item 1
            "**MINUTES OF PROCEEDINGS AT MONTHLY MEETING OF THE METROPOLITAN DISTRICT OF**\n\n"
            "**LIMERICK HELD IN THE COUNCIL CHAMBER, DOORADOYLE AND ONLINE ON MONDAY, 21ST**\n\n"
            "**FEBRUARY, 2022 at 09:45 A.M.**\n\n**1.Adoption of Minutes**\n\nCirculated, copy "
            "of draft Minutes of the Monthly Meeting of the Metropolitan District of Limerick\n\n"
            "held on 17th January, 2022.\n",
            ("minutes", "Metropolitan District of Limerick", "2022-02-21"),
        ),
        (  # Limerick minutes held "IN" a hotel, no "HELD" (Adare-Rathkeale, July 2014)
            "MINUTES OF PROCEEDINGS AT MEETING OF THE MUNICIPAL DISTRICT OF ADARE-RATHKEALE IN "
            "DUNRAVEN ARMS HOTEL, ADARE ON TUESDAY 8TH JULY, 2014, AT 9.00 A.M.\n\n"
            "Circulated, copy of draft Minutes of the Inaugural Annual Meeting of the Municipal "
            "District of Adare-Rathkeale held on 10th June, 2014.\n",
            ("minutes", "Municipal District of Adare-Rathkeale", "2014-07-08"),
        ),
        (  # Kent's summons, whose agenda approves earlier minutes
            "DEMOCRATIC SERVICES\nSESSIONS HOUSE\nMAIDSTONE\n\nWednesday, 5 February 2025\n\n"
            "To: All Members of the County Council\n\nA meeting of the County Council will be "
            "held in the Council Chamber, County Hall, Maidstone, Kent, ME14 1XQ on Thursday, "
            "13th February, 2025 at 9.30 am to deal with the following business.\n\nA G E N D A"
            "\n\n3. Minutes of the meeting of the County Council held on 19 December 2024, to be "
            "approved as a correct record\n",
            ("agenda", "County Council", "2025-02-13"),
        ),
        (  # Limerick's summons names no year: the adopted minutes' date is not taken
            "11th February, 2021.\n\nYou are requested to attend the online Monthly Meeting of "
            "the Municipal District of Cappamore- Kilmallock to be held on Thursday 18th "
            "February at 3.00pm via Microsoft Teams. The business to be transacted is set out "
            "on the appended Agenda.\n\nIs mise le meas,\n\nDara O'Brien, Meetings Administrator."
            "\n\nA G E N D A\n\n1. Minutes\n\n(i) To consider the adoption of Minutes of Meeting "
            "of the Municipal District of Cappamore-Kilmallock held on the 10th December 2020.\n",
            ("agenda", "Municipal District of Cappamore-Kilmallock", ""),
        ),
    ],
)
def test_a_record_is_dated_by_its_own_opening_not_minutes_it_adopts(
    head: str, expected: tuple[str, str, str]
) -> None:
    values = read_meta(head, load_templates()).values
    got = (values.get("doc_type"), values.get("body"), values.get("meeting_date", ""))
    assert got == expected


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        (r"Signed: \_\_\_\_\_\_\_\_\_\_\_\_ Cathaoirleach", "Signed: Cathaoirleach"),  # Limerick
        ("Signed: ____________________ Chairman", "Signed: Chairman"),  # a PDF form's blank
        (r"Section 183 of the Act\, in accordance", "Section 183 of the Act, in accordance"),
        ("the snake_case name stays", "the snake_case name stays"),
    ],
)
def test_markdown_escapes_and_form_blanks_are_not_text(line: str, clean: str) -> None:
    assert " ".join(clean_inline(line, load_templates()).split()) == clean


@pytest.mark.parametrize(
    ("name", "body"),
    [
        # Limerick's summonses name their addressees, with a salutation
        (
            "Mayor and Each Member of Limerick City and County Council",
            "Limerick City and County Council",
        ),
        (
            "Cathaoirleach and Each Member of the Municipal District of Newcastle West A "
            "Chomhairleoir, a chara",
            "Municipal District of Newcastle West",
        ),
        ("Municipal District of Adare- Rathkeale", "Municipal District of Adare-Rathkeale"),
        (
            "Metropolitan District of Limerick f: +353 (0) 61 415 266",
            "Metropolitan District of Limerick",
        ),
        ("MUNICIPAL DISTRICT OF ADARE- RATHKEALE", "Municipal District of Adare-Rathkeale"),
        (
            "Economic Development, Enterprise & Planning Strategic Policy Committee",
            "Economic Development, Enterprise and Planning Strategic Policy Committee",
        ),
        ("Special Meeting of Limerick City and County Council", "Limerick City and County Council"),
        (
            "Travel and Transportation Strategic Policy Committee of Limerick City and County "
            "Council You are invited to attend a Meeting of the Travel and Transportation "
            "Strategic Policy Committee to be held in the Council Chamber, Merchants Quay",
            "Travel and Transportation Strategic Policy Committee",
        ),
        ("Joint Policing Committee Meeting", "Joint Policing Committee"),
        # a meeting's business read with its body
        (
            "Meeting to consider Draft Budgetary Plan 2016 for the Members of the Municipal "
            "District of Cappamore-Kilmallock",
            "Municipal District of Cappamore-Kilmallock",
        ),
        (
            "Adjourned Draft Budgetary Plan Meeting for the Municipal District of Adare-Rathkeale",
            "Municipal District of Adare-Rathkeale",
        ),
        (
            "Municipal District of Cappamore-Kilmallock to Discuss the Active Travel/national "
            "Transport Association Allocation 2024",
            "Municipal District of Cappamore-Kilmallock",
        ),
        # Kent's and Herefordshire's
        ("All Members of the County Council", "County Council"),
        ("Chairman and Members of the Cabinet", "Cabinet"),
        (
            "Monthly meeting of the Children and Young People Scrutiny Committee",
            "Children and Young People Scrutiny Committee",
        ),
        ("Cabinet", "Cabinet"),
        (
            "Members of the Regulatory Committee You are hereby summoned to attend a meeting",
            "Regulatory Committee",
        ),
        ("Audit and Governance Committee Meeting", "Audit and Governance Committee"),
        ("Budget Meeting for the County Council", "County Council"),
        ("Cabinet to consider the Medium Term Financial Plan", "Cabinet"),
    ],
)
def test_one_body_has_one_name_whatever_the_summons_calls_it(name: str, body: str) -> None:
    assert tidy_name(name, load_templates()) == body


# Record counts per body name as three councils' catalogues hold them (Limerick's from its
# archive, with the misreadings its scanned summonses gave; Kent's and Herefordshire's as their
# modern.gov records name them, with a scan's misreading made from them).
BODY_COUNTS = {
    "Municipal District of Cappamore-Kilmallock": 294,
    "Municipal District of Cappamore-Kilmaliock": 1,
    "Municipal District of Cappamore-Kilimallock": 1,
    "Metropolitan District of Limerick": 291,
    "Metropolitan District of Limerick ~": 1,
    "Metropolitan District of Limeri": 1,
    "Municipal District of Adare-Rathkeale": 329,
    "Municipal District of Adare-Rathkeale JPC Subcommittee": 1,
    "Municipal District of Adare-Rathkeale Jpc Subcommittee": 6,
    "Community Leisure and Emergency Services Strategic Policy Committee": 14,
    "Community, Leisure and Emergency Services Strategic Policy Committee": 15,
    "Economic Development, Enterprise and Planning Strategic Policy Committee": 67,
    "Economic Development, Enterprise, Tourism and Planning Strategic Policy Committee": 2,
    "Environment Strategic Policy Committee": 15,
    "Cultural Strategic Policy Committee": 7,
    "County Council": 40,
    "Council": 3,
    "Cabinet": 30,
    "Children, Young People and Education Cabinet Committee": 9,
    "Children Young People and Education Cabinet Committee": 2,
    "Adults and Wellbeing Scrutiny Committee": 12,
    "Adults and Wellbeing Scrutiny Commitee": 1,
    "Children and Young People Scrutiny Committee": 11,
}


def test_a_body_written_two_ways_is_shown_by_its_usual_name() -> None:
    folds = fold_bodies(BODY_COUNTS)
    # Limerick: punctuation and a scan's misreadings
    assert folds["Municipal District of Cappamore-Kilmaliock"] == (
        "Municipal District of Cappamore-Kilmallock"
    )
    assert folds["Municipal District of Cappamore-Kilimallock"] == (
        "Municipal District of Cappamore-Kilmallock"
    )
    assert folds["Metropolitan District of Limerick ~"] == "Metropolitan District of Limerick"
    assert folds["Metropolitan District of Limeri"] == "Metropolitan District of Limerick"
    assert folds["Community Leisure and Emergency Services Strategic Policy Committee"] == (
        "Community, Leisure and Emergency Services Strategic Policy Committee"
    )
    assert folds["Municipal District of Adare-Rathkeale JPC Subcommittee"] == (
        "Municipal District of Adare-Rathkeale Jpc Subcommittee"
    )
    # Kent and Herefordshire
    assert folds["Children Young People and Education Cabinet Committee"] == (
        "Children, Young People and Education Cabinet Committee"
    )
    assert folds["Adults and Wellbeing Scrutiny Commitee"] == (
        "Adults and Wellbeing Scrutiny Committee"
    )
    # Other bodies stay apart: a sub-committee, a renamed committee, alike names, short names
    for own in (
        "Municipal District of Adare-Rathkeale Jpc Subcommittee",
        "Economic Development, Enterprise, Tourism and Planning Strategic Policy Committee",
        "Environment Strategic Policy Committee",
        "Cultural Strategic Policy Committee",
        "County Council",
        "Council",
        "Cabinet",
        "Children and Young People Scrutiny Committee",
        "Municipal District of Adare-Rathkeale",
    ):
        assert own not in folds, own
    # every target is a name that stays
    assert not set(folds.values()) & set(folds)


@pytest.mark.parametrize(
    ("head", "body"),
    [
        # Limerick's summons: the addressee wraps after "of"
        (
            "f: +353 (0) 61 415 266\n\nTo: The Mayor and each Member of the Metropolitan "
            "District of\nLimerick\n\nA Chomhairleoir, a chara,",
            "Metropolitan District of Limerick",
        ),
        # Herefordshire's cover sheet: the decision maker wraps after "and"
        (
            "Decision maker: Cabinet member children and\n\nyoung people\n\nDecision date: "
            "Thursday 26 September 2024",
            "Cabinet member children and young people",
        ),
        # a value that ends whole takes nothing from the next line (Kent)
        ("Meeting: County Council\nDate: 9 January 2025", "County Council"),
    ],
)
def test_a_body_wrapped_after_a_joining_word_is_read_whole(head: str, body: str) -> None:
    assert read_meta(head, load_templates()).values["body"] == body
