"""Raw lines from any format -> clean logical blocks (wraps re-joined, residue dropped).

Every parser (text, PDF, DOCX, HTML) produces `RawLine`s; this module turns them into
`Block`s whose texts, joined by blank lines, are the record's normalised text. What a
council's layout means (question labels, resolutions, votes) comes from the template table.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ingest.block import Block, RawLine
from ingest.sentences import ends_sentence
from ingest.tables import is_numeric_row, merge_numeric_tables
from ingest.templates import Templates, load_templates
from ingest.tokens import STOPWORDS

SEPARATOR = re.compile(r"^[\s\-_=|*\t]*$")
PAGE_NUMBER = re.compile(r"^\s*(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
MD_LINK = re.compile(r"\[([^\]]*)\]\((?:#|[^)\s]*)\)")
MD_BOLD = re.compile(r"\*{2,3}")
MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # any ASCII punctuation (CommonMark)
MD_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
MD_HEADING = re.compile(r"^#{1,6}\s+")
# A list mark alone on its line: the item is the next line ("-" then "Cllr. Leddin asked").
BARE_BULLET = re.compile(r"^\s*[-\u2022\u00b7\u25aa\u25cf\u25e6\u2013*\uf0b7\uf0a7\uf0d8o]\s*$")
BULLET = re.compile(r"^\s*(?:[-\u2022\u00b7\u25aa\u25cf\u25e6\u2013*\uf0b7\uf0a7\uf0d8]\s+|\uf0b7)")
SPACE_BULLET = re.compile(r"^ (?=[A-Za-z\u2018'\"(])")
# "11. Text", "1.Adoption", "1.1 Text", "2.3.4 Text", "3.2(a) Text"
# "01/20 Apologies for absence": a minute number with its year's series (English parish
# councils), as a line's start
NUMBERED = re.compile(
    r"^(\d{1,3}(?:\.\d{1,3}){0,3}|\d{1,3}/\d{2})(?!\s*[AaPp]\.?[Mm]\b)(?:\.(?:\s+|(?=[A-Z\u2018\u201c(]))|(?<=\d)\s+(?=[A-Z\u2018\u201c(]))"
    r"(?=\S)"
)
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\.?\s*$")
# "Item 3:" alone on its line (Limerick's SPC minutes): the number of the item whose title
# comes on the next line.
ITEM_LABEL = re.compile(r"^\s*(?:agenda\s+)?item\s+(?:no\.?\s*)?(\d{1,3})\s*[:.]?\s*$", re.I)
# "Item 3: Limerick City and County Council Disability Strategy Plan": the number and title
# on one line (a title: a dozen words or so that end no sentence).
ITEM_TITLE = re.compile(
    r"^\s*(?:agenda\s+)?item\s+(?:no\.?\s*)?(\d{1,3})\s*[:.\-\u2013]\s+(\S.*)$", re.I
)
# "(a) ", "a) ", "iv. ", "(15) ", and "26) " (a number closed by a bracket alone: Kent's
# "26) RESOLVED that the County Council:", Limerick's "1) Monitor and enforce penalties").
LETTERED = re.compile(
    r"^\(?([a-z]|[ivx]{1,4})[).]\s+(?=\S)|^\((\d{1,2})\)\s+(?=\S)|^(\d{1,2})\)\s+(?=\S)"
)
FIELD_LABEL = re.compile(r"[A-Z][\w/&'-]*(?: [\w/&'-]+){0,3}:(?:\s|$)")  # "Proposer: ..."
DANGLING = re.compile(
    r"\b(?:with|for|of|the|and|to|in|on|at|by|from|an?|or|that|under|into|per|which)$",
    re.IGNORECASE,
)
INNER_SENTENCE_END = re.compile(r"\b[a-z]{3,}[.!?]\s+(?=[A-Z])")
ITEM_REF = re.compile(r"^\(Item\s+\d+[a-z]?\)$", re.IGNORECASE)
TAG = re.compile(r"</?(?:p|br|li|ul|ol|div|span|b|i|em|strong|small|table|tr|td|th)\b[^>]*>", re.I)
HTML_BREAK = re.compile(r"</p>|<br\s*/?>|</li>|<li[^>]*>|<ul[^>]*>|</ul>|<p[^>]*>", re.IGNORECASE)
STRUCTURAL = {
    "numbered",
    "minute",
    "lettered",
    "label",
    "resolved",
    "bullet",
    "table",
    "qrow",
    "vote",
}


def clean_inline(text: str, templates: Templates) -> str:
    """Return one line with markup, links, form residue and odd spaces removed."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\ufeff", "")
    text = text.replace("\u200b", "").replace("\r", "")
    text = MD_ESCAPE.sub(r"\1", text)  # Markdown's "\_\_\_" (a form's blank) is "___"
    text = templates.residue.sub("", text)
    text = MD_LINK.sub(r"\1", text)
    text = MD_ITALIC.sub(r"\1", MD_BOLD.sub("", text))  # a footnote's "27*" stays
    return text.rstrip()


