"""The template table: councils' cover-sheet labels, openings and layouts, read from YAML.

The rules live in `templates.yaml` beside this module; a council adds its own words in a
second file (COUNCIL_TEMPLATES) whose lists extend these. This module only compiles them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ingest.errors import ConfigError

BUILT_IN = Path(__file__).with_name("templates.yaml")
FLAGS = re.IGNORECASE | re.MULTILINE


def _compile(patterns: list[str], source: Path, flags: int = FLAGS) -> tuple[re.Pattern[str], ...]:
    out = []
    for p in patterns:
        try:
            out.append(re.compile(p, flags))
        except re.error as exc:
            raise ConfigError(f"{source}: pattern {p!r} is not a valid regex ({exc})") from exc
    return tuple(out)


def _any(patterns: list[str], source: Path, flags: int = FLAGS) -> re.Pattern[str]:
    """Return one pattern matching any of the patterns (never matching if there are none)."""
    _compile(patterns, source, flags)  # names the bad one, if any
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!x)x", flags)


@dataclass(frozen=True)
class Templates:
    """The compiled template table."""

    labels: dict[str, tuple[str, ...]]
    minute_openings: tuple[re.Pattern[str], ...]
    agenda_openings: tuple[re.Pattern[str], ...]
    file_names: tuple[re.Pattern[str], ...]
    doc_types: tuple[tuple[str, re.Pattern[str]], ...]
    body_aliases: dict[str, str]
    body_words: re.Pattern[str]
    body_prefix: re.Pattern[str]
    body_suffix: re.Pattern[str]  # a letter's salutation after the addressee's name
    open_values: frozenset[str]
    exempt_values: frozenset[str]
    banner: re.Pattern[str]
    span_start: re.Pattern[str]
    span_end: re.Pattern[str]
    resolution: re.Pattern[str]
    resolution_inline: re.Pattern[str]  # where a resolution begins inside a line ("RESOLVED:")
    vote_line: re.Pattern[str]
    vote_subject: tuple[re.Pattern[str], ...]  # group 1: the paragraph a vote is on
    mover_line: re.Pattern[str]  # "Proposed by Councillor X;" on its own line
    question_row: re.Pattern[str]
    question_table_header: re.Pattern[str]
    question: tuple[re.Pattern[str], ...]
    answer: tuple[re.Pattern[str], ...]
    supplementary: tuple[re.Pattern[str], ...]
    supplementary_answer: tuple[re.Pattern[str], ...]
    written_answer: tuple[re.Pattern[str], ...]
    motion: tuple[re.Pattern[str], ...]  # an item's title naming who moved it (group `who`)
    residue: re.Pattern[str]
    person_title: re.Pattern[str]  # opens a person's name in a question
    person_titles: tuple[str, ...]  # the titles themselves ("Councillor", "Ms")
    not_name_words: frozenset[str]  # capitalised words that make a place or body, not a name
    post_nominals: frozenset[str]  # letters after a name, not part of it ("AM", "OBE")
    person_role: re.Pattern[str]  # an office that answers "who" ("Chief Executive")
    aside_section: re.Pattern[str]  # a report's part that is not its decision
    aside_word: re.Pattern[str]  # a question that asks about such a part
    decision_section: re.Pattern[str]  # a part that states what was decided
    decision_phrase: re.Pattern[str]  # words inside a sentence that record a decision
    asking_phrase: re.Pattern[str]  # words that put a question to the council
    motion_phrase: re.Pattern[str]  # a member's motion in its own words ("I will move")
    proposing_phrase: re.Pattern[str]  # a member's case for a motion ("In proposing")
    chair_mark: re.Pattern[str]  # a minutes opening's "in the chair" / "(Chairman)"
    count_mark: re.Pattern[str]  # between a count and what it counts ("6 No. sites")
    inline_items: tuple[re.Pattern[str], ...]  # item numbers a converter ran into one line
    judgements: dict[str, str]  # an inspection grade as written (folded) -> as shown
    judgement: re.Pattern[str]  # any grade, for "what was the judgement?"
    judgement_stated: re.Pattern[str]  # a grade a sentence states, not a common word


def _words(words: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Return a pattern matching any of the words or phrases as a word start."""
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in words) + r")" if words else r"(?!x)x", flags
    )


