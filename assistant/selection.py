"""What a question asks for, and the learned model that picks answer sentences.

Each candidate sentence is described by a few features (its similarity to the question, the
share of the question's words it holds, the kind of passage it sits in, whether it carries
the asked-for fact, ...). A linear model fitted on the development questions
(`python -m evals.fit_answer`) weighs them; its weights and the abstention model live in
`answer_model.json` beside this module, as data. Nothing here is tuned by hand but the
feature definitions.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.query import fold
from ingest.chunk import RESPONSE_KINDS, Chunk
from ingest.dates import MONTH
from ingest.templates import load_templates
from ingest.tokens import STOPWORDS

MODEL_FILE = Path(__file__).with_name("answer_model.json")

# An amount: a currency sign, a scale word, a number of three digits or more (a table's
# £000 column) or a percentage; a year is not an amount, nor a count.
NOT_YEAR = r"(?!(?:19|20)\d\d\b)"
MONEY = re.compile(
    rf"[£€$]\s?\d|\b\d[\d,.]*\s?(?:m|k|million|bn|billion)\b|\b{NOT_YEAR}\d[\d,]{{2,}}\b|\d+%"
)
COUNT = re.compile(
    rf"\b{NOT_YEAR}\d[\d,]*\b|"
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty|"
    r"hundred|thousand|dozen)\b",
    re.IGNORECASE,
)
DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\b|\b{MONTH}\s+\d{{4}}\b|\b(?:19|20)\d\d\b"
)


class PersonName:
    """Finds who a sentence names: an office ("the Chief Executive"), a titled name
    ("Councillor Carey", "Ms. A. Foley") or exactly two capitalised words, neither of which
    makes a place or body ("Roisin Wiley", not "Glen Grove" or "Cabinet Member": the
    template table's `person_roles` and `not_name_words`)."""

    RUN = re.compile(r"\b[A-Z][a-z']+(?: [A-Z][a-z']+)*\b")  # capitalised words in a row

    def __init__(self) -> None:
        templates = load_templates()
        self.titled = re.compile(templates.person_title.pattern + r"[A-Z\u00c0-\u00de]")
        self.not_name = templates.not_name_words
        self.role = templates.person_role

    def search(self, text: str) -> bool:
        if self.titled.search(text) or self.role.search(text):
            return True
        # Exactly two: three or more make a title ("Devolution Priority Programme").
        runs = (m.group(0).split() for m in self.RUN.finditer(text))
        return any(
            len(r) == 2 and not self.not_name.intersection(r) and not any(map(_abstract, r))
            for r in runs
        )


def _abstract(word: str) -> bool:
    """Whether a long capitalised word reads as a thing, not a name ("Mobility
    Directorate", "Housing Allocation"): English abstract-noun endings."""
    return len(word) >= 7 and bool(ABSTRACT_ENDING.search(word))


ABSTRACT_ENDING = re.compile(
    r"(?:tion|sion|ment|ity|ate|ance|ence|ship|ness|ism|ing|ure|ive|ics|ogy|ary|ery)$"
)


NAME = PersonName()
JUDGEMENT = load_templates().judgement  # an inspection grade ("Requires Improvement")
_TITLED = load_templates().person_title.pattern
# Who moved a motion: "Proposed by Councillor Collins", "Mr Gough proposed, and Mr Oakford
# seconded the motion".
# "Who chaired ...?", "Who was in the chair ...?" (not "Who proposed Mr Cooke to chair ...?")
CHAIRED = re.compile(
    r"\bwho\b[^?]*?\b(?:chaired|presided|in the chair|(?:was|is) (?:the )?chair\w*)\b",
    re.IGNORECASE,
)
MOVER = re.compile(
    rf"\b(?:proposed|seconded|moved)\b(?: by)?:?\s*{_TITLED}|"
    rf"{_TITLED}[A-Z][\w'’.]*(?: [A-Z][\w'’]*)? (?:proposed|seconded|moved)\b",
    re.IGNORECASE,
)
FACT_PATTERNS: dict[str, re.Pattern[str] | PersonName] = {
    "date": DATE,
    "amount": MONEY,
    "count": COUNT,
    "person": NAME,
    "mover": MOVER,
    "judgement": JUDGEMENT,
}
# "When" asking for a time: opening the question or a clause of it ("... and when was it
# drawn down?", "By when should ...") or before its verb; not "when" joining a condition to
# what is asked ("What is the council's objective when borrowing?", "What happens when
# there is evidence of misconduct?").
ASKS_WHEN = re.compile(
    r"^(?:by |since |until )?when\b|(?:\band|,|;)\s+(?:by |since |until )?when\b|"
    r"\bwhen\s+(?:is|was|were|will|would|did|does|do|are|should|shall|can|could|has|have|had|"
    r"must|might|may)\b"
)
# How a vote went: "was it carried / passed / defeated / lost", "how did members vote",
# "the vote on ...".
VOTE_ASKED = re.compile(
    r"\b(?:was|were)\b[^?]*\b(?:carried|passed|defeated|lost|rejected)\b|\bvot(?:e|es|ed|ing)\b"
)
DECISION_KINDS = ("recommendation", "resolution", "vote")
QUESTION_KINDS = ("question", "supplementary")


@dataclass(frozen=True)
class Intent:
    """What a question asks for, read from its words."""

    kind: str = ""  # date, amount, count, person, mover (who proposed), judgement or ''
    decision: bool = False  # what was decided, resolved, agreed or recommended
    reply: bool = False  # what someone said or answered
    asked: bool = False  # what was asked (a question put to the council)
    aside: bool = False  # about options turned down, risks, background
    vote: bool = False  # how a vote went ("Was the amendment carried?", "How did they vote?")
    people: tuple[str, ...] = ()  # folded surnames the question names
    counted: tuple[str, ...] = ()  # asked how many: the stems of what is counted ("submission")
    which: tuple[str, ...] = ()  # asked "which ...?": the stem of the kind asked for ("reserve")

    def fact_pattern(self) -> re.Pattern[str] | PersonName | None:
        """Return what finds the asked-for fact in a sentence: a count of the thing counted
        ("a total of 4,011 submissions", not "Application P0029-006") when the question
        names it, else any fact of the kind asked for."""
        if self.kind == "count" and self.counted:
            return _count_of(self.counted)
        return FACT_PATTERNS.get(self.kind)


@lru_cache(maxsize=256)
def _count_of(counted: tuple[str, ...]) -> re.Pattern[str]:
    """Return the pattern of a count of the thing counted, compiled once per question (it is
    read for every candidate sentence)."""
    stems = "|".join(re.escape(w) for w in counted)
    mark = load_templates().count_mark.pattern  # "6 No. sites"
    return re.compile(
        # "4,011 submissions", "Nine key areas"; "the number of approved applicants ... is
        # 2,640", "families: 44"
        rf"(?:{COUNT.pattern})(?:\s*(?:{mark}))?[^\w.;]+(?:[\w'-]+[^\w.;]+){{0,3}}?(?:{stems})|"
        rf"\b(?:{stems})\w*(?:[^\w.;]+[\w'-]+){{0,20}}?"
        rf"(?:\s+(?:is|was|are|were|of|at|totall?ed|totals?)|:)\s+(?:{COUNT.pattern})",
        re.IGNORECASE,
    )


# What a question asks the fate of: "what happened to the proposed allocation?".
PROPOSAL = r"(?:propos\w*|motion|amendment|item|application|request|recommendation)\b"
# Words that end what "how many" counts: "how many submissions did the EPA receive".
COUNT_END = re.compile(
    r"\b(?:did|do|does|was|were|is|are|has|have|had|will|would|can|could|should|been|"
    r"voted|in|on|at|for|from|by|of|to|that|which|who|there)\b"
)


def _counted(question: str) -> tuple[str, ...]:
    """Return the stem of what a question counts, the head of its noun phrase ("how many key
    areas for improvement" -> "area"), or () when it names nothing ("how many voted for").
    A name stands for its last word ("how many Safe Routes to School applications" ->
    "application"), and a past tense after the noun ends it ("Garda stations closed")."""
    return _head_after(r"\bhow many\b|\bnumber of\b", question)


def _which(question: str) -> tuple[str, ...]:
    """Return the stem of the kind of thing a "which ...?" question asks for ("Which reserve
    is the money drawn from?" -> "reserve", "Which family hubs ..." -> "hub"), or ()."""
    return _head_after(r"^\s*which\b|[,;]\s*which\b|\band which\b", question)


def _head_after(opening: str, question: str) -> tuple[str, ...]:
    """Return the stem of the head of the noun phrase after `opening` in the question."""
    m = re.search(opening, question, re.IGNORECASE)
    if not m:
        return ()
    rest = NAME_RUN.sub(lambda n: n.group().split()[-1], question[m.end() :]).lower()
    end = COUNT_END.search(rest)
    words: list[str] = []
    for w in re.findall(r"[a-z][a-z'-]+", rest[: end.start()] if end else rest)[:3]:
        if words and w.endswith("ed"):
            break
        if w not in STOPWORDS:
            words.append(w)
    if not words:
        return ()
    head = words[-1]
    # A stem the sentence's word starts with: "famil" (families, family), "pass" (passes),
    # "fine" (fines, not "final").
    return (re.sub(r"ies$|(?<=[sxz])es$|(?<=[cs]h)es$|s$", "", head) if len(head) > 4 else head,)


# A name of capitalised words and the small words between them ("Safe Routes to School").
NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?: (?:(?:to|of|for|and|the) )?[A-Z][\w'’-]*)+")


def read_intent(question: str, people: tuple[str, ...] = (), templates_file: str = "") -> Intent:
    """Return what a question asks for."""
    q = question.lower()
    # A decision word inside a name ("Which Approved Housing Body was chosen?") asks no
    # decision: names (two capitalised words or more, past the first word) are read out.
    unnamed = re.sub(r"(?<=\S )[A-Z][\w'’-]*(?: (?:of |and |for )?[A-Z][\w'’-]*)+", " ", question)
    kind = ""
    if ASKS_WHEN.search(q) or re.search(r"\bwhat date\b|\bwhich date\b|\bdeadline\b", q):
        kind = "date"
    elif re.search(r"\bhow many\b|\bnumber of\b|\bhow often\b", q):
        kind = "count"
    elif re.search(
        r"\bhow much\b|\bwhat (sum|amount|figure|value|percentage|rate)\b|\bcost\b|\bspend\b|"
        # a budget's size ("what net revenue budget ...", "the budget for"), a salary, fee,
        # price, wage, rent or council tax precept asked ("What is the chief executive's
        # salary?", "What precept did the parish council set?"), not one named
        # ("the Labour Group's alternative budget amendment", "the robustness of the budget",
        # "the fees and charges policy")
        r"\bwhat(?: is| was| will be| are)?(?: the)?(?: [\w'’-]+){0,3} "
        r"(?:budget|salar(?:y|ies)|fees?|prices?|wages?|rents?|precepts?)\b"
        r"(?! meeting| amendment| report|"
        r" polic| review| and)|\bbudget (?:for|of)\b|\blevy\b",
        q,
    ):
        kind = "amount"
    elif re.search(r"\bwho\b.*\b(?:propos|second|moved?\b)", q):
        kind = "mover"  # who proposed or seconded a motion
    elif re.search(r"\bwho\b|\bwhom\b|\bwhich (officer|councillor|member|person)\b", q):
        kind = "person"
    elif re.search(r"\bjudge?ment|\brated\b|\brating\b|\bverdict\b|\bgrade\b", q):
        kind = "judgement"
    templates = load_templates(templates_file)
    vote = bool(VOTE_ASKED.search(q))
    return Intent(
        kind=kind,
        counted=_counted(question) if kind == "count" and not vote else (),  # a tally names no one
        which=_which(question),
        decision=bool(
            re.search(
                r"\b(decide|decided|decision|resolve|resolved|resolution|recommend\w*|agree[ds]?|"
                r"approve[ds]?|endorse[ds]?|vote[ds]?)\b",
                unnamed.lower(),
            )
            or vote  # "Was the amendment carried?" asks what was decided
            # "What happened to the proposed allocation?" asks a proposal's outcome (what
            # happened to caseloads does not)
            or bool(re.search(rf"\b(?:happen\w*|outcome of|became of)\b.*\b{PROPOSAL}", q))
        ),
        reply=bool(re.search(r"\b(say|said|respon\w*|answer\w*|repl\w*|told)\b", q)),
        asked=bool(re.search(r"\b(ask\w*|question\w*|call\w* for|request\w*)\b", q)),
        aside=bool(templates.aside_word.search(q)),
        vote=vote,
        people=people,
    )


FEATURES = (
    "sim",  # the sentence's own similarity to the question (its passage's if not embedded)
    "embedded",  # 1 if the sentence was embedded on its own
    "passage_sim",  # the passage's similarity to the question
    "lexical",  # IDF-weighted share of the question's words in the sentence
    "passage_lexical",  # ... in the passage
    "inv_rank",  # 1 / (1 + the passage's rank)
    "fused",  # the passage's fused retrieval score, relative to the best
    "fact",  # the sentence holds the kind of fact asked for
    "no_fact",  # a kind of fact is asked for and the sentence holds none
    "asks",  # the sentence is itself a question
    "question_part",  # the passage is a question put to the council
    "question_part_asked",  # ... and the user asks what was asked
    "response_part",  # the passage is the council's reply
    "response_part_reply",  # ... and the user asks what was said
    "decision_part",  # the passage states a decision, resolution, vote or recommendation
    "decision_part_asked",  # ... and the user asks what was decided
    "aside_part",  # the passage is options turned down, risks or background, not asked about
    "heading_like",  # a short line without a full stop: a title or heading
    "speaker_match",  # the passage's speaker is the person the question names
    "person_named",  # the sentence names the person the question names
    "position",  # 1 / (1 + the sentence's place in its passage)
    "table_row",
    "list_item",
    "length",  # log of the sentence's words
    "referenced",  # the passage is the part the question names ("PQ 3", "para 11")
    "year_match",  # the passage's meeting is in a year the question names
)


@dataclass(frozen=True)
class Candidate:
    """What the features of one sentence are computed from."""

    text: str
    chunk: Chunk
    rank: int
    index: int  # the sentence's place in its passage
    sim: float
    embedded: bool
    passage_sim: float
    lexical: float
    passage_lexical: float
    fused: float
    referenced: bool
    table_row: bool
    list_item: bool


def heading_like(text: str) -> bool:
    """Whether a line reads as a title or heading: short, without a closing full stop."""
    stripped = text.strip()
    return len(stripped.split()) <= 12 and not re.search(r"[.?!:;\"\u201d)]$", stripped)


# Words a title leaves in lower case between its capitalised ones ("Update on City Bus
# Service").
TITLE_SMALL_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "per")
    + ("re", "the", "to", "under", "with", "&")
)


