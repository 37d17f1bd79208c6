"""Exempt marking variants as councils write them, each with its own company name and
sum, and a run of every read path that counts how often those words reach the public.

Usage: python -m evals.exempt_variants   (prints the variants x read paths table)
Used by tests/assistant/test_exempt_variants.py, which asserts every count is 0.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from assistant.briefing import brief
from assistant.registers import find_decisions, find_questions
from assistant.reply import draft_reply
from assistant.service import Assistant
from ingest.embed import Embedder
from ingest.pipeline import ingest_paths
from ingest.settings import Settings
from ingest.store import Store

HEAD = "Title of report: {title}\n\nMeeting: Cabinet\n\nMeeting date: 12 January 2023\n\n"
# name -> (file text, secret words, open words that the public must still see)
VARIANTS: dict[str, tuple[str, str, str]] = {
    "banner_short": (
        "NOT FOR PUBLICATION\n\n"
        + HEAD.format(title="Depot lease")
        + "1. The depot lease goes to Brackenfold Haulage Ltd for £412,733 a year.\n",
        "Brackenfold",
        "",
    ),
    "banner_long": (
        "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A of the "
        "Local Government Act 1972\n\n"
        + HEAD.format(title="Bridge repair tender")
        + "Purpose\n\nTo award the bridge repair tender.\n\n"
        "Recommendation(s)\n\nThat:\n\na) Cabinet award the tender to Cindermoss "
        "Civil Engineering at £2,318,004.\n\n"
        "Key considerations\n\n1. Cindermoss Civil Engineering scored highest.\n",
        "Cindermoss",
        "",
    ),
    "classification_line": (
        HEAD.format(title="Care home purchase")
        + "Classification: Exempt\n\n"
        + "1. The council will buy the home from Dovecrest Living for £3,901,555.\n",
        "Dovecrest",
        "",
    ),
    "part_two_minutes": (
        "Minutes of the meeting of Cabinet held at Hereford on Thursday 12 January 2023\n\n"
        "40. LIBRARY OPENING HOURS\n\nCabinet agreed longer library opening hours in Ledbury.\n\n"
        "41. EXCLUSION OF THE PRESS AND PUBLIC\n\n"
        "RESOLVED that the press and public be excluded for the following item.\n\n"
        "42. LAND SALE AT WESTFIELDS\n\n"
        "Cabinet agreed to sell the Westfields land to Ebonwick Estates for £655,120.\n\n"
        "RESOLVED that the sale to Ebonwick Estates be approved.\n\n"
        "The press and public were readmitted.\n\n"
        "43. PARKING CHARGES\n\nCabinet noted the Bromyard parking charges review.\n",
        "Ebonwick",
        "Bromyard parking charges",
    ),
    "part_two_line": (
        "Minutes of the meeting of Cabinet held at Hereford on Thursday 12 January 2023\n\n"
        "50. ROAD GRITTING\n\nCabinet noted the Kington gritting routes report.\n\n"
        "PART II - NOT FOR PUBLICATION\n\n"
        "51. STAFF SETTLEMENT\n\nCabinet approved a settlement with Fernwhistle Consulting "
        "of £98,765.\n\nRESOLVED that the settlement with Fernwhistle Consulting be approved.\n",
        "Fernwhistle",
        "Kington gritting routes",
    ),
    "exempt_appendix": (
        HEAD.format(title="Leisure centre contract")
        + "Classification: Open report with exempt appendix\n\n"
        "1. The Leominster leisure centre contract is renewed for five years.\n\n"
        "Appendix 2 - Exempt\n\nFinancial details\n\n"
        "The bid from Gorsebrook Leisure was £1,204,377 a year.\n",
        "Gorsebrook",
        "Leominster leisure centre",
    ),
    "exempt_heading": (
        HEAD.format(title="Waste contract review")
        + "1. The Ross-on-Wye waste collection review is complete.\n\n"
        "Exempt information\n\nCommercial position\n\n"
        "Hollowmere Waste Services asked for £744,219 more.\n\n"
        "Legal advice\n\nCounsel advised that Hollowmere Waste Services may claim.\n",
        "Hollowmere",
        "Ross-on-Wye waste collection",
    ),
}
SECRETS = [secret for _, secret, _ in VARIANTS.values()]
SUMS = ["412,733", "2,318,004", "3,901,555", "655,120", "98,765", "1,204,377", "744,219"]


TOPICS = [
    "depot lease",
    "bridge repair tender",
    "care home purchase",
    "Westfields land sale",
    "staff settlement",
    "leisure centre contract bid",
    "waste contract commercial position",
]
PATHS = ("ask", "show", "decisions", "questions", "draft-reply", "brief", "eval rows")


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS + SUMS if s in text]


def questions() -> list[str]:
    """Return questions aimed at each variant's exempt words, which never name the secret
    (so any secret in the output came from the records): what was agreed, and the exempt
    sentence itself, quoted with the company's name left out."""
    out = []
    for (text, secret, _), topic in zip(VARIANTS.values(), TOPICS, strict=True):
        line = next(ln for ln in text.split("\n") if secret in ln)
        sum_ = next(s for s in SUMS if s in line) if any(s in line for s in SUMS) else ""
        out.append(line.replace(secret, "the company").replace(sum_, "the sum"))
        out.append(f"How much was agreed for the {topic}, and with whom?")
    return out


