"""Parsers never crash: mutated seed files and random bytes either parse (with exact offsets)
or are refused with the project's own UnreadableRecord. FUZZ_EXAMPLES sets the budget."""

from __future__ import annotations

import io
import os
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import UnreadableRecord
from ingest.parse import parse_file
from tests.conftest import SEEDS
from tests.ingest.test_formats import make_pdf

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
SEED_BYTES = [p.read_bytes() for p in SEEDS]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n")[:200]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(tmp: Path, text: str) -> bytes:
    return make_pdf(text[:6000], tmp / "seed.pdf").read_bytes()


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 12))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 400))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at:]
    return bytes(data)


def check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        record = parse_file(path)
    except UnreadableRecord:
        return
    for c in record.chunks:
        assert record.text[c.char_start : c.char_end] == c.text


@FUZZ
@given(
    data=st.one_of(*(mutated(b) for b in SEED_BYTES)),
    ext=st.sampled_from([".txt", ".md", ".html", ".jsonl"]),
)
def test_text_like_parsers(tmp_path: Path, data: bytes, ext: str) -> None:
    check(tmp_path / f"record{ext}", data)


@FUZZ
@given(
    data=st.binary(max_size=4096), ext=st.sampled_from([".txt", ".pdf", ".docx", ".html", ".jsonl"])
)
def test_random_bytes(tmp_path: Path, data: bytes, ext: str) -> None:
    check(tmp_path / f"random{ext}", data)


PDF_BASE: list[bytes] = []
DOCX_BASE: list[bytes] = []


@FUZZ
@given(seed=st.data())
def test_mutated_pdf_and_docx(tmp_path: Path, seed: st.DataObject) -> None:
    if not PDF_BASE:
        text = SEEDS[0].read_text(encoding="utf-8")
        PDF_BASE.append(pdf_bytes(tmp_path, text))
        DOCX_BASE.append(docx_bytes(text))
    check(tmp_path / "m.pdf", seed.draw(mutated(PDF_BASE[0])))
    check(tmp_path / "m.docx", seed.draw(mutated(DOCX_BASE[0])))
