"""Question understanding and the fitted answer selection, on three councils' real records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer import Citation
from assistant.briefing import series_outcomes
from assistant.extractive import (
    Sentence,
    _mentioned,
    _shown_items,
    _vote_result,
    asks,
    shown_text,
)
from assistant.query import name_phrase, name_words, read_people, read_stages, understand
from assistant.retrieve import _body_words, _names_body
from assistant.selection import (
    FACT_PATTERNS,
    FEATURES,
    MODEL_FILE,
    is_decision,
    load_model,
    read_intent,
    records_decision,
    title_like,
)
from assistant.service import Assistant
from ingest.chunk import RESPONSE_KINDS, Chunk
from ingest.embed import Embedder
from ingest.lexical_index import lexical_text
from ingest.parse import parse_file
from ingest.pipeline import ingest_paths
from ingest.store import Store
from ingest.templates import load_templates
from ingest.tokens import tokenize
from tests.conftest import CORPUS, DATA, abstention_of, assistant_for, seed_index_with


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Assistant:
    """Three councils' records in one index: the seeds, and Kent's and Limerick's test records."""
    data = tmp_path_factory.mktemp("councils")
    report = ingest_paths([CORPUS, DATA / "kent", DATA / "limerick"], Store(data), embedder)
    assert report.ok and report.added, report.failed
    return assistant_for(data, embedder, "public")


def lead_of(assistant: Assistant, question: str) -> Citation:
    """Return the citation an answer opens with (it must not abstain)."""
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert answer.citations, answer.text
    return answer.citations[0]


@pytest.mark.parametrize(
    ("question", "surnames"),
    [
        ("What did Comhairleoir Ó Ceallaigh ask about Irish signage?", ("ceallaigh",)),
        ("What did Councillor J. Scanlan ask?", ("scanlan",)),
        ("What did Ms Gallagher ask?", ("gallagher",)),
        ("What did Cllr Carole Gandy ask about plans?", ("gandy",)),
        ("What did Mr Hook say in the devolution debate?", ("hook",)),
        ("What did Carole Gandy ask?", ("gandy",)),
        ("What did Kent County Council decide about devolution?", ()),
        # Irish TDs are "Deputy"; an office after the title is no person (Kent's, Herefordshire's)
        ("What concern did Deputy Quinlivan raise about domestic abuse?", ("quinlivan",)),
        ("What did the Deputy Leader say about the budget?", ()),
        ("What did the Deputy Chief Executive say about staffing?", ()),
        ("What did Kent County Council say about the budget?", ()),
        # letters after a name (the Senedd's "AM") and verbs of speaking beyond say/ask
        ("What did Kirsty Williams AM think about the grading system?", ("williams",)),
        ("What did Julie Morgan suggest about unforeseen costs?", ("morgan",)),
        ("What did Minister O'Donnell ask for?", ("o'donnell",)),
    ],
)
def test_people_named_in_questions(question: str, surnames: tuple[str, ...]) -> None:
    assert read_people(question) == surnames


@pytest.mark.parametrize(
    ("question", "kind", "decision", "asked"),
    [
        ("How many key areas for improvement did Ofsted identify?", "count", False, False),
        ("How much was the refundable contribution to DVM Productions?", "amount", False, False),
        ("When was the White Paper published?", "date", False, False),
        ("What did cabinet decide about tranche two funding?", "", True, False),
        ("What did Councillor Scanlan ask about rental income?", "", False, True),
        ("Who chairs the Children's Improvement Board?", "person", False, False),
        # what happened to a proposal asks its outcome; what happened to caseloads does not
        ("What happened to the amendment proposed by Mr Brady?", "", True, False),
        ("What was the outcome of the motion on the Kilglass barrier?", "", True, False),
        ("What happened to average caseloads?", "", False, False),
        # a decision word inside a name asks no decision (Limerick's Approved Housing Bodies)
        ("Which Approved Housing Body was chosen for Cois Na Féile?", "", False, False),
        ("Has the council approved a cable car to King John's Castle?", "", True, False),
        # a budget's size is an amount; a budget named is not (Kent's amendment, Herefordshire's
        # base budget)
        (
            "What net revenue budget did the County Council agree for 2025-26?",
            "amount",
            True,
            False,
        ),
        ("What was the base budget for children's social care?", "amount", False, False),
        ("Was the Labour Group's alternative budget amendment carried?", "", True, False),
        ("Are the resource implications included in the base budget?", "", False, False),
        # "when" asking a time, beside "when" joining a condition (Kent's treasury strategy,
        # Herefordshire's staff misconduct reply)
        ("How much was the first tranche and when was it drawn down?", "date", False, False),
        ("By when should the actions be delivered?", "date", False, False),
        ("What is the council's chief objective when borrowing money?", "", False, False),
        (
            "What did the council say happens when there is evidence of misconduct?",
            "",
            False,
            False,
        ),
        # a salary, fee or rent asked is an amount; a policy on them is not
        ("What is the Kent chief executive's salary?", "amount", False, False),
        ("What was the rent received in 2018?", "amount", False, False),
        ("What is the fees and charges policy?", "", False, False),
        # a council tax precept asked is an amount (a parish's, a county's), a report on it not
        ("What precept did Stoke Ferry Parish Council set for 2020/21?", "amount", False, False),
        ("What is Kent's council tax precept?", "amount", False, False),
        ("What was the precept report about?", "", False, False),
    ],
)
def test_what_a_question_asks_for(question: str, kind: str, decision: bool, asked: bool) -> None:
    intent = read_intent(question)
    assert (intent.kind, intent.decision, intent.asked) == (kind, decision, asked)


@pytest.mark.parametrize(
    ("question", "surname"),
    [
        ("What did Councillor Carole Gandy ask?", "Gandy"),  # Herefordshire's question table
        ("What did Councillor J. Scanlan ask?", "Scanlan"),  # Limerick's minutes
        ("What did Comhairleoir Ó Ceallaigh ask?", "Ceallaigh"),
    ],
)
def test_what_a_named_person_asked_is_their_question(
    councils: Assistant, question: str, surname: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    lead = answer.citations[0]
    assert lead.chunk.kind in ("question", "supplementary") and surname in lead.chunk.speaker, lead


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # Limerick's minutes: Councillor Galvin's own motions and questions (four passages
        # whose speaker is Galvin) are about other things than the letter he spoke to.
        ("What did Councillor Galvin say about the undocumented in America?", "undocumented"),
        # ... and a question with a subject of the member's own still finds it first.
        ("What did Councillor Collins say about the roadway serving the GAA field?", "GAA"),
    ],
)
def test_what_a_named_person_said_about_a_subject_is_found_by_the_subject(
    councils: Assistant, question: str, said: str
) -> None:
    hits = councils.retriever.search(question, k=5).hits
    assert said in hits[0].chunk.text, [(h.chunk.locator, h.chunk.speaker) for h in hits]


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        # Limerick's reply spells the NTA out once, then writes "The NTA has advised ..."
        (
            "What did the National Transport Authority advise about advancing the bike scheme "
            "works?",
            "The NTA has advised",
        ),
        # Herefordshire's report defines "Public Law Outline (PLO)" in another paragraph
        ("What is the PLO?", "cases in the Public Law Outline"),
    ],
)
def test_an_acronym_finds_what_the_records_spell_out_and_the_reverse(
    councils: Assistant, question: str, passage: str
) -> None:
    hits = councils.retriever.search(question, k=5).hits
    assert any(passage in h.chunk.text for h in hits[:3]), [h.chunk.locator for h in hits]


def test_the_acronyms_are_read_from_the_records_of_each_council(councils: Assistant) -> None:
    spelled = councils.retriever._spelled
    assert "mrp" in spelled(understand("How is the Minimum Revenue Provision set?"))  # Kent
    assert set(spelled(understand("What is the PLO?"))) == {"public", "law", "outline"}
    assert spelled(understand("What did the NTA say?")) == ("national", "transport", "authority")
    assert spelled(understand("What is the XYZ?")) == ()  # no record defines it


@pytest.mark.parametrize(
    "question",
    [
        "What is the cost of Kent's devolution consultation?",  # Kent: the debate, no sum
        "What will the Newcastle West Movement Plan cost?",  # Limerick: consultants appointed
    ],
)
def test_an_amount_no_close_passage_gives_is_not_answered_with_words(
    councils: Assistant, question: str
) -> None:
    notice = "None of the passages that come closest to an answer gives an amount."
    assert notice in abstention_of(councils, question)