def title_like(text: str) -> bool:
    """Whether a sentence is a title with a full stop, not a statement: two to eight words,
    every one but the small words capitalised, no figure, comma, colon or bracket ("Update on
    City Bus Service.", "Adaptation Action Plan.", "Meetings Administrator.", "Co. Limerick.")."""
    stripped = text.strip()
    if not stripped.endswith(".") or re.search(r"[:,;\d()|\u20ac\u00a3$]", stripped):
        return False
    if NAME.titled.search(stripped):
        return False  # "Cllr. Marian Hurley." names a person
    words = stripped.rstrip(".").split()
    content = [w for w in words if w.lower() not in TITLE_SMALL_WORDS]
    return 2 <= len(words) <= 8 and len(content) >= 2 and all(w[0].isupper() for w in content)


def is_aside(chunk: Chunk, intent: Intent) -> bool:
    """Whether a passage sits in a part that is not the decision, and is not asked about."""
    return not intent.aside and bool(load_templates().aside_section.search(chunk.section))


def is_decision(chunk: Chunk) -> bool:
    """Whether a passage states what was decided or recommended."""
    if chunk.kind in DECISION_KINDS:
        return True
    if chunk.kind in RESPONSE_KINDS:
        return False  # a reply is not a decision, whatever the question asked about
    words = load_templates().decision_section
    # Its part is a decision's, its lead-in resolves ("RESOLVED that the Council:"), or it
    # opens as one ("5. Recommendations: County Council is asked to ...").
    return bool(
        words.search(chunk.section) or words.search(chunk.context) or words.search(chunk.text[:40])
    )


