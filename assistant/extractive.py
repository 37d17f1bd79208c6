"""The extractive answerer: the records' own sentences that answer the question, each cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.answer import ABSTAIN_TEXT, Answer, Citation
from assistant.audience import Filters
from assistant.retrieve import Retrieval
from ingest.dates import MONTH
from ingest.sentences import split_sentences
from ingest.tokens import overlap, tokenize

MONEY = re.compile(r"£\s?\d|\b\d[\d,.]*\s?(?:m|k|million|bn|billion)\b|\b\d[\d,]{2,}\b|\d+%")
NUMBER = re.compile(r"\b\d[\d,.]*\b")
DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\b|\b{MONTH}\s+\d{{4}}\b|\b(?:19|20)\d\d\b"
)
NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b|\b(?:Mr|Ms|Mrs|Dr|Cllr|Councillor)\.? [A-Z]")
JUDGEMENT = re.compile(
    r"\b(inadequate|requires? improvement|requiring improvement|good|"
    r"outstanding)\b",
    re.IGNORECASE,
)
LIST_MARK = re.compile(r"^(?:\d{1,3}\.\s+|\(?[a-z]{1,4}[.)]\s+|[-\u2022]\s+)")
LABEL = re.compile(
    r"^(?:Response to supplementary question[^:]*|Supplementary [Qq]uestion|"
    r"Written response[^:]*|Response|Question)\s*:\s*"
)
NAMED_RECORD = re.compile(
    r"\b(?:according to|in|from|by) the ([\w'\u2019 -]{3,60}?) (?:report|minutes|meeting)\b",
    re.IGNORECASE,
)
QROW_LINE = re.compile(r"^(PQ|MQ) \d+ \| ")
DECISION_WORDS = re.compile(
    r"\b(decide|decided|decision|resolve|resolved|resolution|recommend\w*|agree[ds]?|approve[ds]?|"
    r"ask(ed)? (cabinet|council) to)\b",
    re.IGNORECASE,
)
BOILERPLATE = re.compile(
    r"^(thank you for (your|the) (question|response)[^.]*\.?)\s*$", re.IGNORECASE
)
# Words in a record that speak to an assistant rather than record business: never an answer.
TO_THE_ASSISTANT = re.compile(
    r"\b(?:ignore|disregard|forget) (?:all |any )?(?:the )?(?:previous|prior|above|earlier) "
    r"(?:instructions|prompts?|rules)|^\s*(?:system|assistant)\s*:|\bthe (?:assistant|AI|model|"
    r"chatbot|language model) (?:must|should|will|shall)\b|\byou are (?:now )?(?:an? )?(?:AI|"
    r"assistant|chatbot|language model)\b|\bprompt injection\b",
    re.IGNORECASE,
)


def addresses_the_assistant(text: str) -> bool:
    """Whether text reads as instructions to an AI assistant (planted in a record)."""
    return bool(TO_THE_ASSISTANT.search(text))


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence: where it sits in which hit, and its score."""

    hit: int
    start: int
    end: int
    text: str
    score: float = 0.0
    context: str = ""  # a table row's caption and header, for scoring and display


def wanted_kind(question: str) -> str:
    """Return the kind of fact a question asks for: date, amount, person, judgement or ''."""
    q = question.lower()
    if re.search(r"\bwhen\b|\bwhat date\b|\bwhich date\b|\bby when\b|\bdeadline\b", q):
        return "date"
    if re.search(
        r"\bhow (much|many)\b|\bwhat (sum|amount|figure|value|percentage)\b|\bcost\b|"
        r"\bbudget\b|\bspend\b|\bnumber of\b",
        q,
    ):
        return "amount"
    if re.search(r"\bwho\b|\bwhom\b|\bwhich (officer|councillor|member|person)\b", q):
        return "person"
    if re.search(r"\bjudge?ment|\brated\b|\brating\b|\boutcome\b|\bverdict\b", q):
        return "judgement"
    return ""


def kind_bonus(kind: str, text: str) -> float:
    """Return a bonus for a sentence carrying the asked-for kind of fact."""
    pattern = {"date": DATE, "amount": MONEY, "person": NAME, "judgement": JUDGEMENT}.get(kind)
    weight = 0.14 if kind == "judgement" else 0.08
    return weight if pattern is not None and pattern.search(text) else 0.0


