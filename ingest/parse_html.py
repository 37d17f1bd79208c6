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


def parse_html(path: Path) -> list[RawLine]:
    """Return the raw lines of an HTML record (scripts, styles and navigation dropped)."""
    from bs4 import BeautifulSoup, Tag

    text = decode(path.read_bytes(), str(path))
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "form"]):
        tag.decompose()
    root = soup.body or soup
    lines: list[RawLine] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            name = child.name or ""
            if name == "tr":
                cells = [c.get_text(" ", strip=True) for c in child.find_all(["td", "th"])]
                lines.append(RawLine("\t".join(cells)))
            elif name in ("table", "tbody", "thead", "ul", "ol"):
                walk(child)
                lines.append(RawLine(""))
            elif name in BLOCKS and not child.find(list(BLOCKS)):
                content = child.get_text(" ", strip=True)
                hint = "heading" if name.startswith("h") and len(name) == 2 else ""
                if name == "li":
                    hint = "bullet"
                lines.append(RawLine(content, hint=hint))
                lines.append(RawLine(""))
            else:
                walk(child)

    walk(root)
    if not any(line.text.strip() for line in lines):
        raise UnreadableRecord(str(path), "the HTML page has no text", "check the saved page")
    return lines