def _whole_words(words: list[str]) -> re.Pattern[str]:
    """Return a pattern matching any of the words or phrases whole, longest first (group 1:
    the one found)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(
        r"\b(" + "|".join(re.escape(w) for w in ordered) + r")\b" if words else r"(?!x)x",
        re.IGNORECASE,
    )


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Return base with extra's lists appended and its mappings merged, key by key."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = value + [v for v in out[key] if v not in value]
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the template table ({exc}); fix the file") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the template table must be a mapping of sections")
    return data


@lru_cache(maxsize=8)
def load_templates(extra: str = "") -> Templates:
    """Return the compiled template table: the built-in one, extended by the file `extra`."""
    data = _read(BUILT_IN)
    source = BUILT_IN
    if extra:
        source = Path(extra)
        data = _merge(data, _read(source))
    q = data.get("questions", {})
    ex = data.get("exemption", {})
    cls = data.get("classification", {})
    ans = data.get("answers", {})
    grades = ans.get("judgements", {})  # inspection grades; some too common as words
    in_passing = {w.lower() for w in ans.get("judgements_in_passing", [])}
    return Templates(
        labels={k: tuple(v) for k, v in data.get("labels", {}).items()},
        minute_openings=_compile(data.get("minute_openings", []), source, re.IGNORECASE),
        agenda_openings=_compile(data.get("agenda_openings", []), source, re.IGNORECASE),
        file_names=_compile(data.get("file_names", []), source, re.IGNORECASE),
        doc_types=tuple(
            (name, re.compile(p, re.IGNORECASE)) for name, p in data.get("doc_types", [])
        ),
        body_aliases={k.lower(): v for k, v in (data.get("body_aliases") or {}).items()},
        body_words=re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in data.get("body_words", [])) + r")\b",
            re.IGNORECASE,
        ),
        body_prefix=_any(data.get("body_prefixes", []), source, re.IGNORECASE),
        body_suffix=_any(data.get("body_suffixes", []), source, re.IGNORECASE),
        open_values=frozenset(v.lower() for v in cls.get("open", [])),
        exempt_values=frozenset(v.lower() for v in cls.get("exempt", [])),
        banner=_any(ex.get("banner", []), source),
        span_start=_any(ex.get("span_start", []), source),
        span_end=_any(ex.get("span_end", []), source),
        resolution=re.compile(
            r"^(?:" + "|".join(data.get("resolution_openings", [])) + r")\b[^:\n]{0,40}?:?"
        ),
        # after a sentence's end, an opening its colon marks ("... to date. RESOLVED: That",
        # "Seconded by Councillor Sheahan (J); And Resolved: “That")
        resolution_inline=re.compile(
            r"(?<=[.;)”\"]\s)(?=(?:"
            + "|".join(data.get("resolution_openings", []) or ["(?!x)x"])
            + r")\s*:)"
        ),
        vote_line=_any(data.get("vote_lines", []), source),
        vote_subject=_compile(data.get("vote_subjects", []), source),
        mover_line=_any(data.get("mover_lines", []), source),
        question_row=re.compile(q.get("row", r"(?!x)x")),
        question_table_header=re.compile(q.get("table_header", r"(?!x)x"), re.IGNORECASE),
        question=_compile(q.get("question", []), source, 0),
        answer=_compile(q.get("answer", []), source, 0),
        supplementary=_compile(q.get("supplementary", []), source, 0),
        supplementary_answer=_compile(q.get("supplementary_answer", []), source, 0),
        written_answer=_compile(q.get("written_answer", []), source, 0),
        motion=_compile(q.get("motion", []), source, re.IGNORECASE),
        residue=_any(data.get("residue", []), source),
        person_title=re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in ans.get("person_titles", [])) + r")\.?\s+"
            if ans.get("person_titles")
            else r"(?!x)x"
        ),
        person_titles=tuple(ans.get("person_titles", [])),
        not_name_words=frozenset(ans.get("not_name_words", [])),
        post_nominals=frozenset(w.strip(".") for w in ans.get("post_nominals", [])),
        person_role=_any(
            [rf"\b{re.escape(w)}\b" for w in ans.get("person_roles", [])], source, re.MULTILINE
        ),
        aside_section=_words(ans.get("aside_sections", [])),
        aside_word=_words(ans.get("aside_words", [])),
        decision_section=_words(ans.get("decision_sections", [])),
        decision_phrase=_any(ans.get("decision_phrases", []), source),
        asking_phrase=_any(ans.get("asking_phrases", []), source),
        motion_phrase=_any(ans.get("motion_phrases", []), source, re.IGNORECASE),
        proposing_phrase=_any(ans.get("proposing_phrases", []), source, re.IGNORECASE),
        chair_mark=_any(ans.get("chair_marks", []), source, re.IGNORECASE | re.MULTILINE),
        count_mark=_any(ans.get("count_marks", []), source),
        inline_items=_compile(data.get("inline_items", []), source, 0),
        judgements={k.lower(): v for k, v in grades.items()},
        judgement=_whole_words(list(grades)),
        judgement_stated=_whole_words([k for k in grades if k.lower() not in in_passing]),
    )
