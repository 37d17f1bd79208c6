"""`council eval`: score answers on a question set, or retrieval on QMSum."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.common import (
    app,
    fail,
    settings_for,
)


@app.command("eval")
def evaluate(
    questions: Annotated[
        list[Path] | None, typer.Option("--questions", help="Question set YAML (repeatable).")
    ] = None,
    answerer: Annotated[str, typer.Option(help="extractive or llm.")] = "extractive",
    k: Annotated[int, typer.Option(help="Passages scored for recall.")] = 5,
    retriever: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    corpus: Annotated[
        list[Path] | None,
        typer.Option(help="Ingest this folder into a temporary index first (repeatable)."),
    ] = None,
    qmsum: Annotated[Path | None, typer.Option(help="QMSum committee JSONL to score.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write one JSON line per question.")] = None,
    markdown: Annotated[Path | None, typer.Option(help="Write the report as Markdown.")] = None,
) -> None:
    """Score answers: evidence recall, facts, abstention, citations, latency; or QMSum."""
    import tempfile

    from evals.metrics import load_questions, markdown_table
    from evals.run import qmsum_assistant, run_qmsum, run_questions

    if retriever not in ("hybrid", "dense", "lexical"):
        fail("--retriever must be hybrid, dense or lexical")
    settings = settings_for()
    rows: list[dict[str, Any]] = []
    report: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        if qmsum is not None:
            from ingest.embed import Embedder

            if not qmsum.is_file():
                fail(f"--qmsum {qmsum}: no such file")
            data_dir = settings.data_dir if corpus is None else Path(tmp)
            assistant = qmsum_assistant(qmsum, data_dir, Embedder(backend=settings.embedder))
            rows, summary = run_qmsum(assistant, qmsum, ks=(5, 10), mode=retriever)
            line = (
                f"QMSum ({summary['n']:.0f} queries, {retriever}): "
                f"recall@5 {summary['recall@5']:.2f}, recall@10 {summary['recall@10']:.2f}, "
                f"MRR {summary['mrr']:.2f}"
            )
            report.append(line)
        else:
            from assistant.service import Assistant
            from ingest.pipeline import ingest_paths

            paths = questions or [
                Path(__file__).resolve().parent.parent / "evals" / "questions" / "seeds_dev.yaml"
            ]
            if corpus is not None:
                settings = settings.model_copy(update={"data_dir": Path(tmp)})
            assistant = Assistant(settings)
            if corpus is not None:
                ingest_paths(list(corpus), assistant.store, assistant.embedder)
            for path in paths:
                try:
                    qs = load_questions(path)
                except (OSError, ValueError) as exc:
                    fail(str(exc))
                    return
                got, summaries = run_questions(
                    assistant, qs, answerer=answerer, k=k, mode=retriever
                )
                rows.extend(got)
                report.append(
                    f"## {path.name} ({answerer}, {retriever})\n\n" + markdown_table(summaries)
                )
    text = "\n\n".join(report)
    typer.echo(text)
    if output is not None:
        output.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
    if markdown is not None:
        markdown.write_text(text + "\n", encoding="utf-8")