def records_decision(text: str, chunk: Chunk) -> bool:
    """Whether a sentence is a decision: it sits in a resolution, recommendation or vote,
    or records one in its own words (template `decision_phrases`: "it was agreed that")."""
    if chunk.kind in DECISION_KINDS:
        return True
    return chunk.kind not in RESPONSE_KINDS and bool(load_templates().decision_phrase.search(text))


def records_outcome(chunk: Chunk) -> bool:
    """Whether a passage records what a meeting did with what was put to it: a resolution,
    a vote, or a sentence recording a decision ("it was agreed to defer this item"), not a
    recommendation still put to it."""
    if chunk.kind == "recommendation":  # still put to it, unless its words record one
        return bool(load_templates().decision_phrase.search(chunk.text))
    return records_decision(chunk.text, chunk)


def spoken_by(chunk: Chunk, people: tuple[str, ...]) -> bool:
    """Whether a passage's speaker (a question's questioner) is one of the people named."""
    speaker = fold(chunk.speaker)
    return bool(speaker) and any(re.search(rf"\b{re.escape(p)}\b", speaker) for p in people)


def features(c: Candidate, intent: Intent, years: tuple[int, ...]) -> list[float]:
    """Return the feature vector of one candidate, in FEATURES order."""
    pattern = intent.fact_pattern()
    fact = bool(pattern is not None and pattern.search(c.text))
    kind = c.chunk.kind
    decision = is_decision(c.chunk) or records_decision(c.text, c.chunk)
    folded_text = fold(c.text)
    year = c.chunk.meeting_date[:4]
    return [
        c.sim,
        float(c.embedded),
        c.passage_sim,
        c.lexical,
        c.passage_lexical,
        1.0 / (1 + c.rank),
        c.fused,
        float(fact),
        float(pattern is not None and not fact),
        float(c.text.rstrip().endswith("?")),
        float(kind in QUESTION_KINDS),
        float(kind in QUESTION_KINDS and intent.asked),
        float(kind in RESPONSE_KINDS),
        float(kind in RESPONSE_KINDS and intent.reply),
        float(decision),
        float(decision and intent.decision),
        float(is_aside(c.chunk, intent)),
        float(heading_like(c.text) and not c.table_row),
        float(spoken_by(c.chunk, intent.people)),
        float(any(re.search(rf"\b{re.escape(p)}\b", folded_text) for p in intent.people)),
        1.0 / (1 + c.index),
        float(c.table_row),
        float(c.list_item),
        math.log1p(len(c.text.split())) / 5,
        float(c.referenced),
        float(year.isdigit() and int(year) in years),
    ]


