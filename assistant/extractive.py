"""The extractive answerer: the records' own sentences that answer the question, each cited."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer import ABSTAIN_TEXT, Answer, Citation
from assistant.audience import Filters
from assistant.query import ACRONYM, fold, kind_apart, name_phrase, name_words, read_stages
from assistant.retrieve import Retrieval
from assistant.selection import (
    CHAIRED,
    FEATURES,
    MOVER,
    QUESTION_KINDS,
    AnswerModel,
    Candidate,
    Intent,
    features,
    heading_like,
    is_aside,
    is_decision,
    load_model,
    read_intent,
    records_decision,
    spoken_by,
    title_like,
)
from ingest.chunk import RESPONSE_KINDS, Chunk, question_label
from ingest.sentences import split_sentences
from ingest.templates import load_templates
from ingest.tokens import overlap, tokenize

LIST_MARK = re.compile(r"^(?:\d{1,3}\.\s+|\(?[a-z]{1,4}[.)]\s+|[-\u2022]\s+)")
LABEL = re.compile(
    r"^(?:Response to supplementary question[^:]*|Supplementary [Qq]uestion|"
    r"Written response[^:]*|Response|Question)\s*:\s*"
)
NAMED_RECORD = re.compile(
    r"\b(?:according to|in|from|by) the ([\w'\u2019 -]{3,60}?) (?:report|minutes|meeting)\b",
    re.IGNORECASE,
)
# Passages whose sentences are prose: a title-like line in one is a title (a list's entries,
# a table's cells and a vote's "Substantive Motion Carried." are not).
PROSE_KINDS = frozenset(("paragraph", "header", "question", "item"))
# The sentence that puts a motion to the vote ("the Chairman put ... to the vote", "A Vote was
# taken on the proposal ...").
PUT_TO_VOTE = re.compile(r"\bvot(?:e|ed|ing)\b|\bpoll\b", re.IGNORECASE)
# A sentence that opens on a demonstrative and its verb stands for what the one before said
# ("This has been set at £250k.", "These were approved in 2023.").
CARRIES_ON = re.compile(
    r"(?:This|That|These|Those|Such)\s+(?:\w+ly\s+|also\s+)?"
    r"(?:has|have|had|is|are|was|were|will|would|can|could|may|might|must|should|shall)\b"
)
QROW_LINE = re.compile(r"^(PQ|MQ) \d+ \| ")
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
    index: int = 0  # its place among its passage's candidates
    list_item: bool = False
    about: str = ""  # what it is about, read in scoring but not shown (a vote's motion)


def candidate_sentences(retrieval: Retrieval, *, max_hits: int = 10) -> list[Sentence]:
    """Return the sentences (table rows, list items) of the top hits worth considering:
    never a cover sheet's fields, a title or a heading."""
    out: list[Sentence] = []
    chaired = bool(CHAIRED.search(retrieval.query.original))
    mark = load_templates().chair_mark
    asked = read_intent(retrieval.query.text)
    voted = asked.vote or asked.decision  # how a vote went, or what was decided
    who_asked = asked.kind == "person" and asked.asked
    for h, hit in enumerate(retrieval.hits):
        if h >= max_hits and not (chaired and mark.search(hit.chunk.text)):
            continue  # past the best; a meeting's chair line, added for "who chaired?", is read
        if hit.chunk.kind in ("header", "caption"):
            if chaired and hit.chunk.kind == "header":
                out.extend(_chair_lines(h, hit.chunk.text))
            continue
        if chaired and mark.search(hit.chunk.text):
            # "PRESENT: Mr B J Sweetland (Chairman), ...": its chair line, not its sentences
            out.extend(_chair_lines(h, hit.chunk.text))
            continue
        text = hit.chunk.text
        asker = who_asked and hit.chunk.kind in QUESTION_KINDS
        first_line = text.find("\n") if "\n" in text else len(text)
        result = (
            _vote_result(h, hit.chunk, names=asked.kind == "person", outcome=bool(hit.outcome_of))
            if voted and hit.chunk.kind == "vote"
            else None
        )
        if result is not None:
            # What was put to the vote, the tallies and the outcome (with who voted, asked
            # "who"): the vote's one candidate.
            out.append(result)
            continue
        spans: list[tuple[int, int, str, bool]] = []
        lines = list(re.finditer(r"[^\n]+", text))
        table_head = ""
        for block in lines:
            line_start = block.start()
            line = block.group()
            if asker and line_start == 0 and QROW_LINE.match(line):
                spans.append((0, block.end(), "", False))  # who asked, not a table's head
                continue
            if " | " in line:
                if not table_head:
                    table_head = " ".join(b.group() for b in lines[: lines.index(block) + 1])
                    table_head = table_head[:300]
                    continue
                spans.append((line_start, block.end(), table_head, False))
                continue
            if LIST_MARK.match(line) and len(line.split()) <= 60:
                spans.append((line_start, block.end(), "", True))  # a list item reads as one
                continue
            spans.extend(
                (line_start + s, line_start + e, "", False) for s, e in split_sentences(line)
            )
        titles = {" ".join(t.lower().split()) for t in (hit.chunk.section, hit.chunk.title)}
        index = 0
        for s, e, context, item in spans:
            sentence = text[s:e].strip()
            shown = clean_sentence(sentence)
            said = MOVER.search(sentence.strip()) is not None  # "Proposed: Councillor Carey"
            # Asked who asked: a question's opening line names its questioner ("PQ 4 | Mr
            # Griffiths, Hereford | Cabinet member ...", "Question submitted by Councillor M.
            # McCreesh"), a title-like line otherwise passed over.
            opener = asker and index == 0 and s < first_line
            said = said or opener
            short = len(shown.split()) < 4 and not (QROW_LINE.match(sentence) or said)
            if short or BOILERPLATE.match(shown):
                continue
            if addresses_the_assistant(sentence):
                continue
            plain = " ".join(sentence.lower().split()).rstrip(".:")
            if not context and (
                (plain in titles and not opener) or (heading_like(sentence) and not said)
            ):
                continue  # a title or heading says what a passage is about, not what it says
            if not (context or item) and hit.chunk.kind in PROSE_KINDS and title_like(sentence):
                continue  # "Update on City Bus Service." alone in a paragraph: a title too
            out.append(Sentence(h, s, e, sentence, 0.0, context, index, item))
            index += 1
    return out


