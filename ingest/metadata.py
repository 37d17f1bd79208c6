"""What a record says about itself (title, body, date, type, classification, ...), read with
the template table, then filled from what lies beside it: sidecar files, its file name, its
folder. Every value not read from the record's text or its manifest is marked as inferred."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ingest.chunk import RecordMeta
from ingest.dates import MONTH_NAMES, find_dates, parse_date
from ingest.templates import Templates

HEAD_CHARS = 6000
SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to", "a", "an", "de"}
WRAPPING_WORDS = {"and", "of", "the", "for", "&"}  # a value ending so goes on the next line
MARKUP = re.compile(r"\*{1,3}|_{2,}|</?small>|</?b>")


@dataclass(frozen=True)
class Found:
    """Metadata values with where each came from ("text", "file name", "sidecar", ...)."""

    values: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def fill(self, key: str, value: str, source: str) -> Found:
        """Return this with key set, unless it already has a value."""
        if not value or self.values.get(key):
            return self
        return replace(
            self, values={**self.values, key: value}, source={**self.source, key: source}
        )


def long_date(iso_date: str) -> str:
    """Return '13 February 2025' for '2025-02-13'."""
    year, month, day = iso_date.split("-")
    return f"{int(day)} {MONTH_NAMES[int(month) - 1].capitalize()} {year}"


def plain(text: str) -> str:
    """Return text without Markdown emphasis left by converters."""
    return MARKUP.sub("", text)


def tidy_name(name: str, templates: Templates) -> str:
    """Return a body or title as shown: spaces folded, shouting calmed, aliases applied."""
    name = " ".join(plain(name).replace("_", " ").split()).strip(" ,;:.-–")
    while True:  # "The Limerick ... Council Joint ...", "... of <council> You are invited ...":
        shorter = templates.body_prefix.sub("", name).strip()  # each mark read in turn
        shorter = templates.body_suffix.sub("", shorter).strip(" ,=\u201d\u201c\u2014")
        if shorter == name:
            break
        name = shorter
    name = re.sub(r"(?<=[A-Za-z])- (?=[A-Z])", "-", name)  # "Adare- Rathkeale", a wrapped hyphen
    if name.isupper() or (name.islower() and len(name.split()) <= 4):
        words = name.lower().split()
        name = " ".join(
            w if (i and w in SMALL_WORDS) else "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
            for i, w in enumerate(words)
        )
    name = name.replace(" & ", " and ")
    return templates.body_aliases.get(name.lower(), name)


FOLD_SIMILARITY = 0.9  # how alike a stray spelling and a body's usual name must read
FOLD_CHARACTERS = 6  # and at most this many letters apart (a misreading, not a renaming)
FOLD_LEAD = 3  # the usual name must name at least this many times the stray one's records


def body_key(name: str) -> str:
    """Return a body name's words, lower case, without punctuation: names with one key are
    one body ("Community, Leisure and ..." and "Community Leisure and ...")."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def fold_bodies(counts: dict[str, int]) -> dict[str, str]:
    """Return {name: the name to show} for body names that are another, more used name
    written differently: the same words in other punctuation or case, or a scanned copy's
    misreading of a usual name ("Cappamore-Kilmaliock", "Limerick ~"). Read from the names
    a catalogue holds and their record counts, so no council's names are written here."""
    from difflib import SequenceMatcher

    by_key: dict[str, list[str]] = {}
    for name in counts:
        if body_key(name):
            by_key.setdefault(body_key(name), []).append(name)
    # One spelling per key: the most used (then the one with more punctuation, as written).
    usual = {key: max(names, key=lambda n: (counts[n], len(n), n)) for key, names in by_key.items()}
    folds = {n: usual[k] for k, names in by_key.items() for n in names if n != usual[k]}
    key_counts = {k: sum(counts[n] for n in names) for k, names in by_key.items()}
    for key, count in sorted(key_counts.items(), key=lambda kv: kv[1]):
        if len(key) < 12:
            continue  # short names ("Council", "Cabinet") are too alike to judge
        best, best_ratio = "", FOLD_SIMILARITY
        for other, other_count in key_counts.items():
            if other == key or other_count < FOLD_LEAD * max(count, 1) or other_count < 3:
                continue
            matcher = SequenceMatcher(None, key, other, autojunk=False)
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            apart = len(key) + len(other) - 2 * sum(b.size for b in matcher.get_matching_blocks())
            if ratio >= best_ratio and apart <= FOLD_CHARACTERS:
                best, best_ratio = other, ratio
        if best:
            for name in by_key[key]:
                folds[name] = usual[best]
    for name in folds:  # a fold's target may itself fold
        seen = {name}
        while folds[name] in folds and folds[name] not in seen:
            seen.add(folds[name])
            folds[name] = folds[folds[name]]
    return folds


