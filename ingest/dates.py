"""Dates as records write them -> ISO dates: the one date parser of the project."""

from __future__ import annotations

import re
from datetime import date

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {m: i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTHS.update({m[:3]: i + 1 for i, m in enumerate(MONTH_NAMES)})
MONTHS["sept"] = 9
# A month name in full or short ("February", "Feb", "Sept"), for patterns elsewhere.
MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_ORD = r"(?:st|nd|rd|th|™)?"
# "28th January, 2019", "Thursday 29 September 2022", "13th-Feb-2025", "28TH JANUARY 2019",
# "THIS 12TH DAY OF JANUARY, 2011"
DAY_MONTH_YEAR = re.compile(
    rf"\b{_WEEKDAY}(\d{{1,2}}){_ORD}(?:\s+day)?(?:\s+of)?[\s\-]+({MONTH})\.?,?[\s\-]+(\d{{4}})\b",
    re.IGNORECASE,
)
# "January 28, 2019", "September 2022" (no day: the month's first, as a month)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH})\s+(\d{{1,2}}){_ORD},?\s+(\d{{4}})\b", re.IGNORECASE)
NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
MONTH_YEAR = re.compile(rf"\b({MONTH})\s+(19[5-9]\d|20\d\d)\b", re.IGNORECASE)


def iso(year: int, month: int, day: int) -> str:
    """Return YYYY-MM-DD, or '' when the parts are no real date."""
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def month_number(name: str) -> int:
    """Return 1-12 for a month name in full or short."""
    return MONTHS.get(name.lower().rstrip("."), MONTHS.get(name.lower()[:3], 0))


def find_dates(text: str) -> list[tuple[int, str]]:
    """Return (position, ISO date) of every full date the text writes, in text order."""
    found: list[tuple[int, str]] = []
    for m in DAY_MONTH_YEAR.finditer(text):
        found.append((m.start(), iso(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))))
    for m in MONTH_DAY_YEAR.finditer(text):
        found.append((m.start(), iso(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))))
    for m in NUMERIC.finditer(text):
        found.append((m.start(), iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))))
    for m in ISO.finditer(text):
        found.append((m.start(), iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))))
    return sorted((p, d) for p, d in found if d)


def parse_date(text: str) -> str:
    """Return the first date in text as ISO (YYYY-MM-DD), or '' if there is none."""
    found = find_dates(text)
    return found[0][1] if found else ""


def read_periods(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Return the years and year-months ("2022-09") a text names."""
    years = tuple(dict.fromkeys(int(y) for y in YEAR.findall(text)))
    months = tuple(
        dict.fromkeys(
            f"{m.group(2)}-{month_number(m.group(1)):02d}" for m in MONTH_YEAR.finditer(text)
        )
    )
    return years, months