def _vote_result(
    h: int, chunk: Chunk, names: bool = False, outcome: bool = False
) -> Sentence | None:
    """Return a recorded vote as one candidate: the sentence that puts it to the vote, the
    tallies and the outcome, without the lists of members' names between them ("... the
    voting was as follows: For (12); Against (42); Abstain (0); Amendment lost."). It cites
    the whole vote and is scored with what the vote was on (the passage's context: "the
    amendment set out in paragraph 7" is read with paragraph 7). None when the passage holds
    no tally or outcome line, or no sentence putting it to the vote (an outcome appended to
    the motion's last words) unless the vote is the `outcome` of an item found for the
    question (what was carried is then the item cited beside it). With `names`, each tally
    is given with who voted so."""
    text = chunk.text
    vote_line = load_templates().vote_line
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    said = [m for m in lines if vote_line.match(m.group().strip())]
    if not said:
        return None
    lead, start = "", 0
    for m in lines:
        if m.start() >= said[0].start():
            break
        put = [(a, b) for a, b in split_sentences(m.group()) if PUT_TO_VOTE.search(m.group()[a:b])]
        if put:
            lead, start = m.group()[put[0][0] : put[0][1]].strip(), m.start() + put[0][0]
            break
    parts = []
    for m in said:
        part = m.group().strip().rstrip(".")
        after = lines[lines.index(m) + 1].group().strip() if m is not lines[-1] else ""
        if names and after and not vote_line.match(after):
            part += f" ({after.rstrip('.')})"  # who voted so
        parts.append(part)
    if not lead and not outcome:
        return None  # "Amendment carried." alone says nothing of what was carried
    if not lead:
        return Sentence(h, said[0].start(), said[-1].end(), f"{'; '.join(parts)}.")
    shown = f"{lead.rstrip('.:')}: {'; '.join(parts)}."
    return Sentence(h, start, said[-1].end(), shown, about=chunk.context)


def _chair_lines(h: int, text: str) -> list[Sentence]:
    """Return the lines of a minutes opening that say who chaired ("PRESENT IN THE CHAIR:"
    with the name on the line after it, "Councillor Sebastian Bowen (chairperson)")."""
    out: list[Sentence] = []
    for m in load_templates().chair_mark.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        stop = text.rfind(". ", start, m.start())  # the sentence the mark is in
        start = stop + 2 if stop >= 0 else start
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if not text[m.end() : end].strip(" :"):  # "IN THE CHAIR:": the name is on the next line
            nxt = re.compile(r"\s*[^\n]+").match(text, end)
            end = nxt.end() if nxt else end
        elif text[m.start()] == "(" and len(text[start:end].split()) > CHAIR_LIST_WORDS:
            # "PRESENT: Mr B J Sweetland (Chairman), Mr A M Ridgers (Vice-Chairman), ...": the
            # name the mark follows, not the whole attendance list.
            start, end = _listed_name(text, start, m.start()), m.end()
        out.append(Sentence(h, start, end, text[start:end], index=len(out)))
    return out


CHAIR_LIST_WORDS = 25  # a chair line longer than this is a list of those present


def _listed_name(text: str, start: int, mark: int) -> int:
    """Return where the name before a mark starts in a list ("..., Mr P M Hill, OBE (Chairman)"
    gives "Mr P M Hill, OBE (Chairman)"): after the comma or colon before it, a post-nominal
    ("OBE", "CBE") read with the name it follows."""
    cut = max(text.rfind(", ", start, mark), text.rfind(": ", start, mark))
    while cut > start and re.fullmatch(r"[A-Z]{2,5}\s*", text[cut + 2 : mark]):
        mark = cut
        cut = max(text.rfind(", ", start, mark), text.rfind(": ", start, mark))
    return cut + 2 if cut >= start else start


def clean_sentence(sentence: str) -> str:
    """Return a sentence as shown in an answer: list marks and part labels taken off."""
    sentence = " ".join(sentence.split())  # a label and its value on two lines read as one
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
        items = _shown_items(
            [clean_sentence(line).rstrip(".") for line in _list_lines(passage, s.end)]
        )
        if items:
            return f"{clean_sentence(s.text).rstrip('.:')}: " + "; ".join(items) + "."
        return clean_sentence(s.text.rstrip().rstrip(":"))
    if not s.context:
        return clean_sentence(s.text)
    cells = [c.strip() for c in s.text.split("|") if c.strip()]
    caption = s.context.split("\n")[0].split(" | ")[0]
    return f"{caption}: {' | '.join(cells)}."


ITEM_WORDS = 60  # an unmarked line longer than this is a paragraph, not a list item
LIST_ITEMS = 6  # a list shown in an answer: its first six items, and more while short ...
LIST_WORDS = 60  # ... up to these many words in all