def test_an_amount_the_records_give_is_still_answered(councils: Assistant) -> None:
    answer = councils.ask("How much is the tranche two drawdown?")  # Herefordshire
    assert not answer.abstained and "£" in answer.citations[0].quote, answer.text


@pytest.mark.parametrize(
    "question",
    [
        # Newcastle West's minutes: the engineer said the RSA would not carry out an audit
        "When will the Ballynoe Cross safety audit be carried out?",
        "When will the RSA audit the R520 approach?",
    ],
)
def test_a_time_to_come_no_close_passage_gives_is_not_answered(
    councils: Assistant, question: str
) -> None:
    notice = "None of the passages that come closest to an answer gives a date."
    assert notice in abstention_of(councils, question)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # Kent: members' views of mayors score best; the report's resolution gives the date
        ("When will Kent's Mayor be elected?", "in May 2026"),
        # Herefordshire: the date is in the best sentence itself
        (
            "When is the draft Ofsted improvement action plan to be presented to cabinet?",
            "15 December 2022",
        ),
    ],
)
def test_a_time_to_come_is_answered_by_a_close_sentence_giving_it(
    councils: Assistant, question: str, lead: str
) -> None:
    assert lead in lead_of(councils, question).quote


@pytest.mark.parametrize(
    ("index", "question", "word"),
    [
        ("seed_assistant", "What did cabinet decide about the Hereford bypass?", "bypass"),
        ("councils", "Where will the new hospital helipad be built?", "helipad"),  # 3 councils
    ],
)
def test_a_thing_no_record_names_is_not_answered_and_the_word_is_told(
    request: pytest.FixtureRequest, index: str, question: str, word: str
) -> None:
    assert f'No record uses the word "{word}".' in abstention_of(
        request.getfixturevalue(index), question
    )


@pytest.mark.parametrize(
    "question",
    [
        "Which agency was criticised for not engaging with the youths?",  # a verb's form
        "What minimum hourly rate did the alternative budget propose?",  # an adverb's
        "What did the Eurovision committee decide?",  # a name: the name checks'
    ],
)
def test_words_the_records_may_say_otherwise_are_not_held_unused(
    councils: Assistant, question: str
) -> None:
    assert councils.retriever.search(question, k=5).unused == ()


@pytest.mark.parametrize(
    ("question", "council"),
    [
        # Kent's devolution report answers it, for Kent
        ("What did Limerick decide about the Devolution Priority Programme?", "Limerick"),
        # Limerick's reply gives its rents
        ("What is the rent for Herefordshire's council houses?", "Herefordshire"),
        # the name as written, once (not also "Limerick" and "City")
        (
            "What did Limerick City and County Council decide about the Devolution Priority "
            "Programme?",
            "Limerick City",
        ),
    ],
)
def test_a_council_the_question_names_is_named_by_the_record_that_answers(
    councils: Assistant, question: str, council: str
) -> None:
    """An index of three councils' records: one council's passages do not answer for
    another, though each council's name is in too many passages to be checked in them."""
    notice = f'None of the passages that come closest to an answer mentions "{council}".'
    assert abstention_of(councils, question).endswith(notice)


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        (
            "What did Kent County Council resolve about joining the Devolution Priority Programme?",
            "Devolution Priority Programme",
        ),
        ("How much rent was received by Limerick in 2018?", "rent received"),
        ("What did Herefordshire cabinet decide about tranche two funding?", "tranche two"),
    ],
)
def test_a_council_the_question_names_is_answered_from_its_records(
    councils: Assistant, question: str, lead: str
) -> None:
    assert lead in lead_of(councils, question).quote


def test_an_amount_the_list_after_a_lead_in_gives_is_answered(councils: Assistant) -> None:
    """Limerick's reply gives its sums in a table a line a cell, after "... is as follows:"."""
    answer = councils.ask("How much rent was received by Limerick in 2018?")
    assert not answer.abstained, answer.text
    assert "2018; €740,482" in answer.text


@pytest.mark.parametrize(
    ("question", "last"),
    [
        ("What are the nine protected characteristics?", "Sexual orientation"),  # Herefordshire
        ("What was the rent received by Limerick in 2018?", "€740,482"),  # Limerick
    ],
)
def test_a_list_of_short_items_is_shown_whole(
    councils: Assistant, question: str, last: str
) -> None:
    first = councils.ask(question).text.split(" [1]")[0]
    assert first.endswith(f"{last}."), first


def test_a_list_of_long_items_is_shown_by_its_first_six() -> None:
    items = [f"Item {n} " + "word " * 15 for n in range(1, 9)]
    assert _shown_items(items) == items[:6]
    assert (
        _shown_items(["Year", "Amount", "2016", "€528,729", "2017", "€1", "2018", "€2"])[-1] == "€2"
    )


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # Newcastle West's minutes: the motion, the member's case, then the engineer's reply
        (
            "What was the response to the motion for an RSA safety audit at Ballynoe Cross?",
            "would not be in a position to carry out an audit",
        ),
        # the full council's minutes: asked what the member said for it, the member's case
        (
            "What did Councillor Costelloe say in proposing the motion on nurses and midwives?",
            "patients waiting on trolleys",
        ),
    ],
)
def test_what_was_said_about_a_motion_is_what_the_minutes_record_after_it(
    councils: Assistant, question: str, lead: str
) -> None:
    assert lead in lead_of(councils, question).quote


def test_the_motion_phrases_are_a_members_own_words_not_a_minuted_proposal(
    councils: Assistant,
) -> None:
    """Kent's and Herefordshire's minutes record proposals in the third person ("Mr Gough
    proposed ..."), read by the outcome rules; only a motion quoted in its mover's words
    (Limerick's "I will move ...") is read on to its reply."""
    mark = load_templates().motion_phrase
    chunks = councils.retriever.chunks
    kent = [c for c in chunks if c.body == "County Council"]
    herefordshire = [c for c in chunks if c.body in ("Cabinet", "Council")]
    limerick = [c for c in chunks if "Limerick" in c.body or "Newcastle West" in c.body]
    assert kent and herefordshire and limerick
    assert not [c.locator for c in kent + herefordshire if mark.search(c.text)]
    assert len({c.doc_id for c in limerick if mark.search(c.text)}) == 2


@pytest.mark.parametrize(
    ("question", "decided"),
    [
        # Herefordshire's report: the recommendation, not the option turned down
        ("What did cabinet decide about tranche two funding?", "authorise the drawdown"),
        # Kent's minutes: a part of the motion carried, not the report's background on the
        # programme (which part leads depends on the question's words, not on this test)
        ("What did the council decide about the Devolution Priority Programme?", ""),
    ],
)
def test_a_decision_answer_opens_with_the_decision(
    councils: Assistant, question: str, decided: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    lead = answer.citations[0]
    assert is_decision(lead.chunk), lead
    assert decided.lower() in lead.quote.lower(), answer.text
    assert "not recommended" not in answer.text.lower(), answer.text  # no rejected option


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # Herefordshire's tranche report: the drawdown is told in its background, beside the
        # recommendation to draw down the rest
        ("How much of tranche two did the Chief Financial Officer authorise early?", "£1m"),
        # Kent's devolution report: the date is in its background section
        ("When was the English Devolution White Paper published?", "16 December 2024"),
    ],
)
def test_a_question_of_fact_opens_with_the_best_sentence_wherever_it_sits(
    councils: Assistant, question: str, fact: str
) -> None:
    """Only a decision question keeps background, risks and options out of the lead."""
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert fact in answer.text.split(" [1]")[0], answer.text


