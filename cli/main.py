"""The `council` command: ingest records, check the index, show records, ask questions."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from assistant.present import uk_date
from cli.common import (
    AudienceOpt,
    SinceOpt,
    UntilOpt,
    app,
    fail,
    open_assistant,
    open_store,
    settings_for,
)
from ingest.errors import CouncilError


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Record files or folders.")],
    prune: Annotated[bool, typer.Option(help="Remove stored records no longer present.")] = False,
) -> None:
    """Ingest records (incremental: unchanged records are skipped). A run stopped with
    Ctrl-C keeps every record it finished; the same command again goes on from there."""
    from rich.progress import BarColumn, Progress, TextColumn

    from ingest.embed import Embedder
    from ingest.pipeline import Tally, ingest_paths
    from ingest.templates import load_templates

    settings = settings_for()
    store = open_store(settings, write=True)
    embedder = Embedder(
        threads=settings.threads, batch_size=settings.batch_size, backend=settings.embedder
    )
    columns = (
        TextColumn("{task.description:<28.28}"),
        BarColumn(),
        TextColumn("{task.fields[line]}"),
    )
    try:
        with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("ingesting", total=None, line="")

            def show(t: Tally) -> None:
                eta = f"{t.eta / 60:.0f} min left" if t.eta >= 90 else f"{t.eta:.0f} s left"
                bar.update(
                    task,
                    completed=t.records,
                    total=t.total,
                    description=t.name or "indexing",
                    line=f"{t.records:,}/{t.total:,} records, {t.chunks:,} chunks, "
                    f"{t.rate:.0f} chunks/s, {eta}",
                )

            report = ingest_paths(
                paths,
                store,
                embedder,
                prune=prune,
                max_bytes=int(settings.max_file_mb * 1e6),
                on_tally=show,
                templates=load_templates(settings.templates),
            )
    except KeyboardInterrupt:
        stored = len(store.document_hashes())
        typer.secho(
            f"stopped: {stored:,} records are stored; run the same command again to go on "
            "from where it stopped",
            fg=typer.colors.YELLOW,
            err=True,
        )
        raise typer.Exit(130) from None
    except CouncilError as exc:
        fail(str(exc))
        return
    for message in report.warnings:
        typer.secho(f"note: {message}", fg=typer.colors.CYAN, err=True)
    for _, message in report.failed:
        typer.secho(f"skipped: {message}", fg=typer.colors.YELLOW, err=True)
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json")] = False, audience: AudienceOpt = None
) -> None:
    """Show what the index holds that you may see: records and chunks by body, type, date."""
    from assistant.status import corpus_status

    settings = settings_for(audience)
    store = open_store(settings)
    info = corpus_status(store, settings.audience)
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


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="Record id (see `council status`).")],
    locator: Annotated[str | None, typer.Option(help='A part, e.g. "para 11".')] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """Show a record's text, or one part of it with its neighbours."""
    from assistant.audience import visible

    settings = settings_for(audience)
    store = open_store(settings)
    chunks = [c for c in store.chunks(doc_id) if visible(c.classification, settings.audience)]
    doc = store.document(doc_id)
    if doc is None or not chunks:
        fail(f"no record '{doc_id}' you may see; `council status` lists what is held")
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
        fail(f"'{doc_id}' has no part '{locator}'" + (f"; did you mean: {near}" if near else ""))
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
    since: SinceOpt = "",
    until: UntilOpt = "",
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
                isinstance(t, dict)
                and t.get("role") in ("user", "assistant")
                and isinstance(t.get("content"), str)
                for t in turns
            ):
                raise ValueError("expected a list of {role, content}")
        except (OSError, ValueError) as exc:
            fail(
                f"--history {history}: {exc}; give a JSON list of "
                '{"role": "user"|"assistant", "content": "..."}'
            )
    if answerer not in (None, "extractive", "llm"):
        fail("--answerer must be extractive or llm")
    assistant = open_assistant(audience)
    filters = assistant.filters(
        bodies=tuple(body or ()), doc_types=tuple(doc_type or ()), since=since, until=until
    )
    stream = (lambda t: typer.echo(t, nl=False)) if not as_json and answerer == "llm" else None
    try:
        answer = assistant.ask(
            question, history=turns, filters=filters, answerer=answerer, on_token=stream
        )
    except (CouncilError, ValueError) as exc:
        fail(str(exc))
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
            f"[{c.n}] {c.body or 'Meeting'}, {uk_date(c.meeting_date, c.date_inferred)}"
            f" - {c.title} - {c.locator} ({c.doc_id})"
        )
        quote = c.quote if len(c.quote) < 400 else c.quote[:400] + "..."
        typer.echo("    " + quote.replace("\n", "\n    "))
    typer.echo(f"\n({answer.answerer}, {answer.timings_ms.get('total', 0):.0f} ms)")


@app.command()
def doctor(
    repair: Annotated[bool, typer.Option(help="Fix what can be fixed.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check that the catalogue, Chroma, the BM25 index and the registers agree."""
    from ingest.doctor import doctor as check
    from ingest.doctor import problems as problems_in
    from ingest.embed import Embedder

    settings = settings_for()
    store = open_store(settings)
    try:
        with store.writing(wait=False) if repair else nullcontext():
            found = check(store, repair=repair, embedder=Embedder() if repair else None)
    except CouncilError as exc:
        fail(str(exc))
        return
    problems = problems_in(found)
    if found["writer_active"] and not repair:
        typer.echo("an ingest is running: checked again when it has finished")
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


# The other commands register themselves on the same app.
import cli.evaluate  # noqa: E402, F401
import cli.registers  # noqa: E402, F401


def main() -> None:
    """Run the CLI."""
    app()


if __name__ == "__main__":
    main()
