"""Officers' and scrutiny members' workflows on the registers: similar questions, a cited
draft reply to a public question, and a dated, cited briefing on a topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from assistant.answer import Citation
from assistant.extractive import LABEL, LIST_MARK, clean_sentence
from assistant.present import uk_date
from assistant.retrieve import AUDIENCE_CLASSES, Hit
from assistant.service import Assistant
from ingest.chunk import Chunk
from ingest.registers import Decision, QuestionEntry, Ref
from ingest.sentences import split_sentences
from ingest.tokens import tokenize

JUDGEMENTS = {
    "inadequate": "Inadequate",
    "requires improvement": "Requires Improvement",
    "requiring improvement": "Requires Improvement",
    "good": "Good",
    "outstanding": "Outstanding",
}
JUDGEMENT_LINE = re.compile(
    r"\b((?:19|20)\d\d)\b[^\n]{0,200}?\bJudgement:\s*(Inadequate|Requires Improvement|Good|"
    r"Outstanding)",
    re.IGNORECASE,
)
JUDGEMENT_WORD = re.compile(
    r"\b(inadequate|requires improvement|requiring improvement|"
    r"outstanding)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def visible(assistant: Assistant, classification: str, audience: str | None = None) -> bool:
    """Whether the caller's audience may see an entry of this classification."""
    return classification in AUDIENCE_CLASSES[audience or assistant.settings.audience]


def matches_topic(topic: str, *texts: str) -> bool:
    """Whether most of a topic's words appear in the texts."""
    words = set(tokenize(topic))
    have = set(tokenize(" ".join(texts)))
    return bool(words) and len(words & have) / len(words) >= 0.5


def find_decisions(
    assistant: Assistant,
    *,
    body: str = "",
    since: str = "",
    until: str = "",
    topic: str = "",
    audience: str | None = None,
) -> list[Decision]:
    """Return decisions the caller may see, newest first, filtered as asked."""
    out = []
    for d in assistant.store.decisions():
        if not visible(assistant, d.classification, audience):
            continue
        if body and d.body.lower() != body.lower():
            continue
        if since and d.meeting_date < since or until and d.meeting_date > until:
            continue
        if topic and not matches_topic(topic, d.text, d.title, d.purpose, d.section):
            continue
        out.append(d)
    return out


def find_questions(
    assistant: Assistant,
    *,
    topic: str = "",
    similar: str = "",
    audience: str | None = None,
    k: int = 0,
) -> list[tuple[QuestionEntry, float]]:
    """Return questions the caller may see: all newest first, or ranked by similarity."""
    entries = [
        q for q in assistant.store.questions() if visible(assistant, q.classification, audience)
    ]
    if topic:
        entries = [
            q
            for q in entries
            if matches_topic(topic, *(q.text(p) for p in ("question", "response", "supplementary")))
        ]
    if not similar:
        return [(q, 0.0) for q in entries][: k or None]
    if not entries:
        return []
    query = assistant.embedder.encode([similar])[0]
    texts = [re.sub(r"^[^\n]*\n\n", "", q.text("question")) for q in entries]
    vectors = assistant.retriever.encode_cached(texts)
    dense = vectors @ query
    q_tokens = tokenize(similar)
    ranked = []
    for q, sim, text in zip(entries, dense, texts, strict=True):
        lexical = assistant.retriever.coverage(q_tokens, text + " " + q.text("response"))
        ranked.append((q, float(0.7 * sim + 0.3 * lexical)))
    ranked.sort(key=lambda pair: -pair[1])
    return ranked[: k or None]


def _citation(n: int, ref: Ref, assistant: Assistant, doc_id: str) -> Citation:
    chunk = next((c for c in assistant.store.chunks(doc_id) if c.id == ref.chunk_id), None)
    if chunk is None:
        raise LookupError(f"{ref.chunk_id} is not in the index; run `council doctor`")
    return Citation.from_hit(n, Hit(chunk=chunk, score=1.0))


