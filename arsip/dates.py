"""Indonesian dates: formatting for pages and reading dates as releases write them.

Babel supplies the Indonesian names; the system locale is never used.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from babel.dates import format_date as _babel_format_date
from babel.dates import get_day_names, get_month_names

LOCALE = "id"

# Babel patterns by the names templates use.
PATTERNS = {
    "full": "EEEE, d MMMM y",  # Jumat, 8 November 2024
    "long": "d MMMM y",  # 8 November 2024
    "month": "MMMM y",  # November 2024
    "month_name": "MMMM",  # November
    "short": "d MMM y",  # 8 Nov 2024
}


def format_date(value: datetime.date | datetime.datetime, style: str = "full") -> str:
    """Format a date in Indonesian with one of PATTERNS (or a Babel pattern)."""
    return _babel_format_date(value, PATTERNS.get(style, style), locale=LOCALE)


def format_time(value: datetime.datetime) -> str:
    """ "22.30 WIB" as Indonesian releases write it (Asia/Jakarta is WIB)."""
    return f"{value:%H.%M} WIB"


def month_name(month: int) -> str:
    return format_date(datetime.date(2000, month, 1), "month_name")


# -- reading dates as releases write them ------------------------------------
#
# One parser for the editors' tools: the importer finds a release's date in its
# text, the checker and the scaffold read and write the `Date:` field.

# Day and month names come from Babel's Indonesian locale; the variants are
# spellings Babel does not know but releases use.
_DAY_VARIANTS = {"Jum'at": 4, "Ahad": 6}
_MONTH_VARIANTS = {"Agt": 8, "Ags": 8, "Sept": 9, "Nop": 11, "Nopember": 11, "Pebruari": 2}
# Hours ahead of WIB (Asia/Jakarta) of the other Indonesian time zones.
_ZONE_OFFSETS = {"WIB": 0, "WITA": 1, "WIT": 2}
# How far from the context year a year-less date with a weekday may land.
_YEAR_SEARCH = 6


def _fold(name: str) -> str:
    return name.casefold().replace("'", "").replace("\u2019", "")


def _day_names() -> dict[str, int]:
    names = {_fold(n): d for d, n in get_day_names("wide", locale=LOCALE).items()}
    names.update({_fold(n): d for n, d in _DAY_VARIANTS.items()})
    return names


def _month_names() -> dict[str, int]:
    names = {}
    for width in ("wide", "abbreviated"):
        names.update({_fold(n): m for m, n in get_month_names(width, locale=LOCALE).items()})
    names.update({_fold(n): m for n, m in _MONTH_VARIANTS.items()})
    return names


DAY_NAMES = _day_names()  # "jumat" -> 4 (Monday is 0)
MONTH_NAMES = _month_names()  # "november" / "nov" -> 11


def _alternatives(names) -> str:
    # Longest first so that "Nopember" wins over "Nop"; apostrophes optional.
    spelled = sorted({n for n in names}, key=len, reverse=True)
    return "|".join(re.escape(n).replace("jumat", "jum['\u2019]?at") for n in spelled)


_DAY = rf"(?P<weekday>{_alternatives(DAY_NAMES)})"
_NUMERIC = (
    rf"(?:{_DAY}\s*,?\s*)?(?P<open>\(\s*)?(?:(?:tanggal|tgl\.?)\s+)?"
    r"(?<![\d/.-])(?P<day>\d{1,2})\s*(?P<sep>[/-])\s*(?P<month>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<year>\d{4}|\d{2}))?(?![\d/])(?P<close>\s*\))?"
)
_LONG = (
    rf"(?:{_DAY}\s*,?\s*)?(?P<open>\(\s*)?(?:(?:tanggal|tgl\.?)\s+)?"
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month_name>{_alternatives(MONTH_NAMES)})\b\.?"
    r"(?:\s*,?\s*(?P<year>\d{4})\b)?(?P<close>\s*\))?"
)
_FORMS = [re.compile(form, re.IGNORECASE) for form in (_NUMERIC, _LONG)]
_TIME = re.compile(
    rf"(?:{_DAY}\s+(?:(?:pagi|siang|sore|malam|dini\s+hari)\s+)?)?"
    r"(?:pukul|jam|pkl\.?)\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?!\d)"
    r"(?:\s*(?P<zone>WIB|WITA|WIT)\b)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_METADATA_DATE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})(?: (?P<hour>\d{2}):(?P<minute>\d{2}))?$", re.ASCII
)


class DateProblem(ValueError):
    """A date is written but cannot be a real date (30/02/2025, 31 April)."""

    def __init__(self, message: str, text: str = "", start: int = 0):
        self.text, self.start = text, start
        super().__init__(message)


@dataclass(frozen=True)
class FoundDate:
    """A date as a release writes it, read."""

    date: datetime.date
    text: str  # as written: "Jumat, (8/11/2024)"
    start: int  # offset in the text searched
    weekday: int | None = None  # the weekday written next to it, if any
    notes: tuple[str, ...] = ()  # warnings for the editor (weekday mismatch, year inferred)


@dataclass(frozen=True)
class FoundTime:
    time: datetime.time  # in WIB
    text: str
    start: int
    weekday: int | None = None
    notes: tuple[str, ...] = ()


def weekday_name(value: datetime.date) -> str:
    return format_date(value, "EEEE")


def years_mentioned(text: str) -> list[int]:
    """Four-digit years in a text, most frequent first: context for year-less dates."""
    counts: dict[int, int] = {}
    for match in _YEAR.finditer(text):
        counts[int(match[0])] = counts.get(int(match[0]), 0) + 1
    return sorted(counts, key=lambda y: -counts[y])


def find_date(
    text: str, context_year: int | None = None, today: datetime.date | None = None
) -> FoundDate | None:
    """The first date written in `text`, or None.

    A year-less date ("Senin (2/12)") takes the year whose calendar matches its
    weekday, closest to `context_year` (default: the year the text mentions
    most, else today's). Raises DateProblem for a date that cannot exist.
    """
    for match in _matches(text):
        return _read(match, text, context_year, today)
    return None


def parse_date(
    text: str, context_year: int | None = None, today: datetime.date | None = None
) -> FoundDate:
    """Read a string that is only a date ("Kamis (28/11/2024)", "20 November 2024")."""
    stripped = text.strip()
    for form in _FORMS:
        match = form.fullmatch(stripped)
        if match and _balanced(match):
            return _read(match, stripped, context_year, today, standalone=True)
    raise DateProblem(f'"{text}" is not a date like "Jumat (8/11/2024)" or "8 November 2024"')


def _matches(text: str):
    found = []
    for form in _FORMS:
        for match in form.finditer(text):
            if not _balanced(match):
                continue
            written_alone = not (match["weekday"] or match["open"] or match["year"])
            if form.pattern is _NUMERIC and written_alone:
                continue  # "1/2" in running text is not a date
            found.append(match)
    return sorted(found, key=lambda m: m.start())


def _balanced(match) -> bool:
    return bool(match["open"]) == bool(match["close"]) or not match["open"]


def _read(match, text, context_year, today, standalone=False) -> FoundDate:
    written = match[0].strip()
    day = int(match["day"])
    if match.groupdict().get("month_name"):
        month = MONTH_NAMES[_fold(match["month_name"])]
    else:
        month = int(match["month"])
    weekday = DAY_NAMES[_fold(match["weekday"])] if match["weekday"] else None
    notes: list[str] = []
    if match["year"]:
        year = int(match["year"])
        if len(match["year"]) == 2:
            year += 2000
        value = _valid(year, month, day, written, match.start())
    else:
        context = context_year or _context_year(text, match, today)
        value = _infer_year(month, day, weekday, context, written, match.start())
        how = f"the weekday {match['weekday']}" if weekday is not None else "the text"
        notes.append(f'"{written}" has no year: took {value.year} from {how}')
    if weekday is not None and value.weekday() != weekday:
        notes.append(
            f'"{written}" says {match["weekday"]} but {format_date(value, "long")} '
            f"is a {weekday_name(value)}"
        )
    return FoundDate(value, written, match.start(), weekday, tuple(notes))


def _valid(year: int, month: int, day: int, written: str, start: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            reason = f"there is no month {month}"
        else:
            last = calendar.monthrange(year, month)[1]
            reason = f"{month_name(month)} {year} has {last} days"
        raise DateProblem(
            f'impossible date "{written}": {reason}; write the right date', written, start
        ) from None


def _context_year(text: str, match, today: datetime.date | None) -> int:
    others = years_mentioned(text[: match.start()] + text[match.end() :])
    if others:
        return others[0]
    return (today or datetime.date.today()).year


def _infer_year(month, day, weekday, context: int, written: str, start: int) -> datetime.date:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        _valid(context, month, day, written, start)  # raises with the reason
    offsets = [0]
    if weekday is not None:
        for step in range(1, _YEAR_SEARCH + 1):
            offsets += [-step, step]  # the past first: releases report what happened
    for offset in offsets:
        try:
            value = datetime.date(context + offset, month, day)
        except ValueError:
            continue  # 29/2 outside a leap year
        if weekday is None or value.weekday() == weekday:
            return value
    if weekday is None:
        _valid(context, month, day, written, start)  # 29/2 of a common year: raises
    raise DateProblem(
        f'"{written}": no year within {_YEAR_SEARCH} of {context} has that date on that '
        "weekday; write the year",
        written,
        start,
    )


def find_time(text: str) -> FoundTime | None:
    """The first time of day written in `text` ("pukul 22.30 WIB"), in WIB."""
    for match in _TIME.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        written = match[0].strip()
        if hour > 23 or minute > 59:
            raise DateProblem(f'impossible time "{written}": write it as 00.00-23.59')
        zone = (match["zone"] or "WIB").upper()
        notes = ()
        if _ZONE_OFFSETS[zone]:
            shifted = (hour - _ZONE_OFFSETS[zone]) % 24
            notes = (f'"{written}" is {zone}: the archive keeps WIB, {shifted:02d}.{minute:02d}',)
            hour = shifted
        weekday = DAY_NAMES[_fold(match["weekday"])] if match["weekday"] else None
        return FoundTime(datetime.time(hour, minute), written, match.start(), weekday, notes)
    return None


def parse_metadata_date(value: str) -> datetime.datetime:
    """The `Date:` field: "2024-11-20 22:30" or "2024-11-20" (WIB)."""
    match = _METADATA_DATE.match(str(value).strip())
    if not match:
        raise DateProblem(f'date "{value}" is not written as YYYY-MM-DD HH:MM (2024-11-20 22:30)')
    try:
        day = datetime.date.fromisoformat(match["date"])
    except ValueError:
        raise DateProblem(f'date "{value}" does not exist: check day and month') from None
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise DateProblem(f'time in "{value}" does not exist: write 00:00 to 23:59')
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def format_metadata_date(value: datetime.datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}"