def _shown_items(items: list[str]) -> list[str]:
    """Return the first items of a list as an answer shows them: six, and on while they fit
    LIST_WORDS; a table a converter wrote a cell a line ("Year", "Amount", "2016",
    "€528,729", ...) lost its last year's sum to a cap on items alone."""
    shown: list[str] = []
    words = 0
    for item in items:
        words += len(item.split())
        if len(shown) >= LIST_ITEMS and words > LIST_WORDS:
            break
        shown.append(item)
    return shown


WRAPPED_WORDS = 8  # a line this long ending mid-sentence was wrapped by a PDF's column


def _list_lines(passage: str, start: int) -> list[str]:
    """Return the items of the list that follows offset `start`: marked lines, or lines a
    converter left without their bullets (a line a PDF wrapped mid-sentence is joined to
    the next)."""
    items = _list_items(passage, start)
    return [" ".join(passage[start + a : start + b].split()) for a, b in items]


def _list_items(passage: str, start: int) -> list[tuple[int, int]]:
    """Return the (start, end) offsets, from `start`, of the list items after a lead-in.

    The lines after a lead-in in the same passage are its items (the passage ends where the
    record's paragraph does), marked or not, until a new lead-in or a long paragraph."""
    items: list[tuple[int, int]] = []
    wrapped = False
    for m in re.finditer(r"[^\n]+", passage[start:]):
        line = m.group().strip()
        marked = bool(LIST_MARK.match(line))
        if wrapped and not marked:
            items[-1] = (items[-1][0], m.end())
        elif line.endswith(":") or (not marked and len(line.split()) > ITEM_WORDS):
            break
        else:
            items.append((m.start(), m.end()))
        wrapped = len(line.split()) >= WRAPPED_WORDS and not re.search(r"[.;:,!?)]$", line)
    return items


EMBED_LIMIT = 6  # sentences embedded per question (dev figures as with 16; 4 lost a dev fact)


Encode = Callable[[list[str]], np.ndarray]
Coverage = Callable[[tuple[str, ...], str], float]


@dataclass
class Scoring:
    """The candidates of one question, their features and scores, best first."""

    sentences: list[Sentence]
    rows: np.ndarray  # one feature row per sentence, in FEATURES order
    intent: Intent

    def best(self) -> float:
        return self.sentences[0].score if self.sentences else float("-inf")


def content_tokens(retrieval: Retrieval, hit_title: str) -> tuple[str, ...]:
    """Return the question's words less those that only name the record ("according to the
    tranche two report"): they pick the record, not the sentence within it."""
    named = {
        t for m in NAMED_RECORD.finditer(retrieval.query.original) for t in tokenize(m.group(1))
    }
    naming = set(tokenize(hit_title)) & named
    tokens = retrieval.query.tokens
    return tuple(t for t in tokens if t not in naming) or tokens


SIM_WORDS = 48  # words of a candidate the model reads: a long row or item costs, not helps


def _head(text: str) -> str:
    words = text.split()
    return " ".join(words[:SIM_WORDS])


def score_sentences(
    retrieval: Retrieval,
    sentences: list[Sentence],
    *,
    encode: Encode,
    coverage: Coverage,
    model: AnswerModel | None = None,
) -> Scoring:
    """Return the sentences scored by the fitted model, best first.

    Every candidate is first scored with its passage's similarity standing in for its own;
    only the best EMBED_LIMIT are then embedded and scored on their own similarity.
    """
    model = model or load_model()
    query = retrieval.query
    intent = read_intent(query.text, query.people)
    if not sentences:
        return Scoring([], np.zeros((0, len(FEATURES))), intent)
    top = max((h.score for h in retrieval.hits), default=1.0) or 1.0
    candidates = []
    for s in sentences:
        hit = retrieval.hits[s.hit]
        words = content_tokens(retrieval, hit.chunk.title)
        candidates.append(
            Candidate(
                text=s.text,
                chunk=hit.chunk,
                rank=s.hit,
                index=s.index,
                sim=hit.dense,
                embedded=False,
                passage_sim=hit.dense,
                lexical=coverage(words, f"{s.about} {s.context} {s.text}"),
                passage_lexical=hit.coverage,
                fused=hit.score / top,
                referenced=hit.referenced,
                table_row=bool(s.context) or bool(QROW_LINE.match(s.text)),
                list_item=s.list_item,
            )
        )
    rows = np.array([features(c, intent, query.years) for c in candidates])
    proxy = model.score(rows)
    order = [int(i) for i in np.argsort(-proxy)[:EMBED_LIMIT]]
    # A sentence that is its whole passage already has its vector: the passage's.
    parts = [i for i in order if not _is_whole(sentences[i], retrieval)]
    vectors = encode(
        [_head(f"{sentences[i].about} {sentences[i].context} {sentences[i].text}") for i in parts]
    )
    sim_col, embedded_col = FEATURES.index("sim"), FEATURES.index("embedded")
    for i, vec in zip(parts, vectors, strict=True):
        rows[i, sim_col] = float(vec @ retrieval.vector)
    rows[order, embedded_col] = 1.0  # the whole passages' sim is their passage's already
    return ranked(sentences, rows, model.score(rows), intent)


def _is_whole(s: Sentence, retrieval: Retrieval) -> bool:
    return not s.context and s.text.strip() == retrieval.hits[s.hit].chunk.text.strip()


