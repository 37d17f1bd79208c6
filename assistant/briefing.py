"""A briefing: a dated, cited timeline of a topic across meetings, its outcomes, and what
is still open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.answer import Citation
from assistant.extractive import clean_sentence, lead_sentences
from assistant.present import uk_date
from assistant.registers import find_decisions, find_questions
from assistant.service import Assistant
from ingest.chunk import Chunk
from ingest.sentences import split_sentences
from ingest.templates import Templates, load_templates

YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass
class Briefing:
    """A dated, cited timeline on a topic, its outcomes table and what is still open."""

    topic: str
    timeline: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    open_items: list[dict[str, Any]]
    citations: list[Citation]

    def to_markdown(self) -> str:
        """Return the briefing as Markdown: outcomes, timeline, what is open, sources."""
        out = [f"# Briefing: {self.topic}", ""]
        if self.outcomes:
            out += [
                "## Outcomes recorded",
                "",
                "| year | judgement | source |",
                "| --- | --- | --- |",
            ]
            out += [f"| {o['year']} | {o['outcome']} | [{o['n']}] |" for o in self.outcomes]
            out.append("")
        out.append(self.body_markdown())
        out += ["## Sources", ""]
        out += [
            f"[{c.n}] {c.body}, {uk_date(c.meeting_date, c.date_inferred)}, {c.title}, {c.locator}"
            for c in self.citations
        ]
        return "\n".join(out) + "\n"

    def body_markdown(self) -> str:
        """Return the timeline, grouped by meeting, and what is still open, as Markdown."""
        out = ["## Timeline", ""]
        current = None
        for item in self.timeline:
            when = uk_date(item["date"], item["date_inferred"])
            meeting = f"{when} \u2014 {item['body']}"
            if meeting != current:
                out += ["", f"### {meeting}", ""]
                current = meeting
            out.append(f"- **{item['kind']}**: {item['text']} [{item['n']}]")
        out += ["", "## Open", ""]
        if not self.open_items:
            out.append("- Nothing recorded as open.")
        out += [f"- {o['text']} [{o['n']}]" for o in self.open_items]
        return "\n".join(out) + "\n"


NOT_EVENTS = {"header", "table", "caption"}
KIND_LABEL = {
    "recommendation": "Recommended",
    "resolution": "Resolved",
    "noted": "Noted",
    "question": "Asked",
    "response": "Answered",
    "written_response": "Answered",
    "supplementary": "Asked",
    "supplementary_response": "Answered",
}
KIND_ORDER = {"Resolved": 0, "Noted": 1, "Recommended": 2, "Asked": 3, "Answered": 4, "Reported": 5}


def brief(
    assistant: Assistant,
    topic: str,
    *,
    since: str = "",
    until: str = "",
    audience: str | None = None,
    k: int = 24,
) -> Briefing:
    """Return a chronological, cited briefing on a topic (decisions first within a meeting)."""
    filters = assistant.filters(
        since=since, until=until, **({"audience": audience} if audience else {})
    )
    retrieval = assistant.retriever.search(topic, filters=filters, k=k, pool=80)
    hits = [h for h in retrieval.hits if h.coverage > 0 or h.dense > 0.35]
    decisions = find_decisions(assistant, topic=topic, since=since, until=until, audience=audience)
    citations: list[Citation] = []
    numbers: dict[str, int] = {}

    def number(chunk: Chunk) -> int:
        if chunk.id not in numbers:
            citations.append(Citation.of(len(citations) + 1, chunk, score=1.0))
            numbers[chunk.id] = len(citations)
        return numbers[chunk.id]

    chunks: dict[str, Chunk] = {h.chunk.id: h.chunk for h in hits}
    by_id = {c.id: c for c in assistant.retriever.chunks}
    for d in decisions:
        if d.ref.chunk_id in by_id:
            chunks[d.ref.chunk_id] = by_id[d.ref.chunk_id]
    noted = {d.ref.chunk_id for d in decisions if d.status == "noted"}
    timeline: list[dict[str, Any]] = []
    for c in chunks.values():
        kind = KIND_LABEL.get("noted" if c.id in noted else c.kind, "Reported")
        lead = lead_sentences(c.text, 1)
        if c.kind in NOT_EVENTS or not lead:
            continue  # a cover sheet, a table or a caption is not something that happened
        timeline.append(
            {
                "date": c.meeting_date,
                "date_inferred": c.date_inferred,
                "body": c.body,
                "kind": kind,
                "text": clean_sentence(lead),
                "n": 0,
                "chunk": c,
                "locator": c.locator,
            }
        )
    timeline.sort(
        key=lambda t: (t["date"] or "9999", t["body"], KIND_ORDER[t["kind"]], t["chunk"].ordinal)
    )
    for item in timeline:
        item["n"] = number(item.pop("chunk"))
    outcomes = []
    # Outcomes of a series are read from the whole of every record the topic touched.
    records = {c.doc_id for c in chunks.values()}
    scope = [c for c in assistant.retriever.chunks if c.doc_id in records and filters.allows(c)]
    for year, outcome, chunk in series_outcomes(scope):
        outcomes.append(
            {
                "year": year,
                "outcome": outcome,
                "n": number(chunk),
                "locator": chunk.locator,
                "doc_id": chunk.doc_id,
            }
        )
    open_items = []
    for d in decisions:
        if d.status == "recommended" and not d.links and d.ref.chunk_id in by_id:
            open_items.append(
                {
                    "text": f"No recorded outcome yet for {d.body} "
                    f"{uk_date(d.meeting_date, d.date_inferred)} {d.ref.locator}: "
                    f"{clean_sentence(d.text)}",
                    "n": number(by_id[d.ref.chunk_id]),
                }
            )
    for q, _ in find_questions(assistant, topic=topic, audience=audience):
        if q.awaiting_written_response:
            ref = (q.parts.get("supplementary response") or q.parts["response"])[-1]
            if ref.chunk_id in by_id:
                open_items.append(
                    {
                        "text": f"{q.number} ({q.questioner}, "
                        f"{uk_date(q.meeting_date, q.date_inferred)}): a written response "
                        "was promised; none is recorded.",
                        "n": number(by_id[ref.chunk_id]),
                    }
                )
    return Briefing(topic, timeline, outcomes, open_items, citations)


def series_outcomes(
    chunks: list[Chunk], templates: Templates | None = None
) -> list[tuple[int, str, Chunk]]:
    """Return (year, judgement, source) for each year the chunks state an inspection outcome,
    in year order; an explicit 'YEAR ... Judgement: X' line wins over a sentence."""
    templates = templates or load_templates()
    grades, stated = templates.judgements, templates.judgement_stated
    # "2018 ... Judgement: Inadequate": a grade's label and the grade, after the year
    line = re.compile(
        rf"\b((?:19|20)\d\d)\b[^\n]{{0,200}}?\bJudgement:\s*{templates.judgement.pattern}",
        re.IGNORECASE,
    )
    found: dict[int, tuple[int, str, Chunk]] = {}
    for c in sorted(chunks, key=lambda c: (c.meeting_date, c.ordinal)):
        if not (stated.search(c.text) or "udgement" in c.text):
            continue  # no judgement: neither kind of statement below
        for m in line.finditer(c.text):
            year = int(m.group(1))
            found[year] = (3, grades[m.group(2).lower()], c)
        for a, b in split_sentences(c.text):
            sentence = c.text[a:b]
            years = set(YEAR.findall(sentence))
            words = stated.findall(sentence)
            if len(years) != 1 or len(set(w.lower() for w in words)) != 1:
                continue
            # A judgement of the authority itself ("judged", "overall effectiveness"), not a
            # rating mentioned in passing ("Telford and Wrekin (rated Outstanding)").
            if not re.search(r"\bjudge|overall effectiveness", sentence, re.I):
                continue
            year = int(years.pop())
            rank = 2 if re.search(r"overall", sentence, re.I) else 1
            if year not in found or found[year][0] < rank:
                found[year] = (rank, grades[words[0].lower()], c)
    return [(y, found[y][1], found[y][2]) for y in sorted(found)]
