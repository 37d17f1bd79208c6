"""What the index holds, as a given audience may know it: counts, date range, and the
values the filters offer (bodies, types), read from the catalogue's record metadata."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from assistant.audience import visible
from ingest.store import Store

_CACHE: dict[tuple[str, int, str], dict[str, Any]] = {}


def corpus_status(store: Store, audience: str = "public") -> dict[str, Any]:
    """Return counts of the records and passages an audience may see, by body, type and
    date range, and when the index last changed (computed once per change of the index)."""
    key = (str(store.data_dir), store.generation(), audience)
    if key not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = _count(store, audience)
    return dict(_CACHE[key])


def _count(store: Store, audience: str) -> dict[str, Any]:
    docs = store.catalogue.document_facts()
    by_doc = store.catalogue.class_counts()
    counts: Counter[str] = Counter()
    for per_class in by_doc.values():
        counts.update(per_class)
    open_by_doc = {d: per_class.get("Open", 0) for d, per_class in by_doc.items()}
    seen = [d for d in docs if visible("Exempt", audience) or open_by_doc.get(d["doc_id"])]
    dates = sorted(d["meeting_date"] for d in seen if d["meeting_date"])
    last = store.last_ingest()
    return {
        "location": str(store.data_dir),
        "size_mb": round(store.size_bytes() / 1e6, 2),
        "records": len(seen),
        "chunks": sum(n for cls, n in counts.items() if visible(cls or "Open", audience)),
        "by_body": dict(Counter(d["body"] for d in seen)),
        "by_type": dict(Counter(d["doc_type"] for d in seen)),
        "date_from": dates[0] if dates else "",
        "date_to": dates[-1] if dates else "",
        "last_ingest": datetime.fromtimestamp(last).isoformat(timespec="seconds") if last else "",
    }


def facets(store: Store, audience: str = "public") -> dict[str, list[str]]:
    """Return the values the search filters offer an audience: bodies (those with the most
    records first: an archive's main bodies before names a stray summons gave), types and the
    first and last meeting dates of the records it may see (from the catalogue)."""
    info = corpus_status(store, audience)
    by_body = info["by_body"]
    return {
        "bodies": sorted((b for b in by_body if b), key=lambda b: (-by_body[b], b)),
        "types": sorted(t for t in info["by_type"] if t),
        "dates": [d for d in (info["date_from"], info["date_to"]) if d],
    }