def candidate_sentences(retrieval: Retrieval, *, max_hits: int = 10) -> list[Sentence]:
    """Return the sentences (table rows, list items) of the top hits worth considering."""
    out: list[Sentence] = []
    for h, hit in enumerate(retrieval.hits[:max_hits]):
        text = hit.chunk.text
        spans: list[tuple[int, int, str]] = []
        lines = list(re.finditer(r"[^\n]+", text))
        table_head = ""
        for block in lines:
            line_start = block.start()
            line = block.group()
            if " | " in line:
                if not table_head:
                    table_head = " ".join(b.group() for b in lines[: lines.index(block) + 1])
                    table_head = table_head[:300]
                    continue
                spans.append((line_start, block.end(), table_head))
                continue
            if LIST_MARK.match(line) and len(line.split()) <= 60:
                spans.append((line_start, block.end(), ""))  # a list item reads as one unit
                continue
            spans.extend((line_start + s, line_start + e, "") for s, e in split_sentences(line))
        for s, e, context in spans:
            sentence = text[s:e].strip()
            shown = clean_sentence(sentence)
            if (len(shown.split()) < 4 and not QROW_LINE.match(sentence)) or BOILERPLATE.match(
                shown
            ):
                continue
            if addresses_the_assistant(sentence):
                continue
            out.append(Sentence(hit=h, start=s, end=e, text=sentence, context=context))
    return out


def clean_sentence(sentence: str) -> str:
    """Return a sentence as shown in an answer: list marks and part labels taken off."""
    unlabelled = LABEL.sub("", sentence.strip())
    # A label that says something ("Written response sent on 13 October 2022:") stays.
    sentence = unlabelled if len(unlabelled.split()) >= 3 else sentence.strip().rstrip(":")
    sentence = LIST_MARK.sub("", sentence)
    sentence = sentence.strip().rstrip(";,")
    if sentence and sentence[0].islower():
        sentence = sentence[0].upper() + sentence[1:]
    if sentence and sentence[-1] not in ".!?\"'\u201d\u2019)":
        sentence += "."
    return sentence


def shown_text(s: Sentence, passage: str = "") -> str:
    """Return a candidate as the answer shows it: a table row with its table named, a
    question row as who asked whom, a list's opening line with its items."""
    row = QROW_LINE.match(s.text)
    if row:
        cells = [c.strip() for c in s.text.split("|")]
        asked_by = f" by {cells[1]}" if len(cells) > 1 else ""
        put_to = f" to the {cells[2][0].lower()}{cells[2][1:]}" if len(cells) > 2 else ""
        return f"{cells[0]} was put{asked_by}{put_to}."
    if not s.context and s.text.rstrip().endswith(":") and passage:
        items = [
            clean_sentence(m.group()).rstrip(".")
            for m in re.finditer(r"[^\n]+", passage[s.end :])
            if LIST_MARK.match(m.group())
        ][:6]
        if items:
            return f"{clean_sentence(s.text).rstrip('.:')}: " + "; ".join(items) + "."
    if not s.context:
        return clean_sentence(s.text)
    cells = [c.strip() for c in s.text.split("|") if c.strip()]
    caption = s.context.split("\n")[0].split(" | ")[0]
    return f"{caption}: {' | '.join(cells)}."


EMBED_LIMIT = 24  # sentences embedded per question: the model call dominates latency


Encode = Callable[[list[str]], np.ndarray]
Coverage = Callable[[tuple[str, ...], str], float]


def score_sentences(
    retrieval: Retrieval, sentences: list[Sentence], *, encode: Encode, coverage: Coverage
) -> list[Sentence]:
    """Return the sentences scored against the question, best first.

    Every candidate is first scored without the model (its passage's similarity stands in
    for its own); only the best EMBED_LIMIT are then embedded and scored on their own
    similarity to the question.
    """
    if not sentences:
        return []
    question = retrieval.query.original
    kind = wanted_kind(question)
    wants_reply = bool(re.search(r"\b(say|said|respon|answer|repl|told)", question, re.I))
    wants_asked = bool(re.search(r"\b(ask|question)", question, re.I))
    q_tokens = retrieval.query.tokens
    wants_decision = bool(DECISION_WORDS.search(question))
    named = {t for m in NAMED_RECORD.finditer(question) for t in tokenize(m.group(1))}
    base: list[float] = []
    for s in sentences:
        hit = retrieval.hits[s.hit]
        # Words that name the record ("according to the tranche two report") pick the record,
        # not the sentence: within a record they do not count towards a sentence's score.
        naming = set(tokenize(hit.chunk.title)) & named
        content = tuple(t for t in q_tokens if t not in naming) or q_tokens
        lexical = coverage(content, f"{s.context} {s.text}")
        score = 0.3 * lexical + 0.12 / (1 + s.hit) + kind_bonus(kind, s.text)
        if hit.referenced:
            score += 0.1
        if s.text.rstrip().endswith("?") and not wants_asked:
            score -= 0.25  # a question in the record rarely answers the user's question
        if hit.chunk.kind in ("question", "supplementary") and not wants_asked:
            score -= 0.3  # what a member of the public asked is not what the council said
        if wants_reply and "response" in hit.chunk.locator:
            score += 0.05
        if wants_decision and hit.chunk.kind in ("recommendation", "resolution"):
            score += 0.06
        if QROW_LINE.match(s.text) and not (wants_asked and kind == "person"):
            score -= 0.5  # the row naming who asked answers only "who asked?"
        base.append(score)
    proxy = [b + 0.5 * retrieval.hits[s.hit].dense for s, b in zip(sentences, base, strict=True)]
    order = sorted(range(len(sentences)), key=lambda i: -proxy[i])
    embedded = order[:EMBED_LIMIT]
    vectors = encode([f"{sentences[i].context} {sentences[i].text}".strip() for i in embedded])
    final = list(proxy)
    for i, vec in zip(embedded, vectors, strict=True):
        final[i] = base[i] + 0.5 * float(vec @ retrieval.vector)
    for i in order[EMBED_LIMIT:]:
        final[i] -= 0.05  # not checked on its own: ranks below the ones that were
    scored = [
        Sentence(s.hit, s.start, s.end, s.text, score, s.context)
        for s, score in zip(sentences, final, strict=True)
    ]
    return sorted(scored, key=lambda s: -s.score)