@pytest.mark.parametrize(
    ("question", "which"),
    [
        ("Which reserve is the tranche two money drawn from?", ("reserve",)),
        ("Which estate in Newcastle West was taken in charge in March 2019?", ("estate",)),
        ("Which Approved Housing Body was chosen for Cois Na Féile?", ("body",)),
        ("What did the report say, which was new?", ()),
    ],
)
def test_what_kind_a_which_question_asks_for(question: str, which: tuple[str, ...]) -> None:
    assert read_intent(question).which == which


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # Herefordshire's tranche report: not "It was originally thought that tranche two
        # money would be drawn in July 2022"
        ("Which reserve is the tranche two money drawn from?", "Financial Resilience Reserve"),
        # Kent's devolution report: not the reorganisation the paper sets out
        ("Which white paper set out the reorganisation of two-tier areas?", "White Paper"),
    ],
)
def test_a_which_question_opens_with_a_sentence_naming_the_kind_asked_for(
    councils: Assistant, question: str, named: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert named in answer.text.split(" [1]")[0], answer.text


def test_a_which_question_does_not_open_with_a_poor_sentence_for_its_word(
    councils: Assistant,
) -> None:
    """Only a sentence close enough to the best to be in the answer may lead: Kent's budget
    form's "Funding streams (indicate whether base budget / external / grant ...)" holds
    "grant" but answers nothing."""
    answer = councils.ask("Which grant was uplifted in the final settlement?")
    assert not answer.text.startswith("Funding streams"), answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Which company was awarded the contract?",
        "What is the title of the tranche two report?",
        "Who wrote the devolution report?",
        "What was on the agenda of the Newcastle West meeting?",
    ],
)
def test_cover_sheets_and_headings_are_never_answer_sentences(
    councils: Assistant, question: str
) -> None:
    answer = councils.ask(question)
    for c in answer.citations if not answer.abstained else []:
        assert c.chunk.kind not in ("header", "caption"), c
        quote = " ".join(c.quote.split())
        assert len(quote.split()) > 12 or quote.endswith((".", "?", "!", ":", ";")), quote


def test_a_list_lead_in_brings_its_items(councils: Assistant) -> None:
    answer = councils.ask("What did the council say were the key areas for improvement?")
    assert not answer.text.rstrip(". [0123456789]").endswith(":"), answer.text
    assert ":." not in answer.text


@pytest.mark.parametrize(
    ("lead_in", "items"),
    [
        # Herefordshire: unmarked items, each a line of its own
        ("three areas for priority action these being:", 3),
        # Kent's PDF: two items, each wrapped over two lines by the PDF's column
        ("commit to the following:", 2),
        # Limerick: marked items
        ("the following information on Knights Court, Newcastle West:", 6),
    ],
)
def test_a_lead_in_is_shown_with_its_items(councils: Assistant, lead_in: str, items: int) -> None:
    chunk = next(c for c in councils.retriever.chunks if lead_in in c.text)
    end = chunk.text.index(lead_in) + len(lead_in)
    start = max(chunk.text.rfind(". ", 0, end) + 2, chunk.text.rfind("\n", 0, end) + 1)
    shown = shown_text(Sentence(0, start, end, chunk.text[start:end]), chunk.text)
    assert shown.count("; ") == items - 1, shown
    assert "\n" not in shown and shown.endswith("."), shown
    if "commit" in lead_in:  # the wrapped halves of an item read as one
        assert "Areas which are in the Devolution Priority Programme will be" in shown, shown


@pytest.mark.parametrize(
    ("text", "amount", "count"),
    [
        ("Auditors | 120", True, True),  # Herefordshire's £000 table
        ("a new allocation for 2025-26 of £250m", True, True),  # Kent
        ("the amount received in 2016 was €528,729", True, True),  # Limerick
        ("twelve bus shelters", False, True),
        ("The Council felled seventeen trees in 2021", False, True),  # Limerick, in words
        ("Nine key areas for improvement", False, True),  # Herefordshire
        ("some forty-five households", False, True),
        ("the often-quoted view", False, False),  # "ten" inside a word is not a count
        ("the inspection in 2022", False, False),  # a year is neither
    ],
)
def test_amounts_and_counts_are_told_from_years(text: str, amount: bool, count: bool) -> None:
    assert bool(FACT_PATTERNS["amount"].search(text)) is amount
    assert bool(FACT_PATTERNS["count"].search(text)) is count


def test_the_fitted_model_matches_the_features_and_says_what_it_was_fitted_on(
    tmp_path: Path,
) -> None:
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURES) and len(data["weights"]) == len(FEATURES)
    assert all(name.endswith("_dev") for name in data["fitted_on"]), data["fitted_on"]
    assert 0 < load_model().abstain_threshold < 1
    stale = tmp_path / "model.json"
    stale.write_text(json.dumps({**data, "features": data["features"][:-1]}), encoding="utf-8")
    with pytest.raises(ValueError, match="refit it with `python -m evals.fit_answer`"):
        load_model(stale)


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Proposed: Councillor Carey", True),  # Limerick
        ("Roisin Wiley on winning the Rose of Tralee 2023.", True),  # Limerick, no title
        (
            "Details of a proposal to take Glen Grove, Kilmallock in charge were put to the "
            "Elected Members.",
            False,
        ),  # Limerick: a place and a body are not people
        ("The Democratic Services Manager reported apologies from Mr Beaney", True),  # Kent
        ("Devolution Priority Programme areas will be announced", False),  # Kent
        ("The Corporate Director for Children and Young People and his team", True),  # Hfds
        ("Children's Services Improvement Plan", False),  # Herefordshire
    ],
)
def test_a_person_is_a_name_title_or_office_not_any_two_capitalised_words(
    text: str, person: bool
) -> None:
    assert FACT_PATTERNS["person"].search(text) is person


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # Limerick: the proposer's own line, read with the resolution it moved
        (
            "Who proposed the disposal of land at 8 O'Donoghue Avenue, Janesboro?",
            "Councillor Collins",
        ),
        # Kent: named inside the motion's paragraph
        ("Who proposed the motion on the English Devolution White Paper?", "Mr Gough"),
    ],
)
def test_who_proposed_is_answered_first_by_the_proposer(
    councils: Assistant, question: str, named: str
) -> None:
    assert read_intent(question).kind == "mover"
    answer = councils.ask(question)
    assert not answer.abstained
    first = answer.text.split("[1]")[0]
    assert named in first and "ropos" in first, answer.text


@pytest.mark.parametrize(
    ("question", "label"),
    [
        # Limerick: a notice of motion minuted with its reply
        ("What was the reply to the motion on a safety audit at Gortboy?", "Q 14"),
        # Herefordshire: a public question in the council's question table
        (
            "What was the council's response to Mr Griffiths' question about the Domestic "
            "Abuse Hub?",
            "PQ 4",
        ),
    ],
)
def test_asked_for_the_reply_the_answer_opens_with_the_reply(
    councils: Assistant, question: str, label: str
) -> None:
    lead = lead_of(councils, question)
    assert lead.chunk.kind in RESPONSE_KINDS, lead.locator
    assert lead.locator.startswith(label + " "), lead.locator


@pytest.mark.parametrize(
    ("question", "chair"),
    [
        # Limerick: "PRESENT IN THE CHAIR:" in the opening, the name on the next line
        ("Who chaired the Newcastle West meeting in February 2019?", "Sheahan"),
        # Kent: "PRESENT: Mr B J Sweetland (Chairman), ..." (not the January meeting's
        # "RESOLVED that Mr Cooke be elected to Chair the meeting")
        ("Who chaired the county council meeting in February 2025?", "Sweetland"),
        # Herefordshire: "Present: Councillor Sebastian Bowen (chairperson)"
        ("Who was in the chair at the Herefordshire council meeting?", "Bowen"),
    ],
)
def test_who_chaired_is_answered_from_the_meetings_opening(
    councils: Assistant, question: str, chair: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    first = answer.text.split("[1]")[0]
    assert chair in first, answer.text
    assert "\n" not in first  # a label and its name on two lines read as one
    # the chair's name, not the whole list of those present it is the first of
    assert len(first.split()) <= 12, first


@pytest.mark.parametrize(
    ("question", "other_chair"),
    [
        # Kent: the January minutes say who was elected to chair; February's chair line is
        # another meeting's
        ("Who chaired the County Council meeting on 9 January 2025?", "Sweetland"),
        # Herefordshire: no meeting of March 2023 is held; September 2022's chair is not its
        ("Who chaired the Herefordshire council meeting in March 2023?", "Bowen"),
    ],
)
def test_who_chaired_a_dated_meeting_is_not_another_meetings_chair(
    councils: Assistant, question: str, other_chair: str
) -> None:
    answer = councils.ask(question)
    first = answer.text.split("[1]")[0]
    assert other_chair not in first, answer.text


def test_the_chair_elected_for_a_meeting_answers_who_chaired_it(councils: Assistant) -> None:
    answer = councils.ask("Who chaired the County Council meeting on 9 January 2025?")
    assert "Cooke" in answer.text.split("[1]")[0], answer.text


def test_who_proposed_someone_to_chair_is_a_mover_question(councils: Assistant) -> None:
    answer = councils.ask("Who proposed Mr Cooke to chair the January meeting?")
    assert "Mr Gough proposed" in answer.text.split("[1]")[0], answer.text


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("What does the Kent Travel Saver provide?", ("Kent Travel Saver",)),
        ("Who is the Bishop of Limerick?", ("Bishop of Limerick",)),
        (
            "What does the tranche two report plan for the Edge of Care team?",
            ("Edge of Care",),
        ),
        (
            "Which Approved Housing Body was chosen at Cois Na Féile?",
            ("Approved Housing Body", "Cois Na Féile"),
        ),
        # a possessive ends a name (Limerick: Threshold and its protocol)
        (
            "What is Threshold's Interim Tenancy Sustainment protocol for?",
            ("Interim Tenancy Sustainment",),
        ),
        # people are read as people, not as names to find word for word
        ("What did Councillor Teskey's notice of motion ask about Rathkeale?", ()),
        ("What did Carole Gandy ask?", ()),
        ("What did Cllr Carole Gandy ask about plans?", ()),
        # capitals by their place, or throughout, name nothing
        ("What Did The Council Decide About Parking Charges?", ()),
        ("What did cabinet decide about tranche two funding?", ()),
    ],
)
def test_proper_names_in_questions(question: str, names: tuple[str, ...]) -> None:
    assert understand(question).names == names


