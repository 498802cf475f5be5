"""Corrections of releases: `Modified` and `Correction` read into every release.

Adds to each release, once all are read:
- `corrections`: the notes (arsip.corrections.Note, oldest first, with
  Jakarta-time dates), empty for a release never corrected;
- `modified`: the latest change (Modified, else the newest note's date), or
  no `modified` at all when there was none.

The release page shows the notes ("Diperbarui ..."), the feeds' `<updated>`,
JSON-LD's `dateModified`, the sitemap's `lastmod` and the open data follow
`modified`. A release keeps its place in every list: lists go by `Date`.

The fields are read as written in the file (Pelican has already turned
`Modified` into a date, accepting more forms than the archive allows) by
arsip.corrections.read_corrections, the reading `invoke check` uses too. A
problem stops the build with `path:line: error: message` lines.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.utils import set_date_tzinfo

from arsip.content import read_release
from arsip.corrections import Note, read_corrections
from arsip.problems import ContentError, Problem, report

FIELDS = ("modified", "correction")


def read_all(generator):
    timezone = generator.settings.get("TIMEZONE")
    problems: list[Problem] = []
    releases = (
        *generator.articles,
        *generator.translations,
        *generator.drafts,
        *generator.drafts_translations,
        *generator.hidden_articles,
    )
    for release in releases:
        release.corrections = []
        if not any(field in release.metadata for field in FIELDS):
            continue
        written = read_release(release.source_path)
        modified, notes, found = read_corrections(
            written.metadata.get("modified"),
            written.metadata.get("correction"),
            written.metadata.get("date"),
        )
        for field, message in found:
            line = written.lines.get(field, 1)
            problems.append(Problem(Path(release.source_path), line, "error", message))
        release.corrections = [
            Note(set_date_tzinfo(note.when, timezone), note.text, note.timed) for note in notes
        ]
        if modified is not None:
            release.modified = set_date_tzinfo(modified, timezone)
    if problems:  # arsip/rules.py stops the build on these first
        report(problems)
        raise ContentError(problems)


def register():
    signals.article_generator_finalized.connect(read_all)