def has_markup(text: str) -> bool:
    """Whether text holds real HTML tags (not 'waiting <5 days' or '>10 days')."""
    return bool(TAG.search(text))


def split_html_fragment(text: str) -> list[str]:
    """Return the paragraphs of a cell that holds HTML fragments (`<p>`, `<ul>`, bullets)."""
    if not has_markup(text):
        return [text]
    parts = HTML_BREAK.sub("\n", text)
    parts = html.unescape(TAG.sub("", parts))
    out: list[str] = []
    for part in parts.split("\n"):
        # Bullets typed inline inside a list ("• Quarter 4 • July 2022") become items.
        pieces = re.split(r"\s+\u2022\s+|^\u2022\s+", part)
        for i, piece in enumerate(pieces):
            piece = piece.strip()
            if piece:
                out.append(("- " if i > 0 or part.lstrip().startswith("\u2022") else "") + piece)
    return out


WALL_CHARS = 500  # a line longer than this may hold paragraphs a converter ran together
ITEM_STEP = 3  # an item number written inline follows the one before by one to this many
INLINE_RUN = 3  # the fewest numbers in sequence that show a line's items
# A resolution's end inside a line: its first sentence, with the movers' brackets after it.
RESOLUTION_END = re.compile(r"[.!?][)”\"]?(?:\s+\([^()]{0,200}\)\.?)?\s+(?=[A-Z\u2018\u201c])")


@lru_cache(maxsize=32)
def _inline_mark(pattern: str) -> re.Pattern[str]:
    """Return an inline item number's pattern as it stands in running text: after a space
    (or at the line's start), before a capital ("1.Adoption of Minutes" too)."""
    return re.compile(rf"(?:^|(?<=\s))(?:{pattern})\s*(?=[A-Z\u2018\u201c'\"(])")


def _in_sequence(found: list[tuple[int, int, str]]) -> list[int]:
    """Return the positions of the longest run of numbers that count up (by one to
    ITEM_STEP) in one series: the record's own items, not a figure or date in passing."""
    if not found:
        return []
    length = [1] * len(found)
    before = [-1] * len(found)
    ending: dict[tuple[int, str], int] = {}  # a number: the longest run so far ending on it
    for i, (_, n, series) in enumerate(found):
        for step in range(1, ITEM_STEP + 1):
            j = ending.get((n - step, series), -1)
            if j >= 0 and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
        if (n, series) not in ending or length[i] > length[ending[(n, series)]]:
            ending[(n, series)] = i
    i = max(range(len(found)), key=lambda k: length[k])
    run = []
    while i >= 0:
        run.append(found[i][0])
        i = before[i]
    return run[::-1]