def test_names_are_compared_as_written_whatever_the_case_accents_or_figures() -> None:
    assert name_words("Stage One") == name_words("stage 1") == ["stage", "1"]
    assert name_words("Cois Na Féile") == name_words("COIS NA FEILE")
    assert name_words("the Children\u2019s Services") == ["the", "children", "services"]
    # a roman figure reads as a figure, as a scan misreads it too ("Phase Il")
    assert name_words("Tranche II") == name_words("tranche two") == name_words("Tranche Il")
    # an acronym is left out of the words a passage must give: records spell it out; the
    # words either side of it are runs of their own
    assert name_phrase("Social Development SPC") == [["social", "development"]]
    assert name_phrase("Dedicated Schools Grant") == [["dedicated", "schools", "grant"]]
    assert name_phrase("Limerick HAP Shared Services") == [["limerick"], ["shared", "services"]]
    assert name_phrase("Phase II of the Coonagh") == [["phase", "2", "of", "the", "coonagh"]]


def test_a_name_a_question_joins_from_two_places_of_a_passage_is_given() -> None:
    """A question joins what a record says in two places; the first word apart is enough
    for a name of three words or more, not for one of two."""
    kent = " commit kent and medway to elections to a new mayoral strategic authority msa "
    assert _mentioned("Medway Mayoral Strategic Authority", [kent])
    assert not _mentioned("Surrey Mayoral Strategic Authority", [kent])
    limerick = " consultants have been appointed for the newcastle west movement plan "
    assert _mentioned("Newcastle West Movement Plan", [limerick])
    assert not _mentioned("Adare Movement Plan", [limerick])  # no passage gives "adare"
    assert not _mentioned("Rathkeale West Movement Plan", [limerick])


def test_a_name_a_question_joins_is_answered(councils: Assistant) -> None:
    question = "When will the Kent and Medway Mayoral Strategic Authority be set up?"
    assert "May 2026" in lead_of(councils, question).quote


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # Kent: its records never mention the crossing
        ("What did the county council decide about the Dartford Crossing?", "Dartford Crossing"),
        # Limerick
        ("Who is the Bishop of Limerick?", "Bishop of Limerick"),
        # Herefordshire
        ("When will the Hay-on-Wye Leisure Centre reopen?", "Hay-on-Wye Leisure Centre"),
        # Kent's minutes speak of the UK economy and of electoral reform, never of Reform UK:
        # a word beside an acronym is a name only with the acronym
        ("Who did Reform UK nominate as group leader?", "Reform UK"),
        # a name of one word the passages quoted lack: Herefordshire's tranche report,
        # Kent's devolution report, Limerick's Newcastle West minutes each answer the
        # question but for the place it names
        (
            "How much tranche two funding did cabinet authorise for Worcestershire?",
            "Worcestershire",
        ),
        ("When would the first mayoral elections be held in Lancashire?", "Lancashire"),
        ("How much was allocated to the Men's Shed in Askeaton?", "Askeaton"),
    ],
)
def test_a_name_no_passage_found_mentions_is_not_answered(
    councils: Assistant, question: str, name: str
) -> None:
    answer = councils.ask(question)
    assert answer.abstained, answer.text
    assert f'mentions "{name}"' in answer.text


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("What is the Devolution Priority Programme?", "Devolution Priority Programme"),
        ("What does the tranche two report plan for the Edge of Care team?", "Edge of Care"),
        # Limerick: a word beside an acronym, as written
        ("What security would the council take for the loan to DVM Productions?", "DVM"),
    ],
)
def test_a_name_the_records_give_is_answered_from_a_passage_naming_it(
    councils: Assistant, question: str, name: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert any(name.lower() in c.passage.lower() for c in answer.citations), answer.text


@pytest.mark.parametrize(
    ("question", "single"),
    [
        ("What are the opening hours of Kilmallock library?", ("Kilmallock",)),
        ("What credit rating does Moody's give Kent County Council?", ("Moody",)),
        # a person's first name, an office, the template's place words: none is one
        ("What did Councillor Carole Gandy ask?", ()),
        ("What did the Cathaoirleach ask the Council about Kent?", ()),
        ("WHAT DID THE COUNCIL DECIDE ABOUT GLIN?", ()),
    ],
)
def test_the_names_of_one_word_a_question_gives(question: str, single: tuple[str, ...]) -> None:
    assert understand(question).single_names == single


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("How much was allocated to the Men's Shed in Glin?", "Glin Men"),
        ("When would the first mayoral elections be held for Kent and Medway?", "May 2026"),
        # the index's own council, in most of its passages, need not be in the answer's
        ("How much tranche two funding did Herefordshire's cabinet authorise?", "£6.49m"),
    ],
)
def test_an_answer_whose_passages_name_the_place_asked_about_is_given(
    councils: Assistant, question: str, said: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert said in answer.text


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        # Herefordshire: the tranche report's passages say "Cabinet", the index's own council
        # ("Herefordshire", in most passages) is not theirs to repeat
        ("What did Herefordshire Cabinet decide about tranche two funding?", "tranche two"),
        # Limerick: the minutes say "Municipal District of Newcastle West"
        ("What did the Newcastle West District decide about Glin Pier?", "Glin"),
    ],
)
def test_a_body_named_by_its_place_and_kind_is_answered(
    councils: Assistant, question: str, subject: str
) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert any(subject.lower() in c.passage.lower() for c in answer.citations), answer.text


@pytest.mark.parametrize(
    ("question", "words"),
    [
        # Kent's devolution report
        (
            "What did the County Council decide on a Strategic Authority?",
            {"strategic", "authority"},
        ),
        # Herefordshire's 2021 report
        (
            "What did the County Council decide on the Improvement Notice?",
            {"improvement", "notice"},
        ),
    ],
)
def test_passages_naming_a_rare_name_get_a_ranking_of_their_own(
    councils: Assistant, question: str, words: set[str]
) -> None:
    retriever = councils.retriever
    query = understand(question)
    assert query.names[0] == "County Council" and len(query.names) == 2
    naming = retriever._naming(query, councils.filters())
    # "County Council" is in too many of the passages to narrow the search
    assert len(naming) == 1
    rows = naming[0]
    assert 0 < len(rows) <= max(len(retriever.chunks) * 0.02, 25)
    for row in rows:  # each holds the name's words, in its text, heading or record's title
        chunk = retriever.chunks[int(row)]
        assert words <= set(tokenize(lexical_text(chunk.text, chunk.to_metadata())))


KENT_BODIES = [
    "County Council",
    "Cabinet",
    "Scrutiny Committee",
    "Governance and Audit Committee",
    "Children's, Young People and Education Cabinet Committee",
    "Regulation Committee",
]
LIMERICK_BODIES = [
    "Limerick City and County Council",
    "Municipal District of Newcastle West",
    "Municipal District of Adare-Rathkeale",
    "Metropolitan District of Limerick",
    "Home and Social Development Strategic Policy Committee",
    "Travel and Transportation Strategic Policy Committee",
    "Municipal District of Newcastle West Joint Policing Sub Committee",
]


