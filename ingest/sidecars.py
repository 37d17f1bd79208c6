"""Metadata that comes beside records rather than in them: a scraper's `metadata.json`
(Kent's modern.gov export) and a meeting folder's README (Limerick's archive). Both only
fill what a record's own text does not say; values from here are marked inferred."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.dates import parse_date
from ingest.metadata import tidy_name
from ingest.templates import Templates

MEETING_NAME = re.compile(r"^\**\s*Meeting Name:\**\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
MEETING_DATE = re.compile(
    r"^\**\s*Date(?: and Time)?:\**\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE
)
SIDECAR_NAMES = ("metadata.json",)
README_NAMES = ("readme.md", "readme.txt")


def read_sidecars(
    folder: Path, templates: Templates
) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Return ({file name or '*' for the whole folder: {field: value}}, warnings)."""
    out: dict[str, dict[str, str]] = {}
    warnings: list[str] = []
    meta_json = folder / "metadata.json"
    if meta_json.is_file():
        try:
            items = json.loads(meta_json.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            items = []
            warnings.append(f"{meta_json}: not readable JSON ({exc}); its values were not used")
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get("filename"):
                continue
            entry = {
                "body": tidy_name(str(item.get("committee") or item.get("body") or ""), templates),
                "meeting_date": parse_date(str(item.get("meeting_date") or "")),
                "url": str(item.get("url") or ""),
            }
            out[Path(str(item["filename"])).name] = {k: v for k, v in entry.items() if v}
    for name in README_NAMES:
        readme = next((p for p in folder.iterdir() if p.name.lower() == name), None)
        if readme is None:
            continue
        text = readme.read_text(encoding="utf-8", errors="replace")[:4000]
        body = MEETING_NAME.search(text)
        when = MEETING_DATE.search(text)
        if body or when:
            entry = {
                "body": tidy_name(body.group(1), templates) if body else "",
                "meeting_date": parse_date(when.group(1)) if when else "",
            }
            out["*"] = {k: v for k, v in entry.items() if v}
    return out, warnings


def sidecar_for(entries: dict[str, dict[str, str]], file_name: str) -> dict[str, str]:
    """Return the sidecar values for one file: its own entry over the folder's."""
    return {**entries.get("*", {}), **entries.get(file_name, {})}
