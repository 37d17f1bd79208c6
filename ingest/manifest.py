"""The corpus manifest: per-record facts the text does not state (body, date, type, URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ingest.errors import ConfigError

MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")
ALLOWED = {
    "title",
    "body",
    "meeting_date",
    "doc_type",
    "classification",
    "url",
    "date_inferred",
    "notes",
    "decision_type",
    "report_by",
    "wards",
    "decision_ref",
    "exempt_sections",
}


def load_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """Return {file name: entry} from the folder's manifest, or {} if it has none."""
    for name in MANIFEST_NAMES:
        path = folder / name
        if path.is_file():
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ConfigError(f"{path}: not valid YAML ({exc}); fix the file") from exc
            records = data.get("records", {}) if isinstance(data, dict) else {}
            if not isinstance(records, dict):
                raise ConfigError(f"{path}: 'records' must map file names to entries")
            out: dict[str, dict[str, Any]] = {}
            for file_name, entry in records.items():
                entry = entry or {}
                unknown = set(entry) - ALLOWED
                if unknown:
                    raise ConfigError(
                        f"{path}: record '{file_name}' has unknown field(s) "
                        f"{', '.join(sorted(unknown))}; allowed: {', '.join(sorted(ALLOWED))}"
                    )
                out[str(file_name)] = dict(entry)
            return out
    return {}
