"""Query understanding: dates, references to numbered parts, and follow-ups read in context."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.dates import MONTH_YEAR, YEAR, read_periods
from ingest.templates import Templates, load_templates
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
    names: tuple[str, ...] = ()  # the proper names of two words or more it names
    single_names: tuple[str, ...] = ()  # names of one word ("Kilmallock", "Moody's")
    stages: tuple[str, ...] = ()  # the numbered stages it names ("phase 2", "tranche 1")

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
    rf"\b({NAME_WORD} {NAME_WORD}(?: {NAME_WORD})?),? (?:ask|say|said|propose|second|question|"
    r"repl|answer|move|request|think|thought|suggest|explain|believe|argue|respond|state|"
    r"mention|describe|feel|felt|express|comment|recommend|speak|spoke|tell|told|claim|raise)"
)


def fold(text: str) -> str:
    """Return text lower-cased with accents taken off ("Ó Ceallaigh" -> "o ceallaigh")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def read_people(text: str, templates_file: str = "") -> tuple[str, ...]:
    """Return the surnames of the people a question names: after a title from the template
    table ("Councillor Teskey", "Ms Gallagher"; not an office, "Deputy Chief Executive"), or
    a bare name before a verb of speaking ("What did Kirsty Williams AM think"), the letters
    after a name aside."""
    templates = load_templates(templates_file)
    names: list[str] = []
    for m in templates.person_title.finditer(text):
        if templates.person_role.match(text, m.end()):
            continue
        rest = re.match(rf"(?:{NAME_WORD}\s?){{1,3}}", text[m.end() :])
        if rest:
            names.append(rest.group().strip())
    for m in BARE_NAME.finditer(text):
        bare = m.group(1)
        if m.start() > 0 and not _office_or_body(bare, templates):
            names.append(bare)
    out = []
    for name in names:
        words = [w.strip(".,") for w in name.split() if len(w.strip(".,")) > 1]
        while words and words[-1] in templates.post_nominals:
            words.pop()
        if words:
            out.append(fold(words[-1]))
    return tuple(dict.fromkeys(out))


def _office_or_body(words: str, templates: Templates) -> bool:
    """Whether capitalised words before a verb of speaking name an office or a body ("the
    Chief Executive said", "Kent County Council say"), not a person."""
    return bool(
        templates.person_role.search(words)
        or templates.body_words.search(words.lower())
        or set(words.split()) & templates.not_name_words
    )


# A proper name of two words or more ("Dartford Crossing", "Bishop of Limerick", "Kent Travel
# Saver"): capitalised words, "of (the)" between them.
CAPITAL = r"[A-Z\u00c0-\u00de][\w'\u2019-]*"
PROPER_NAME = re.compile(rf"\b{CAPITAL}(?:\s+of(?:\s+the)?\s+{CAPITAL}|\s+{CAPITAL})+")
# Words that open a question or sentence, capitalised by their place, not by being a name.
OPENING_WORDS = frozenset(
    [
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "which",
        "how",
        "why",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "for",
        "and",
        "of",
        "to",
    ]
)
NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"], 1
    )
}


