"""The assistant: the store, the model and the retriever wired once, asked often.

It only wires: retrieval, the answerers, the registers and the workflows are functions
that take what they need (a retrieval, a model), not this object.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.audience import Filters
from assistant.extractive import answer_extractively
from assistant.retrieve import Retriever
from assistant.selection import load_model
from ingest.embed import Embedder
from ingest.pipeline import IngestReport, ingest_paths
from ingest.settings import Settings
from ingest.store import Store
from ingest.templates import load_templates


class Assistant:
    """Holds the store, model and retriever; answers questions with citations."""

    def __init__(
        self,
        settings: Settings,
        *,
        store: Store | None = None,
        embedder: Embedder | None = None,
        chat_model: Any = None,
        lazy: bool = False,
    ) -> None:
        self.settings = settings
        self.store = store or Store(
            settings.data_dir, collection=settings.collection, chroma_url=settings.chroma_url
        )
        self.embedder = embedder or Embedder(
            threads=settings.threads, batch_size=settings.batch_size, backend=settings.embedder
        )
        self.retriever = Retriever(
            self.store, self.embedder, load=not lazy, feedback=settings.feedback
        )
        self._chat_model = chat_model

    @property
    def threshold(self) -> float:
        """Return the abstention threshold in force: the probability that the records answer
        below which the assistant abstains (fitted on the development questions)."""
        return self.settings.abstain_threshold or load_model().abstain_threshold

    @property
    def audience(self) -> str:
        """Return the audience this assistant reads for by default."""
        return self.settings.audience

    def filters(self, **kwargs: Any) -> Filters:
        """Return filters for this caller (the audience comes from settings unless given)."""
        kwargs.setdefault("audience", self.settings.audience)
        return Filters(**kwargs)

    def ask(
        self,
        question: str,
        *,
        history: list[dict[str, str]] | None = None,
        filters: Filters | None = None,
        answerer: str | None = None,
        k: int | None = None,
        on_token: Callable[[str], None] | None = None,
        mode: str = "hybrid",
    ) -> Answer:
        """Return a cited answer to a question (or a plain abstention)."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty: type a question about the records")
        answerer = answerer or self.settings.answerer
        filters = filters or self.filters()
        k = k or self.settings.k
        started = time.perf_counter()
        model = self.chat_model() if answerer == "llm" else None
        query = question
        if model is not None and history:
            from assistant.llm import rewrite_question

            query = rewrite_question(model, question, history)
        retrieval = self.retriever.search(
            query, filters=filters, k=max(k, 6), history=history, mode=mode
        )
        retrieved_at = time.perf_counter()

        def extractive() -> Answer:
            return answer_extractively(
                retrieval,
                encode=self.retriever.encode_cached,
                coverage=self.retriever.coverage,
                threshold=self.threshold,
                filters=filters,
            )

        if answerer == "llm":
            from assistant.llm import answer_with_llm

            # The records' own answer, made once: whether it abstains says whether the records
            # cover the question, and it is the fallback (or the abstention) the LLM path gives.
            own = extractive()
            answer = answer_with_llm(
                retrieval,
                model,
                name=self.settings.llm,
                covered=not own.abstained,
                fallback=lambda: own,
                on_token=on_token,
            )
        else:
            answer = extractive()
        done = time.perf_counter()
        answer.retrieved = [h.citation(n) for n, h in enumerate(retrieval.hits, 1)]
        answer.timings_ms = {
            "retrieve": (retrieved_at - started) * 1000,
            "answer": (done - retrieved_at) * 1000,
            "total": (done - started) * 1000,
        }
        return answer

    def ingest(
        self,
        paths: list[Path],
        *,
        prune: bool = False,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> IngestReport:
        """Ingest records into this assistant's index (refused above the size limit)."""
        return ingest_paths(
            paths,
            self.store,
            self.embedder,
            prune=prune,
            progress=progress,
            max_bytes=int(self.settings.max_file_mb * 1e6),
            templates=load_templates(self.settings.templates),
        )

    def chat_model(self) -> Any:
        """Return the configured LangChain chat model (built once), or None if none is set."""
        if self._chat_model is None and self.settings.llm:
            from assistant.llm import build_chat_model

            self._chat_model = build_chat_model(self.settings)
        return self._chat_model