def ranked(
    sentences: list[Sentence], rows: np.ndarray, scores: np.ndarray, intent: Intent
) -> Scoring:
    """Return the sentences with their scores and feature rows, best first."""
    order = np.argsort(-scores, kind="stable")
    return Scoring(
        [replace(sentences[int(i)], score=float(scores[i])) for i in order], rows[order], intent
    )


RESPONSE_ASKED = re.compile(r"\b(?:respon\w*|answer\w*|repl(?:y|ied|ies))\b", re.IGNORECASE)


def select(
    scoring: Scoring, retrieval: Retrieval, *, keep_ratio: float, most: int = 3
) -> list[Sentence]:
    """Return the best sentences: the top one, and others close to it that add something.

    A question about a decision opens with the decision itself when one is among the best
    five, and never with options turned down, risks or background unless it asks about
    them; a question of fact opens with its best sentence wherever that sits (a report's
    background or financial implications tell how much was drawn down, and when).
    """
    scored = scoring.sentences
    if not scored:
        return []
    probs = np.exp(np.array([s.score for s in scored]) - scored[0].score)
    intent = scoring.intent

    def chunk(s: Sentence) -> Chunk:
        return retrieval.hits[s.hit].chunk

    lead = 0
    head = range(min(5, len(scored)))
    if intent.decision:
        # The decision itself leads: a resolution, recommendation or vote, or a sentence
        # recording one ("it was agreed that ..."), before a passage in a decision's part (a
        # motion tabled is not yet what was decided). But an item's opening ("To seek
        # approval for the allocation of €30,000 ...", "15) Mr Streatfeild proposed ... the
        # following amendment") is answered by the outcome recorded further in the item
        # ("... it was agreed to defer this item", the vote on that amendment), when the
        # retriever found it: the best passage's before another vote, unless a resolution is
        # among the best five; another of the best five's when no decision is.
        def outcome_of(j: int) -> int | None:
            opened = chunk(scored[j]).id
            return next(
                (
                    i
                    for i, s in enumerate(scored)
                    if retrieval.hits[s.hit].outcome_of == opened
                    and records_decision(s.text, chunk(s))
                    and not _mover_line(s.text)
                ),
                None,
            )

        first = None if records_decision(scored[0].text, chunk(scored[0])) else outcome_of(0)
        resolved = next((i for i in head if chunk(scored[i]).kind == "resolution"), None)
        lead = next(
            (i for i in head if records_decision(scored[i].text, chunk(scored[i]))),
            next((i for i in head if is_decision(chunk(scored[i]))), lead),
        )
        if first is not None and resolved is None:
            lead = first  # what was resolved still leads: it is the meeting's last word
        elif not records_decision(scored[lead].text, chunk(scored[lead])):
            lead = next((o for j in head if (o := outcome_of(j)) is not None), lead)
    if intent.decision and is_aside(chunk(scored[lead]), intent):
        lead = next((i for i in head if not is_aside(chunk(scored[i]), intent)), lead)
    if intent.which and not intent.decision:
        # "Which reserve is the money drawn from?": a sentence naming a reserve answers,
        # one about when the money would be drawn does not.
        kind = re.compile(rf"\b{re.escape(intent.which[0])}", re.IGNORECASE)
        if not kind.search(scored[lead].text):  # of those close enough to be in the answer
            near = [i for i in head if probs[i] >= keep_ratio]
            lead = next((i for i in near if kind.search(scored[i].text)), lead)
    if intent.reply or not intent.asked:
        # Asked what was replied (or not what was asked): when the lead is a question (or
        # the same words in the agenda that tabled it) and its reply was found, the reply
        # answers ("the reply to the motion on the barrier at Kilglass").
        asked = _questions_holding(scored[lead], chunk(scored[lead]), retrieval)
        lead = next(
            (i for i, s in enumerate(scored) if any(_replies_to(chunk(s), q) for q in asked)),
            lead,
        )
        if load_templates().motion_phrase.search(scored[lead].text):
            # ... and when the lead is a member's motion in its own words, what the minutes
            # record after it (the reply, what became of it) answers ("Why was the motion on
            # a cycle path deferred?": "... the Chair deferred this Motion").
            moved = _motions_holding(scored[lead], retrieval)
            lead = next(
                (
                    i
                    for i, s in enumerate(scored)
                    if retrieval.hits[s.hit].after_motion in moved and not _moving(s.text)
                ),
                lead,
            )
    if RESPONSE_ASKED.search(retrieval.query.original) and scored[lead].text.rstrip().endswith("?"):
        # Asked for the response, the question leads; minutes may give the reply in the same
        # paragraph ("... can this be enhanced? Anne Rizzo responded that ..."): it answers.
        asked_at = scored[lead]
        after = min(
            (i for i, s in enumerate(scored) if s.hit == asked_at.hit and s.start >= asked_at.end),
            key=lambda i: scored[i].start,
            default=lead,
        )
        if not scored[after].text.rstrip().endswith("?"):  # not the next of several questions
            lead = after
    pinned: Sentence | None = None  # a lead a who-question's own rule chose
    if CHAIRED.search(retrieval.query.original):
        # "Who chaired ...?": the chair line ("IN THE CHAIR:", "(Chairman)") of the meeting
        # the question names best: its date, its body, then the meeting the best other
        # sentence comes from, then the opening's words.
        query = retrieval.query
        meeting = next((chunk(s).doc_id for s in scored if chunk(s).kind != "header"), "")

        def named(i: int) -> tuple[bool, bool, float, bool, float]:
            c, hit = chunk(scored[i]), retrieval.hits[scored[i].hit]
            body = overlap(c.body, query.original)
            month = any(c.meeting_date.startswith(m) for m in query.months)
            return month, query.names_date(c.meeting_date), body, c.doc_id == meeting, hit.coverage

        mark = load_templates().chair_mark
        chairs = [i for i, s in enumerate(scored) if mark.search(s.text)]
        if query.months or query.years:
            # A meeting the question dates: another meeting's chair line does not answer (the
            # minutes may say who was elected to chair it instead).
            chairs = [i for i in chairs if named(i)[0 if query.months else 1]]
        if chairs:
            lead = max(chairs, key=named)
            pinned = scored[lead]
    if intent.kind == "person" and intent.asked:
        # "Who asked about ...?": the line of one of the best questions that names who put it.
        best = range(min(8, len(scored)))
        askers = [i for i in best if _names_asker(scored[i], chunk(scored[i]))]
        if askers:
            lead = askers[0]
            pinned = scored[lead]  # it answers who: no other sentence goes before it
    if not intent.asked and asks(scored[lead], chunk(scored[lead])):
        # What a member of the public asked is not what the council said.
        lead = next((i for i in head if not asks(scored[i], chunk(scored[i]))), lead)
    chosen = [scored[lead]]
    follow = _carried_on(scored[lead], scored, retrieval)
    if follow is not None and pinned is None:
        chosen.append(follow)  # "A de-minimis limit has been set ..." / "This has been set at"
    for i, s in enumerate(scored):
        if len(chosen) >= most or probs[i] < keep_ratio:
            break
        if i == lead or any(overlap(s.text, c.text) > 0.7 for c in chosen):
            continue
        if intent.decision and is_aside(chunk(s), intent):
            continue  # an option turned down is not part of what was decided
        chosen.append(s)
    if intent.kind and len(scoring.rows):
        # Asked who, how many or when: the answer holds such a fact if one of the best eight
        # sentences does ("Proposed: Councillor Carey" after the item it seconds), and "who?"
        # is answered first by the sentence that names someone.
        fact = scoring.rows[:, FEATURES.index("fact")] > 0
        where = {id(s): i for i, s in enumerate(scored)}
        holding = [c for c in chosen if fact[where[id(c)]]]
        if not holding:
            extra = next((i for i in range(min(8, len(scored))) if fact[i]), None)
            if extra is not None:
                holding = [scored[extra]]
                chosen.append(scored[extra])
        if (
            holding
            and intent.kind in ("person", "mover")
            and chosen[0] is not holding[0]
            and chosen[0] is not pinned
        ):
            chosen.remove(holding[0])
            chosen.insert(0, holding[0])
    return chosen


