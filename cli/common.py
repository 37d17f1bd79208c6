"""What every `council` command shares: the Typer app, options, settings and the index,
read once here at the edge."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Annotated, Any, NoReturn

import typer

from assistant.audience import AUDIENCES
from ingest.errors import ConfigError, CouncilError
from ingest.settings import Settings, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ask a council's meeting records questions; get cited answers.",
)


def iso_date(value: str) -> str:
    """Check a --since/--until value: an ISO date, or nothing."""
    if value:
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError as exc:
            raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD") from exc
    return value


SinceOpt = Annotated[str, typer.Option(help="From date, YYYY-MM-DD.", callback=iso_date)]
UntilOpt = Annotated[str, typer.Option(help="To date, YYYY-MM-DD.", callback=iso_date)]
AudienceOpt = Annotated[
    str | None,
    typer.Option(
        "--audience", help="public (Open only), member or officer; default COUNCIL_AUDIENCE."
    ),
]


def settings_for(audience: str | None = None) -> Settings:
    """Return the settings (the environment's, with --audience over it); a bad value ends
    the command with one line saying which and what to do."""
    if audience and audience not in AUDIENCES:
        fail(f"--audience {audience!r}: use public, member or officer")
    try:
        settings = load_settings()
    except ConfigError as exc:
        fail(str(exc))
        raise
    return settings.model_copy(update={"audience": audience}) if audience else settings


def fail(message: str) -> NoReturn:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def open_store(settings: Settings, *, write: bool = False) -> Any:
    """Return the index; a reader of a folder it may not write opens it read-only."""
    from ingest.store import Store

    folder = settings.data_dir
    read_only = not write and folder.is_dir() and not os.access(folder, os.W_OK)
    try:
        return Store(
            folder,
            collection=settings.collection,
            chroma_url=settings.chroma_url,
            read_only=read_only,
        )
    except CouncilError as exc:
        fail(str(exc))


def open_assistant(audience: str | None) -> Any:
    """Return the assistant over the configured index; an empty index is said plainly."""
    from assistant.service import Assistant

    settings = settings_for(audience)
    assistant = Assistant(settings, store=open_store(settings))
    if not assistant.store.document_hashes():
        fail(
            f"no records are indexed in {assistant.store.data_dir}; "
            "run `council ingest corpus/` (or set COUNCIL_DATA_DIR)"
        )
    return assistant