def split_inline_items(text: str, templates: Templates) -> list[str]:
    """Return a line that runs a record's items together (a PDF's text pasted as one line)
    cut before each item's number, when a run of INLINE_RUN or more numbers in sequence
    shows where they are ("01/20 ... 02/20 ... 03/20"); else the line whole."""
    if len(text) <= WALL_CHARS:
        return [text]
    best: list[int] = []
    for pattern in templates.inline_items:
        found = [
            (m.start(), int(m.group("n")), m.groupdict().get("series") or "")
            for m in _inline_mark(pattern.pattern).finditer(text)
        ]
        run = _in_sequence(found)
        if len(run) > len(best):
            best = run
    if len(best) < INLINE_RUN:
        return [text]
    # An item's resolution, run in with it, is a paragraph of its own, as it would be on
    # the page ("... dealt with enquiries to date. RESOLVED: That the Council ... capped at
    # £350 excluding VAT. (Cllr Sue Lintern proposed, ... one was against). 212/20 ..."): its
    # first sentence and the movers in brackets after it.
    starts = {0, *best}
    for m in templates.resolution_inline.finditer(text):
        starts.add(m.start())
        end = RESOLUTION_END.search(text, m.end())
        if end:
            starts.add(end.end())
    cuts = [*sorted(starts), len(text)]
    return [piece for a, b in zip(cuts, cuts[1:], strict=False) if (piece := text[a:b].strip())]


def expand_line(line: RawLine, templates: Templates) -> list[RawLine]:
    """Return the lines one raw line stands for: HTML cells and question rows unpacked."""
    text = clean_inline(line.text, templates)
    if MD_HEADING.match(text):
        return [replace(line, text=MD_HEADING.sub("", text), hint="heading")]
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
        filled = [c for c in cells if c]
        if not filled:
            return []
        long_cells = [c for c in filled if len(c) > 160 or ("<p" in c)]
        if templates.question_row.match(filled[0]) and (
            any(has_markup(c) for c in filled) or long_cells
        ):
            short = [c for c in filled if c not in long_cells]
            out = [replace(line, text=" | ".join(short), hint="qrow")]
            for cell in long_cells:
                out += [replace(line, text=p, hint="") for p in split_html_fragment(cell)]
            return out
        if len(filled) == 1:
            return [replace(line, text=p, hint="") for p in split_html_fragment(filled[0])]
        return [replace(line, text="\t".join(c for c in cells).rstrip("\t"), hint="table")]
    if has_markup(text):
        return [replace(line, text=p) for p in split_html_fragment(text)]
    pieces = split_inline_items(text, templates)
    if len(pieces) > 1:  # each item a paragraph of its own
        return [
            out
            for p in pieces
            for out in (replace(line, text=p, hint="item"), replace(line, text=""))
        ]
    return [replace(line, text=text)]


def question_part(text: str, templates: Templates) -> tuple[str, str, int] | None:
    """Return (part, who, label length) when a line opens a question or answer part."""
    for part, patterns in (
        ("supplementary response", templates.supplementary_answer),
        ("supplementary", templates.supplementary),
        ("written response", templates.written_answer),
        ("question", templates.question),
        ("response", templates.answer),
    ):
        for pattern in patterns:
            m = pattern.match(text)
            if m:
                who = (m.groupdict().get("who") or "").strip(" .:")
                return part, who, m.end()
    return None