def _mover_line(text: str) -> bool:
    """Whether a sentence only says who proposed or seconded ("Proposed by Councillor
    O'Hanlon;"), not what was done."""
    return len(text.split()) <= 8 and bool(MOVER.match(text.strip()))


def _carried_on(lead: Sentence, scored: list[Sentence], retrieval: Retrieval) -> Sentence | None:
    """Return the sentence right after the lead in its passage when it carries the lead on
    ("This has been set at £250k.": a demonstrative standing for what the lead said), else
    None."""
    if lead.context:
        return None  # a table's row: the next row is no sentence of the same thought
    passage = retrieval.hits[lead.hit].chunk.text
    for s in scored:
        if s.hit == lead.hit and s.start >= lead.end and not passage[lead.end : s.start].strip():
            return s if CARRIES_ON.match(s.text.strip()) else None
    return None


def _names_asker(s: Sentence, passage: Chunk) -> bool:
    """Whether a sentence is a question's line that names its questioner."""
    if passage.kind not in QUESTION_KINDS or not passage.speaker:
        return False
    # "Mr Griffiths, Hereford": the name before the address; its last word, whole.
    words = re.findall(r"[^\W\d_]{3,}", fold(passage.speaker.split(",")[0]))
    return bool(words) and re.search(rf"\b{re.escape(words[-1])}\b", fold(s.text)) is not None


def abstention(
    retrieval: Retrieval,
    answerer: str,
    filters: Filters | None = None,
    uncounted: str = "",
    unaddressed: tuple[str, ...] = (),
    unstated: str = "",
) -> Answer:
    """Return the plain 'not covered' answer, listing the closest records instead; say what
    the passages found lack (a name, a stage, a count of what is `uncounted`, a one-word
    name the closest answer's passages lack, the amount or date asked for: `unstated`), and when the
    caller's filters narrowed the search, that they may be why."""
    closest = [h.citation(n) for n, h in enumerate(retrieval.hits[:3], 1)]
    text = ABSTAIN_TEXT
    if unaddressed:
        text += (
            " None of the passages that come closest to an answer mentions "
            + " or ".join(f'"{n}"' for n in unaddressed)
            + "."
        )
    if unstated:
        text += f" None of the passages that come closest to an answer gives {unstated}."
    missing = unmentioned(retrieval)
    if retrieval.unused and not missing:
        words = " or ".join(f'"{w}"' for w in retrieval.unused)
        text += f" No record uses the word{'s' if len(retrieval.unused) > 1 else ''} {words}."
    if uncounted and not missing:
        text += f' None of the passages found gives a number of "{uncounted}".'
    if missing:
        text += (
            " None of the passages found mentions " + " or ".join(f'"{n}"' for n in missing) + "."
        )
    kinds = {m.split()[0] for m in missing if m in retrieval.query.stages}
    if kinds:  # "phase 2" is asked: say which phases the passages found do name
        named = sorted(
            (s.split() for s in stages_found(retrieval) if s.split()[0] in kinds),
            key=lambda s: (s[0], int(s[1])),
        )
        told = [f"{kind} {n}" for kind, n in named]
        listed = ", ".join(told[:-1]) + " and " + told[-1] if len(told) > 1 else told[0]
        text += f" They mention {listed}."
    if filters is not None and filters.narrowing:
        text += (
            f" Only records matching your filters ({filters.describe()}) were searched; "
            "clearing them may find an answer."
        )
    return Answer(retrieval.query.original, text, closest, True, answerer)


