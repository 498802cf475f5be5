"""What the content says, read straight from the Markdown files and the registry.

Tests compare the built data and charts with these facts. They read the
release headers themselves and resolve names with `arsip.registry`, without
any plugin, so a bug in the build cannot hide in both sides of a comparison.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from arsip.content import metadata_list, read_release
from arsip.registry import Registry

JAKARTA = ZoneInfo("Asia/Jakarta")
KINDS = ("units", "officers", "activities")


@dataclass(frozen=True)
class ReleaseFacts:
    slug: str
    title: str
    date: datetime.datetime
    units: tuple[str, ...]  # slugs, in the order written, without repeats
    officers: tuple[str, ...]
    activities: tuple[str, ...]
    places: tuple[str, ...]
    sources: tuple[str, ...]


def read_header(path: Path) -> dict[str, str]:
    return read_release(path).metadata


def _unique(items):
    return tuple(dict.fromkeys(items))


def published_releases(content: Path) -> list[ReleaseFacts]:
    """Every published release under content/rilis, oldest first."""
    registry = Registry.load(content)
    releases = []
    for path in sorted((content / "rilis").rglob("*.md")):
        header = read_header(path)
        if header.get("status") != "published":
            continue
        releases.append(
            ReleaseFacts(
                slug=header["slug"],
                title=header["title"],
                date=datetime.datetime.strptime(header["date"], "%Y-%m-%d %H:%M").replace(
                    tzinfo=JAKARTA
                ),
                units=_unique(
                    registry.resolve("units", v).slug for v in metadata_list(header.get("units"))
                ),
                officers=_unique(
                    registry.resolve_officer(v)[0].slug
                    for v in metadata_list(header.get("officers"))
                ),
                activities=_unique(
                    registry.resolve("activities", v).slug
                    for v in metadata_list(header.get("activities"))
                ),
                places=tuple(metadata_list(header.get("places"))),
                sources=tuple(metadata_list(header.get("sources"))),
            )
        )
    return sorted(releases, key=lambda r: (r.date, r.slug))


def carriers(releases: list[ReleaseFacts], kind: str) -> dict[str, list[ReleaseFacts]]:
    """For each term slug of `kind`, the releases that carry it (oldest first)."""
    found: dict[str, list[ReleaseFacts]] = {}
    for release in releases:
        for slug in getattr(release, kind):
            found.setdefault(slug, []).append(release)
    return found


def per_month(releases: list[ReleaseFacts]) -> Counter:
    return Counter((r.date.year, r.date.month) for r in releases)


def months_spanned(releases) -> list[datetime.date]:
    """The first day of every month from the oldest release's to the newest's,
    counted as months since year 0 (not as the build steps through them)."""
    ordinals = [r.date.year * 12 + r.date.month - 1 for r in releases]
    if not ordinals:
        return []
    return [datetime.date(n // 12, n % 12 + 1, 1) for n in range(min(ordinals), max(ordinals) + 1)]


def release_url(release: ReleaseFacts) -> str:
    return f"rilis/{release.date:%Y}/{release.date:%m}/{release.slug}/"


def expected_related(releases: list[ReleaseFacts], count: int = 5) -> dict[str, list[str]]:
    """For each release's URL, the URLs its "related" list must show, from the
    definition (plugins/related.py's docstring): the releases sharing the most
    units, officers and activity types, each term weighing log(N / releases
    carrying it), so that a term all carry weighs nothing; ties to the newer."""
    newest_first = sorted(releases, key=lambda r: r.date, reverse=True)
    terms = {
        release.slug: {(kind, slug) for kind in KINDS for slug in getattr(release, kind)}
        for release in releases
    }
    carried = Counter(term for release in releases for term in terms[release.slug])
    weight = {term: math.log(len(releases) / n) for term, n in carried.items()}
    related = {}
    for release in newest_first:
        scored = []
        for position, other in enumerate(newest_first):
            shared = terms[release.slug] & terms[other.slug]
            score = math.fsum(weight[term] for term in shared)
            if other is not release and score > 1e-9:
                scored.append((-round(score, 9), position, release_url(other)))
        related[release_url(release)] = [url for *_, url in sorted(scored)[:count]]
    return related
