"""Transcripts (QMSum JSONL, plain 'Speaker: words' text) -> records cut into speaker turns."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.chunk import Chunk, ParsedRecord, RecordMeta
from ingest.errors import UnreadableRecord
from ingest.locators import MAX_WORDS, words
from ingest.metadata import merge_meta
from ingest.parse_text import decode
from ingest.record import finish_record, make_chunk, split_span
from ingest.sentences import split_sentences

TRANSCRIPT_SUFFIXES = {".jsonl"}
SPEAKER_LINE = re.compile(r"^([A-Z][\w .'\-]{0,60}?):\s+(\S.*)$")


def read_turns(path: Path) -> list[tuple[str, str]]:
    """Return (speaker, words) turns of a transcript file."""
    text = decode(path.read_bytes(), str(path))
    if path.suffix.lower() == ".jsonl":
        try:
            first = json.loads(text.strip().split("\n", 1)[0])
            return [(t["speaker"], t["content"]) for t in first["meeting_transcripts"]]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise UnreadableRecord(
                str(path), "not a QMSum-style JSONL transcript", "one meeting object per line"
            ) from exc
    turns: list[tuple[str, str]] = []
    for line in text.splitlines():
        m = SPEAKER_LINE.match(line.strip())
        if m:
            turns.append((m.group(1).strip(), m.group(2).strip()))
        elif line.strip() and turns:
            speaker, said = turns[-1]
            turns[-1] = (speaker, f"{said} {line.strip()}")
    return turns


def parse_transcript(
    path: Path, *, doc_id: str, manifest_entry: dict[str, object] | None = None
) -> ParsedRecord:
    """Return the parsed transcript record at path."""
    turns = read_turns(path)
    if not turns:
        raise UnreadableRecord(str(path), "no 'Speaker: words' turns found", "check the format")
    meta = merge_meta(RecordMeta(doc_type="transcript", title=path.stem), manifest_entry)
    return build_transcript(doc_id, str(path), turns, meta)


def build_transcript(
    doc_id: str, path: str, turns: list[tuple[str, str]], meta: RecordMeta
) -> ParsedRecord:
    """Return a record whose chunks are runs of consecutive turns ('turns N-M') that fit the
    model's window together, or one long turn ('turn N', cut into parts past the window): a
    question and the answer to it are mostly one passage, found by the words of either."""
    starts: list[int] = []
    texts = [f"{speaker}: {' '.join(said.split())}" for speaker, said in turns]
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 2
    text = "\n\n".join(texts)
    chunks: list[Chunk] = []

    def add(locator: str, s: int, e: int, speaker: str, context: str = "") -> None:
        chunks.append(
            make_chunk(
                doc_id,
                text,
                s,
                e,
                meta,
                locator=locator,
                ordinal=len(chunks),
                kind="turn",
                speaker=speaker,
                context=context,
            )
        )

    i = 0
    while i < len(texts):
        j = i
        total = words(texts[i])
        while j + 1 < len(texts) and total + words(texts[j + 1]) <= MAX_WORDS:
            j += 1
            total += words(texts[j])
        s, e = starts[i], starts[j] + len(texts[j])
        speakers = ", ".join(dict.fromkeys(turns[k][0] for k in range(i, j + 1)))
        asked = _asked_before(turns, i)
        if j > i:
            add(f"turns {i}-{j}", s, e, speakers, asked)
            i = j + 1
            continue
        parts = split_span(text, s, e)
        for n, (a, b) in enumerate(parts, 1):
            add(f"turn {i}, part {n}" if len(parts) > 1 else f"turn {i}", a, b, speakers, asked)
        i = j + 1
    return finish_record(doc_id, path, text, meta, chunks)


ASKED_WORDS = 25  # of the question a reply is embedded with


def _asked_before(turns: list[tuple[str, str]], i: int) -> str:
    """Return the question another speaker put in the turn before turn i (its last sentences
    from the last question mark back, at most ASKED_WORDS words), or "": a reply is embedded
    with the question it answers, which names its subject when the reply does not."""
    if i == 0 or turns[i - 1][0] == turns[i][0]:
        return ""
    said = " ".join(turns[i - 1][1].split())
    end = said.rfind("?")
    if end < 0:
        return ""
    asked: list[str] = []
    for a, b in reversed(split_sentences(said[: end + 1])):
        if asked and len(" ".join(asked).split()) + len(said[a:b].split()) > ASKED_WORDS:
            break
        asked.insert(0, said[a:b])
    return " ".join(" ".join(asked).split()[-ASKED_WORDS:])
