"""Blocks -> citable pieces, split where the record divides, each with its own locator.

Reports divide into sections and numbered paragraphs ("para 21(b)", "para 1.1"),
recommendations ("recommendation (a)"), and tables. Minutes divide into items
("minute 27", "minute 2(a)"), debate bullets, resolutions and recorded votes. Questions
divide into the question and its answers ("PQ 4 response", "Q 6 question").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.block import Block
from ingest.blocks import DANGLING, ITEM_STEP, motion_title
from ingest.sentences import ends_sentence
from ingest.templates import Templates, load_templates

MAX_WORDS = 170  # ~220 word pieces: leaves room for the heading within the model's 256
RECOMMENDATION_SECTIONS = re.compile(r"^recommendations?(\(s\))?:?$", re.IGNORECASE)
VOTE_END = re.compile(r"\b(carried|lost|fell|defeated)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """A run of consecutive blocks that forms one chunk, with its locator and section."""

    first: int  # index of first block
    last: int  # index of last block (inclusive)
    locator: str
    section: str
    kind: str
    context: str = ""
    who: str = ""  # who asked (a question) or answered (a response)


def words(text: str) -> int:
    """Return the number of whitespace-separated words in text."""
    return len(text.split())


def _is_heading(
    blocks: list[Block], i: int, prev_heading: str | None, templates: Templates
) -> bool:
    block = blocks[i]
    if block.kind == "heading":
        return True
    if block.kind != "para":
        return False
    text = block.text
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    if nxt is None:
        return False
    if re.match(r"^agenda item\b", text, re.IGNORECASE) and len(text) < 120:
        return True
    if nxt.kind == "table" and not templates.question_table_header.search(nxt.text.split("\n")[0]):
        return False  # a table's caption
    if len(text) > 80 or words(text) > 10 or not text[0].isupper():
        return False
    if text[-1] in ".,;" or (text[-1] == ":" and not (nxt.kind == "numbered" and words(text) <= 8)):
        return False
    if re.match(r"^[A-Z][a-z]+( [a-z]+)*: ", text):  # "Meeting: Cabinet" is a field
        return False
    if text.count(",") >= 2:  # a list of names ("Councillors Carey, Egan, Mitchell and Teefy")
        return False
    if DANGLING.search(text):  # "... in accordance with": a line cut mid-phrase
        return False
    if templates.person_title.search(text) and "," in text:  # "Councillor M Donegan, Mayor",
        # "An Cathaoirleach, Cllr. Michael Murphy": a person and their office
        return False
    if re.search(r"\b\d{1,2}[.:]\d{2}\s*[ap]\.?m\b", text) or (text.isupper() and words(text) <= 2):
        return False
    prev = blocks[i - 1] if i > 0 else None
    if (
        words(text) == 1
        and prev is not None
        and prev.kind == "bullet"
        and not ends_sentence(prev.text)
    ):
        return False  # the wrapped tail of the item before ("... Placement" / "Sufficiency")
    if prev_heading is not None:
        # Straight after a heading: a value under a label ("Classification" / "Open"), or a
        # list of items ("Appendices" / "Appendix A ..."), unless paragraphs follow it.
        return words(text) > 2 and (nxt.kind == "numbered" or words(nxt.text) > 12)
    return True


class _Plan:
    """The walk over a record's blocks: where we are (section, minute, question) as state."""

    def __init__(self, blocks: list[Block], minutes: bool, templates: Templates) -> None:
        self.blocks = blocks
        self.minutes = minutes
        self.templates = templates
        self.pieces: list[Piece] = []
        self.section = ""
        self.minute = ""  # "minute 27" while inside a minute item
        self.item = ""  # "minute 2(a)" while inside a lettered item of a minute
        self.question = ""  # "PQ 4" / "Q 6" while inside a question
        self.asked_by = ""
        self.counters: dict[str, int] = {}
        self.intro = ""  # the sentence introducing a list ("It was noted that:")
        self.in_resolution = False
        self.motion_first = -1  # the first block of the movers' lines before a resolution
        self.body_started = False  # past the cover sheet / attendance (see _next_para)
        self.header_words = 0  # the words of the cover sheet so far
        self.prev_heading: str | None = None
        self.item_start = -1  # the first piece of the current item (after a minute/heading)
        self.item_number = ""
        self.last_number = ""  # the number of the last numbered item begun (a minute, a question)

    def count(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def scope(self) -> str:
        return f"{self.item or self.minute}, " if (self.item or self.minute) else ""

    def begin_minute(self, number: str, section: str) -> None:
        """Enter the minute item a heading or an item's number opens."""
        self.minute = f"minute {number}" if self.minutes and number else ""
        self.section, self.item = section, ""
        self.reset()
        self.item_start, self.item_number = len(self.pieces), number
        self.last_number = number or self.last_number

    def reset(self) -> None:
        self.question, self.asked_by, self.intro, self.in_resolution = "", "", "", False

    def add(self, first: int, last: int, locator: str, kind: str, **extra: str) -> None:
        self.pieces.append(Piece(first, last, locator, self.section, kind, **extra))

    def run_until(self, start: int, stop: set[str]) -> int:
        """Return the index of the last block before one whose kind is in `stop`, or that
        opens an item a line ran in with others (split_inline_items)."""
        j = start
        while j < len(self.blocks) and self.blocks[j].kind not in stop:
            if _is_heading(self.blocks, j, None, self.templates) or self.blocks[j].label == "item":
                break
            j += 1
        return j - 1 if j > start else start - 1

    def sub_run(self, i: int) -> int:
        """Return the last block of a lettered item: its roman sub-items."""
        j = i + 1
        letter = self.blocks[i].letter
        while j < len(self.blocks):
            b = self.blocks[j]
            if letter in _ROMAN_ORDER and _ROMAN_ORDER.get(b.letter) == _ROMAN_ORDER[letter] + 1:
                break  # "i)" then "ii)": the next of a roman list, not a part of "i)"
            if b.kind == "lettered" and b.letter in _ROMAN and not _next_letter(letter, b.letter):
                j += 1
                continue
            break
        return j - 1


def plan_pieces(
    blocks: list[Block], *, minutes: bool = False, templates: Templates | None = None
) -> list[Piece]:
    """Return the pieces of a record in order; blocks not in a piece are headings or labels.

    `minutes` says numbered headings are minute items ("minute 286") rather than sections.
    """
    plan = _Plan(blocks, minutes, templates or load_templates())
    i = 0
    while i < len(blocks):
        i = _step(plan, i)
    return _merge_short_header(plan.pieces)


def _step(p: _Plan, i: int) -> int:
    """Plan the piece starting at block i; return the index of the next unplanned block."""
    blocks = p.blocks
    block = blocks[i]
    header_only = block.kind == "table" and block.text.count("\n") == 0
    if header_only and p.templates.question_table_header.search(block.text):
        return i + 1  # a question table's header row: the questions carry its columns
    end = _attendance_end(p, i)
    if end is not None:
        # "IN THE CHAIR:" / "Cllr. Marian Hurley" / "PRESENT:" / "Cllr. Michael Sheehan" ...:
        # one name a line is a list of who attended, not a heading a line.
        n = p.count("attendance")
        p.add(i, end, "attendance" if n == 1 else f"attendance ({n})", "paragraph")
        p.prev_heading = None
        return end + 1
    if _is_heading(blocks, i, p.prev_heading, p.templates):
        p.section = block.text.rstrip(":")
        p.prev_heading = p.section.lower()
        p.reset()
        p.item = ""
        p.item_start, p.item_number = len(p.pieces), ""
        if re.match(r"^agenda item", p.section, re.IGNORECASE):
            p.minute = ""
        return i + 1
    p.prev_heading = None
    if block.kind == "minute":
        p.begin_minute(block.number, block.text)
        return i + 1
    if block.kind == "qrow" or (block.kind == "label" and block.label == "question"):
        if block.kind == "qrow":
            p.question, p.asked_by = block.label, _row_questioner(block.text)
        else:
            number = block.number or (p.minute.split()[-1] if p.minute else "")
            if block.number:  # "10. Question submitted by ..." is an item of its own
                p.section = block.text.split("\n")[0]
                p.item = ""
                p.last_number = block.number
            p.question = f"Q {number or p.count('question')}"
            p.asked_by = block.who
        j = p.run_until(i + 1, {"qrow", "label", "heading", "minute", "resolved"})
        p.add(i, j, f"{p.question} question", "question", who=p.asked_by)
        return j + 1
    if block.kind == "label" and block.label == "response" and not p.question:
        _replied_item(p)
    if block.kind == "label" and p.question:
        j = p.run_until(i + 1, {"qrow", "label", "heading", "minute", "resolved"})
        p.add(i, j, f"{p.question} {block.label}", block.label.replace(" ", "_"), who=block.who)
        return j + 1
    if block.kind == "vote":
        return _vote(p, i)
    if block.kind == "resolved":
        p.in_resolution = True
        if block.letter:
            p.item = ""  # "(4) RESOLVED that ..." is the minute's, not item (3)'s
        if block.text.rstrip().endswith(":"):
            p.intro = block.text
            p.motion_first = _movers_before(p, i)
            return i + 1
        suffix = f" ({block.letter})" if block.letter else ""
        movers = _movers_before(p, i)
        p.add(movers if movers >= 0 else i, i, f"{p.scope()}resolution{suffix}", "resolution")
        # A whole resolution ("It was agreed to defer this item.") has no parts: lettered
        # paragraphs after it are the minute's next items.
        p.in_resolution = bool(block.letter)
        return i + 1
    if block.kind == "table":
        first, caption = i, ""
        if p.pieces and p.pieces[-1].last == i - 1 and p.pieces[-1].kind == "caption":
            first = p.pieces.pop().first
            caption = blocks[first].text
        name = f"table: {_short(caption)}" if caption else f"table {p.count('table')}"
        p.add(first, i, name, "table")
        return i + 1
    if block.kind == "numbered" and _next_minute(p, block):
        # "2. Declarations of interest on agenda items The Parish Councillors confirmed ...":
        # the next minute item, its title run into its text
        p.begin_minute(block.number, _short(block.text))
        return _paragraph(p, i)
    if block.kind == "numbered" and not p.minute:
        j = p.run_until(i + 1, {"numbered", "minute", "qrow", "heading", "table", "label"})
        while j > i and _caption_like(blocks, j, p.templates):
            j -= 1
        p.pieces.extend(_numbered_pieces(p, i, j))
        return j + 1
    if block.kind == "lettered":
        return _lettered(p, i)
    if block.kind == "bullet":
        n = p.count(f"{p.scope()}bullet")
        p.add(i, i, f"{p.scope()}bullet {n}", "bullet", context=p.intro)
        return i + 1
    return _paragraph(p, i)


REPLIED_KINDS = ("paragraph", "bullet", "item")  # what a motion or petition is written as


def _replied_item(p: _Plan) -> None:
    """A reply inside an item that opened with no question label ("10. Notice of Motion
    submitted by Councillor E. Ryan", the motion, its movers, then "Reply"): what came
    before it in the item is what it answers, read as the item's question."""
    if p.item_start < 0:
        return
    before = p.pieces[p.item_start :]
    if not before or any(x.kind not in REPLIED_KINDS for x in before):
        return
    m = motion_title(p.section, p.templates)
    if m is None and not (p.minutes and p.item_number):
        return  # a report's "Response:" line answers no item of its own
    p.question = f"Q {p.item_number or p.count('question')}"
    p.asked_by = (m.group("who") if m else "").strip(" .:")
    p.pieces[p.item_start :] = [
        Piece(
            before[0].first,
            before[-1].last,
            f"{p.question} question",
            p.section,
            "question",
            who=p.asked_by,
        )
    ]


def _vote(p: _Plan, i: int) -> int:
    """Plan a recorded vote (For / Against / Abstain lists and the outcome) as one piece
    with the motion put just before it."""
    blocks = p.blocks
    j = i
    while j + 1 < len(blocks) and blocks[j + 1].kind in ("vote", "para"):
        if blocks[j].kind == "vote" and VOTE_END.search(blocks[j].text):
            break
        if (
            blocks[j + 1].kind == "para"
            and words(blocks[j + 1].text) > 12
            and re.search(r"[a-z]{4,} [a-z]{4,} [a-z]{4,}", blocks[j + 1].text)
            and blocks[j].kind != "vote"
        ):
            break  # prose again, not a list of names
        j += 1
    prev = p.pieces[-1] if p.pieces else None
    if prev is not None and prev.last == i - 1 and prev.kind not in ("table", "question"):
        p.pieces[-1] = Piece(prev.first, j, prev.locator, prev.section, "vote", prev.context)
    else:
        p.add(i, j, f"{p.scope()}vote {p.count(p.scope() + 'vote')}", "vote")
    return j + 1


def _lettered(p: _Plan, i: int) -> int:
    block = p.blocks[i]
    letter = block.letter
    end = p.sub_run(i)
    if RECOMMENDATION_SECTIONS.match(p.section) or re.search(
        r"\b(?:asked|recommended) to\b", p.intro, re.IGNORECASE
    ):
        p.add(i, end, f"recommendation ({letter})", "recommendation", context=p.intro)
    elif p.in_resolution:
        p.add(i, end, f"{p.scope()}resolution ({letter})", "resolution", context=p.intro)
    elif (last := _short_list_after_lead_in(p, i)) is not None:
        # "... for the estates:" then "(a) Rathronan, Athea." "(b) Ellis Wood, Abbeyfeale.":
        # a list of names is read with the sentence that introduces it.
        p.pieces[-1] = replace(p.pieces[-1], last=last)
        return last + 1
    elif p.minute:
        p.item = f"{p.minute}({letter})"
        p.count(p.item + "para")  # paragraphs after it are the item's "para 2", ...
        end = _introduced_end(p, end)
        p.add(i, end, p.item, "item", context=p.intro)
    else:
        n = p.count(f"{p.scope()}item")
        p.add(i, end, f"{p.scope()}item {n}", "item", context=p.intro)
    return end + 1


SHORT_ITEM = 12  # words: a lettered line this short after a lead-in is a list entry


def _short_list_after_lead_in(p: _Plan, i: int) -> int | None:
    """Return the last block of a run of short lettered lines that directly follows the
    lead-in paragraph planned last (ending in ':'), or None."""
    prev = p.pieces[-1] if p.pieces else None
    lead = prev is not None and prev.last == i - 1 and prev.kind == "paragraph"
    if not lead or prev is None or not p.blocks[prev.last].text.rstrip().endswith(":"):
        return None
    j = i
    while j < len(p.blocks) and p.blocks[j].kind == "lettered":
        if words(p.blocks[j].text) > SHORT_ITEM:
            return None
        j += 1
    return j - 1


ATTENDANCE_NAMES = 3  # name lines that make a run of short lines a list of who attended


def _introduced_end(p: _Plan, i: int) -> int:
    """Return the last block a lead-in at block i introduces ("(15) Mr Hook proposed, and Mr
    Streatfeild seconded the following amendment:" then "Proposed Purpose:" and the
    amendment's words): the paragraphs after it, up to a heading, a list, a mover's line or
    twice MAX_WORDS (a long passage is split at sentences as any other); i itself when it
    introduces none. A lead-in among them ("... is asked to agree the following:") is what
    the list after it hangs on."""
    blocks = p.blocks
    text = blocks[i].text.rstrip()
    if not text.endswith(":") or words(text) > 40:
        return i
    j, total = i, words(text)
    while j + 1 < len(blocks) and blocks[j + 1].kind == "para":
        nxt = blocks[j + 1].text.strip()
        label = nxt.endswith(":") and words(nxt) <= 4  # "Proposed Amount:"
        if (
            total + words(nxt) > 2 * MAX_WORDS
            or p.templates.mover_line.search(nxt)
            or (not label and _is_heading(blocks, j + 1, None, p.templates))
            or _attendance_end(p, j + 1) is not None
        ):
            break
        total += words(nxt)
        j += 1
        if nxt.endswith(":") and not label:
            p.intro = nxt
    while j > i and blocks[j].text.rstrip().endswith(":") and words(blocks[j].text) <= 4:
        j -= 1  # a label with nothing after it in the passage
    return j


def _attendance_end(p: _Plan, i: int) -> int | None:
    """Return the last block of a list of who attended starting at block i, or None: its
    labels ("The following were in attendance:-", "IN THE CHAIR:", "APOLOGIES:") and one
    name a line ("Cllr. Marian Hurley", "Ms. Anne Rizzo, Administrative Officer"), with at
    least ATTENDANCE_NAMES names and ending on one."""
    blocks = p.blocks
    j, names, last = i, 0, None
    while j < len(blocks) and blocks[j].kind == "para":
        text = blocks[j].text.strip()
        if _name_line(text, p.templates):
            names, last = names + 1, j
        elif not (text.endswith((":", ":-")) and words(text) <= 6):
            break
        j += 1
    return last if names >= ATTENDANCE_NAMES else None


def _name_line(text: str, templates: Templates) -> bool:
    """Whether a line is one person's name, with their office after it: a title, then
    capitalised words ("Mr. Seamus O'Connor, Senior Executive Officer,")."""
    return (
        bool(templates.person_title.match(text))
        and words(text) <= 20  # two to a line, as a converter may join them
        and not any(w[0].islower() and len(w) > 3 for w in text.split())
    )


def _paragraph(p: _Plan, i: int) -> int:
    """Plan a plain paragraph (or a field line, or a label outside a question)."""
    block = p.blocks[i]
    if p.in_resolution and p.intro and block.kind == "para":
        first = p.motion_first if p.motion_first >= 0 else i
        p.add(first, i, f"{p.scope()}resolution", "resolution", context=p.intro)
        p.in_resolution, p.intro, p.motion_first = False, "", -1
        return i + 1
    if p.templates.mover_line.search(block.text.strip()):
        last = _movers_end(p, i)
        # Movers not followed by a resolution second the paragraph before them ("Details of
        # a proposal to take Glen Grove in charge ..." then "Proposed: Councillor Carey").
        if last is not None:
            prev = p.pieces[-1] if p.pieces else None
            if prev and prev.last == i - 1 and prev.kind in ("paragraph", "item", "resolution"):
                p.pieces[-1] = replace(prev, last=last)
            else:
                p.add(i, last, _next_para(p), "paragraph")
            return last + 1
    kind = "caption" if _caption_like(p.blocks, i, p.templates) else "paragraph"
    if block.text.rstrip().endswith(":") and words(block.text) < 30:
        p.intro = block.text
    if words(block.text) <= 3 and block.text.rstrip().endswith(":"):
        if block.text.strip().lower() == "minutes:":
            p.minute = "minutes"
        return i + 1
    # A line cut mid-phrase ("... in accordance with") goes on in the next paragraph.
    last = i
    while (
        last + 1 < len(p.blocks)
        and DANGLING.search(p.blocks[last].text)
        and p.blocks[last + 1].kind == "para"
        and kind == "paragraph"
    ):
        last += 1
    if last > i and p.blocks[last].text.rstrip().endswith(":"):
        p.intro = p.blocks[last].text
    p.add(i, last, _next_para(p, block.text), kind)
    return last + 1


def _next_para(p: _Plan, text: str = "") -> str:
    """Return the locator of the next paragraph where the walk is ("minute 5, para 2")."""
    scope = p.item or p.minute
    if p.section and not scope:
        n = p.count(p.section + "para")
        return p.section.lower() if n == 1 else f"{p.section.lower()} ({n})"
    if scope:
        n = p.count(scope + "para")
        return scope if n == 1 else f"{scope}, para {n}"
    # Before any heading: the cover sheet and attendance, until the record's prose begins
    # (minutes of a one-item meeting may have no numbered item at all).
    # A cover sheet and attendance list run to a few hundred words at most (338 in
    # Limerick's whole archive): past HEADER_WORDS, the body has begun though its prose does
    # not read as such (Portland's consent agenda: "*43 Authorize a $285,000 grant
    # agreement with Janus Youth Programs, Inc. ... (Ordinance) (Y-5) 184350").
    p.header_words += words(text)
    p.body_started = p.body_started or _prose(text) or p.header_words > HEADER_WORDS
    return f"para {p.count('para')}" if p.body_started else "header"


HEADER_WORDS = 500


def _prose(text: str) -> bool:
    """Whether a paragraph reads as prose (sentences of mostly small words), not a cover
    sheet's fields or an attendance list of names and titles."""
    tokens = re.findall(r"[A-Za-z][\w'’-]*", text)
    lower = sum(t[0].islower() for t in tokens)
    return len(tokens) >= 15 and lower >= 0.5 * len(tokens) and ends_sentence(text)


def _movers_end(p: _Plan, i: int) -> int | None:
    """Return the last of the mover lines from block i, or None when a resolution follows
    them (it takes them: see _movers_before)."""
    j = i
    blocks = p.blocks
    while j + 1 < len(blocks) and p.templates.mover_line.search(blocks[j + 1].text.strip()):
        j += 1
    if j + 1 < len(blocks) and blocks[j + 1].kind == "resolved":
        return None
    return j


def _movers_before(p: _Plan, i: int) -> int:
    """Return the first block of the proposer and seconder lines just before block i (they
    are taken back from the pieces planned), or -1 if there are none."""
    first = -1
    while p.pieces:
        last = p.pieces[-1]
        ends_here = last.last == (first if first >= 0 else i) - 1
        if not (ends_here and last.kind == "paragraph" and last.first == last.last):
            break
        if not p.templates.mover_line.search(p.blocks[last.first].text.strip()):
            break
        first = p.pieces.pop().first
        key = (p.item or p.minute or p.section) + "para"
        if p.counters.get(key):
            p.counters[key] -= 1  # its "para n" is not used
    return first


def _row_questioner(row: str) -> str:
    """Return the questioner's cell of a question table's row ("PQ 4 | name | to ...")."""
    cells = [c.strip() for c in row.split("|")]
    return cells[1] if len(cells) > 1 else ""


def _caption_like(blocks: list[Block], i: int, templates: Templates) -> bool:
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return (
        nxt is not None
        and nxt.kind == "table"
        and blocks[i].kind == "para"
        and words(blocks[i].text) < 30
        and not templates.question_table_header.search(nxt.text.split("\n")[0])
    )


ITEM_NUMBER = re.compile(r"\d{1,3}(?:/\d{2})?")  # an item's whole number, or with its series


def _next_minute(p: _Plan, block: Block) -> bool:
    """Whether a numbered paragraph of minutes opens the next minute item: a minute number
    with its year's series ("01/20"), or an item number a run in sequence showed inside a
    line (split_inline_items), that counts on by one to ITEM_STEP from the last item begun
    ("09/20" after minute 08/20, "12." after question 11). A numbered paragraph inside an
    item is otherwise the item's (a motion's numbered points, a member's questions)."""
    number = block.number
    if not p.minutes or not ITEM_NUMBER.fullmatch(number):
        return False
    if "/" not in number and block.label != "item":
        return False
    current = p.last_number
    if not ITEM_NUMBER.fullmatch(current):
        return not p.minute  # the first item
    n, _, series = number.partition("/")
    m, _, current_series = current.partition("/")
    return series == current_series and 0 < int(n) - int(m) <= ITEM_STEP


def _short(caption: str) -> str:
    """Return a table caption trimmed to its name (text before a parenthesis)."""
    name = re.split(r"\s*\(", caption, maxsplit=1)[0].strip().rstrip(":")
    return " ".join(name.split()[:10])


_ROMAN_ORDER = {
    r: n for n, r in enumerate(("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"))
}
_ROMAN = frozenset(_ROMAN_ORDER)


def _next_letter(prev: str, cur: str) -> bool:
    return len(prev) == 1 and len(cur) == 1 and ord(cur) == ord(prev) + 1


def _numbered_pieces(p: _Plan, i: int, j: int) -> list[Piece]:
    """Return pieces for numbered paragraph i..j: one if it fits, else intro + sub-items."""
    blocks, section = p.blocks, p.section
    number = blocks[i].number
    total = sum(words(blocks[k].text) for k in range(i, j + 1))
    if total <= MAX_WORDS or j == i:
        return [Piece(i, j, f"para {number}", section, "paragraph")]
    pieces = [Piece(i, i, f"para {number}", section, "paragraph")]
    intro = blocks[i].text if words(blocks[i].text) < 60 else ""
    k = i + 1
    bullet = 0
    while k <= j:
        b = blocks[k]
        if b.kind == "lettered":
            end = min(p.sub_run(k), j)
            pieces.append(Piece(k, end, f"para {number}({b.letter})", section, "item", intro))
            k = end + 1
            continue
        bullet += 1
        pieces.append(Piece(k, k, f"para {number}, point {bullet}", section, "item", intro))
        k += 1
    return pieces


def _merge_short_header(pieces: list[Piece]) -> list[Piece]:
    """Return pieces with the header's field lines merged into one header piece."""
    out: list[Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        joins = prev is not None and prev.locator == "header" and prev.last + 1 == piece.first
        if piece.locator == "header" and prev is not None and joins:
            out[-1] = Piece(prev.first, piece.last, "header", piece.section, "header")
            continue
        out.append(piece)
    return out