def public_outputs(data_dir: Path, embedder: Embedder) -> dict[str, str]:
    """Return, per read path, everything a public reader is shown for the variants."""
    public = Assistant(
        Settings(data_dir=data_dir, audience="public"), store=Store(data_dir), embedder=embedder
    )
    out = dict.fromkeys(PATHS, "")
    for q in questions():
        answer = public.ask(q)
        shown = answer.to_json()
        shown.pop("question")  # the reader's own words
        out["ask"] += json.dumps(shown) + " ".join(c.passage for c in answer.retrieved)
        out["eval rows"] += json.dumps(shown)
    for name in VARIANTS:
        out["show"] += " ".join(
            c.text for c in public.store.chunks(name) if public.filters().allows(c)
        )
    for topic in TOPICS:
        out["draft-reply"] += draft_reply(public, f"What was agreed on the {topic}?").markdown
        out["brief"] += brief(public, topic).to_markdown()
        out["decisions"] += json.dumps([d.to_json() for d in find_decisions(public, topic=topic)])
    out["decisions"] += json.dumps([d.to_json() for d in find_decisions(public)])
    out["questions"] += json.dumps([q.to_json() for q, _ in find_questions(public)])
    return out


def leak_table(data_dir: Path, embedder: Embedder) -> dict[str, dict[str, int]]:
    """Return {variant: {read path: times its company or sum was shown to the public}}."""
    outputs = public_outputs(data_dir, embedder)
    table: dict[str, dict[str, int]] = {}
    for (name, (_, secret, _)), sum_ in zip(VARIANTS.items(), SUMS, strict=True):
        table[name] = {
            path: shown.count(secret) + shown.count(sum_) for path, shown in outputs.items()
        }
    return table


def write_variants(folder: Path) -> Path:
    """Write the variant records into folder; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (text, _, _) in VARIANTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    """Ingest the seeds and the variants into a temporary index and print the leak table."""
    embedder = Embedder()
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        store = Store(data)
        ingest_paths([root / "corpus", write_variants(Path(tmp) / "variants")], store, embedder)
        table = leak_table(data, embedder)
    print("| marking variant | " + " | ".join(PATHS) + " |")
    print("|" + " --- |" * (len(PATHS) + 1))
    for name, row in table.items():
        print(f"| {name} | " + " | ".join(str(row[p]) for p in PATHS) + " |")


if __name__ == "__main__":
    main()