def _questions_holding(s: Sentence, passage: Chunk, retrieval: Retrieval) -> list[Chunk]:
    """Return the question passages among the hits that hold this sentence: its own passage
    when that is a question, and those quoting it (a motion tabled in an agenda, then
    minuted with its reply)."""
    words = " ".join(s.text.split())
    return [
        h.chunk
        for h in retrieval.hits
        if h.chunk.kind in QUESTION_KINDS
        and (h.chunk.id == passage.id or words in " ".join(h.chunk.text.split()))
    ]


def _moving(text: str) -> bool:
    """Whether a sentence is still the motion's side: who moved or seconded it, or the
    member's case for it ("In proposing the Motion, Councillor Scanlan stated ...")."""
    return bool(MOVER.search(text) or load_templates().proposing_phrase.search(text))


def _motions_holding(s: Sentence, retrieval: Retrieval) -> set[str]:
    """Return the ids of the motion passages among the hits that quote this sentence's
    motion: the same words tabled in an agenda, then minuted where it was moved (scans
    differ in their marks, so nine words in ten are enough)."""
    words = set(tokenize(s.text))
    mark = load_templates().motion_phrase
    return {
        h.chunk.id
        for h in retrieval.hits
        if mark.search(h.chunk.text)
        and len(words & set(tokenize(h.chunk.text))) >= 0.9 * len(words)
    }


def _replies_to(reply: Chunk, question: Chunk) -> bool:
    """Whether a passage is the council's reply to a question passage ("Q 10 response" to
    "Q 10 question" of the same record)."""
    label = question_label(question.locator)
    return (
        reply.kind in RESPONSE_KINDS
        and reply.doc_id == question.doc_id
        and reply.locator.startswith(label + " ")
    )


def asks(s: Sentence, passage: Chunk) -> bool:
    """Whether a sentence is a question put to the council rather than something it said:
    a question's part, a question mark, or the template's asking words."""
    return (
        passage.kind in QUESTION_KINDS
        or s.text.rstrip().endswith("?")
        or bool(load_templates().asking_phrase.search(s.text))
    )


def abstain_values(retrieval: Retrieval, scoring: Scoring) -> dict[str, float]:
    """Return what the abstention model reads: how well the best passages and sentences
    match the question."""
    hits = retrieval.hits[:3]
    sim = FEATURES.index("sim")
    lexical = FEATURES.index("lexical")
    fact = FEATURES.index("fact")
    rows = scoring.rows[:5]
    # When a count, amount, date or name is asked for: how well the best sentences that hold
    # one match the question (the records may discuss the subject but never give the fact).
    best = scoring.rows[:8]
    factual = best[best[:, fact] > 0] if scoring.intent.kind else best
    return {
        "relevance": retrieval.relevance,
        "top_dense": max((h.dense for h in hits), default=0.0),
        "top_coverage": max((h.coverage for h in hits), default=0.0),
        "best_sentence": scoring.best() if scoring.sentences else -5.0,
        "best_sim": float(rows[:, sim].max()) if len(rows) else 0.0,
        "best_lexical": float(rows[:, lexical].max()) if len(rows) else 0.0,
        "unseen": retrieval.unseen,
        "missing": retrieval.missing,
        "fact_coverage": float(factual[:, lexical].max()) if len(factual) else 0.0,
    }


def unmentioned(retrieval: Retrieval) -> list[str]:
    """Return the proper names the question gives ("Dartford Crossing") that no passage found
    mentions, word for word (case, accents, possessives and "One"/"1" aside), in its text,
    heading, title or body; and the numbered stages it asks about ("phase 2") where the
    passages found name only other stages of the same kind ("Phase 1")."""
    query = retrieval.query
    if not query.names and not query.stages:
        return []
    passages = [
        _folded(c.text, c.section, c.context, c.body, c.title)
        for c in (h.chunk for h in retrieval.hits)
    ]
    missing = [name for name in query.names if not _mentioned(name, passages, retrieval.own)]
    if query.stages:
        named = stages_found(retrieval)
        kinds = {stage.split()[0] for stage in named}
        missing += [s for s in query.stages if s not in named and s.split()[0] in kinds]
    return missing


def uncounted(scoring: Scoring, question: str) -> str:
    """Return what a "how many" question counts, in the question's words ("foster carers"),
    when no sentence of the passages found gives a count of it; else "". The records may
    discuss foster carers at length and never say how many there are: sentences about them
    are not an answer."""
    intent = scoring.intent
    pattern = intent.fact_pattern()
    if intent.kind != "count" or not intent.counted or pattern is None:
        return ""
    if any(pattern.search(s.text) for s in scoring.sentences):
        return ""
    stems = "|".join(re.escape(stem) for stem in intent.counted)
    asked = re.search(
        rf"\b(?:how many|number of)\s+((?:[\w'’-]+\s+){{0,6}}?(?:{stems})[\w'’-]*)",
        question,
        re.IGNORECASE,
    )
    return asked.group(1) if asked else intent.counted[0]