def select(scored: list[Sentence], *, most: int = 3) -> list[Sentence]:
    """Return the best sentences: the top one, and others close to it that add something."""
    if not scored:
        return []
    chosen = [scored[0]]
    best = scored[0].score
    for s in scored[1:]:
        if len(chosen) >= most or s.score < best * 0.85:
            break
        if any(overlap(s.text, c.text) > 0.7 for c in chosen):
            continue
        chosen.append(s)
    return chosen


def abstention(retrieval: Retrieval, answerer: str, filters: Filters | None = None) -> Answer:
    """Return the plain 'not covered' answer, listing the closest records instead; when the
    caller's filters narrowed the search, say they may be why."""
    closest = [h.citation(n) for n, h in enumerate(retrieval.hits[:3], 1)]
    text = ABSTAIN_TEXT
    if filters is not None and filters.narrowing:
        text += (
            f" Only records matching your filters ({filters.describe()}) were searched; "
            "clearing them may find an answer."
        )
    return Answer(retrieval.query.original, text, closest, True, answerer)


def answer_extractively(
    retrieval: Retrieval,
    *,
    encode: Encode,
    coverage: Coverage,
    threshold: float,
    filters: Filters | None = None,
    most: int = 3,
) -> Answer:
    """Return an answer built of the records' own sentences, or an abstention; each
    citation quotes the sentences used (its span), not the whole passage."""
    question = retrieval.query.original
    if not retrieval.hits or retrieval.relevance < threshold:
        return abstention(retrieval, "extractive", filters)
    scored = score_sentences(
        retrieval, candidate_sentences(retrieval), encode=encode, coverage=coverage
    )
    chosen = select(scored, most=most)
    cited: dict[int, Citation] = {}
    parts: list[str] = []
    for s in chosen:
        hit = retrieval.hits[s.hit]
        passage = hit.chunk.text
        shown = shown_text(s, passage)
        end = s.end
        if not s.context and s.text.rstrip().endswith(":"):
            end = _list_end(passage, s.end)  # the list the lead-in introduces is quoted too
        if s.hit not in cited:
            cited[s.hit] = hit.citation(len(cited) + 1).at(s.start, end)
        else:
            c = cited[s.hit]
            a, b = c.span
            cited[s.hit] = c.at(min(a, s.start), max(b, end))
        parts.append(f"{shown} [{cited[s.hit].n}]")
    if not parts:
        return abstention(retrieval, "extractive", filters)
    return Answer(
        question=question,
        text=" ".join(parts),
        citations=list(cited.values()),
        abstained=False,
        answerer="extractive",
    )


def _list_end(passage: str, start: int) -> int:
    """Return where the list items that follow offset `start` end."""
    end = start
    for m in re.finditer(r"[^\n]+", passage[start:]):
        if not LIST_MARK.match(m.group()):
            break
        end = start + m.end()
    return end


def lead_sentences(text: str, n: int) -> str:
    """Return the first n sentences of a passage that say something: labels, list marks,
    thanks and words addressed to an assistant left out ("" if none is left)."""
    body = LIST_MARK.sub("", LABEL.sub("", text.strip()))  # "Response:", "2. ", "a) "
    spans = split_sentences(body)
    picked = [
        body[a:b]
        for a, b in spans
        if not body[a:b].lower().startswith("thank you") and not addresses_the_assistant(body[a:b])
    ][:n]
    return " ".join(picked)