def label_value(head: str, label: str) -> str:
    """Return the value of 'Label: value' or of a 'Label' line followed by its value line."""
    esc = re.escape(label)
    m = re.search(rf"^[ \t]*{esc}[ \t]*:[ \t]*(\S.*)$", head, re.IGNORECASE | re.MULTILINE)
    if m:
        value = m.group(1).strip()
        if value.split()[-1].lower() in WRAPPING_WORDS:  # "... Member of the District of"
            following = re.match(r"\n(?:[ \t]*\n)?[ \t]*(\S[^\n]*)", head[m.end() :])
            if following:
                value = f"{value} {following.group(1).strip()}"
        return value
    m = re.search(rf"^[ \t]*{esc}[ \t]*:?[ \t]*\n(?:[ \t]*\n)?[ \t]*(\S.*)$", head, re.I | re.M)
    if m and len(m.group(1)) < 200:
        return m.group(1).strip()
    return ""


def read_labels(head: str, templates: Templates) -> dict[str, str]:
    """Return {field: value} for each cover-sheet field whose label the head carries."""
    out: dict[str, str] = {}
    for key, labels in templates.labels.items():
        for label in labels:
            value = label_value(head, label).rstrip(";").strip()
            if key == "body" and value and not templates.body_words.search(value):
                continue  # "To: Leaders of all councils" is a letter's addressee
            if key == "title" and (len(value) < 4 or value.endswith(":")):
                continue
            if value:
                out[key] = value
                break
    return out


