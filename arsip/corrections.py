"""Corrections of a published release: the `Modified` and `Correction` fields.

    Modified: 2024-11-10 09:00
    Correction: 2024-11-09: Nama Wakapolsek diperbaiki.; 2024-11-10 09:00: Lokasi ditambahkan.

`Correction` is a `;`-separated list of notes, each `YYYY-MM-DD[ HH:MM]: note`.
A single note may leave out its date when `Modified` is given: it then takes
Modified's date. `Modified` is the latest change (Jakarta time, like `Date`);
without it, it is the newest note's date. When given, it must not be older
than any note nor than `Date`.

`read_corrections` is the one reading of these fields: the build
(plugins/corrections.py) and the checker call it with the fields as written.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from arsip.dates import DateProblem, format_metadata_date, parse_metadata_date

SEPARATOR = ";"
# A note's date, then a colon: "2024-11-10: ..." or "2024-11-10 09:00: ...".
_DATED_NOTE = re.compile(
    r"^(?P<when>\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?)\s*:\s*(?P<text>.*)$", re.DOTALL
)
_HAS_TIME = re.compile(r"[ T]\d{1,2}:\d{2}")


@dataclass(frozen=True)
class Note:
    """One correction: when it was made (Jakarta time, naive) and what changed."""

    when: datetime.datetime
    text: str
    timed: bool  # the date was written with a time


def _date(value: str) -> tuple[datetime.datetime, bool]:
    return parse_metadata_date(value), bool(_HAS_TIME.search(value))


def read_corrections(
    modified: str | None, correction: str | None, date: str | datetime.datetime | None = None
) -> tuple[datetime.datetime | None, list[Note], list[tuple[str, str]]]:
    """Read `Modified` and `Correction` as written (None when a field is absent).

    `date` is the release's `Date` (as written, or read), to check that no change is older than the
    release. Returns the modification date (None when the release was never
    changed), the notes oldest first, and the problems as (field, message)
    pairs, `field` being "modified" or "correction"; with problems, the other
    two values hold what could be read.
    """
    problems: list[tuple[str, str]] = []
    latest, latest_timed = None, False
    if modified is not None:
        try:
            latest, latest_timed = _date(modified.strip())
        except DateProblem as problem:
            problems.append(("modified", f"Modified: {problem}"))

    notes: list[Note] = []
    if correction is not None:
        parts = [part.strip() for part in correction.split(SEPARATOR)]
        parts = [part for part in parts if part]  # a trailing ";" ends a list
        if not parts:
            problems.append(
                ("correction", "Correction is empty: write what changed, or remove the field")
            )
        for number, part in enumerate(parts, start=1):
            note = _note(part, number, len(parts), latest, latest_timed, modified, problems)
            if note is not None:
                notes.append(note)
    notes.sort(key=lambda note: note.when)

    if latest is not None:
        for note in notes:
            if _before(latest, latest_timed, note.when, note.timed):
                problems.append(
                    (
                        "modified",
                        f"Modified {_show(latest, latest_timed)} is older than the correction "
                        f"of {_show(note.when, note.timed)}: Modified is the latest change",
                    )
                )
                break
    elif notes:
        latest, latest_timed = notes[-1].when, notes[-1].timed

    published = _published(date)
    if published is not None:
        given = modified is not None and latest is not None
        if given and _before(latest, latest_timed, published, True):
            problems.append(
                (
                    "modified",
                    f"Modified {_show(latest, latest_timed)} is older than the release's "
                    f"Date {_show(published, True)}: a change comes after the release",
                )
            )
        early = [note for note in notes if _before(note.when, note.timed, published, True)]
        if early:
            problems.append(
                (
                    "correction",
                    f"the correction of {_show(early[0].when, early[0].timed)} is older than "
                    f"the release's Date {_show(published, True)}: a change comes after the "
                    "release",
                )
            )
        # A change dated by its day alone, on the release's day, is not before it.
        notes = [n if n in early else Note(max(n.when, published), n.text, n.timed) for n in notes]
        if latest is not None and not _before(latest, latest_timed, published, True):
            latest = max(latest, published)
    return latest, notes, problems


def _note(part, number, count, latest, latest_timed, modified, problems) -> Note | None:
    match = _DATED_NOTE.match(part)
    if match:
        text = match["text"].strip()
        if not text:
            problems.append(
                ("correction", f"the note dated {match['when']} says nothing: write what changed")
            )
            return None
        try:
            when, timed = _date(match["when"])
        except DateProblem as problem:
            problems.append(("correction", f"Correction: {problem}"))
            return None
        return Note(when, text, timed)
    if part[:1].isdigit():
        problems.append(
            (
                "correction",
                f"note {part[:40]!r} does not start with a date written YYYY-MM-DD or "
                "YYYY-MM-DD HH:MM followed by a colon: write it as `2024-11-10: what changed`",
            )
        )
        return None
    if count > 1:
        problems.append(
            (
                "correction",
                f"note {number} of {count} has no date: with several notes, start each with "
                "its date (`2024-11-10: what changed`)",
            )
        )
        return None
    if modified is None:
        problems.append(
            (
                "correction",
                "the note has no date and there is no Modified: start it with its date "
                "(`2024-11-10: what changed`) or add `Modified:`",
            )
        )
        return None
    if latest is None:
        return None  # Modified is wrong, reported above
    return Note(latest, part, latest_timed)


def _before(a: datetime.datetime, a_timed: bool, b: datetime.datetime, b_timed: bool) -> bool:
    """Whether `a` is older than `b`; by day alone when either has no time."""
    if a_timed and b_timed:
        return a < b
    return a.date() < b.date()


def _show(when: datetime.datetime, timed: bool) -> str:
    return format_metadata_date(when) if timed else f"{when:%Y-%m-%d}"


def _published(date: str | datetime.datetime | None) -> datetime.datetime | None:
    if date is None:
        return None
    if isinstance(date, datetime.datetime):
        return date.replace(tzinfo=None)  # Jakarta time, as the fields are written
    try:
        return parse_metadata_date(date)
    except DateProblem:
        return None  # the Date field's own check reports it
