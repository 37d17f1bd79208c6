"""One settings object, read once at the edge (CLI, app); env prefix COUNCIL_."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything a user can configure, each with its description."""

    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    data_dir: Path = Field(
        default=PROJECT_ROOT / ".council",
        description="Folder holding the Chroma index, the lexical index and the catalogue.",
    )
    collection: str = Field(default="council", description="Chroma collection name.")
    chroma_url: str = Field(
        default="",
        description="URL of a Chroma server (http://host:8000); empty uses the embedded store.",
    )
    max_file_mb: float = Field(
        default=20.0,
        description="Records larger than this many MB are refused with a message.",
    )
    templates: str = Field(
        default="",
        description="A YAML file of your council's own labels and layouts, added to the "
        "built-in template table (ingest/templates.yaml).",
    )
    batch_size: int = Field(
        default=16, description="Embedding batch size (16 measured fastest on 2 cores)."
    )
    threads: int = Field(default=0, description="Threads for embedding; 0 = all cores.")
    embedder: Literal["onnx", "onnx-dyn8", "onnx-int8", "torch"] = Field(
        default="onnx",
        description="How the bundled model runs: onnx (the same vectors, fast start), "
        "onnx-dyn8 or onnx-int8 (quantised: faster, less exact), torch.",
    )
    answerer: Literal["extractive", "llm"] = Field(
        default="extractive", description="Which answerer `ask` uses by default."
    )
    llm: str = Field(
        default="",
        description="LLM backend as provider:model, e.g. ollama:llama3.1:8b or openai:gpt-4o-mini.",
    )
    llm_base_url: str = Field(default="", description="Base URL of the LLM server, if not default.")
    llm_api_key: str = Field(default="", description="API key for an OpenAI-compatible server.")
    llm_timeout: float = Field(default=20.0, description="Seconds before an LLM call gives up.")
    audience: Literal["public", "member", "officer"] = Field(
        default="public", description="Who is reading: public sees Open records only."
    )
    users: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="App sign-in: JSON {name: {role: member|officer, password_hash: ...}}; "
        "make hashes with `council hash-password`. Empty: no sign-in, public view only.",
    )
    allow_uploads: bool = Field(
        default=False,
        description="Let anyone add records in the app when no users are configured "
        "(otherwise only a signed-in officer may).",
    )
    k: int = Field(default=5, description="Passages an answer draws on.")
    feedback: float = Field(
        default=0.8,
        ge=0.0,
        description="How far the question's vector moves toward its first three results "
        "before the second dense search (0 turns this off; 0.8 was best on the dev splits).",
    )
    abstain_threshold: float = Field(
        default=0.0,
        description="Probability that the records answer (0-1) below which the assistant "
        "abstains; 0 uses the one fitted on the development questions.",
    )


FIELD_HELP = {
    "audience": "use public, member or officer",
    "answerer": "use extractive or llm",
    "embedder": "use onnx, onnx-dyn8, onnx-int8 or torch",
    "users": 'give JSON such as {"ann": {"role": "officer", "password_hash": "..."}}',
}


def load_settings(**overrides: object) -> Settings:
    """Return the settings from the environment (and overrides); a bad value is refused with
    one line naming the COUNCIL_ variable and what to put there, never a traceback."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from ingest.errors import ConfigError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "?"
            value = error.get("input")
            help_text = FIELD_HELP.get(name, error["msg"].lower())
            problems.append(f"COUNCIL_{name.upper()}={value!r} is not valid: {help_text}")
        raise ConfigError("; ".join(problems)) from exc
    except SettingsError as exc:
        text = str(exc)
        name = text.split('"')[1] if '"' in text else "?"
        help_text = FIELD_HELP.get(name, "check its format")
        raise ConfigError(f"COUNCIL_{name.upper()} could not be read: {help_text}") from exc
