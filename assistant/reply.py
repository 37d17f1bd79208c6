"""Drafting a reply to a new public question from what the council said and decided before:
every statement cited."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer import Citation
from assistant.extractive import clean_sentence, lead_sentences
from assistant.present import uk_date
from assistant.registers import find_decisions, find_questions
from assistant.service import Assistant
from ingest.registers import Decision, QuestionEntry, Ref
from ingest.tokens import overlap


def _citation(n: int, ref: Ref, assistant: Assistant, doc_id: str) -> Citation:
    chunk = next((c for c in assistant.store.chunks(doc_id) if c.id == ref.chunk_id), None)
    if chunk is None:
        raise LookupError(f"{ref.chunk_id} is not in the index; run `council doctor`")
    return Citation.of(n, chunk, score=1.0)


@dataclass
class Draft:
    """A draft reply: Markdown with [n] markers, its citations, and what it drew on."""

    question: str
    markdown: str
    citations: list[Citation]
    similar: list[tuple[QuestionEntry, float]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    abstained: bool = False

    @property
    def text(self) -> str:
        """Return the draft as plain text to edit (no Markdown marks)."""
        return self.markdown.replace("**", "")


SIMILAR = 0.45  # a past question this alike (dense and lexical, 0-1) is offered as precedent


def answer_parts(text: str) -> list[str]:
    """Return an answer's cited statements ("... [1]"), each with its marker."""
    return [m.group().strip() for m in re.finditer(r".+?\[\d+\](?:\s|$)", text)]


def draft_reply(
    assistant: Assistant, question: str, *, answerer: str | None = None, audience: str | None = None
) -> Draft:
    """Return a draft reply in the council's register; every factual sentence is cited."""
    filters = assistant.filters(**({"audience": audience} if audience else {}))
    answer = assistant.ask(question, filters=filters, answerer=answerer)
    citations = list(answer.citations) if not answer.abstained else []
    numbers = {c.chunk_id: c.n for c in citations}

    def cite(ref: Ref, doc_id: str) -> int:
        if ref.chunk_id not in numbers:
            c = _citation(len(citations) + 1, ref, assistant, doc_id)
            citations.append(c)
            numbers[ref.chunk_id] = c.n
        return numbers[ref.chunk_id]

    lines = ["Thank you for your question."]
    if not answer.abstained:
        lead = " ".join(part for part in answer_parts(answer.text) if " | " not in part)
        if lead:
            lines.append(lead)  # a table row reads badly in a letter; its source is listed
    similar = [
        (q, s)
        for q, s in find_questions(assistant, similar=question, audience=audience, k=3)
        if s >= SIMILAR and overlap(question, q.text("question") + " " + q.text("response")) >= 0.2
    ]
    for q, _ in similar[:2]:
        refs = q.parts.get("written response") or q.parts.get("response")
        if not refs:
            continue
        first = lead_sentences(refs[0].quote, 2)
        n = cite(refs[0], q.doc_id)
        lines.append(
            f"A similar question ({q.number}) was answered at the {q.body} meeting of "
            f"{uk_date(q.meeting_date, q.date_inferred)}: \u201c{first}\u201d [{n}]"
        )
    decisions = [
        d
        for d in find_decisions(assistant, topic=question, audience=audience)
        if d.status in ("resolved", "recommended")
    ][:2]
    for d in decisions:
        n = cite(d.ref, d.doc_id)
        verb = "resolved" if d.status == "resolved" else "was recommended"
        lines.append(
            f"On {uk_date(d.meeting_date, d.date_inferred)} the {d.body} {verb}: "
            f"\u201c{clean_sentence(d.text)}\u201d [{n}]"
        )
    if len(lines) == 1:
        lines.append(
            "The council's records held by this service do not cover this question; "
            "a response will need to be prepared from other sources."
        )
    body = "\n\n".join(lines)
    sources = "\n".join(
        f"[{c.n}] {c.body}, {uk_date(c.meeting_date, c.date_inferred)}, {c.title}, {c.locator}"
        for c in citations
    )
    markdown = (
        f"**Question:** {question}\n\n**Draft reply**\n\n{body}\n\n**Sources**\n\n{sources}\n"
    )
    return Draft(
        question,
        markdown,
        citations,
        similar,
        decisions,
        abstained=len(lines) == 2 and answer.abstained and not similar and not decisions,
    )
