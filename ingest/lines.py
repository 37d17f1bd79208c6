"""Raw lines from any format -> clean logical blocks (wraps re-joined, residue dropped).

Every parser (text, PDF, DOCX, HTML) produces `RawLine`s; this module turns them into
`Block`s whose texts, joined by blank lines, are the record's normalised text.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RawLine:
    """One line as a parser read it, with its page (PDF) if known."""

    text: str
    page: int | None = None
    hint: str = ""  # "heading", "bullet", "table" when the format says so (DOCX, HTML)


@dataclass(frozen=True)
class Block:
    """A logical unit of a record: a paragraph, item, bullet, heading, table or label."""

    kind: str
    text: str
    page: int | None = None
    number: str = ""  # "11" for a numbered paragraph or minute item
    letter: str = ""  # "a" for a lettered item
    label: str = ""  # "response", "supplementary", ... for question parts; "PQ 4" for rows


FORM_RESIDUE = re.compile(
    r"Click or tap here to enter text\.|Click or tap to enter a date\.|"
    r"Please note this section must be completed before the report can be published",
)
SEPARATOR = re.compile(r"^[\s\-_=|*\t]*$")
PAGE_NUMBER = re.compile(r"^\s*(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
MD_LINK = re.compile(r"\[([^\]]*)\]\((?:#|[^)\s]*)\)")
BULLET = re.compile(r"^\s*(?:[-\u2022\u00b7\u25aa\u25cf\u25e6\u2013*\uf0b7\uf0a7\uf0d8]\s+|\uf0b7)")
SPACE_BULLET = re.compile(r"^ (?=[A-Za-z\u2018'\"(])")
NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z]))(?=\S)")
LETTERED = re.compile(r"^\(?([a-z]|[ivx]{1,4})[).]\s+(?=\S)")
QROW = re.compile(r"^((?:PQ|MQ|Q)\s*\d{1,3})\b")
PART_LABEL = re.compile(
    r"^(Response to supplementary question[^:\n]{0,80}|Supplementary [Qq]uestion(?: \([^)]*\))?|"
    r"Written response[^:\n]{0,60}|Response(?: \([^)]*\))?|Answer|Question)\s*:\s*",
)
RESOLVED = re.compile(r"^(?:RESOLVED|Resolved|It was resolved)\b[^:\n]{0,30}:?", re.IGNORECASE)
TERMINAL = re.compile(r"[.!?:;]['\u2019\"\u201d)]*$")
NUMERIC_TOKEN = re.compile(r"^[£$]?\(?-?[\d,]+(?:\.\d+)?\)?%?[km]?$|^[-\u2013]$")
ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}
TAG = re.compile(r"<[^>]+>")
HTML_BREAK = re.compile(r"</p>|<br\s*/?>|</li>|<li[^>]*>|<ul[^>]*>|</ul>|<p[^>]*>", re.IGNORECASE)


def clean_inline(text: str) -> str:
    """Return one line with markup, links, form residue and odd spaces removed."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\ufeff", "")
    text = text.replace("\u200b", "").replace("\r", "")
    text = MD_LINK.sub(r"\1", text)
    text = text.replace("**", "")
    text = FORM_RESIDUE.sub("", text)
    return text.rstrip()


def split_html_fragment(text: str) -> list[str]:
    """Return the paragraphs of a cell that holds HTML fragments (`<p>`, `<ul>`, bullets)."""
    if "<" not in text:
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


def expand_line(line: RawLine) -> list[RawLine]:
    """Return the lines one raw line stands for: HTML cells and question rows unpacked."""
    text = clean_inline(line.text)
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
        filled = [c for c in cells if c]
        if not filled:
            return []
        has_html = any("<" in c and ">" in c for c in filled)
        long_cells = [c for c in filled if len(c) > 160 or ("<p" in c)]
        if QROW.match(filled[0]) and (has_html or long_cells):
            short = [c for c in filled if c not in long_cells]
            out = [replace(line, text=" | ".join(short), hint="qrow")]
            for cell in long_cells:
                out += [replace(line, text=p, hint="") for p in split_html_fragment(cell)]
            return out
        if len(filled) == 1:
            return [replace(line, text=p, hint="") for p in split_html_fragment(filled[0])]
        return [replace(line, text="\t".join(c for c in cells).rstrip("\t"), hint="table")]
    if "<" in text and ">" in text:
        return [replace(line, text=p) for p in split_html_fragment(text)]
    return [replace(line, text=text)]


def _is_numeric_row(text: str) -> bool:
    tokens = text.split()
    if len(tokens) < 3:
        return False
    tail = 0
    for token in reversed(tokens):
        if NUMERIC_TOKEN.match(token):
            tail += 1
        else:
            break
    label = tokens[: len(tokens) - tail]
    return tail >= 2 and 0 < len(label) <= 6 and not any(t.endswith(":") for t in label)