ORDINALS = {
    word: str(n)
    for n, word in enumerate(
        ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"], 1
    )
}
ROMAN = {"ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}  # "Phase I" is too like "I"
# The parts a programme is delivered or funded in, numbered: "phase 2", "Tranche One", "the
# second round", "Stage II". A record that has only the others ("Phase 1") does not answer
# a question about this one.
STAGE_NOUN = r"(phase|tranche|stage|round|wave)"
STAGE_NUMBER = rf"(?:\d+|{'|'.join(NUMBER_WORDS)}|{'|'.join(ROMAN)})"
LISTED = rf"{STAGE_NUMBER}(?:\s*(?:,|and|&|or|to|-|\u2013)\s*{STAGE_NUMBER})*"
STAGE = re.compile(
    rf"\b(?:{STAGE_NOUN}s?\s+({LISTED})[a-z]?\b|({'|'.join(ORDINALS)})\s+{STAGE_NOUN}\b)",
    re.I,
)


def _stage_figure(number: str) -> str:
    low = number.lower()
    return NUMBER_WORDS.get(low) or ROMAN.get(low) or str(int(number))


def read_stages(text: str) -> tuple[str, ...]:
    """Return the numbered stages a text names, as "noun figure": "the second phase" and
    "Phase II" read as "phase 2"; "phases 1 and 2" and "Phases 1-3" name each one."""
    out = []
    for m in STAGE.finditer(text):
        if m.group(4):
            out.append(f"{m.group(4).lower()} {ORDINALS[m.group(3).lower()]}")
            continue
        noun = m.group(1).lower()
        numbers = re.findall(STAGE_NUMBER, m.group(2), re.I)
        romans = [n for n in numbers if n.lower() in ROMAN]
        if any(n != n.upper() for n in romans):
            continue  # "stage v" is no stage; a roman figure is written in capitals
        figures = [int(_stage_figure(n)) for n in numbers]
        if len(figures) == 2 and re.search(r"to|-|\u2013", m.group(2)) and figures[0] < figures[1]:
            figures = list(range(figures[0], min(figures[1], figures[0] + 9) + 1))
        out.extend(f"{noun} {f}" for f in figures)
    return tuple(dict.fromkeys(out))


def read_names(text: str, people: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return the proper names of two words or more a question names ("What is the Kent
    Travel Saver?" -> "Kent Travel Saver"), not a person's (read as `people`) and not from a
    question written in capitals throughout."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) >= 4 and sum(w[0].isupper() for w in words) > 0.75 * len(words):
        return ()
    title = load_templates().person_title
    titled = re.compile(rf"(?:{title.pattern})$")  # a title just before the name
    out = []
    for m in PROPER_NAME.finditer(text):
        # A possessive ends a name: "Threshold's Interim Tenancy Sustainment protocol" names
        # Threshold and its protocol.
        parts: list[list[str]] = [[]]
        for word in m.group().split():
            parts[-1].append(re.sub(r"['\u2019]s$", "", word))
            if re.search(r"['\u2019]s$", word):
                parts.append([])
        start = m.start()
        for name in parts:
            if name:
                start = text.index(name[0], start)
            while name and name[0].lower() in OPENING_WORDS:
                start = text.index(name[1], start) if len(name) > 1 else m.end()
                name = name[1:]
            while name and name[-1].lower() in OPENING_WORDS:
                name = name[:-1]
            if len(name) < 2 or titled.search(text[:start]) or title.match(" ".join(name) + " "):
                continue  # one word, or "Councillor Carole Gandy": a person
            if fold(name[-1]) in people:
                continue
            out.append(" ".join(name))
    return tuple(dict.fromkeys(out))


ACRONYM = re.compile(r"[A-Z]{2,6}")


def read_single_names(
    text: str, names: tuple[str, ...] = (), people: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Return the names of one word a question gives ("the opening hours of Kilmallock
    library", "Moody's"): a capitalised word past the first, standing alone (not in a longer
    name or a person's), not an acronym, a title, an office or a word the template says
    makes a place or body ("Council", "Kent"); none from a question written in capitals
    throughout."""
    words = re.findall(r"[^\W\d_]+", text)
    if len(words) >= 4 and sum(w[0].isupper() for w in words) > 0.75 * len(words):
        return ()
    templates = load_templates()
    # Words of a run of capitalised words are a longer name's or a person's ("Councillor
    # Carole Gandy"), read as such or not at all.
    held = {w for name in names for w in name.split()} | {
        re.sub(r"['\u2019]s$", "", w) for m in PROPER_NAME.finditer(text) for w in m.group().split()
    }
    out = []
    for m in re.finditer(rf"(?<=\s){CAPITAL}", text):
        word = re.sub(r"['\u2019]s$", "", m.group()).strip("'\u2019-")
        if (
            not word
            or word in held
            or ACRONYM.fullmatch(word)
            or word in templates.not_name_words
            or word.lower() in OPENING_WORDS
            or templates.person_title.match(word + " ")
            or templates.person_role.fullmatch(word)
            or fold(word) in people
        ):
            continue
        out.append(word)
    return tuple(dict.fromkeys(out))


def name_phrase(name: str) -> list[list[str]]:
    """Return the runs of words of a name a passage must give word for word, split where an
    acronym ("SPC", "HAP") stood: records often spell it out ("Strategic Policy Committee")
    or give it between the others. A roman figure ("Phase II") is no acronym."""
    runs: list[list[str]] = [[]]
    for word in name.split():
        if ACRONYM.fullmatch(word) and word.lower() not in ROMAN:
            runs.append([])
        else:
            runs[-1].extend(name_words(word))
    return [run for run in runs if run]


def kind_apart(runs: list[list[str]]) -> list[list[str]]:
    """Return a name's runs with the template's word for a kind of body at either end set
    apart: the records write "the Municipal District of Adare-Rathkeale" where a question
    says "Adare-Rathkeale District", and "Cabinet" where it says "Herefordshire Cabinet"."""
    kind = load_templates().body_words
    apart: list[list[str]] = []
    for run in runs:
        head = [run[0]] if len(run) > 1 and kind.fullmatch(run[0]) else []
        tail = [run[-1]] if len(run) > len(head) + 1 and kind.fullmatch(run[-1]) else []
        core = run[len(head) : len(run) - len(tail)]
        apart += [part for part in (head, core, tail) if part]
    return apart


# Roman figures as names and stages write them, and as a scan reads "II" ("Phase Il").
ROMAN_WORDS = {**{k: v for k, v in ROMAN.items() if len(k) > 1}, "il": "2"}


def name_words(text: str) -> list[str]:
    """Return a name's or a passage's words as they are compared: folded, without
    possessives, numbers and roman figures as figures ("Stage One", "Stage II" and "Stage 2"
    read alike)."""
    text = re.sub(r"['\u2019]s\b", "", fold(text))
    return [NUMBER_WORDS.get(w) or ROMAN_WORDS.get(w, w) for w in re.findall(r"[a-z0-9]+", text)]


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
        people=(people := read_people(question)),
        names=(names := read_names(question, people)),
        single_names=read_single_names(question, names, people),
        stages=read_stages(question),
    )