def _opening(head: str, patterns: tuple[re.Pattern[str], ...]) -> tuple[int, str, str] | None:
    """Return (position, body, when) of the earliest opening pattern match in the record's
    head: a record opens with its own meeting, and later mentions ("Minutes of the meeting
    held on ...", adopted at item 1) name an earlier one."""
    flat = " ".join(plain(head[:2500]).split())
    found = [m for m in (pattern.search(flat) for pattern in patterns) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    # A heading's opening whose body runs into the sentence that names the meeting ("MINUTES
    # OF MEETING OF ... SPC A meeting of ..., Home and Social Development Strategic Policy
    # Committee was held on ...") gives way to that sentence.
    inner = [x for x in found if m.start("body") < x.start() < m.end("body")]
    if inner:
        m = min(inner, key=lambda x: x.start())
    # The meeting's own date comes before its business: a summons that gives no year
    # ("Thursday 18th February") must not take the date of the minutes it lists to adopt.
    when = re.split(r"\b(?:minutes|agenda|a g e n d a)\b", m.group("when"), flags=re.I)[0]
    return m.start(), m.group("body"), when[:150]


BODY_WORDS = 20  # a body's name is shorter: longer, an opening ran on into the record


def body_name(value: str, templates: Templates) -> str:
    """Return the body an opening names, as shown, or "" when what it read runs on past a
    name ("Village Liaison Committee ... Wednesday 8th December 2004 Present: Ms ...",
    "Cultural Strategic Policy Committee will be held on Tuesday 12th February at 3.00pm
    ..."): the file's name or folder gives the body then."""
    name = tidy_name(value, templates)
    return name if len(name.split()) <= BODY_WORDS else ""


def body_and_date(value: str, templates: Templates) -> tuple[str, str]:
    """Return (body, ISO date) from a value like 'County Council – 9th January 2025'."""
    found = find_dates(value)
    body = value[: found[0][0]] if found else value
    return body_name(body, templates), found[0][1] if found else ""


def type_of(text: str, templates: Templates) -> str:
    """Return the document type a title or file name names, or ''."""
    for name, pattern in templates.doc_types:
        if pattern.search(text):
            return name
    return ""


def read_file_name(path: Path, templates: Templates) -> dict[str, str]:
    """Return type, body and date a file name (or, failing that, its folder) carries."""
    for name in (path.stem, path.parent.name):
        name = " ".join(name.replace("\u00a0", " ").split())
        for pattern in templates.file_names:
            m = pattern.match(name)
            if not m:
                continue
            groups = m.groupdict()
            out = {
                "body": tidy_name(groups.get("body") or "", templates),
                "meeting_date": parse_date(groups.get("date") or ""),
                "doc_type": type_of(groups.get("type") or "", templates),
            }
            return {k: v for k, v in out.items() if v}
    return {}


def descriptive(stem: str) -> bool:
    """Whether a file name reads as a title (words), not an id ('000_c63c77a5f0830ac3')."""
    words = re.findall(r"[A-Za-z]{3,}", stem)
    return len(words) >= 2 and not re.fullmatch(r"[\w-]*\d[\w-]*", stem.replace(" ", "_"))


def first_heading(text: str) -> str:
    """Return the record's first short line that reads as a heading, or ''."""
    for line in text.split("\n")[:40]:
        line = plain(line).strip(" #|")
        wordy = 8 <= len(line) <= 120 and re.search(r"[A-Za-z]{3}", line)
        if wordy and not line.endswith(",") and not re.match(r"^(page \d|\d+$)", line, re.I):
            return line
    return ""


def classify_value(value: str, templates: Templates) -> str:
    """Return 'Open', 'Exempt' or '' (unknown) for a classification value."""
    v = " ".join(re.sub(r"[^\w\s-]", " ", plain(value).lower()).split())
    if not v:
        return "Open"
    if v in templates.open_values:
        return "Open"
    opens = any(re.match(rf"{re.escape(w)}\b", v) for w in templates.open_values)
    if opens and re.search(r"\b(?:appendix|appendices|annex)\b", v):
        return "Open"  # "Open report with exempt appendix": the appendix marks itself
    if any(re.search(rf"\b{re.escape(w)}\b", v) for w in templates.exempt_values):
        negated = re.search(r"\b(not|non|un)[\s-]?(exempt|restricted|confidential)", v)
        if not negated:
            return "Exempt"
    if any(re.match(rf"{re.escape(w)}\b", v) for w in templates.open_values):
        return "Open"
    return ""


def read_meta(text: str, templates: Templates, *, name: str = "") -> Found:
    """Return the metadata the record's own text states."""
    head = text[:HEAD_CHARS]
    labels = read_labels(head, templates)
    found = Found()
    for key in ("title", "report_by", "decision_ref", "wards"):
        found = found.fill(key, plain(labels.get(key, "")).strip(), "text")
    decision = labels.get("decision_type", "")
    if decision:
        word = decision.split()[0].rstrip(".,;")
        found = found.fill("decision_type", word if word.lower() != "yes" else "Key", "text")
    found = found.fill("meeting_date", parse_date(labels.get("meeting_date", "")), "text")
    if labels.get("body"):
        body, when = body_and_date(labels["body"], templates)
        found = found.fill("body", body, "text").fill("meeting_date", when, "text")
    minutes = _opening(head, templates.minute_openings)
    agenda = _opening(head, templates.agenda_openings)
    openings = [(o, kind) for o, kind in ((minutes, "minutes"), (agenda, "agenda")) if o]
    if openings:
        (_, body, when), kind = min(openings, key=lambda pair: pair[0][0])
        found = found.fill("body", body_name(body, templates), "text")
        found = found.fill("meeting_date", parse_date(when), "text")
        found = found.fill("doc_type", kind, "text")
    if found.values.get("title") and not found.values.get("doc_type"):
        found = found.fill("doc_type", "report", "text")
    raw = labels.get("classification", "")
    verdict = classify_value(raw, templates)
    if not verdict:
        verdict = "Exempt"
        found = replace(
            found,
            warnings=(
                f"{name or 'record'}: classification {raw!r} is not a known value, so the "
                "record is held back as Exempt; if it is public, set `classification: Open` "
                "for it in the folder's manifest.yaml (or add the word to the template table)",
            ),
        )
    if raw:
        found = found.fill("classification", verdict, "text")
    return found


def describe(
    text: str,
    path: Path,
    templates: Templates,
    *,
    manifest: dict[str, object] | None = None,
    sidecar: dict[str, str] | None = None,
) -> tuple[RecordMeta, tuple[str, ...]]:
    """Return a record's metadata and warnings: the manifest first, then its text, then what
    lies beside it (sidecar, file name, folder); values from beside it are marked inferred."""
    found = Found()
    manifest = dict(manifest or {})
    for key, value in manifest.items():
        if key in RecordMeta.__dataclass_fields__ and value not in (None, "") and key != "notes":
            found = found.fill(key, str(value), "manifest")
    from_text = read_meta(text, templates, name=path.name)
    for key, value in from_text.values.items():
        found = found.fill(key, value, from_text.source[key])
    if "classification" not in manifest:
        found = replace(found, warnings=from_text.warnings)
    from_name = read_file_name(path, templates)
    if from_name.get("meeting_date"):
        # A file's own name dates it before its folder does: an archive files minutes with
        # the meeting that adopted them, and the folder's README or metadata.json gives that
        # meeting's date.
        found = found.fill("meeting_date", from_name["meeting_date"], "file name")
    for key, value in (sidecar or {}).items():
        found = found.fill(key, value, "sidecar")
    for key, value in from_name.items():
        found = found.fill(key, value, "file name")
    values = found.values
    if not values.get("title"):
        kind, body, when = values.get("doc_type"), values.get("body"), values.get("meeting_date")
        if kind in ("minutes", "agenda") and body and when:
            sources = {found.source[k] for k in ("doc_type", "body", "meeting_date")}
            title = f"{kind.capitalize()}: {body}, {long_date(when)}"
            found = found.fill("title", title, "text" if sources == {"text"} else "file name")
        elif descriptive(path.stem):
            found = found.fill("title", " ".join(path.stem.replace("_", " ").split()), "file name")
        else:
            found = found.fill("title", first_heading(text), "text")
    found = found.fill("doc_type", type_of(found.values.get("title", ""), templates), "text")
    if not found.values.get("doc_type") and re.search(r"^(?:PQ|MQ)\s*\d+", text, re.M):
        found = found.fill("doc_type", "questions", "text")
    values = found.values
    inferred = tuple(sorted(k for k, s in found.source.items() if s not in ("text", "manifest")))
    date_inferred = bool(manifest.get("date_inferred")) or "meeting_date" in inferred
    meta = RecordMeta(
        title=values.get("title", ""),
        body=values.get("body", ""),
        meeting_date=values.get("meeting_date", ""),
        doc_type=values.get("doc_type") or "other",
        classification=values.get("classification", "Open"),
        url=values.get("url", ""),
        decision_type=values.get("decision_type", ""),
        report_by=values.get("report_by", ""),
        wards=values.get("wards", ""),
        decision_ref=values.get("decision_ref", ""),
        date_inferred=date_inferred,
        inferred=inferred,
        sources={k: v for k, v in sorted(found.source.items())},
        notes=str(manifest.get("notes", "") or ""),
    )
    return meta, found.warnings


def merge_meta(found: RecordMeta, override: dict[str, object] | None) -> RecordMeta:
    """Return metadata filled or overridden by a manifest entry."""
    if not override:
        return found
    known = set(RecordMeta.__dataclass_fields__) - {"inferred", "sources"}
    values = {k: v for k, v in override.items() if k in known and v not in (None, "")}
    if "meeting_date" in values:
        values["meeting_date"] = str(values["meeting_date"])
    return replace(found, **values)  # type: ignore[arg-type]