@dataclass
class Draft:
    """A draft reply: Markdown with [n] markers, its citations, and what it drew on."""

    question: str
    markdown: str
    citations: list[Citation]
    similar: list[tuple[QuestionEntry, float]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    abstained: bool = False


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
        lines.append(answer.text)
    similar = [
        (q, s)
        for q, s in find_questions(assistant, similar=question, audience=audience, k=3)
        if s >= 0.45
    ]
    for q, _ in similar[:2]:
        refs = q.parts.get("written response") or q.parts.get("response")
        if not refs:
            continue
        first = _first_sentences(refs[0].quote, 2)
        n = cite(refs[0], q.doc_id)
        lines.append(
            f"A similar question ({q.number}) was answered at the {q.body} meeting of "
            f"{uk_date(q.meeting_date)}: \u201c{first}\u201d [{n}]"
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
            f"On {uk_date(d.meeting_date)} the {d.body} {verb}: "
            f"\u201c{clean_sentence(d.text)}\u201d [{n}]"
        )
    if len(lines) == 1:
        lines.append(
            "The council's records held by this service do not cover this question; "
            "a response will need to be prepared from other sources."
        )
    body = "\n\n".join(lines)
    sources = "\n".join(
        f"[{c.n}] {c.body}, {uk_date(c.meeting_date)}, {c.title}, {c.locator}" for c in citations
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


def _first_sentences(text: str, n: int) -> str:
    body = LIST_MARK.sub("", LABEL.sub("", text.strip()))  # "Response:", "2. ", "a) "
    spans = split_sentences(body)
    picked = [body[a:b] for a, b in spans if not body[a:b].lower().startswith("thank you")][:n]
    return " ".join(picked) or body[:300]


def save_docx(markdown: str, path: Path | IO[bytes]) -> None:
    """Write a Markdown draft (headings in **bold**, paragraphs) as a .docx file."""
    import docx

    document = docx.Document()
    for block in markdown.split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("**") and block.endswith("**"):
            document.add_heading(block.strip("*"), level=2)
            continue
        paragraph = document.add_paragraph()
        for piece in re.split(r"(\*\*[^*]+\*\*)", block):
            run = paragraph.add_run(piece.strip("*") if piece.startswith("**") else piece)
            run.bold = piece.startswith("**")
    document.save(path if not isinstance(path, Path) else str(path))


@dataclass
class Briefing:
    """A dated, cited timeline on a topic, its outcomes table and what is still open."""

    topic: str
    timeline: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    open_items: list[dict[str, Any]]
    citations: list[Citation]

    def to_markdown(self) -> str:
        """Return the briefing as Markdown."""
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
        out += ["## Timeline", ""]
        current = None
        for item in self.timeline:
            meeting = f"{uk_date(item['date']) or 'Date unknown'} \u2014 {item['body']}"
            if meeting != current:
                out += ["", f"### {meeting}", ""]
                current = meeting
            out.append(f"- **{item['kind']}**: {item['text']} [{item['n']}]")
        out += ["", "## Open", ""]
        if not self.open_items:
            out.append("- Nothing recorded as open.")
        out += [f"- {o['text']} [{o['n']}]" for o in self.open_items]
        out += ["", "## Sources", ""]
        out += [
            f"[{c.n}] {c.body}, {uk_date(c.meeting_date)}, {c.title}, {c.locator}"
            for c in self.citations
        ]
        return "\n".join(out) + "\n"


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
            citations.append(Citation.from_hit(len(citations) + 1, Hit(chunk=chunk, score=1.0)))
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
        timeline.append(
            {
                "date": c.meeting_date,
                "body": c.body,
                "kind": kind,
                "text": clean_sentence(_first_sentences(c.text, 1)),
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
                    f"{uk_date(d.meeting_date)} {d.ref.locator}: "
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
                        "text": f"{q.number} ({q.questioner}, {uk_date(q.meeting_date)}"
                        "): a written response was promised; none is "
                        "recorded.",
                        "n": number(by_id[ref.chunk_id]),
                    }
                )
    return Briefing(topic, timeline, outcomes, open_items, citations)


def series_outcomes(chunks: list[Chunk]) -> list[tuple[int, str, Chunk]]:
    """Return (year, judgement, source) for each year the chunks state an inspection outcome,
    in year order; an explicit 'YEAR ... Judgement: X' line wins over a sentence."""
    found: dict[int, tuple[int, str, Chunk]] = {}
    for c in sorted(chunks, key=lambda c: (c.meeting_date, c.ordinal)):
        for m in JUDGEMENT_LINE.finditer(c.text):
            year = int(m.group(1))
            found[year] = (3, JUDGEMENTS[m.group(2).lower()], c)
        for a, b in split_sentences(c.text):
            sentence = c.text[a:b]
            years = set(YEAR.findall(sentence))
            words = JUDGEMENT_WORD.findall(sentence)
            if len(years) != 1 or len(set(w.lower() for w in words)) != 1:
                continue
            # A judgement of the authority itself ("judged", "overall effectiveness"), not a
            # rating mentioned in passing ("Telford and Wrekin (rated Outstanding)").
            if not re.search(r"\bjudge|overall effectiveness", sentence, re.I):
                continue
            year = int(years.pop())
            rank = 2 if re.search(r"overall", sentence, re.I) else 1
            if year not in found or found[year][0] < rank:
                found[year] = (rank, JUDGEMENTS[words[0].lower()], c)
    return [(y, found[y][1], found[y][2]) for y in sorted(found)]
