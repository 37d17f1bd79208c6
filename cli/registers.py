"""`council decisions`, `questions`, `draft-reply` and `brief`: the registers and the
workflows built on them."""

from __future__ import annotations

import json
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
)
from ingest.registers import PART_ORDER


@app.command()
def decisions(
    body: Annotated[str, typer.Option(help="Meeting body, e.g. Cabinet.")] = "",
    since: SinceOpt = "",
    until: UntilOpt = "",
    topic: Annotated[str, typer.Option(help="Words the decision or its report is about.")] = "",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    audience: AudienceOpt = None,
) -> None:
    """List what was recommended, resolved and noted, newest first."""
    from assistant.registers import find_decisions

    assistant = open_assistant(audience)
    found = find_decisions(assistant, body=body, since=since, until=until, topic=topic)
    if as_json:
        typer.echo(json.dumps([d.to_json() for d in found], ensure_ascii=False, indent=2))
        return
    for d in found:
        extra = f" [{d.decision_type} decision]" if d.decision_type else ""
        sums = f" ({', '.join(d.sums)})" if d.sums else ""
        typer.echo(
            f"{uk_date(d.meeting_date, d.date_inferred)} {d.body} - {d.status}{extra}{sums} - "
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
    from assistant.registers import find_questions

    assistant = open_assistant(audience)
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
            f"{q.number} - {uk_date(q.meeting_date, q.date_inferred)} {q.body} - "
            f"{q.questioner}{' - to ' + q.put_to if q.put_to else ''}{score} ({q.doc_id})"
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
    from assistant.export import save_docx
    from assistant.reply import draft_reply

    if not question.strip():
        fail("the question is empty: give the public question to draft a reply to")
    assistant = open_assistant(audience)
    draft = draft_reply(assistant, question, answerer=answerer)
    typer.echo(draft.markdown)
    if docx is not None:
        save_docx(draft.markdown, docx)
        typer.echo(f"written: {docx}")


@app.command("brief")
def brief_command(
    topic: Annotated[str, typer.Argument(help="The topic, e.g. 'Ofsted inspections'.")],
    since: SinceOpt = "",
    until: UntilOpt = "",
    markdown: Annotated[Path | None, typer.Option(help="Write the briefing here.")] = None,
    audience: AudienceOpt = None,
) -> None:
    """A dated, cited timeline of a topic across meetings, its outcomes and what is open."""
    from assistant.briefing import brief

    assistant = open_assistant(audience)
    text = brief(assistant, topic, since=since, until=until).to_markdown()
    typer.echo(text)
    if markdown is not None:
        markdown.write_text(text, encoding="utf-8")