@pytest.mark.parametrize(
    ("bodies", "question", "named"),
    [
        (
            KENT_BODIES,
            "What did the Governance and Audit Committee say about risk?",
            {"Governance and Audit Committee"},
        ),
        (
            KENT_BODIES,
            "What did the education cabinet committee discuss?",
            {"Children's, Young People and Education Cabinet Committee"},
        ),
        (
            LIMERICK_BODIES,
            "What did the Newcastle West district agree in February 2019?",
            {
                "Municipal District of Newcastle West",
                "Municipal District of Newcastle West Joint Policing Sub Committee",
            },
        ),
        (
            LIMERICK_BODIES,
            "What did the Home and Social Development SPC discuss?",
            {"Home and Social Development Strategic Policy Committee"},
        ),
        # what kind of body, or the council itself, names none
        (KENT_BODIES, "What did the committee decide about the budget?", set()),
        (LIMERICK_BODIES, "How much did the council spend on Christmas lights?", set()),
        (LIMERICK_BODIES, "What did Limerick decide about housing?", set()),
    ],
)
def test_the_bodies_a_question_names_are_read_from_the_index_own_names(
    bodies: list[str], question: str, named: set[str]
) -> None:
    words = _body_words(bodies)
    asked = f" {' '.join(name_words(question))} "
    assert {b for b, (w, rare) in words.items() if _names_body(asked, w, rare)} == named


def test_a_body_the_question_names_narrows_a_ranking_of_its_own(councils: Assistant) -> None:
    retriever = councils.retriever
    question = "What did the Newcastle West district agree in February 2019?"
    narrowed = retriever._bodied(understand(question), councils.filters())
    assert narrowed is not None
    assert narrowed.bodies == ("Municipal District of Newcastle West",)
    assert (narrowed.since, narrowed.until) == ("2019-02-01", "2019-02-31")  # and its month
    answer = councils.ask(question)
    assert answer.citations[0].body == "Municipal District of Newcastle West", answer.text
    assert retriever._bodied(understand("What did the council agree?"), councils.filters()) is None


@pytest.mark.parametrize(
    ("question", "thin"),
    [
        ("Which wards are affected by the report?", "Purpose"),  # Herefordshire's cover sheet
        ("What questions were raised about the General Municipal Allocation?", "QUESTIONS"),
    ],
)
def test_a_passage_with_too_few_words_of_its_own_does_not_lead(
    councils: Assistant, question: str, thin: str
) -> None:
    """A label or a heading stored as a passage ("Purpose", Limerick's "QUESTIONS") matches
    only through the title and heading embedded with it: a passage that says something
    comes first."""
    retriever = councils.retriever
    hits = retriever.search(question).hits
    assert thin in [h.chunk.text for h in hits[:5]]  # still found, and shown as a source
    assert retriever._thin(retriever.by_id[next(h for h in hits if h.chunk.text == thin).chunk.id])
    first = hits[0].chunk.text
    assert first != thin and len(set(tokenize(first))) >= 3, first


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        # Kent's budget-meeting minutes: "The net revenue budget requirement of £1,530.9m"
        ("What net revenue budget did the County Council agree?", "revenue budget"),
        # Limerick's minutes: "... in relation to the Economic Development Strategy"
        ("What is the council's economic development strategy?", "development strategy"),
    ],
)
def test_a_lexical_match_holding_the_question_words_side_by_side_ranks_first(
    councils: Assistant, question: str, phrase: str
) -> None:
    """Of two passages BM25 scores alike, both holding the words of a phrase the question
    gives, the one holding them side by side ranks first (two councils' real passages)."""
    retriever = councils.retriever
    pair = tuple(tokenize(phrase))
    assert len(pair) == 2
    together = next(i for i, c in enumerate(retriever.chunks) if pair in _pairs(c.text))
    separate = next(
        i
        for i, c in enumerate(retriever.chunks)
        if set(pair) <= set(tokenize(c.text)) and pair not in _pairs(c.text)
    )
    query = understand(question)
    ranked = retriever._by_pairs(query.tokens, [(separate, 1.0), (together, 1.0)])
    assert [row for row, _ in ranked] == [together, separate]
    assert ranked[0][1] > ranked[1][1]


def _pairs(text: str) -> set[tuple[str, ...]]:
    terms = tokenize(text)
    return set(zip(terms, terms[1:], strict=False))


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        ("Update on City Bus Service.", True),  # Limerick: an agenda item's title, alone
        ("Meetings Administrator.", True),  # Limerick: a signature's office
        ("The KCC Environment Plan.", True),  # Kent: a strategy named in a list of them
        ("Procurement Framework Information Document.", True),  # Limerick minutes
        ("IN THE CHAIR: Cllr. Marian Hurley.", False),  # Limerick: says who chaired
        ("Cllr. Marian Hurley.", False),  # a person
        ("\u20ac2,000 to Desmond Rowing Club.", False),  # Limerick: a grant
        ("Councillors Collins, Foley, Galvin and Scanlan.", False),  # Limerick: who voted
        ("Amendment lost.", False),  # Kent: an outcome
        ("The Chairman declared the amendment carried.", False),
        ("Apologies.", False),  # one word
    ],
)
def test_a_title_with_a_full_stop_is_told_from_a_statement(sentence: str, title: bool) -> None:
    """A title the converter ended with a full stop is never an answer sentence ("Update on
    City Bus Service." led the answer to what the district agreed about the bus service)."""
    assert title_like(sentence) is title


CASTLETROY = (  # Limerick's Metropolitan District minutes of 17 December 2018, item 4, as converted
    "MINUTES OF MEETING OF THE METROPOLITAN DISTRICT OF LIMERICK HELD ON MONDAY, 17TH "
    "DECEMBER, 2018\n\n4. Economic Development Directorate\n\nCastletroy Local Area Plan "
    "2019-2025\n\nCirculated copy of Chief Executive's Report dated 19th November, 2018 in "
    "relation to the proposed\nCastletroy Local Area Plan 2019-2025 for consideration by "
    "Members.\n\nOn the proposal of Councillor Sheahan to adopt the Castletroy Local Area Plan "
    "2019-2025, the\nproposal to adopt was seconded by Councillor Hurley. Councillor O Ceallaigh "
    "proposed to reject\nthe Castletroy Local Area Plan 2019-2025. The proposal to reject the "
    "Plan was seconded by\nCouncillor Costello.\n\nA Vote was taken on the proposal to adopt the "
    "Castletroy Local Area Plan 2019-2025 which\nresulted as follows:\n\nFor: 14\n\nCouncillors "
    "Cahillane, Collins, Gilligan, Hogan, Hourigan, Hurley, Keller, Leddin, Loftus, O'Dea,\n"
    "O'Hanlon, Pond, Secas and Sheahan.\n\nAgainst: 3\n\nCouncillor Costello, O Ceallaigh and "
    "McCreesh.\n\nThe Meetings Administrator declared that the proposal to adopt the Castletroy "
    "Local Area Plan\n2019-2025 Plan as presented was carried.\n\n5. Physical Development "
    "Directorate\n\nThe report was noted by Members.\n"
)


def test_how_a_vote_went_is_answered_with_its_tallies_and_outcome(
    councils: Assistant, limerick: Assistant
) -> None:
    """A recorded vote is answered as its result: what was put, the tallies and the outcome,
    not the lists of members' names, which were never answer sentences before ('Amendment
    lost.' is two words) (Kent's printed minutes; Limerick's, where the outcome is declared
    in a sentence of its own after the tallies)."""
    assert read_intent("Was the Labour Group's amendment carried?").vote
    assert not read_intent("How many jobs were created?").vote
    kent = councils.ask("Was the amendment proposed by Mr Passmore and Mr Hook carried?")
    lead = kent.citations[0]
    assert lead.chunk.kind == "vote", kent.text
    first = kent.text.split("[1]")[0]
    assert "For (13); Against (45); Abstain (4); Amendment lost." in first
    assert "Mr Baker" not in kent.text  # the names voting against are not the answer
    # The quote spans the whole vote, from what was put to the outcome.
    assert "put the amendment set out in paragraph 21 to the vote" in lead.quote
    assert lead.quote.rstrip().endswith("Amendment lost.")
    castletroy = limerick.ask("How did the vote on the Castletroy Local Area Plan go?")
    first = castletroy.text.split("[1]")[0]
    assert "For: 14; Against: 3" in first and "was carried" in first, castletroy.text
    # Asked who voted, the tallies come with the names.
    who = limerick.ask("Who voted against the Castletroy Local Area Plan?")
    assert "Against: 3 (Councillor Costello, O Ceallaigh and McCreesh)" in who.text, who.text