# A time asked ahead ("When will the app be launched?", "When is the plan to be presented?",
# "By when ..."), not a past event's (answered by its meeting's date as well as its words).
ASKED_AHEAD = re.compile(
    r"\bwhen (?:will|would|should|shall|is|are)\b|\bby when\b|\bwhat date (?:will|is|are)\b",
    re.IGNORECASE,
)
# A time an answer may give other than a date ("in the spring", "within six weeks").
TIME_WORDS = re.compile(
    r"\b(?:spring|summer|autumn|winter|weeks?|months?|quarter|new year|shortly|soon|"
    r"(?:next|this|coming|following) year)\b",
    re.IGNORECASE,
)


def asked_fact(scoring: Scoring, retrieval: Retrieval) -> tuple[str, Callable[[str], bool]]:
    """Return the kind of fact the question asks for that an answer must give ("an amount":
    "What is the budget for ...?", "How much ...?"; "a date": "When will ... open?") and
    what tells a quoted text gives one; ("", ...) when it asks for none of them."""
    intent = scoring.intent
    pattern = intent.fact_pattern()
    if isinstance(pattern, re.Pattern) and intent.kind == "amount":
        return "an amount", lambda text: bool(pattern.search(text))
    if (
        isinstance(pattern, re.Pattern)
        and intent.kind == "date"
        and ASKED_AHEAD.search(retrieval.query.original)
    ):
        return "a date", lambda text: bool(pattern.search(text) or TIME_WORDS.search(text))
    return "", lambda text: True


RESCUE_RATIO = 0.05  # a sentence giving the fact asked for leads from this close to the best


def unstated(
    scoring: Scoring, retrieval: Retrieval, chosen: list[Sentence], keep_ratio: float
) -> tuple[str, list[Sentence]]:
    """Return the kind of fact asked for ("an amount", "a date") when none of the sentences
    the answer would quote on their own merit (within `keep_ratio` of the best) gives one
    and none a little further down (within RESCUE_RATIO) does either, else "" and the
    sentences to quote: the chosen, led by such a sentence when one gives the fact. The
    passages closest to an answer discuss the subject, and the sum or the time to come may
    not be in them (another passage's sum, added as the fact asked for, is no answer)."""
    kind, gives = asked_fact(scoring, retrieval)
    if not kind or not chosen:
        return "", chosen
    best = scoring.best()
    # A sum may sit in any sentence the answer quotes on its own merit; a time to come in
    # its first (a later one's date is mostly an agenda's or another item's).
    told = chosen if kind == "an amount" else chosen[:1]
    if any(gives(quoted(s, retrieval)) and math.exp(s.score - best) >= keep_ratio for s in told):
        return "", chosen
    # "When will Kent's Mayor be elected?": a member's view of mayors scores best, the
    # report's "elections to a new Mayoral Strategic Authority (MSA) in May 2026" a little
    # lower, on fewer of the question's words but as close in meaning; "Circulated, copy of
    # draft Minutes of Meeting ... held on 9th January, 2019" is not as close.
    sim = FEATURES.index("sim")
    top = scoring.rows[0][sim]
    near = (
        s
        for s, row in zip(scoring.sentences, scoring.rows, strict=True)
        if math.exp(s.score - best) >= RESCUE_RATIO
        and row[sim] >= top
        and gives(quoted(s, retrieval))
    )
    lead = next(near, None)
    if lead is None:
        return kind, chosen
    return "", [lead, *(s for s in chosen if s is not lead)][: len(chosen)]


def unaddressed(retrieval: Retrieval, chosen: list[Sentence]) -> tuple[str, ...]:
    """Return the one-word names the question gives ("Kilmallock", "Moody's") that none of
    the passages the answer quotes gives, with the passages either side of each (in their
    text, heading, title, body or speaker), as written or in the plural. A place's name is
    mostly somewhere among the passages found (a district's, in its minutes), so it is the
    answer's own passages that must name it; the index's own names ("Herefordshire", in
    most of its passages) aside. And the question's capitalised words and own names that
    some records name and others do not, a record of a passage quoted must name somewhere
    (an index of two councils' records: "What did Limerick decide about the Devolution
    Priority Programme?" is not answered from Kent's)."""
    records = {retrieval.hits[s.hit].chunk.doc_id for s in chosen}
    lacking = [n for n, named in retrieval.named_records.items() if chosen and not records & named]
    # "Limerick City", not also "Limerick" and "City"
    foreign = tuple(
        n
        for n in lacking
        if not any(m != n and f" {n.lower()} " in f" {m.lower()} " for m in lacking)
    )
    names = [
        n for n in retrieval.query.single_names if " ".join(name_words(n)) not in retrieval.own
    ]
    if not names:
        return foreign
    # "The Members approved the above 30kph speed limits": the roads were listed before it.
    hits = {s.hit: retrieval.hits[s.hit] for s in chosen}.values()
    passages = [
        _folded(c.text, c.section, c.context, c.body, c.title, c.speaker)
        for h in hits
        for c in (*h.before, h.chunk, *h.after)
    ]
    # "the Green and Independent amendment": "Greens and Independents"
    written = {n: re.compile(f" {' '.join(name_words(n))}(?:e?s)? ") for n in names}
    return foreign + tuple(n for n in names if not any(written[n].search(p) for p in passages))


def _folded(*fields: str) -> str:
    """Return a passage's fields as the name checks compare them: folded words, bounded by
    spaces (" municipal district of adare rathkeale ")."""
    return " " + " ".join(name_words(" ".join(fields))) + " "