@dataclass(frozen=True)
class AnswerModel:
    """The fitted weights: sentence scores, how close a second sentence must be, abstention."""

    weights: np.ndarray
    keep_ratio: float
    abstain_features: tuple[str, ...]
    abstain_weights: np.ndarray
    abstain_bias: float
    abstain_threshold: float

    def score(self, rows: np.ndarray) -> np.ndarray:
        """Return each candidate's score (higher is a better answer sentence)."""
        return rows @ self.weights if len(rows) else np.zeros(0)

    def answerable(self, values: dict[str, float]) -> float:
        """Return the probability that the records answer the question."""
        x = np.array([values[f] for f in self.abstain_features])
        return float(1 / (1 + math.exp(-(x @ self.abstain_weights + self.abstain_bias))))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> AnswerModel:
    """Return the fitted answer model; a missing or stale file is a clear error."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(
            f"{path}: fitted on other features; refit it with `python -m evals.fit_answer`"
        )
    abstain = data["abstain"]
    return AnswerModel(
        weights=np.array(data["weights"], dtype=np.float64),
        keep_ratio=float(data["keep_ratio"]),
        abstain_features=tuple(abstain["features"]),
        abstain_weights=np.array(abstain["weights"], dtype=np.float64),
        abstain_bias=float(abstain["bias"]),
        abstain_threshold=float(abstain["threshold"]),
    )
