"""Scaffold a new release: `invoke new --title "..."`.

Writes `<content>/rilis/<year>/<date>-<slug>.md` with today's date and time in
Asia/Jakarta, the slug made from the title, and every other field present but
empty, so that the editor fills them in and `invoke check` says what is left.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from arsip.content import FIELD_ORDER, slugify
from arsip.dates import format_metadata_date
from arsip.importer import RELEASES_DIR, existing_releases, write_new

TIMEZONE = ZoneInfo("Asia/Jakarta")
STATUS = "draft"


def release_text(title: str, slug: str, when: datetime.datetime) -> str:
    values = {"title": title, "date": format_metadata_date(when), "slug": slug, "status": STATUS}
    header = "\n".join(
        f"{name.capitalize()}: {values.get(name, '')}".rstrip() for name in FIELD_ORDER
    )
    return f"{header}\n\n"


def new_release(
    title: str, content_dir: str | Path = "content", now: datetime.datetime | None = None
) -> Path:
    """Write the scaffold and return its path; FileExistsError if that file exists."""
    title = " ".join(title.split())
    if not title:
        raise ValueError("the title is empty: give one with --title")
    when = (now or datetime.datetime.now(TIMEZONE)).astimezone(TIMEZONE).replace(tzinfo=None)
    base = slugify(title)
    if not base:
        raise ValueError(f'no slug can be made from "{title}": use letters or digits in the title')
    taken = existing_releases(Path(content_dir))["slugs"]
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    path = Path(content_dir) / RELEASES_DIR / f"{when:%Y}" / f"{when:%Y-%m-%d}-{slug}.md"
    write_new(path, release_text(title, slug, when))
    return path
