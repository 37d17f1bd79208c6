"""Query understanding: dates, references to numbered parts, and follow-ups read in context."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.dates import MONTH_YEAR, YEAR, read_periods
from ingest.templates import load_templates
from ingest.tokens import tokenize

QUESTION_REF = re.compile(r"\b(PQ|MQ)\s*(\d{1,3})\b", re.IGNORECASE)
PARA_REF = re.compile(
    r"\b(?:para(?:graph)?s?\.?)\s*(\d{1,3})(?:\s*\(?([a-z])\)?(?![a-z]))?", re.IGNORECASE
)
MINUTE_REF = re.compile(r"\bminute\s*(?:no\.?\s*)?(\d{1,3})\b", re.IGNORECASE)
RECOMMENDATION_REF = re.compile(r"\brecommendation\s*\(?([a-h])\)(?!\w)", re.IGNORECASE)
FOLLOW_UP_START = re.compile(
    r"^\s*(and|what about|how about|what of|also|same for|and what|but what|then what|"
    r"what else|why|when was that|who was that)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(
    r"\b(it|its|they|them|their|that|this|those|these|he|she|her|him)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Query:
    """A question ready for retrieval: its text, and what was read out of it."""

    text: str
    original: str
    years: tuple[int, ...] = ()
    months: tuple[str, ...] = ()  # "2022-09"
    locators: tuple[str, ...] = ()  # "PQ 3", "para 11", "minute 27", "recommendation (a)"
    carried: bool = False  # a follow-up whose subject came from the conversation
    tokens: tuple[str, ...] = field(default=())
    people: tuple[str, ...] = ()  # surnames of the people the question names, folded

    def names_date(self, date: str) -> bool:
        """Whether an ISO date falls in a month or year the question names."""
        return any(date.startswith(m) for m in self.months) or (
            date[:4].isdigit() and int(date[:4]) in self.years
        )


# Words of asking, not of the subject asked about: a record need not use them to answer.
QUESTION_WORDS = frozenset(
    tokenize(
        "say said says tell told give gave given happen happened ask asked asking anyone anybody "
        "decide decided resolve resolved agree agreed make made need needed expect expected "
        "get got take took put according much many know known mean meant think thought "
        "find found want wanted go going come came use used show shown total"
    )
)

NAME_WORD = r"(?:[A-Z\u00c0-\u00de][\w'\u2019-]*\.?|[A-Z]\.)"
BARE_NAME = re.compile(
    rf"\b({NAME_WORD} {NAME_WORD}(?: {NAME_WORD})?) (?:ask|say|said|propose|second|question|"
    r"repl|answer|move|request)"
)


def fold(text: str) -> str:
    """Return text lower-cased with accents taken off ("Ó Ceallaigh" -> "o ceallaigh")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def read_people(text: str, templates_file: str = "") -> tuple[str, ...]:
    """Return the surnames of the people a question names: after a title from the template
    table ("Councillor Teskey", "Ms Gallagher"), or a bare name before a verb of speaking."""
    title = load_templates(templates_file).person_title
    names: list[str] = []
    for m in title.finditer(text):
        rest = re.match(rf"(?:{NAME_WORD}\s?){{1,3}}", text[m.end() :])
        if rest:
            names.append(rest.group().strip())
    names.extend(m.group(1) for m in BARE_NAME.finditer(text) if m.start() > 0)
    out = []
    for name in names:
        words = [w.strip(".") for w in name.split() if len(w.strip(".")) > 1]
        if words:
            out.append(fold(words[-1]))
    return tuple(dict.fromkeys(out))


def read_locators(text: str) -> tuple[str, ...]:
    """Return the record parts a question names ("PQ 3", "para 11", "minute 27")."""
    found: list[str] = []
    for m in QUESTION_REF.finditer(text):
        found.append(f"{m.group(1).upper()} {int(m.group(2))}")
    for m in PARA_REF.finditer(text):
        found.append(f"para {int(m.group(1))}" + (f"({m.group(2).lower()})" if m.group(2) else ""))
    for m in MINUTE_REF.finditer(text):
        found.append(f"minute {int(m.group(1))}")
    for m in RECOMMENDATION_REF.finditer(text):
        found.append(f"recommendation ({m.group(1).lower()})")
    return tuple(dict.fromkeys(found))


def is_follow_up(question: str) -> bool:
    """Whether a question leans on the conversation before it."""
    content = tokenize(question)
    if FOLLOW_UP_START.match(question):
        return True
    if len(content) <= 2:
        return True
    return bool(PRONOUN.search(question)) and len(content) <= 5


def understand(question: str, history: list[dict[str, str]] | None = None) -> Query:
    """Return the retrieval query for a question, carrying a follow-up's subject forward."""
    text = question.strip()
    carried = False
    previous = [t["content"] for t in (history or []) if t.get("role") == "user"]
    if previous and is_follow_up(text):
        subject = previous[-1]
        new_years = YEAR.findall(text)
        if new_years:
            subject = YEAR.sub("", subject)  # "And 2018?" replaces the year asked about before
            subject = MONTH_YEAR.sub("", subject)
        text = f"{subject.strip()} {text}"
        carried = True
    years, months = read_periods(text if not carried else question)
    if carried and not years:
        years, months = read_periods(text)
    return Query(
        text=text,
        original=question,
        years=years,
        months=months,
        locators=read_locators(question),
        carried=carried,
        tokens=tuple(tokenize(text)),
        people=read_people(question),
    )