def classify(text: str, hint: str = "") -> Block:
    """Return the block a single (already joined) line starts, with its marks stripped."""
    if hint == "table":
        return Block("table", text)
    if hint == "qrow":
        m = QROW.match(text)
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
        if m:
            return Block("minute", body, number=m.group(1))
        return Block("heading", body)
    m = NUMBERED.match(body)
    if m and int(m.group(1)) < 1000:
        rest = body[m.end() :].strip()
        letters = [c for c in rest if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(rest) < 120:
            return Block("minute", body, number=m.group(1))
        return Block("numbered", body, number=m.group(1))
    m = LETTERED.match(body)
    if m:
        return Block("lettered", body, letter=m.group(1))
    m = PART_LABEL.match(body)
    if m and not bulleted:
        return Block("label", body, label=_part_name(m.group(1)))
    if RESOLVED.match(body) and not bulleted:
        return Block("resolved", body)
    if bulleted:
        return Block("bullet", body)
    if _is_numeric_row(body):
        return Block("numrow", body)
    return Block("para", body)


def _part_name(label: str) -> str:
    low = label.lower()
    if low.startswith("response to supplementary"):
        return "supplementary response"
    if low.startswith("supplementary"):
        return "supplementary"
    if low.startswith("written response"):
        return "written response"
    if low.startswith("response") or low.startswith("answer"):
        return "response"
    return "question"


STRUCTURAL = {"numbered", "minute", "lettered", "label", "resolved", "bullet", "table", "qrow"}


def _joinable(
    prev: Block, line: str, hint: str, gap: bool, full: bool = False, paged: bool = False
) -> bool:
    """Whether `line` continues `prev` (a wrap) rather than starting a new block."""
    if prev.kind in ("table", "qrow", "heading") or hint in ("table", "qrow", "heading", "bullet"):
        return False
    nxt = classify(line, hint)
    if nxt.kind in STRUCTURAL or nxt.kind == "numrow" or prev.kind == "numrow":
        # A wrapped year ("2021.") looks numbered but is not: handled by NUMBERED's < 1000.
        return False
    stripped = line.strip()
    if not stripped:
        return False
    prev_text = prev.text.rstrip()
    continues = not TERMINAL.search(prev_text)
    lower_start = stripped[0].islower()
    if gap:
        return continues and lower_start
    if paged:
        # In a PDF a line that runs to the full width was wrapped, whatever it ends with;
        # a short line ends its paragraph unless the next one carries on in lower case.
        heading_next = len(stripped) < 40 and not TERMINAL.search(stripped)
        return (full and not (heading_next and not continues)) or (lower_start and continues)
    return continues or lower_start


def drop_repeated_margins(lines: list[RawLine]) -> list[RawLine]:
    """Return lines without page headers/footers: short lines repeated on most pages."""
    pages = {line.page for line in lines if line.page is not None}
    if len(pages) < 3:
        return lines
    counts: Counter[str] = Counter()
    for page in pages:
        seen = {
            re.sub(r"\d+", "#", line.text.strip())
            for line in lines
            if line.page == page and line.text.strip()
        }
        counts.update(seen)
    margins = {t for t, n in counts.items() if n >= max(3, 0.6 * len(pages)) and len(t) < 100}
    return [line for line in lines if re.sub(r"\d+", "#", line.text.strip()) not in margins]


def build_blocks(raw: list[RawLine]) -> list[Block]:
    """Return the record's logical blocks from its raw lines."""
    lines: list[RawLine] = []
    for line in drop_repeated_margins(raw):
        lines.extend(expand_line(line))
    blocks: list[Block] = []
    gap = False
    paged = [len(line.text.rstrip()) for line in lines if line.page is not None and line.text]
    width = sorted(paged)[int(len(paged) * 0.9)] if len(paged) >= 20 else 0
    prev_len = 0
    for line in lines:
        text = line.text
        if (
            not text.strip()
            or PAGE_NUMBER.match(text)
            or (SEPARATOR.match(text) and text.count("-") >= 3)
        ):
            gap = True
            continue
        full = bool(width) and prev_len >= 0.8 * width
        prev_len = len(text.rstrip())
        if blocks and _joinable(blocks[-1], text, line.hint, gap, full, bool(width)):
            prev = blocks[-1]
            joined = prev.text.rstrip()
            if joined.endswith("-") and not joined.endswith(" -") and text.strip()[0].islower():
                joined = joined[:-1] + text.strip()
            else:
                joined = f"{joined} {text.strip()}"
            blocks[-1] = replace(prev, text=joined)
        else:
            block = classify(text, line.hint)
            if block.kind == "table" and blocks and blocks[-1].kind == "table" and not gap:
                blocks[-1] = replace(blocks[-1], text=blocks[-1].text + "\n" + text.strip("\n"))
            else:
                blocks.append(replace(block, page=line.page))
        gap = False
    return [_tidy(b) for b in _merge_numeric_tables(blocks) if b.text.strip()]


def _tidy(block: Block) -> Block:
    """Return the block with runs of spaces folded (tables keep their tabs as ' | ')."""
    if block.kind == "table":
        rows = [" | ".join(c.strip() for c in row.split("\t")) for row in block.text.split("\n")]
        return replace(block, text="\n".join(r.strip() for r in rows))
    text = MD_LINK.sub(r"\1", block.text)  # a link the PDF wrapped across lines
    return replace(block, text=re.sub(r"[ \t]{2,}", " ", text).strip())


def _merge_numeric_tables(blocks: list[Block]) -> list[Block]:
    """Return blocks with runs of numeric rows (PDF tables) and their header lines as tables."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        if blocks[i].kind != "numrow":
            out.append(blocks[i])
            i += 1
            continue
        j = i
        while j < len(blocks):
            if blocks[j].kind == "numrow" or (
                blocks[j].kind == "para"
                and _header_like(blocks[j].text)
                and j + 1 < len(blocks)
                and blocks[j + 1].kind == "numrow"
            ):
                j += 1
                continue
            break
        head: list[Block] = []
        while (
            out
            and out[-1].kind in ("para", "heading")
            and _header_like(out[-1].text)
            and len(head) < 4
        ):
            head.insert(0, out.pop())
        rows = head + blocks[i:j]
        if len(rows) >= 2:
            text = "\n".join(r.text for r in rows)
            out.append(Block("table", text, page=rows[0].page))
        else:
            out.extend(replace(r, kind="para") for r in rows)
        i = j
    return out


def _header_like(text: str) -> bool:
    """Whether a short line reads like a table header or caption, not a sentence."""
    return len(text) < 120 and not TERMINAL.search(text) and len(text.split()) <= 14