ACTIVE_TRAVEL = {  # Limerick: a motion tabled at a district meeting, and what council agreed
    # (the converted files' blank lines between wrapped lines left out)
    "Draft Minutes - Monthly Meeting of the Metropolitan District of Limerick - 15th May 2023.md": (
        "**MINUTES OF PROCEEDINGS AT MONTHLY MEETING OF THE METROPOLITAN DISTRICT OF**\n\n"
        "**LIMERICK HELD IN THE COUNCIL CHAMBER, DOORADOYLE, LIMERICK ON MONDAY, 15TH MAY, 2023 "
        "at 9.45 A.M.**\n\n**27.Notice of Motion submitted by Councillor D. McSweeney**\n\n***I "
        "will move at the next Meeting of the Metropolitan District of Limerick that this "
        "District writes to***\n\n***Minister Eamon Ryan and the National Transport Authority "
        "outlining the need to allocate funding***\n\n***for maintenance of active travel "
        "routes.***\n\nIn proposing the Motion, Councillor McSweeney highlighted the significant "
        "funding allocated for\nActive Travel Projects, and pointed out the need for Government "
        "to provide additional funding to\nmaintain and sweep these routes regularly.\n"
    ),
    "Minutes - Special Meeting of Limerick City and County Council - 26th February 2024.md": (
        "**MINUTES OF PROCEEDINGS AT SPECIAL MEETING OF LIMERICK CITY AND COUNTY COUNCIL HELD ON "
        "MONDAY, 26TH FEBRUARY, 2024**\n\n**2. Active Travel**\n\nThe Elected Members queried if "
        "Active Travel funding could be used to upgrade and install new\nfootpaths in rural "
        "areas.\n\nThe Members thanked the Director, and the A/Senior Engineer, Active Travel, for "
        "their update and\nagreed that Limerick City and County Council should write to the "
        "Minister for Transport, Mr. Eamon\nRyan, requesting more funding for rural areas in "
        "Limerick.\n"
    ),
}


AGE_FRIENDLY_NAME = (
    "Minutes - Meeting of the Community Leisure and Emergency Services Strategic Policy "
    "Committee - 17th December 2018.md"
)
AGE_FRIENDLY = DATA / "limerick_spc" / AGE_FRIENDLY_NAME  # whole: its wrapped lines are read
CASTLETROY_NAME = (
    "Minutes - Monthly Meeting of Metropolitan District of Limerick - 17th December 2018.md"
)


@pytest.fixture(scope="module")
def limerick(
    tmp_path_factory: pytest.TempPathFactory, seed_dir: Path, embedder: Embedder
) -> Assistant:
    """The seeds with Limerick minutes written from their records' words: a recorded vote,
    a motion tabled and what the council later agreed, a question answered in its own
    paragraph."""
    records = {
        CASTLETROY_NAME: CASTLETROY,
        AGE_FRIENDLY_NAME: AGE_FRIENDLY.read_text(encoding="utf-8"),
        **ACTIVE_TRAVEL,
    }
    data = seed_index_with(tmp_path_factory.mktemp("limerick"), seed_dir, embedder, records)
    return assistant_for(data, embedder, "public")


@pytest.mark.parametrize(
    ("sentence", "decided"),
    [  # Kent's minutes (9 January 2025) and Limerick's (Newcastle West, 6 February 2019)
        (
            "16) Following the debate, the Chairman put the amendment set out at paragraph 15 "
            "to the vote and it was agreed.",
            True,
        ),
        ("It was agreed that costings for the requested safety measures would be sought.", True),
        ("The proposal was seconded by Cllr J Gilligan and agreed.", True),
        (  # Kent's budget report: agreed by someone, not a decision of the meeting
            "The format recommended by the Interim Corporate Director, Finance and agreed by "
            "the Leader.",
            False,
        ),
        ("Members queried if the funding could be used for footpaths.", False),
    ],
)
def test_a_sentence_recording_a_decision_is_told_from_one_that_does_not(
    sentence: str, decided: bool
) -> None:
    assert records_decision(sentence, _paragraph_of(sentence)) is decided


def _paragraph_of(sentence: str) -> Chunk:
    """Return a minutes paragraph holding one sentence."""
    return Chunk(
        id="x",
        doc_id="d",
        text=sentence,
        locator="para 1",
        section="",
        char_start=0,
        char_end=len(sentence),
        ordinal=0,
    )


def test_what_was_agreed_leads_before_the_motion_that_asked_for_it(
    limerick: Assistant,
) -> None:
    """A motion tabled ('I will move ... that this District writes to Minister Eamon Ryan')
    sits in a motion's part, but what the council agreed is the sentence that says so."""
    answer = limerick.ask(
        "What did the council agree to ask the Minister for Transport about Active Travel funding?"
    )
    first = answer.text.split("[1]")[0]
    assert "requesting more funding for rural areas" in first, answer.text


@pytest.mark.parametrize(
    ("question", "asker"),
    [
        # Herefordshire: the public questions' table row names who put each question
        ("Who asked the question about domestic abuse and the MASH?", "Mr Griffiths"),
        # Limerick: the minutes' "Question submitted by Councillor L. Galvin" line
        ("Who asked about the repair of the bridge at Coole, Athea?", "Galvin"),
    ],
)
def test_who_asked_is_answered_by_the_line_naming_the_questioner(
    councils: Assistant, question: str, asker: str
) -> None:
    """The line that names who put a question is title-like ('PQ 4 | Mr Griffiths, Hereford
    | Cabinet member ...'), so it was passed over and the answer was the question's words or
    the reply; asked who asked, it leads."""
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert asker in answer.text.split("[1]")[0], answer.text
    assert answer.citations[0].chunk.kind in ("question", "supplementary")


def test_an_outcome_without_what_was_put_to_the_vote_is_not_a_result() -> None:
    """Kent's 9 January 2025 minutes append "Amendment carried." to an amendment's last
    point: read alone, it says nothing of what was carried, so it is no vote result (it was
    given as a third sentence to an answer about another meeting's amendment)."""
    record = parse_file(DATA / "kent" / "Printed minutes 09th-Jan-2025 10.00 County Council.pdf")
    votes = {c.locator: c for c in record.chunks if c.kind == "vote"}
    appended = votes["minute 285(5) (Devolution White Paper)"]
    assert appended.text.rstrip().endswith("Amendment carried.")
    assert _vote_result(0, appended) is None
    put = _vote_result(0, votes["minute 285(22)"])
    assert put is not None and put.text.endswith("Amendment lost.")


KENT_RESERVES = (
    "Reserves Policy\n\n4. Management and governance\n\n4.1 Each reserve must be supported by a "
    "protocol. All protocols should have an end date and at that point any balance should be "
    "transferred to the general reserve.\n\nA questionnaire is completed by the relevant budget "
    "holder and reviewed by Finance to ensure all reserves comply with legislative and "
    "accounting requirements. A de-minimis limit has been set to avoid small funds being set up "
    "which could be managed within existing budgets or declared as an overspend and then "
    "managed collectively. This has been set at £250k.\n"
)


@pytest.fixture(scope="module")
def kent_reserves(
    tmp_path_factory: pytest.TempPathFactory, seed_dir: Path, embedder: Embedder
) -> Assistant:
    """The seeds with Kent's Reserves Policy (Appendix H of the 2025-26 budget) in its words."""
    records = {"Appendix H - Reserves Policy.md": KENT_RESERVES}
    data = seed_index_with(tmp_path_factory.mktemp("reserves"), seed_dir, embedder, records)
    return assistant_for(data, embedder, "public")


@pytest.mark.parametrize(
    ("index", "question", "carried_on"),
    [
        # Kent's Reserves Policy: the limit's figure is in the sentence after the one that
        # names the limit
        (
            "kent_reserves",
            "What de-minimis limit has been set for setting up a new reserve?",
            "This has been set at £250k.",
        ),
        # Herefordshire's minutes: how members would be involved is in the next sentence
        (
            "seed_assistant",
            "How would members be involved in the development of the plan?",
            "This would occur through the scrutiny committee",
        ),
    ],
)
def test_the_sentence_that_carries_the_lead_on_follows_it(
    request: pytest.FixtureRequest, index: str, question: str, carried_on: str
) -> None:
    """A sentence opening on a demonstrative ("This has been set at ...") stands for what
    the lead said; it scores low on the question's words, so it had been left out, and with
    it the figure asked for."""
    answer = request.getfixturevalue(index).ask(question)
    assert not answer.abstained, answer.text
    lead, rest = answer.text.split("[1]", 1)
    assert rest.lstrip().startswith(carried_on), answer.text


