"""The `council` command: ingest records, check the index, show records, ask questions."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.present import uk_date
from ingest.errors import CouncilError
from ingest.registers import PART_ORDER
from ingest.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ask a council's meeting records questions; get cited answers.",
)

AudienceOpt = Annotated[
    str | None,
    typer.Option(
        "--audience", help="public (Open only), member or officer; default COUNCIL_AUDIENCE."
    ),
]


def _settings(audience: str | None = None) -> Settings:
    settings = Settings()
    if audience:
        if audience not in ("public", "member", "officer"):
            raise typer.BadParameter("--audience must be public, member or officer")
        settings = settings.model_copy(update={"audience": audience})
    return settings


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _assistant(audience: str | None) -> Any:
    """Return the assistant over the configured index; an empty index is said plainly."""
    from assistant.service import Assistant

    assistant = Assistant(_settings(audience))
    if not assistant.store.document_hashes():
        _fail(
            f"no records are indexed in {assistant.store.data_dir}; "
            "run `council ingest corpus/` (or set COUNCIL_DATA_DIR)"
        )
    return assistant


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders.")],
    prune: Annotated[bool, typer.Option(help="Remove stored records no longer present.")] = False,
) -> None:
    """Ingest records (incremental: unchanged records are skipped)."""
    from rich.progress import Progress

    from ingest.embed import Embedder
    from ingest.pipeline import ingest_paths
    from ingest.store import Store
    from ingest.templates import load_templates

    settings = _settings()
    store = Store(settings.data_dir, collection=settings.collection, chroma_url=settings.chroma_url)
    embedder = Embedder(threads=settings.threads, batch_size=settings.batch_size)
    try:
        with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("ingesting", total=None)

            def progress(done: int, total: int, name: str) -> None:
                bar.update(task, completed=done, total=total, description=name or "indexing")

            report = ingest_paths(
                paths,
                store,
                embedder,
                prune=prune,
                max_bytes=int(settings.max_file_mb * 1e6),
                progress=progress,
                templates=load_templates(settings.templates),
            )
    except CouncilError as exc:
        _fail(str(exc))
        return
    for message in report.warnings:
        typer.secho(f"note: {message}", fg=typer.colors.CYAN, err=True)
    for _, message in report.failed:
        typer.secho(f"skipped: {message}", fg=typer.colors.YELLOW, err=True)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show what the index holds: records and chunks by body, type and date."""
    from ingest.store import Store

    settings = _settings()
    store = Store(settings.data_dir, collection=settings.collection, chroma_url=settings.chroma_url)
    info = corpus_status(store)
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    typer.echo(f"index: {info['location']} ({info['size_mb']} MB)")
    typer.echo(f"records: {info['records']}, chunks: {info['chunks']}")
    if info["date_from"]:
        typer.echo(f"dates: {uk_date(info['date_from'])} to {uk_date(info['date_to'])}")
    for key in ("by_body", "by_type"):
        typer.echo(
            f"{key.replace('_', ' ')}: "
            + ", ".join(f"{k or '(unknown)'} {v}" for k, v in info[key].items())
        )


