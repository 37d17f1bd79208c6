"""Checking that the catalogue, Chroma, the BM25 index and the registers agree, and
repairing what can be repaired."""

from __future__ import annotations

from typing import Any

from ingest.embed import Embedder
from ingest.lexical_index import read_stamp
from ingest.store import Store

PROBLEMS = (
    "vectors_missing",
    "vectors_orphaned",
    "documents_incomplete",
    "register_entries_orphaned",
    "lexical_stale",
)


def examine(store: Store) -> dict[str, Any]:
    """Return the counts and the ids that disagree across the index's parts."""
    catalogue = store.chunk_ids()
    vectors = store.vectors_db.all_ids()
    lexical = set(read_stamp(store.lexical_dir).get("ids", []))
    docs = store.document_hashes()
    return {
        "documents": len(docs),
        "chunks": len(catalogue),
        "vectors": len(vectors),
        "lexical": len(lexical),
        "vectors_missing": sorted(catalogue - vectors),
        "vectors_orphaned": sorted(vectors - catalogue),
        "lexical_stale": store.lexical_stale() or lexical != catalogue,
        "documents_incomplete": store.catalogue.incomplete_documents(),
        "register_entries_orphaned": sorted(store.catalogue.register_doc_ids() - set(docs)),
        "writer_active": store.writer_active(),
        "repaired": [],
    }


def problems(findings: dict[str, Any]) -> list[str]:
    """Return the names of the problems found (none while an ingest is at work: its state
    is between two consistent ones, and it puts it right when it finishes)."""
    if findings.get("writer_active"):
        return []
    return [k for k in PROBLEMS if findings[k]]


def doctor(
    store: Store, *, repair: bool = False, embedder: Embedder | None = None
) -> dict[str, Any]:
    """Return the findings; with repair, fix what disagrees (under the caller's lock)."""
    findings = examine(store)
    if not repair:
        return findings
    done: list[str] = findings["repaired"]
    if findings["vectors_orphaned"]:
        store.vectors_db.delete(findings["vectors_orphaned"])
        done.append(f"removed {len(findings['vectors_orphaned'])} orphaned vectors")
    if findings["vectors_missing"]:
        if embedder is None:
            raise ValueError("repairing missing vectors needs the embedding model")
        missing = set(findings["vectors_missing"])
        chunks = [c for c in store.chunks() if c.id in missing]
        store.vectors_db.upsert(chunks, embedder.encode([c.embedding_text() for c in chunks]))
        done.append(f"embedded {len(chunks)} missing vectors")
    stale_entries = findings["register_entries_orphaned"]
    for doc_id in findings["documents_incomplete"]:
        # A record whose chunks are not all there is read again whole by the next ingest.
        store.catalogue.forget_hash(doc_id)
    store.catalogue.rewrite_registers(stale_entries + sorted(store.document_hashes()))
    if stale_entries or findings["documents_incomplete"]:
        done.append(
            f"cleared {len(stale_entries)} orphaned register records; marked "
            f"{len(findings['documents_incomplete'])} incomplete records for re-ingest"
        )
    done.append("rebuilt the registers")
    if findings["lexical_stale"]:
        store.rebuild_lexical()
        done.append("rebuilt the BM25 index")
    return findings
