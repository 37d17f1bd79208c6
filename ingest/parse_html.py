"""HTML records (council web pages) -> raw lines: blocks, list items and table rows."""

from __future__ import annotations

from pathlib import Path

from ingest.block import RawLine
from ingest.errors import UnreadableRecord
from ingest.parse_text import decode

BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "caption",
}
BLOCK_TAGS = tuple(BLOCKS)  # for find(), which takes a list or tuple
# Tags that end a run of inline text without holding any ("<br>", "<hr>").
INLINE_BREAKS = {"br", "hr"}


def parse_html(path: Path) -> list[RawLine]:
    """Return the raw lines of an HTML record (scripts, styles and navigation dropped)."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import PreformattedString

    text = decode(path.read_bytes(), str(path))
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form", "button"]):
        tag.decompose()
    root = soup.body or soup
    lines: list[RawLine] = []

    def flush(run: list[str]) -> None:
        """A run of text and inline tags between blocks is a paragraph of its own."""
        content = " ".join(" ".join(run).split())
        if any(c.isalnum() for c in content):
            lines.append(RawLine(content))
            lines.append(RawLine("", hint="break"))
        run.clear()

    def walk(node: Tag) -> None:
        # Text beside the blocks ("<div>Manordeilo and Salem Community Council held their
        # meeting ...<hr><h4>PRESENT</h4>"), bare or in inline tags, is kept in order.
        run: list[str] = []
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctypes
                    run.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name or ""
            if name not in BLOCKS and name not in INLINE_BREAKS and not child.find(BLOCK_TAGS):
                run.append(child.get_text(" "))
                continue
            flush(run)
            if name == "tr":
                cells = [c.get_text(" ", strip=True) for c in child.find_all(["td", "th"])]
                lines.append(RawLine("\t".join(cells)))
            elif name in ("table", "tbody", "thead", "ul", "ol"):
                walk(child)
                lines.append(RawLine("", hint="break"))
            elif name in BLOCKS and not child.find(BLOCK_TAGS):
                content = child.get_text(" ", strip=True)
                hint = "heading" if name.startswith("h") and len(name) == 2 else ""
                if name == "li":
                    hint = "bullet"
                lines.append(RawLine(content, hint=hint))
                lines.append(RawLine("", hint="break"))
            elif name not in INLINE_BREAKS:
                walk(child)
        flush(run)

    walk(root)
    if not any(line.text.strip() for line in lines):
        raise UnreadableRecord(str(path), "the HTML page has no text", "check the saved page")
    return lines
