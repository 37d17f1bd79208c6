"""Tables that PDF and Markdown converters flattened into lines: rows of figures (with
their labels and header lines) gathered back into one table block."""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.block import Block
from ingest.sentences import ends_sentence

NUMERIC_TOKEN = re.compile(r"^[£$€]?\(?-?[\d,]+(?:\.\d+)?\)?%?[km]?$|^[-\u2013]$")


def is_numeric_row(text: str) -> bool:
    """Whether a line is a row of figures: a short label then two or more numbers, or a
    cell of figures alone."""
    tokens = text.split()
    if tokens and len(tokens) <= 3 and all(NUMERIC_TOKEN.match(t) for t in tokens):
        return True  # a cell of figures on its own line, as converters leave tables
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


def merge_numeric_tables(blocks: list[Block]) -> list[Block]:
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
            out.append(replace(rows[0], kind="table", text=text, number="", letter="", label=""))
        else:
            out.extend(replace(r, kind="para") for r in rows)
        i = j
    return out


def _header_like(text: str) -> bool:
    """Whether a short line reads like a table header or caption, not a sentence."""
    return len(text) < 120 and not ends_sentence(text) and len(text.split()) <= 14
