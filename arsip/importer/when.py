"""When the activity happened, as the text says it.

The first date of the body is the activity's, unless it is the dateline's
(the day of the report): then a different date in the first paragraphs is the
activity's and a note says so. The first clock time ("pukul 22.30 WIB") is the
time of the activity; "pukul 24.00" is midnight at the end of that day.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from arsip.dates import (
    DateProblem,
    FoundDate,
    find_date,
    find_time,
    format_date,
    weekday_name,
    years_mentioned,
)
from arsip.importer.cleanup import RawReleaseError
from arsip.importer.outlets import Prefix

CLOCK = re.compile(r"(?:pukul|jam|pkl\.?)\s*(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?!\d)", re.I)
# Paragraphs after the dateline in which the activity's own date is looked for.
ACTIVITY_PARAGRAPHS = 2


@dataclass
class When:
    value: datetime.datetime
    text: str  # the date as written
    line: int
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, warning)


def release_when(
    paragraphs: list[tuple[int, str]],
    dateline: Prefix | None,
    context: list[str],
    page_years: list[int],
    today: datetime.date | None,
) -> When:
    """The activity's date and time; RawReleaseError when there is none or it cannot be."""
    mentioned = page_years or years_mentioned("\n".join([*context, *(t for _, t in paragraphs)]))
    year = mentioned[0] if mentioned else None
    first, line, offset = _first_date(paragraphs, year, today)
    if first is None:
        raise RawReleaseError(
            'no date found: add the date to the first paragraph, e.g. "Jumat (8/11/2024)" '
            'or "8 November 2024"',
            paragraphs[0][0],
        )
    notes = [(line, note) for note in first.notes]
    found = first
    if dateline and offset == 0 and first.start < dateline.end:
        activity = _activity_date(paragraphs, dateline.end, first.date.year, today)
        if activity and activity[0].date != first.date:
            found, line = activity
            notes = [(line, note) for note in found.notes]
            notes.append(
                (
                    line,
                    f'the dateline says "{first.text}" but the activity was "{found.text}": '
                    f"kept {format_date(found.date, 'long')}, the activity's date",
                )
            )
    value, time_notes = _with_time(paragraphs, found.date)
    return When(value, found.text, line, notes + time_notes)


def _first_date(paragraphs, year, today):
    for index, (line, text) in enumerate(paragraphs):
        try:
            found = find_date(text, context_year=year, today=today)
        except DateProblem as error:
            raise RawReleaseError(f"{error} (nothing was guessed)", line) from None
        if found:
            return found, line, index
    return None, paragraphs[0][0], 0


def _activity_date(paragraphs, start, year, today) -> tuple[FoundDate, int] | None:
    for index, (line, text) in enumerate(paragraphs[:ACTIVITY_PARAGRAPHS]):
        rest = text[start:] if index == 0 else text
        try:
            found = find_date(rest, context_year=year, today=today)
        except DateProblem as error:
            raise RawReleaseError(f"{error} (nothing was guessed)", line) from None
        if found:
            return found, line
    return None


def _with_time(paragraphs, day: datetime.date):
    """The day at the first clock time of the text, and notes about it."""
    for line, text in paragraphs:
        clock = CLOCK.search(text)
        if not clock:
            continue
        if (int(clock["hour"]), int(clock["minute"])) == (24, 0):
            note = (
                f'"{clock[0]}" is midnight at the end of {format_date(day, "long")}: '
                "kept that day, without a time"
            )
            return datetime.datetime.combine(day, datetime.time()), [(line, note)]
        try:
            found = find_time(text)
        except DateProblem as error:
            raise RawReleaseError(str(error), line) from None
        when = datetime.datetime.combine(day, found.time)
        notes = [(line, note) for note in found.notes]
        if found.weekday is not None and found.weekday != day.weekday():
            notes.append(
                (
                    line,
                    f'"{found.text}" says {found.text.split()[0]} but '
                    f"{format_date(day, 'long')} is a {weekday_name(day)}: "
                    f"kept {format_date(when, 'long')} {when:%H.%M}, check the date",
                )
            )
        return when, notes
    return datetime.datetime.combine(day, datetime.time()), []
