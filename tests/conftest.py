"""Shared fixtures: the real model and a real ingested seed corpus, once per session."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from assistant.service import Assistant
from ingest.embed import Embedder
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.store import Store

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"  # small real records of other councils (see its README)
SEEDS = sorted(CORPUS.glob("*.txt"))
REPORT_2022 = "000_c63c77a5f0830ac3"
MINUTES_2018 = "001_e95ac735ff5be21a"
TRANCHE_TWO = "002_9fa7507ced00a622"
COUNCIL_2022 = "003_1b0338201f812a34"
REPORT_2021 = "004_d80d4f1a89714091"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """Return the bundled model, loaded once."""
    return Embedder()


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """Return a data directory holding the ingested seed corpus (do not write to it)."""
    data = tmp_path_factory.mktemp("seed-index")
    report = ingest_paths([CORPUS], Store(data), embedder)
    assert report.ok, report.failed
    return data


@pytest.fixture(scope="session")
def seed_assistant(seed_dir: Path, embedder: Embedder) -> Assistant:
    """Return an assistant over the ingested seed corpus."""
    return Assistant(Settings(data_dir=seed_dir), store=Store(seed_dir), embedder=embedder)


@pytest.fixture()
def corpus_copy(tmp_path: Path) -> Path:
    """Return a writable copy of the corpus folder (records and manifest)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_index_with(
    folder: Path, seed_dir: Path, embedder: Embedder, records: dict[str, str]
) -> Path:
    """Return a data directory: a copy of the ingested seeds with `records` (file name ->
    text) ingested on top; every record must be read."""
    data_dir = folder / "data"
    shutil.copytree(seed_dir, data_dir)
    source = folder / "records"
    source.mkdir()
    for name, text in records.items():
        (source / name).write_text(text, encoding="utf-8")
    report = ingest_paths([source], Store(data_dir), embedder)
    assert report.ok and len(report.added) == len(records), report.failed
    return data_dir


def assistant_for(data: Path, embedder: Embedder, audience: str) -> Assistant:
    """Return an assistant over a data directory, reading as the given audience."""
    settings = Settings(data_dir=data, audience=audience)  # type: ignore[arg-type]
    return Assistant(settings, store=Store(data), embedder=embedder)


def abstention_of(assistant: Assistant, question: str) -> str:
    """Return the text of the answer to a question the records do not cover: it must abstain
    and list the closest records instead."""
    answer = assistant.ask(question)
    assert answer.abstained, answer.text
    assert "do not cover" in answer.text
    assert answer.citations  # the closest records are listed instead
    return answer.text