# Limerick's Metropolitan District, 18 February 2019: its minutes' heading and file name.
METROPOLITAN_HEADING = (
    "MINUTES OF PROCEEDINGS AT MEETING OF METROPOLITAN DISTRICT OF LIMERICK HELD IN THE "
    "COUNCIL CHAMBER, MERCHANT'S QUAY, LIMERICK, ON MONDAY, 18TH FEBRUARY, 2019\n\n"
)
METROPOLITAN_MINUTES = (
    "Minutes - Monthly Meeting of Metropolitan District of Limerick - 18th February 2019.md"
)


MUSIC_MEMORIES = (
    "3. Fixing of Date\n\nOn the proposal of Councillor Lynch, seconded by Councillor Hourigan, "
    "it was agreed that the March Meeting of the Metropolitan District would be held on "
    "Tuesday, 19th March, 2019.\n\n4. General Municipal Allocation\n\nTo seek approval for the "
    "allocation of €30,000 to Nicky Woulfe for Music Memories and Memorabilia from the General "
    "Municipal Allocation 2019 – D05 Tourism Development Recreation and Amenity.\n\nOn the "
    "proposal of Councillor O'Hanlon, seconded by Councillor Pond, it was agreed to defer this "
    "item for further discussion.\n\nIt was proposed by Councillor Loftus and agreed to allocate "
    "€1,000 to the following from the General Municipal Allocation 2019 – D05 Tourism "
    "Development Recreation and Amenity:-\n\n• ONE, Patrick Sarsfield Branch\n\n• Sudanese "
    "Community Centre\n\n• Tait Residents Association.\n"
)


COSGRAVE_PARK = (
    "7. Question submitted by Councillor J. Costelloe\n\n"
    "I will ask at the next Meeting at what stage phase 1 of a new 30 unit build in Cosgrave "
    "Park is at, considering approval was granted over 2 years ago.\n\nREPLY:\n\n"
    "Construction of Phase 1 of Cosgrave Park (thirty units) is projected to commence in 2019.\n\n"
    "The Regeneration Housing project will be delivered by an Approved Housing Body (AHB) under "
    "the Capital Advance Leasing Framework (CALF).\n"
)


@pytest.fixture(scope="module")
def metropolitan(
    tmp_path_factory: pytest.TempPathFactory, seed_dir: Path, embedder: Embedder
) -> Assistant:
    """The seeds and Limerick's Metropolitan District minutes of 18 February 2019 (two of
    their items, in their words)."""
    text = METROPOLITAN_HEADING + MUSIC_MEMORIES + "\n" + COSGRAVE_PARK
    folder = tmp_path_factory.mktemp("metropolitan")
    data = seed_index_with(folder, seed_dir, embedder, {METROPOLITAN_MINUTES: text})
    return assistant_for(data, embedder, "public")


@pytest.mark.parametrize(
    ("index", "question", "outcome", "item"),
    [
        # Limerick: the item's opening asks for approval; the next paragraph defers it
        (
            "metropolitan",
            "What happened to the proposed €30,000 allocation for Music Memories and Memorabilia?",
            "it was agreed to defer this item",
            "To seek approval for the allocation of €30,000",
        ),
        # Kent (9 January 2025): an amendment tabled at 15), carried at (5), lost ones beside it
        (
            "councils",
            "What happened to Mr Streatfeild's amendment to the devolution motion?",
            "Amendment carried.",
            "15) Mr Streatfeild proposed",
        ),
        (
            "councils",
            "What happened to the amendment proposed by Mr Brady on devolution?",
            "Amendment lost.",
            "19) Mr Brady proposed",
        ),
    ],
)
def test_what_happened_to_an_item_is_answered_by_its_outcome(
    request: pytest.FixtureRequest, index: str, question: str, outcome: str, item: str
) -> None:
    """An item's outcome rarely repeats the words of the question ("it was agreed to defer
    this item", "Amendment carried."), so the item's opening led; the retriever reads the
    item on to the passage that records what was done, and that passage leads, the item
    cited beside it."""
    answer = request.getfixturevalue(index).ask(question)
    assert not answer.abstained, answer.text
    first = answer.text.split("[1]")[0]
    assert outcome in first, answer.text
    assert item in answer.text, answer.text
    assert answer.citations[0].chunk.kind in ("paragraph", "vote"), answer.citations[0]


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        # Limerick (Metropolitan District, 18 February 2019): the count of what was asked,
        # not an application's number or a date
        (
            "How many submissions did the EPA receive on the Irish Cement licence review?",
            "The EPA has received a total of 4,011 submissions in relation to this application.",
            True,
        ),
        (
            "How many submissions did the EPA receive on the Irish Cement licence review?",
            "Submission on Irish Cement Licence Review Application P0029-006",
            False,
        ),
        # Limerick's "No." between a count and what it counts (the template's count_marks)
        (
            "How many social housing units are proposed at Hospital?",
            "REPLY: The proposed development of 20 no. Social Housing Units at Hospital, "
            "Co.Limerick has been approved to tender stage.",
            True,
        ),
        (
            "How many sites are there at Kilmallock Business Park?",
            "there was 6 No. sites at the Kimallock Business Park",
            True,
        ),
        # Herefordshire (the tranche two report): "nine key areas", not "£5m" or "the 2 of"
        (
            "How many key areas for improvement did Ofsted identify?",
            "Nine key areas for improvement are identified, as follows.",
            True,
        ),
        (
            "How many key areas for improvement did Ofsted identify?",
            "The first tranche for the value of £5m has been effective from April 2022.",
            False,
        ),
        # the thing counted before its count (Herefordshire's member question reply;
        # Limerick's housing report, Metropolitan District, 2018)
        (
            "How many unallocated cases were there in Quarter 4 2021/22?",
            "The number of unallocated cases – that is vulnerable children without a social "
            "worker - was 30 for Quarter 4 2021-22 and 27 for Quarter 1 of 2022-23",
            True,
        ),
        (
            "How many approved applicants were on the housing waiting list in 2018?",
            "The number of approved applicants for all categories, on the Housing Waiting List "
            "in the Metropolitan Area of Limerick for the same period is 2,640.",
            True,
        ),
        (
            "How many approved applicants were on the housing waiting list in 2018?",
            "Applicants were asked in 2018 to reply.",
            False,
        ),
        # a tally names no one: any count is one
        ("How many members voted for the motion?", "For (57); Against (0).", True),
        # a name stands for its last word, so what is counted comes after it (Limerick's
        # Active Travel minutes, 2024; Kent's Travel Saver)
        (
            "How many Safe Routes to School applications were approved in tranche one?",
            "Of the 24 applications received, only 9 were approved in tranche one.",
            True,
        ),
        (
            "How many Safe Routes to School applications were approved in tranche one?",
            "The Safe Routes to School programme has 3 strands.",
            False,
        ),
        (
            "How many Kent Travel Saver passes were issued?",
            "Some 27,000 passes were issued for the school year.",
            True,
        ),
        ("How many Kent Travel Saver passes were issued?", "The Kent Travel Saver 2025.", False),
        # a past tense after the noun ends it: stations are counted, not closures
        (
            "How many Garda stations closed in County Limerick?",
            "Two Garda stations in the county have closed.",
            True,
        ),
    ],
)
def test_a_count_is_of_the_thing_the_question_counts(
    question: str, sentence: str, holds: bool
) -> None:
    pattern = read_intent(question).fact_pattern()
    assert pattern is not None
    assert bool(pattern.search(sentence)) is holds


@pytest.mark.parametrize(
    ("name", "passage", "mentioned"),
    [
        # Limerick's full council (28 January 2019): an SPC's name spelled out
        (
            "Travel SPC",
            "Report of the Chairperson of the Travel and Transportation Strategic Policy "
            "Committee dated 28th December, 2018",
            True,
        ),
        ("Environment SPC", "The Minutes of the Environment SPC Meeting were adopted.", True),
        # Kent's minutes (9 January 2025): both words, but not the party's name
        (
            "Reform UK",
            "Mr Brady commented on the growth of the UK economy and on electoral reform.",
            False,
        ),
        ("Reform UK", "The Leader of the Reform UK Group replied.", True),
        # Limerick's Travel and Transportation SPC (3 December 2019), as scanned; another
        # phase is not this one
        (
            "Phase II of the Coonagh",
            "He stated that the construction tender documents for Phase Il of the Coonagh to "
            "Knockalisheen scheme should be advertised in early 2020.",
            True,
        ),
        ("Phase II of the Coonagh", "Phase I of the Coonagh to Knockalisheen scheme", False),
        # Limerick's HAP centre: the words on either side of an acronym, each as written
        ("Limerick HAP Shared Services", "the Limerick HAP Shared Services Centre", True),
        ("Limerick HAP Shared Services", "the HAP Shared Services Centre", False),
    ],
)
def test_a_word_beside_an_acronym_is_a_name_only_with_the_acronym(
    name: str, passage: str, mentioned: bool
) -> None:
    assert _mentioned(name, [f" {' '.join(name_words(passage))} "]) is mentioned