def stages_found(retrieval: Retrieval) -> set[str]:
    """Return the numbered stages the passages found name ("phase 1", "tranche 2")."""
    return {
        stage
        for c in (h.chunk for h in retrieval.hits)
        for stage in read_stages(" ".join((c.text, c.section, c.context, c.title)))
    }


def _mentioned(name: str, passages: list[str], own: frozenset[str] = frozenset()) -> bool:
    """Whether a passage (folded words, space-bounded) gives a name: its words side by side,
    each run between its acronyms (records spell "SPC" out, or give "HAP" among the words:
    "Limerick HAP Shared Services"); a name that is one word beside an
    acronym ("Reform UK", "DVM Productions") as written, or its word with the acronym (of
    three letters or more) spelled out in the same passage ("Travel SPC": "Travel and
    Transportation Strategic Policy Committee"). A one-word name is not checked."""
    runs = kind_apart(name_phrase(name))
    # Words the index's passages mostly hold (its council's own name, "Herefordshire" in
    # "Herefordshire Cabinet") are given: the records name the cabinet, not whose it is.
    kept = [run for run in runs if " ".join(run) not in own]
    words = [w for run in kept for w in run]
    if len(words) >= 2 or (kept and len(kept) < len(runs)):
        return any(all(_gives_run(run, p) for run in kept) for p in passages)
    if not kept:
        return True
    parts = name.split()
    if len(parts) < 2 or not words:
        return True
    written = f" {' '.join(name_words(name))} "
    small = r"(?:(?:and|of|for|the) )?"
    acronyms = [part.lower() for part in parts if ACRONYM.fullmatch(part)]
    if any(len(a) < 3 for a in acronyms):
        return any(written in p for p in passages)  # "UK" spelled out is any two words
    spelled = [
        re.compile(" " + " ".join(f"{small}{ch}[a-z0-9]*" for ch in a) + " ") for a in acronyms
    ]
    word = f" {words[0]} "
    return any(written in p or (word in p and all(e.search(p) for e in spelled)) for p in passages)


def _gives_run(run: list[str], passage: str) -> bool:
    """Whether a passage gives a run of a name's words side by side, or, for three words or
    more, all but the first side by side and the first apart: a question joins what the
    record says in two places ("the Kent and Medway Mayoral Strategic Authority": "commit
    Kent and Medway to elections to a new Mayoral Strategic Authority")."""
    if f" {' '.join(run)} " in passage:
        return True
    return len(run) >= 3 and f" {' '.join(run[1:])} " in passage and f" {run[0]} " in passage


def _covered(
    retrieval: Retrieval, scoring: Scoring, model: AnswerModel, threshold: float | None
) -> bool:
    if any(h.referenced for h in retrieval.hits[:3]):
        return True  # the question names the part ("PQ 3"): it is there
    people = retrieval.query.people
    if people and any(spoken_by(h.chunk, people) for h in retrieval.hits[:3]):
        return True  # what a named person asked: their questions are there
    if unmentioned(retrieval):
        return False  # "the Bishop of Limerick": no passage found names him
    if retrieval.unused:
        return False  # "the new hospital helipad": no record uses the word
    if uncounted(scoring, retrieval.query.original):
        return False  # "how many foster carers": no sentence found counts them
    cutoff = model.abstain_threshold if threshold is None else threshold
    return model.answerable(abstain_values(retrieval, scoring)) >= cutoff


def answer_extractively(
    retrieval: Retrieval,
    *,
    encode: Encode,
    coverage: Coverage,
    threshold: float | None = None,
    filters: Filters | None = None,
    most: int = 3,
    model: AnswerModel | None = None,
) -> Answer:
    """Return an answer built of the records' own sentences, or an abstention when the
    fitted model judges the records do not answer (below `threshold`, the model's own
    when None); each citation quotes the sentences used (its span), not the whole passage."""
    question = retrieval.query.original
    if not retrieval.hits:
        return abstention(retrieval, "extractive", filters)
    model = model or load_model()
    scoring = score_sentences(
        retrieval, candidate_sentences(retrieval), encode=encode, coverage=coverage, model=model
    )
    if not _covered(retrieval, scoring, model, threshold):
        return abstention(
            retrieval, "extractive", filters, uncounted(scoring, retrieval.query.original)
        )
    chosen = select(scoring, retrieval, keep_ratio=model.keep_ratio, most=most)
    absent = () if any(h.referenced for h in retrieval.hits[:3]) else unaddressed(retrieval, chosen)
    if absent:  # "the opening hours of Kilmallock library", answered of a museum's
        return abstention(retrieval, "extractive", filters, unaddressed=absent)
    # "the budget for Operation Meirle", answered with what the operation does
    lacking, chosen = unstated(scoring, retrieval, chosen, model.keep_ratio)
    if lacking:
        return abstention(retrieval, "extractive", filters, unstated=lacking)
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


def quoted(s: Sentence, retrieval: Retrieval) -> str:
    """Return what the answer quotes for a sentence: the sentence, and the list it opens
    ("The amount of rent received ... is as follows:" and its years' sums)."""
    if s.context or not s.text.rstrip().endswith(":"):
        return s.text
    passage = retrieval.hits[s.hit].chunk.text
    return passage[s.start : _list_end(passage, s.end)]


def _list_end(passage: str, start: int) -> int:
    """Return where the list that follows offset `start` ends."""
    items = _list_items(passage, start)
    return start + items[-1][1] if items else start


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