def corpus_status(store: Any) -> dict[str, Any]:
    """Return counts of records and chunks by body, type and date range."""
    from collections import Counter

    docs = [store.document(d) for d in store.document_hashes()]
    docs = [d for d in docs if d]
    dates = sorted(d["meta"]["meeting_date"] for d in docs if d["meta"]["meeting_date"])
    last = store.last_ingest()
    return {
        "location": str(store.data_dir),
        "size_mb": round(store.size_bytes() / 1e6, 2),
        "records": len(docs),
        "chunks": sum(d["n_chunks"] for d in docs),
        "by_body": dict(Counter(d["meta"]["body"] for d in docs)),
        "by_type": dict(Counter(d["meta"]["doc_type"] for d in docs)),
        "date_from": dates[0] if dates else "",
        "date_to": dates[-1] if dates else "",
        "last_ingest": datetime.fromtimestamp(last).isoformat(timespec="seconds") if last else "",
    }


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Record id (see `council status`).")],
    locator: Annotated[str | None, typer.Option(help='A part, e.g. "para 11".')] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """Show a record's text, or one part of it with its neighbours."""
    from assistant.retrieve import AUDIENCE_CLASSES
    from ingest.store import Store

    settings = _settings(audience)
    store = Store(settings.data_dir, collection=settings.collection, chroma_url=settings.chroma_url)
    allowed = AUDIENCE_CLASSES[settings.audience]
    chunks = [c for c in store.chunks(doc_id) if c.classification in allowed]
    doc = store.document(doc_id)
    if doc is None or not chunks:
        _fail(f"no record '{doc_id}' you may see; `council status` lists what is held")
        return
    if locator is None:
        if as_json:
            typer.echo(
                json.dumps(
                    {"doc_id": doc_id, "meta": doc["meta"], "chunks": [c.__dict__ for c in chunks]},
                    indent=2,
                )
            )
        else:
            for c in chunks:
                typer.echo(f"[{c.locator}]\n{c.text}\n")
        return
    idx = next((i for i, c in enumerate(chunks) if c.locator == locator), None)
    if idx is None:
        near = ", ".join(c.locator for c in chunks if c.locator.startswith(locator))[:300]
        _fail(f"'{doc_id}' has no part '{locator}'" + (f"; did you mean: {near}" if near else ""))
        return
    shown = chunks[max(0, idx - 1) : idx + 2]
    if as_json:
        typer.echo(json.dumps([c.__dict__ for c in shown], indent=2))
        return
    for c in shown:
        mark = ">>" if c is chunks[idx] else "  "
        typer.echo(f"{mark} [{c.locator}]\n{c.text}\n")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question about the records.")],
    body: Annotated[list[str] | None, typer.Option("--body", help="Meeting body.")] = None,
    doc_type: Annotated[
        list[str] | None, typer.Option("--type", help="report, minutes, ...")
    ] = None,
    since: Annotated[str, typer.Option(help="From date, YYYY-MM-DD.")] = "",
    until: Annotated[str, typer.Option(help="To date, YYYY-MM-DD.")] = "",
    history: Annotated[Path | None, typer.Option(help="JSON list of earlier turns.")] = None,
    answerer: Annotated[str | None, typer.Option(help="extractive or llm.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """Answer a question from the records, with citations (or say they do not cover it)."""
    turns: list[dict[str, str]] = []
    if history is not None:
        try:
            turns = json.loads(history.read_text(encoding="utf-8"))
            if not isinstance(turns, list) or not all(
                isinstance(t, dict) and t.get("role") in ("user", "assistant") and "content" in t
                for t in turns
            ):
                raise ValueError("expected a list of {role, content}")
        except (OSError, ValueError) as exc:
            _fail(
                f"--history {history}: {exc}; give a JSON list of "
                '{"role": "user"|"assistant", "content": "..."}'
            )
    if answerer not in (None, "extractive", "llm"):
        _fail("--answerer must be extractive or llm")
    for value, name in ((since, "--since"), (until, "--until")):
        if value:
            try:
                datetime.strptime(value, "%Y-%m-%d")
            except ValueError:
                _fail(f"{name} {value!r}: use YYYY-MM-DD")
    assistant = _assistant(audience)
    filters = assistant.filters(
        bodies=tuple(body or ()), doc_types=tuple(doc_type or ()), since=since, until=until
    )
    stream = (lambda t: typer.echo(t, nl=False)) if not as_json and answerer == "llm" else None
    try:
        answer = assistant.ask(
            question, history=turns, filters=filters, answerer=answerer, on_token=stream
        )
    except (CouncilError, ValueError) as exc:
        _fail(str(exc))
        return
    if as_json:
        typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    if stream:
        typer.echo("\n--- checked answer ---")
    typer.echo(answer.text)
    if answer.notice:
        typer.secho(answer.notice, fg=typer.colors.YELLOW)
    typer.echo("\nClosest records:" if answer.abstained else "\nSources:")
    for c in answer.citations:
        typer.echo(
            f"[{c.n}] {c.body or 'Meeting'}, {uk_date(c.meeting_date) or 'date unknown'}"
            f" - {c.title} - {c.locator} ({c.doc_id})"
        )
        quote = c.quote if len(c.quote) < 400 else c.quote[:400] + "..."
        typer.echo("    " + quote.replace("\n", "\n    "))
    typer.echo(f"\n({answer.answerer}, {answer.timings_ms.get('total', 0):.0f} ms)")


@app.command()
def decisions(
    body: Annotated[str, typer.Option(help="Meeting body, e.g. Cabinet.")] = "",
    since: Annotated[str, typer.Option(help="From date, YYYY-MM-DD.")] = "",
    until: Annotated[str, typer.Option(help="To date, YYYY-MM-DD.")] = "",
    topic: Annotated[str, typer.Option(help="Words the decision or its report is about.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """List what was recommended, resolved and noted, newest first."""
    from assistant.workflows import find_decisions

    assistant = _assistant(audience)
    found = find_decisions(assistant, body=body, since=since, until=until, topic=topic)
    if as_json:
        typer.echo(json.dumps([d.to_json() for d in found], ensure_ascii=False, indent=2))
        return
    for d in found:
        extra = f" [{d.decision_type} decision]" if d.decision_type else ""
        sums = f" ({', '.join(d.sums)})" if d.sums else ""
        typer.echo(
            f"{uk_date(d.meeting_date)} {d.body} - {d.status}{extra}{sums} - "
            f"{d.title} - {d.ref.locator} ({d.doc_id})"
        )
        typer.echo("    " + d.text.replace("\n", "\n    "))
        for link in d.links:
            typer.echo(f"    outcome recorded: {link}")
    if not found:
        typer.echo("No decisions match.")


@app.command()
def questions(
    topic: Annotated[str, typer.Option(help="Words the question or answer is about.")] = "",
    similar: Annotated[str, typer.Option(help="Rank by similarity to this question.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """List public and member questions, or rank them by similarity to a new one."""
    from assistant.workflows import find_questions

    assistant = _assistant(audience)
    found = find_questions(assistant, topic=topic, similar=similar)
    if as_json:
        typer.echo(
            json.dumps(
                [{**q.to_json(), "similarity": round(s, 4)} for q, s in found],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for q, s in found:
        score = f" similarity {s:.2f}" if similar else ""
        typer.echo(
            f"{q.number} - {uk_date(q.meeting_date)} {q.body} - {q.questioner} - to "
            f"{q.put_to}{score} ({q.doc_id})"
        )
        for part in PART_ORDER:
            text = q.text(part)
            if text:
                short = " ".join(text.split())
                typer.echo(f"    {part}: {short[:300]}{'...' if len(short) > 300 else ''}")
        if q.awaiting_written_response:
            typer.echo("    open: a written response was promised; none is recorded")
    if not found:
        typer.echo("No questions match.")


@app.command("draft-reply")
def draft_reply_command(
    question: Annotated[str, typer.Argument(help="The new public question.")],
    docx: Annotated[Path | None, typer.Option("--docx", help="Also write a .docx file.")] = None,
    answerer: Annotated[str | None, typer.Option(help="extractive or llm.")] = None,
    audience: AudienceOpt = None,
) -> None:
    """Draft a cited reply to a public question from past questions, answers and decisions."""
    from assistant.workflows import draft_reply, save_docx

    assistant = _assistant(audience)
    draft = draft_reply(assistant, question, answerer=answerer)
    typer.echo(draft.markdown)
    if docx is not None:
        save_docx(draft.markdown, docx)
        typer.echo(f"written: {docx}")


@app.command("brief")
def brief_command(
    topic: Annotated[str, typer.Argument(help="The topic, e.g. 'Ofsted inspections'.")],
    since: Annotated[str, typer.Option(help="From date, YYYY-MM-DD.")] = "",
    until: Annotated[str, typer.Option(help="To date, YYYY-MM-DD.")] = "",
    markdown: Annotated[Path | None, typer.Option(help="Write the briefing here.")] = None,
    audience: AudienceOpt = None,
) -> None:
    """A dated, cited timeline of a topic across meetings, its outcomes and what is open."""
    from assistant.workflows import brief

    assistant = _assistant(audience)
    text = brief(assistant, topic, since=since, until=until).to_markdown()
    typer.echo(text)
    if markdown is not None:
        markdown.write_text(text, encoding="utf-8")


@app.command()
def doctor(
    repair: Annotated[bool, typer.Option(help="Fix what can be fixed.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check that the catalogue, Chroma, the BM25 index and the registers agree."""
    from ingest.embed import Embedder
    from ingest.store import Store

    settings = _settings()
    store = Store(settings.data_dir, collection=settings.collection, chroma_url=settings.chroma_url)
    try:
        with store.writing(wait=False) if repair else nullcontext():
            found = store.doctor(repair=repair, embedder=Embedder() if repair else None)
    except CouncilError as exc:
        _fail(str(exc))
        return
    problems = [
        k
        for k in (
            "vectors_missing",
            "vectors_orphaned",
            "documents_incomplete",
            "register_entries_orphaned",
        )
        if found[k]
    ] + (["lexical_stale"] if found["lexical_stale"] else [])
    if as_json:
        typer.echo(json.dumps(found, indent=2))
    else:
        typer.echo(
            f"documents {found['documents']}, chunks {found['chunks']}, vectors "
            f"{found['vectors']}, BM25 entries {found['lexical']}"
        )
        for key in problems:
            value = found[key]
            count = len(value) if isinstance(value, list) else ""
            typer.echo(f"problem: {key.replace('_', ' ')} {count}".rstrip())
        for line in found["repaired"]:
            typer.echo(f"repaired: {line}")
        if not problems:
            typer.echo("all consistent")
    if problems and not repair:
        raise typer.Exit(1)


@app.command("hash-password")
def hash_password_command(
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Print a salted hash of a password for COUNCIL_USERS (app sign-in)."""
    from assistant.auth import hash_password

    typer.echo(hash_password(password))


@app.command("eval")
def evaluate(
    questions: Annotated[
        list[Path] | None, typer.Option("--questions", help="Question set YAML (repeatable).")
    ] = None,
    answerer: Annotated[str, typer.Option(help="extractive or llm.")] = "extractive",
    k: Annotated[int, typer.Option(help="Passages scored for recall.")] = 5,
    retriever: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    corpus: Annotated[
        Path | None, typer.Option(help="Ingest this folder into a temporary index first.")
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
        _fail("--retriever must be hybrid, dense or lexical")
    settings = _settings()
    rows: list[dict[str, Any]] = []
    report: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        if qmsum is not None:
            from ingest.embed import Embedder

            if not qmsum.is_file():
                _fail(f"--qmsum {qmsum}: no such file")
            data_dir = settings.data_dir if corpus is None else Path(tmp)
            assistant = qmsum_assistant(qmsum, data_dir, Embedder())
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
                Path(__file__).resolve().parent.parent / "evals" / "questions.yaml"
            ]
            if corpus is not None:
                settings = settings.model_copy(update={"data_dir": Path(tmp)})
            assistant = Assistant(settings)
            if corpus is not None:
                ingest_paths([corpus], assistant.store, assistant.embedder)
            for path in paths:
                try:
                    qs = load_questions(path)
                except (OSError, ValueError) as exc:
                    _fail(str(exc))
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


def main() -> None:
    """Run the CLI."""
    app()


if __name__ == "__main__":
    main()