@pytest.mark.parametrize(
    ("sentence", "asking"),
    [
        # Limerick's tabled questions, as scanned, and a question its minutes report
        ("| will ask at the next Meeting for a detailed update on the Cryle view junction.", True),
        ("! will ask at the next Meeting for a detailed update on Wards Cross.", True),
        ("The Elected Members queried if Active Travel funding could be used.", True),
        # Kent's minutes (9 January 2025) report a question
        ("Mr Lehmann asked whether the Leader would feel able to share with the Council.", True),
        # what was said or proposed is no question
        ("An onsite meeting has taken place with TII at the Cryle View Estate.", False),
        ("I will move at the next Meeting that this District writes to Minister Ryan.", False),
        ("Mr Gough said he believed that the Council should apply to join the programme.", False),
    ],
)
def test_a_question_put_to_the_council_is_told_from_what_it_said(
    sentence: str, asking: bool
) -> None:
    assert asks(Sentence(0, 0, len(sentence), sentence), _paragraph_of(sentence)) is asking


@pytest.mark.parametrize(
    ("text", "stages"),
    [
        ("When will phase 2 of the housing be built?", ("phase 2",)),
        ("the second phase of the CCTV Project", ("phase 2",)),
        ("How many applications were approved in Tranche One?", ("tranche 1",)),
        ("Levelling Up Fund Round 2 bid", ("round 2",)),
        ("Phase II works", ("phase 2",)),
        ("phases 1 and 2 of the scheme", ("phase 1", "phase 2")),
        ("Stages 1-3 are comparable", ("stage 1", "stage 2", "stage 3")),
        ("Phase 2a of the scheme", ("phase 2",)),
        # a pronoun or a lower-case letter after the noun is no figure
        ("at this stage I think", ()),
        ("stage v of the plan", ()),
    ],
)
def test_numbered_stages_are_read_as_noun_and_figure(text: str, stages: tuple[str, ...]) -> None:
    assert read_stages(text) == stages


@pytest.mark.parametrize(
    ("question", "stage", "named"),
    [
        # Limerick: the reply is about phase 1 only
        (
            "When does construction of the second phase at Cosgrave Park start?",
            "phase 2",
            "They mention phase 1.",
        ),
        # Herefordshire: the report draws down tranches one and two
        (
            "What did cabinet decide about tranche three funding?",
            "tranche 3",
            "They mention tranche 1 and tranche 2.",
        ),
    ],
)
def test_a_stage_the_passages_found_never_name_is_not_answered_from_another(
    metropolitan: Assistant, question: str, stage: str, named: str
) -> None:
    """Records about phase 1 of a scheme discuss its subject in the question's words, so the
    answer read as covered; it is the wrong stage, and the abstention says which is missing
    and which stages the records found do name."""
    answer = metropolitan.ask(question)
    assert answer.abstained, answer.text
    assert f'mentions "{stage}"' in answer.text
    assert answer.text.endswith(named), answer.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("When will construction of phase one at Cosgrave Park commence?", "2019"),
        ("How much is the tranche two drawdown?", "6.49m"),
    ],
)
def test_a_stage_the_records_name_is_answered(
    metropolitan: Assistant, question: str, fact: str
) -> None:
    answer = metropolitan.ask(question)
    assert not answer.abstained, answer.text
    # the stage's own figure (tranche two's drawdown may open with the £1m of it drawn early)
    assert fact in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        # Herefordshire: the report discusses foster carers and never says how many there are
        ("How many foster carers does Herefordshire have?", "foster carers"),
        # Limerick (Newcastle West): a reply on speed ramps at Gortboy gives no count of them
        ("How many speed ramps were installed in Newcastle West?", "speed ramps"),
    ],
)
def test_how_many_is_not_answered_by_sentences_that_count_nothing(
    councils: Assistant, question: str, counted: str
) -> None:
    """Sentences about the thing asked for share the question's words, so the answer read
    as covered; with no count of it, they do not answer "how many", and the abstention says
    what is missing."""
    answer = councils.ask(question)
    assert answer.abstained, answer.text
    assert answer.text.endswith(f'None of the passages found gives a number of "{counted}".')


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("How many key areas for improvement did Ofsted identify?", "Nine key areas"),
        ("How many houses are anticipated to complete in Limerick City East?", "29 New Build"),
    ],
)
def test_how_many_is_answered_by_the_count(councils: Assistant, question: str, count: str) -> None:
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert count in answer.text.split("[1]")[0], answer.text


@pytest.mark.parametrize(
    ("question", "counting", "depth"),
    [
        # Herefordshire: the paragraph that counts them is one of many on Ofsted's findings
        ("How many key areas for improvement did Ofsted identify in 2022?", "Nine key areas", 5),
        # Limerick: the reply that counts houses, ahead of the question that asks for them
        ("How many houses will be built in 2019?", "29 New Build Houses", 1),
    ],
)
def test_how_many_retrieves_the_passage_that_counts(
    councils: Assistant, question: str, counting: str, depth: int
) -> None:
    retrieval = councils.retriever.search(question, filters=councils.filters(), k=5)
    assert any(counting in h.chunk.text for h in retrieval.hits[:depth]), [
        h.chunk.locator for h in retrieval.hits
    ]


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # Herefordshire: the report writes "tranche two"; a roman figure is the same stage
        ("What did cabinet decide about Tranche II funding?", "6.49m"),
        ("How much is the Tranche II drawdown?", "6.49m"),
    ],
)
def test_a_stage_asked_in_roman_figures_is_found_in_words(
    councils: Assistant, question: str, fact: str
) -> None:
    """A roman figure read as an acronym was left out of the name the passages must give,
    and the rest ("Tranche") was then looked for beside "II", which no record writes."""
    answer = councils.ask(question)
    assert not answer.abstained, answer.text
    assert fact in answer.text, answer.text


def test_inspection_grades_are_read_by_year_from_the_records_that_give_them(
    councils: Assistant,
) -> None:
    """Herefordshire's reports give Ofsted's grades by year; Kent's and Limerick's minutes,
    where "good" and "poor" are words, give none (a grade too common as a word is read only
    from a "Judgement: ..." line: the table's `judgements_in_passing`)."""
    chunks = councils.retriever.chunks
    seed_records = {p.stem for p in CORPUS.glob("*.txt")}
    outcomes = {year: grade for year, grade, c in series_outcomes(chunks)}
    assert outcomes[2022] == "Inadequate" and outcomes[2018] == "Requires Improvement"
    assert all(c.doc_id in seed_records for _, _, c in series_outcomes(chunks))
    others = [c for c in chunks if c.doc_id not in seed_records]
    assert any(re.search(r"\b(?:good|poor)\b", c.text) for c in others)
    assert series_outcomes(others) == []


def test_a_council_lists_its_own_inspection_grades_in_the_template_table(
    councils: Assistant, tmp_path: Path
) -> None:
    extra = tmp_path / "templates.yaml"
    extra.write_text(
        "answers:\n  judgements:\n    inadequate: Inadequate (grade 4)\n"
        "    requires improvement: Requires Improvement (grade 3)\n",
        encoding="utf-8",
    )
    found = series_outcomes(councils.retriever.chunks, load_templates(str(extra)))
    outcomes = {year: grade for year, grade, _ in found}
    assert outcomes[2022] == "Inadequate (grade 4)"
    assert outcomes[2018] == "Requires Improvement (grade 3)"


def test_asked_for_the_response_a_reply_in_the_questions_paragraph_leads(
    limerick: Assistant,
) -> None:
    """Limerick's SPC minutes give the officer's reply after the question in one paragraph;
    Herefordshire's give a response its own part, led by the rule for replies (above)."""
    question = (
        "What was the response to the question about co-ordinating with the HSE on hospital "
        "discharges?"
    )
    answer = limerick.ask(question)
    assert answer.text.startswith("Anne Rizzo responded"), answer.text  # the quote holds both
    seeds = "What was the response to the supplementary question about domestic abuse cases?"
    assert lead_of(limerick, seeds).chunk.kind == "supplementary_response"
