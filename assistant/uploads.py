"""Records people add through the app: who may, how large they may be (a DOCX is checked on
what it expands to, not only its size on disk), and what they are told."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from assistant.service import Assistant

ALLOWED_TYPES = ("pdf", "docx", "html", "htm", "txt", "md")
EXPANSION_LIMIT = 10  # an Office file may expand to this many times the size limit, no more


@dataclass
class UploadOutcome:
    """What happened to an upload, in words for the person who made it."""

    added: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """Return the success line ("2 records added: ..."), or ''."""
        if not self.added:
            return ""
        names = ", ".join(self.added)
        return f"{len(self.added)} record{'s' if len(self.added) > 1 else ''} added: {names}."


def may_upload(role: str, *, users_configured: bool, allow_anonymous: bool) -> tuple[bool, str]:
    """Return (allowed, reason): officers may add records; with no users configured, only
    where uploads were switched on (COUNCIL_ALLOW_UPLOADS=1)."""
    if role == "officer":
        return True, ""
    if not users_configured:
        if allow_anonymous:
            return True, ""
        return False, (
            "Adding records is switched off: ask your administrator to set up officer "
            "sign-in (or to allow uploads on this machine)."
        )
    return False, "Only a signed-in officer may add records: sign in as an officer first."


def check_upload(name: str, data: bytes, max_bytes: int) -> str:
    """Return why an upload is refused ('' if it may be read)."""
    limit_mb = max_bytes / 1e6
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in ALLOWED_TYPES:
        return f"{name}: not a record type this service reads (use PDF, Word, web page or text)."
    if len(data) > max_bytes:
        return f"{name}: {len(data) / 1e6:.1f} MB is over the {limit_mb:.0f} MB limit per record."
    if not data.strip():
        return f"{name}: the file is empty."
    if suffix == "docx":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            return f"{name}: not a readable Word file; save it again from Word."
        if expanded > max_bytes * EXPANSION_LIMIT:
            return (
                f"{name}: its contents expand to {expanded / 1e6:.0f} MB, far beyond a record "
                f"of {limit_mb:.0f} MB; save a plain copy of the document and add that."
            )
    return ""


def safe_name(name: str) -> str:
    """Return a file name with no folders and no characters that could escape the folder."""
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w .()-]+", "_", base).strip(" .") or "record"


def add_uploads(assistant: Assistant, files: list[tuple[str, bytes]]) -> UploadOutcome:
    """Check, save and ingest uploaded files; return what to tell the person."""
    outcome = UploadOutcome()
    max_bytes = int(assistant.settings.max_file_mb * 1e6)
    folder = assistant.store.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[Path, str] = {}
    for name, data in files:
        problem = check_upload(name, data, max_bytes)
        if problem:
            outcome.refused.append(problem)
            continue
        path = folder / safe_name(name)
        path.write_bytes(data)
        saved[path] = name
    if not saved:
        return outcome
    report = assistant.ingest(list(saved))
    for path_text, message in report.failed:
        path = Path(path_text)
        shown = saved.get(path, path.name)
        reason = message.split(": ", 1)[-1]
        outcome.refused.append(f"{shown}: {reason.replace(str(folder) + '/', '')}")
        path.unlink(missing_ok=True)
    failed = {Path(p) for p, _ in report.failed}
    outcome.added = [saved[p] for p in saved if p not in failed]
    return outcome