def classify(text: str, hint: str = "", templates: Templates | None = None) -> Block:
    """Return the block a single (already joined) line starts, with its marks stripped."""
    templates = templates or load_templates()
    if hint == "table":
        return Block("table", text)
    if hint == "qrow":
        m = templates.question_row.match(text)
        label = re.sub(r"^(PQ|MQ|Q)\s*(\d+)", r"\1 \2", m.group(1)) if m else ""
        return Block("qrow", text, label=label)
    body = text
    bulleted = False
    m = BULLET.match(body)
    if m:
        body = body[m.end() :]
        bulleted = True
    elif hint == "bullet" or SPACE_BULLET.match(body):
        bulleted = True
    body = body.strip()
    if hint == "heading":
        m = NUMBERED.match(body)
        if m:  # the format's own heading ("<h4>2. TO CONFIRM THE MINUTES</h4>"): whole
            return Block("minute", body, number=m.group(1), label="heading")
        return Block("heading", body)
    if templates.vote_line.match(body):
        return Block("vote", body)
    m = NUMBERED.match(body)
    if m:
        rest = body[m.end() :].strip()
        part = question_part(rest, templates)
        if part is not None and part[0] == "question":
            return Block("label", body, number=m.group(1), label="question", who=part[1])
        letters = [c for c in rest if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(rest) < 120:
            return Block("minute", body, number=m.group(1))
        # an item a run of numbers in sequence showed inside a line ("split_inline_items")
        return Block("numbered", body, number=m.group(1), label="item" if hint == "item" else "")
    m = LETTERED.match(body)
    if m:
        rest = body[m.end() :]
        letter = m.group(1) or m.group(2) or m.group(3)
        if templates.resolution.match(rest):
            return Block("resolved", body, letter=letter)
        return Block("lettered", body, letter=letter)
    part = question_part(body, templates) if not bulleted else None
    if part is not None:
        return Block("label", body, label=part[0], who=part[1])
    if templates.resolution.match(body) and not bulleted:
        return Block("resolved", body)
    if bulleted:
        return Block("bullet", body)
    if is_numeric_row(body):
        return Block("numrow", body)
    return Block("para", body)


def _joinable(
    prev: Block,
    line: str,
    hint: str,
    gap: bool,
    templates: Templates,
    full: bool = False,
    paged: bool = False,
    turn: bool = False,
) -> bool:
    """Whether `line` continues `prev` (a wrap) rather than starting a new block."""
    if prev.kind in ("table", "qrow", "heading") or hint in ("table", "qrow", "heading", "bullet"):
        return False
    if prev.label == "heading":
        return False
    nxt = classify(line, hint, templates)
    if nxt.kind in STRUCTURAL or nxt.kind == "numrow" or prev.kind == "numrow":
        return False
    if prev.kind == "vote" and (len(prev.text.split()) <= 6 or ends_sentence(prev.text.rstrip())):
        return False  # a tally ("For: 14") or a whole outcome; "The Mayor declared the Motion
        # defeated and accordingly the following resolution was" goes on
    stripped = line.strip()
    if not stripped or ITEM_REF.match(stripped):
        return False
    if stripped[0].isupper() and templates.mover_line.search(stripped):
        return False  # "Proposed by Councillor Collins;" opens its own line ("... were\n
        # proposed by ..." is a wrap)
    prev_text = prev.text.rstrip()
    if prev.label == "item":
        # An item's title ("Item 1: Adoption of Minutes of ... Strategic") goes on only in a
        # short line that ends no sentence ("Policy Committee held on 15th October, 2018").
        return full and len(stripped) < 60 and not ends_sentence(stripped)
    if prev.kind == "label" and re.search(r":\s*$", prev_text):
        return False  # "REPLY:" stands alone; its words start the answer
    continues = not ends_sentence(prev_text)
    if prev.number and stripped[0].isupper() and _whole_motion_title(prev_text, templates):
        return False  # "10. Notice of Motion submitted by Councillor D. Butler (...)" is whole
    if prev.number and prev_text.count("(") > prev_text.count(")") and len(prev_text) < 200:
        return True  # an item's title whose bracket is still open: "(to be referred to the"
    if continues and prev_text.isupper() and stripped.isupper() and len(prev_text) < 200:
        return True  # a shouted heading, wrapped ("MINUTES OF PROCEEDINGS AT MEETING OF")
    lower_start = stripped[0].islower() or stripped[0] in "(,;–-"
    # A line that stops on a word like "with" or "the" was cut mid-phrase, whatever case the
    # next line starts in ("... in accordance with" / "Speed Limit Bye Laws ...").
    dangling = bool(DANGLING.search(prev_text))
    if gap:
        return continues and (lower_start or dangling)
    if turn:
        # Over a page turn only a sentence the page cut goes on: the next page carries on in
        # lower case, or the last line stopped mid-phrase, or it ran to the full width
        # inside a name ("... this is limited to the nine groups, plus Public" / "Health,
        # Schools and General."). A table's row or a footnote ends where its page does.
        return continues and (lower_start or dangling or (full and _name_cut(prev_text, stripped)))
    if paged:
        # A line that runs to the full width was wrapped, whatever it ends with; a short line
        # ends its paragraph unless the next one carries on in lower case.
        heading_next = len(stripped) < 40 and not ends_sentence(stripped)
        # A table's cell wraps short of the page's width, often inside a name ("£5.6m to
        # increase the Highways Asset" / "Management/Annual Maintenance capital project."):
        # a sentence cut between two capitalised words goes on when the next line ends it
        # within a few words, and opens no field of a form ("Proposer: ...") and no name
        # of a person ("Councillor Donegan also thanked ..." starts a paragraph). A sentence
        # holds a lower-case word that is no small word; a name ("Growth, Environment and
        # Transport") does not.
        cell_wrap = (
            continues
            and _ends_soon(stripped, templates)
            and not FIELD_LABEL.match(stripped)
            and not templates.person_title.match(stripped)
            and prev_text.split()[0] != stripped.split()[0]  # "Proposed lease ..." twice: a list
            and any(w not in STOPWORDS for w in re.findall(r"\b[a-z][a-z'-]+\b", prev_text))
            and _name_cut(prev_text, stripped)
        )
        return (
            (full and not (heading_next and not continues))
            or (lower_start and continues)
            or cell_wrap
        )
    return continues or lower_start


CELL_TAIL_WORDS = 12  # a wrapped cell's sentence ends within this many words of the wrap


def _ends_soon(line: str, templates: Templates) -> bool:
    """Whether a sentence ends within the first CELL_TAIL_WORDS words of a line (a word of
    three letters or more closing on a full stop: no initial, no person's title "Cllr.")."""
    for word in line.split()[:CELL_TAIL_WORDS]:
        if re.search(r"\w{3,}[)\u2019'\"]?[.!?][)\u2019'\"]?$", word) and not (
            templates.person_title.match(word + " ")
        ):
            return True
    return False


def _name_cut(before: str, after: str) -> bool:
    """Whether a break falls inside a capitalised name: the words either side of it are
    capitalised words, the second no small word that could open a sentence ("The") and no
    shouted heading ("APPENDIX F: ...", a running title)."""
    last = re.search(r"([A-Za-z][\w\u2019'-]*)$", before)
    first = re.match(r"([A-Za-z][\w\u2019'-]*)", after)
    if not last or not first or not last.group(1)[0].isupper() or not first.group(1)[0].isupper():
        return False
    return first.group(1).lower() not in STOPWORDS and not first.group(1).isupper()


def motion_title(text: str, templates: Templates) -> re.Match[str] | None:
    """Return the match of an item title that names who moved it ("10. Notice of Motion
    submitted by Councillor E. Ryan"; group `who`), or None."""
    rest = NUMBERED.sub("", text).strip()
    return next((m for p in templates.motion if (m := p.match(rest))), None)


def _whole_motion_title(text: str, templates: Templates) -> bool:
    """Whether a numbered line is a whole motion title (any bracket it opens closed)."""
    return text.count("(") <= text.count(")") and motion_title(text, templates) is not None


def drop_repeated_margins(lines: list[RawLine], templates: Templates) -> list[RawLine]:
    """Return lines without page headers/footers: short lines that stand at the very top or
    foot of most pages. A line that ends a sentence, or opens a part of the record
    ("Question 1", "Answer"), is content, however often it repeats."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.page is not None and line.text.strip():
            by_page.setdefault(line.page, []).append(i)
    if len(by_page) < 3:
        return lines
    keys: dict[int, tuple[str, str]] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for filled in by_page.values():
        for pos, i in enumerate(filled):
            where = "top" if pos < 2 else "foot" if pos >= len(filled) - 2 else "middle"
            keys[i] = (re.sub(r"\d+", "#", lines[i].text.strip()), where)
        counts.update(set(keys[i] for i in filled))
    least = max(3, 0.6 * len(by_page))
    margins = {
        k
        for k, n in counts.items()
        if k[1] != "middle"
        and n >= least
        and len(k[0]) < 100
        and not ends_sentence(k[0])
        and question_part(k[0], templates) is None
    }
    return [line for i, line in enumerate(lines) if keys.get(i) not in margins]


def double_spaced(lines: list[RawLine]) -> bool:
    """Whether a converter put a blank line after every line, wraps included (so a blank
    line says nothing about where a paragraph ends)."""
    texts = [line.text.strip() for line in lines]
    filled = [i for i, t in enumerate(texts) if t]
    if len(filled) < 20:
        return False
    followed = sum(1 for i in filled if i + 1 < len(texts) and not texts[i + 1])
    wrapped = sum(
        1
        for a, b in zip(filled, filled[1:], strict=False)
        if not ends_sentence(texts[a]) and texts[b][:1].islower()
    )
    return followed / len(filled) > 0.8 and wrapped / len(filled) > 0.08


def build_blocks(raw: list[RawLine], templates: Templates | None = None) -> list[Block]:
    """Return the record's logical blocks from its raw lines."""
    templates = templates or load_templates()
    lines: list[RawLine] = []
    for line in drop_repeated_margins(raw, templates):
        lines.extend(expand_line(line, templates))
    # A blank line after every line says nothing of where paragraphs end, unless the
    # format itself put it there (an HTML or Word paragraph's end).
    soft_gaps = double_spaced(lines) and not any(line.hint == "break" for line in lines)
    blocks: list[Block] = []
    gap = turn = False
    paged = [len(line.text.rstrip()) for line in lines if line.page is not None and line.text]
    width = sorted(paged)[int(len(paged) * 0.9)] if len(paged) >= 20 else 0
    prev_len = 0
    pending_number = ""
    pending_item = ("", "")  # "Item 3:" and its number, until its title's line
    pending_bullet = False
    footers = _page_numbers_at_foot(lines)
    for i, line in enumerate(lines):
        text = line.text
        if line.hint == "page":
            turn = True  # a PDF's page ends: no paragraph need end there
            continue
        if i in footers:
            continue  # the number at a page's foot says nothing of where paragraphs end
        if (
            not text.strip()
            or PAGE_NUMBER.match(text)
            or (SEPARATOR.match(text) and text.count("-") >= 3)
        ):
            gap = gap or not soft_gaps
            continue
        item = ITEM_LABEL.match(text)
        if item and not line.hint:
            pending_item = (text.strip(), item.group(1))
            continue
        if pending_item[0]:
            # "Item 3:" then "Presentation on Age Friendly Limerick": the item's title.
            title = f"{pending_item[0]} {text.strip()}"
            blocks.append(Block("minute", title, line.page, pending_item[1], label="item"))
            pending_item = ("", "")
            prev_len = len(text.rstrip())
            gap = False
            continue
        titled = ITEM_TITLE.match(text)
        named = titled.group(2).strip() if titled and not line.hint else ""
        if titled and named and len(named.split()) <= 16 and not ends_sentence(named):
            blocks.append(Block("minute", text.strip(), line.page, titled.group(1), label="item"))
            prev_len = len(text.rstrip())
            gap = False
            continue
        bare = BARE_NUMBER.match(text)
        if bare and not line.hint:
            pending_number = bare.group(1)  # "6." alone on its line numbers what follows
            continue
        if BARE_BULLET.match(text) and not line.hint:
            mark = text.strip()
            prose = blocks and blocks[-1].kind not in ("heading", "table", "qrow", "label")
            prev_text = blocks[-1].text.rstrip() if prose else ""
            open_end = prev_text and not ends_sentence(prev_text) and not prev_text.endswith(":")
            if mark in "-\u2013o" and open_end:
                # "76% of demand is for one" / "–" / "two bed units": a dash mid-sentence
                blocks[-1] = replace(blocks[-1], text=f"{prev_text} {mark}")
                continue
            pending_bullet = True  # "•" alone on its line marks the next as a list item
            continue
        if pending_bullet:
            line = replace(line, hint=line.hint or "bullet")
            pending_bullet = False
            gap = True
        if pending_number:
            text = f"{pending_number}. {text.strip()}"
            pending_number = ""
            gap = True
        # A converter that double-spaced its lines also lost their widths' precision.
        full = bool(width) and prev_len >= (0.65 if soft_gaps else 0.8) * width
        prev_len = len(text.rstrip())
        if blocks and _joinable(
            blocks[-1], text, line.hint, gap, templates, full, bool(width), turn
        ):
            prev = blocks[-1]
            joined = prev.text.rstrip()
            if joined.endswith("-") and not joined.endswith(" -") and text.strip()[0].islower():
                joined = joined[:-1] + text.strip()
            else:
                joined = f"{joined} {text.strip()}"
            blocks[-1] = replace(prev, text=joined)
        else:
            block = classify(text, line.hint, templates)
            if block.kind == "table" and blocks and blocks[-1].kind == "table" and not gap:
                blocks[-1] = replace(blocks[-1], text=blocks[-1].text + "\n" + text.strip("\n"))
            else:
                blocks.append(replace(block, page=line.page))
        gap = turn = False
    blocks = [_tidy(b) for b in merge_numeric_tables(blocks) if b.text.strip()]
    return _name_headings(blocks)


def _holds_sentence(text: str) -> bool:
    """Whether a sentence of three words or more ends inside text, on a lower-case word (not
    an initial or a title's abbreviation, "Cmhir. S. O Ceallaigh"), and three words follow it
    ("1.4 Within the Statement of Accounts, reserves are summarised by the headings above.
    By categorising ..."): a paragraph, not a title."""
    end = INNER_SENTENCE_END.search(text)
    if end is None:
        return False
    return len(text[: end.end()].split()) >= 3 and len(text[end.end() :].split()) >= 3


def _page_numbers_at_foot(lines: list[RawLine]) -> set[int]:
    """Return the indices of page numbers that are their page's last line."""
    feet: set[int] = set()
    last = -1  # the last line with text before a page's end
    for i, line in enumerate(lines):
        if line.hint == "page" and last >= 0 and PAGE_NUMBER.match(lines[last].text):
            feet.add(last)
        elif line.text.strip():
            last = i
    return feet


def _name_headings(blocks: list[Block]) -> list[Block]:
    """Return blocks with numbered headings ("286. Apologies for Absence", "1. Background")
    marked as such, their "(Item 1)" reference joined to them."""
    out: list[Block] = []
    for block in blocks:
        if ITEM_REF.match(block.text) and out and out[-1].kind == "minute":
            out[-1] = replace(out[-1], text=f"{out[-1].text} {block.text}")
            continue
        if block.kind == "numbered":
            rest = NUMBERED.sub("", block.text, count=1).strip()
            # "2. Matters Arising:" is a title with a colon, "2. It was agreed that:" a lead-in
            titled = rest.endswith(":") and len(rest.split()) <= 6
            titled = titled and all(w[0].isupper() for w in rest[:-1].split() if len(w) > 3)
            if (
                rest
                and rest[0].isupper()
                and len(rest.split()) <= 30
                and (titled or not ends_sentence(rest))
                and not rest.endswith(",")
                and not _holds_sentence(rest)
            ):
                block = replace(block, kind="minute")
        out.append(block)
    return out


def _tidy(block: Block) -> Block:
    """Return the block with runs of spaces folded (tables keep their tabs as ' | ')."""
    if block.kind == "table":
        rows = [" | ".join(c.strip() for c in row.split("\t")) for row in block.text.split("\n")]
        return replace(block, text="\n".join(r.strip() for r in rows))
    text = MD_LINK.sub(r"\1", block.text)  # a link the PDF wrapped across lines
    return replace(block, text=re.sub(r"[ \t]{2,}", " ", text).strip())
