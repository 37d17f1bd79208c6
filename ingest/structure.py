"""Blocks -> citable pieces, split where the record divides, each with its own locator.

Reports divide into sections and numbered paragraphs ("para 21(b)"), recommendations
("recommendation (a)"), and tables. Minutes divide into items ("minute 27"), debate
bullets and resolutions. Question tables divide into questions and their parts
("PQ 4 response", "MQ 1 supplementary").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lines import Block

MAX_WORDS = 170  # ~220 word pieces: leaves room for the heading within the model's 256
LABEL_SECTIONS = {"classification", "decision type", "wards affected", "meeting", "report by"}
RECOMMENDATION_SECTIONS = re.compile(r"^recommendations?(\(s\))?$", re.IGNORECASE)
QUESTION_TABLE_HEADER = re.compile(r"question\s*(number|no)", re.IGNORECASE)
# Abbreviations whose full stop does not end a sentence (each guard includes the stop).
SENTENCE_END = re.compile(
    r"(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bCllr\.)(?<!\bNo\.)(?<!\bno\.)"
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bSt\.)(?<!\bpara\.)"
    r"(?<=[.!?])['\u2019\"\u201d)]*\s+(?=[\"'\u2018\u201c(]?[A-Z0-9\u00a3])"
)


@dataclass(frozen=True)
class Piece:
    """A run of consecutive blocks that forms one chunk, with its locator and section."""

    first: int  # index of first block
    last: int  # index of last block (inclusive)
    locator: str
    section: str
    kind: str
    context: str = ""


def words(text: str) -> int:
    """Return the number of whitespace-separated words in text."""
    return len(text.split())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the sentences of text (no span is empty)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.start()
        if text[start:end].strip():
            spans.append((start, end))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _is_heading(blocks: list[Block], i: int, prev_heading: str | None) -> bool:
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
    if nxt.kind == "table" and not QUESTION_TABLE_HEADER.search(nxt.text.split("\n")[0]):
        return False  # a table's caption
    if len(text) > 80 or words(text) > 10 or not text[0].isupper():
        return False
    if text[-1] in ".,;" or (text[-1] == ":" and not (nxt.kind == "numbered" and words(text) <= 8)):
        return False
    if re.match(r"^[A-Z][a-z]+( [a-z]+)*: ", text):  # "Meeting: Cabinet" is a field
        return False
    if re.search(r"\b\d{1,2}[.:]\d{2}\s*[ap]\.?m\b", text) or (text.isupper() and words(text) <= 2):
        return False
    prev = blocks[i - 1] if i > 0 else None
    if (
        words(text) == 1
        and prev is not None
        and prev.kind == "bullet"
        and not TERMINAL_END.search(prev.text)
    ):
        return False  # the wrapped tail of the item before ("... Placement" / "Sufficiency")
    if prev_heading is not None:
        # Straight after a heading: a value under a label ("Classification" / "Open"), or a
        # list of items ("Appendices" / "Appendix A ..."), unless paragraphs follow it.
        return words(text) > 2 and (nxt.kind == "numbered" or words(nxt.text) > 12)
    return True


TERMINAL_END = re.compile(r"[.!?:;]['\u2019\"\u201d)]*$")


def plan_pieces(blocks: list[Block]) -> list[Piece]:
    """Return the pieces of a record in order; blocks not in a piece are headings or labels."""
    pieces: list[Piece] = []
    section = ""
    minute = ""  # "minute 27" while inside a minute item
    question = ""  # "PQ 4" while inside a question
    part = ""
    counters: dict[str, int] = {}
    intro = ""  # the sentence introducing a list ("It was noted that:")
    in_resolution = False
    prev_heading: str | None = None
    i = 0

    def count(key: str) -> int:
        counters[key] = counters.get(key, 0) + 1
        return counters[key]

    def scope() -> str:
        return f"{minute}, " if minute else ""

    while i < len(blocks):
        block = blocks[i]
        header_only = block.kind == "table" and block.text.count("\n") == 0
        if header_only and QUESTION_TABLE_HEADER.search(block.text):
            i += 1  # a question table's header row: the questions carry its columns
            continue
        if _is_heading(blocks, i, prev_heading):
            section = block.text.rstrip(":")
            prev_heading = section.lower()
            question, part, intro, in_resolution = "", "", "", False
            if re.match(r"^agenda item", section, re.IGNORECASE):
                minute = ""
            i += 1
            continue
        prev_heading = None
        if block.kind == "minute":
            minute = f"minute {block.number}"
            section = block.text
            question, part, intro, in_resolution = "", "", "", False
            i += 1
            continue
        if block.kind == "qrow":
            question, part = block.label, "question"
            j = _run_until(
                blocks,
                i + 1,
                stop={"qrow", "label", "heading", "minute"},
                blocks_for_heading=blocks,
            )
            pieces.append(Piece(i, j, f"{question} question", section, "question"))
            i = j + 1
            continue
        if block.kind == "label" and question:
            part = block.label
            j = _run_until(
                blocks,
                i + 1,
                stop={"qrow", "label", "heading", "minute"},
                blocks_for_heading=blocks,
            )
            pieces.append(Piece(i, j, f"{question} {part}", section, part.replace(" ", "_")))
            i = j + 1
            continue
        if block.kind == "resolved":
            in_resolution = True
            if block.text.rstrip().endswith(":"):
                intro = block.text
                i += 1
                continue
            pieces.append(Piece(i, i, f"{scope()}resolution", section, "resolution"))
            i += 1
            continue
        if block.kind == "table":
            first = i
            caption = ""
            if pieces and pieces[-1].last == i - 1 and pieces[-1].kind == "caption":
                first = pieces.pop().first
                caption = blocks[first].text
            name = _short(caption) if caption else f"{count('table')}"
            pieces.append(
                Piece(first, i, f"table: {name}" if caption else f"table {name}", section, "table")
            )
            i += 1
            continue
        if block.kind == "numbered" and not minute:
            j = _run_until(
                blocks,
                i + 1,
                stop={"numbered", "minute", "qrow", "heading", "table"},
                blocks_for_heading=blocks,
            )
            while j > i and _caption_like(blocks, j):
                j -= 1
            pieces.extend(_numbered_pieces(blocks, i, j, section))
            i = j + 1
            continue
        if block.kind == "lettered":
            letter = block.letter
            if RECOMMENDATION_SECTIONS.match(section):
                pieces.append(
                    Piece(
                        i,
                        _sub_run(blocks, i),
                        f"recommendation ({letter})",
                        section,
                        "recommendation",
                        intro,
                    )
                )
            elif in_resolution:
                pieces.append(
                    Piece(
                        i,
                        _sub_run(blocks, i),
                        f"{scope()}resolution ({letter})",
                        section,
                        "resolution",
                        intro,
                    )
                )
            else:
                n = count(f"{scope()}item")
                pieces.append(
                    Piece(i, _sub_run(blocks, i), f"{scope()}item {n}", section, "item", intro)
                )
            i = _sub_run(blocks, i) + 1
            continue
        if block.kind == "bullet":
            n = count(f"{scope()}bullet")
            pieces.append(Piece(i, i, f"{scope()}bullet {n}", section, "bullet", intro))
            i += 1
            continue
        # A plain paragraph (or a field line, or a label outside a question).
        kind = "paragraph"
        if _caption_like(blocks, i):
            kind = "caption"
        if block.text.rstrip().endswith(":") and words(block.text) < 30:
            intro = block.text
        if words(block.text) <= 3 and block.text.rstrip().endswith(":"):
            if block.text.strip().lower() == "minutes:":
                minute = "minutes"
            i += 1
            continue
        if section and not minute:
            n = count(section + "para")
            locator = section.lower() if n == 1 else f"{section.lower()} ({n})"
        elif minute:
            n = count(minute + "para")
            locator = minute if n == 1 else f"{minute}, para {n}"
        else:
            locator = "header"
        pieces.append(Piece(i, i, locator, section, kind, ""))
        i += 1
    return _merge_short_header(pieces, blocks)


def _caption_like(blocks: list[Block], i: int) -> bool:
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    return (
        nxt is not None
        and nxt.kind == "table"
        and blocks[i].kind == "para"
        and words(blocks[i].text) < 30
        and not QUESTION_TABLE_HEADER.search(nxt.text.split("\n")[0])
    )


def _short(caption: str) -> str:
    """Return a table caption trimmed to its name (text before a parenthesis)."""
    name = re.split(r"\s*\(", caption, maxsplit=1)[0].strip().rstrip(":")
    return " ".join(name.split()[:10])


def _run_until(
    blocks: list[Block], start: int, stop: set[str], blocks_for_heading: list[Block] | None = None
) -> int:
    """Return the index of the last block before one whose kind is in `stop`."""
    j = start
    while j < len(blocks) and blocks[j].kind not in stop:
        if blocks_for_heading is not None and _is_heading(blocks_for_heading, j, None):
            break
        j += 1
    return j - 1 if j > start else start - 1


def _sub_run(blocks: list[Block], i: int) -> int:
    """Return the last block of a lettered item: its roman sub-items and wrapped text."""
    j = i + 1
    letter = blocks[i].letter
    while j < len(blocks):
        b = blocks[j]
        is_roman_child = (
            b.kind == "lettered" and b.letter in _ROMAN and not _next_letter(letter, b.letter)
        )
        if is_roman_child:
            j += 1
            continue
        break
    return j - 1


_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def _next_letter(prev: str, cur: str) -> bool:
    return len(prev) == 1 and len(cur) == 1 and ord(cur) == ord(prev) + 1


def _numbered_pieces(blocks: list[Block], i: int, j: int, section: str) -> list[Piece]:
    """Return pieces for numbered paragraph i..j: one if it fits, else intro + sub-items."""
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
            end = min(_sub_run(blocks, k), j)
            pieces.append(Piece(k, end, f"para {number}({b.letter})", section, "item", intro))
            k = end + 1
            continue
        bullet += 1
        pieces.append(Piece(k, k, f"para {number}, point {bullet}", section, "item", intro))
        k += 1
    return pieces


def _merge_short_header(pieces: list[Piece], blocks: list[Block]) -> list[Piece]:
    """Return pieces with the header's field lines merged into one header piece."""
    header = [p for p in pieces if p.locator == "header"]
    if len(header) < 2:
        return pieces
    out: list[Piece] = []
    for p in pieces:
        if (
            p.locator == "header"
            and out
            and out[-1].locator == "header"
            and out[-1].last + 1 == (p.first)
        ):
            out[-1] = Piece(out[-1].first, p.last, "header", p.section, "header")
        else:
            out.append(p)
    return out
