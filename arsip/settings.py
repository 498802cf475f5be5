"""The archive's own settings: every default and every check, in one place.

The feature plugins read their settings from a build's settings and nowhere
else. pelicanconf.py, publishconf.py and `pelican -e` may set any of them;
`with_defaults` fills in the rest and refuses a value of the wrong type or
shape, one line per wrong value, before anything is read or written. A
setting that looks like one of the archive's (its prefix, or a letter off)
but is none of them is refused too: a misspelt name is not silently ignored.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals
from pelican.settings import DEFAULT_CONFIG, read_settings

from arsip.kinds import KINDS
from arsip.problems import ContentError, Problem, failures_as_lines, report

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "pelicanconf.py"

DEFAULTS = {
    # plugins/release_checks.py, arsip/rules.py: the largest real release is
    # about 12 kB; a file this big is a pasted page or embedded images, and
    # Markdown takes seconds per megabyte.
    "RELEASE_MAX_BYTES": 1_000_000,
    # The years a release's Date and Modified may fall in.
    "RELEASE_YEARS": (2000, 2100),
    # plugins/registry.py: term pages and feeds, as Pelican's URLWrapper reads
    # them (UNIT_URL, OFFICER_SAVE_AS, ACTIVITY_FEED_ATOM, ...).
    **{
        f"{kind.setting}_{suffix}": kind.url_setting(suffix)
        for kind in KINDS.values()
        for suffix in ("URL", "SAVE_AS", "FEED_ATOM")
    },
    # plugins/related.py: how many related releases a release page lists.
    "RELATED_COUNT": 5,
    # plugins/search.py: the search page, and the language Pagefind stems words in.
    "SEARCH_URL": "cari/",
    "SEARCH_SAVE_AS": "cari/index.html",
    "SEARCH_LANGUAGE": "id",
    "SEARCH_BUNDLE_DIR": "pagefind",
    # Most releases in one shard of the search index (docs/search.md): Pagefind's
    # memory while it indexes a shard, and what a first search downloads, grow with it.
    "SEARCH_SHARD_SIZE": 1000,
    # plugins/opendata.py (docs/open-data.md).
    "OPENDATA_RELEASES_JSON": "data/releases.json",
    "OPENDATA_RELEASES_CSV": "data/releases.csv",
    "OPENDATA_SCHEMA": "data/releases.schema.json",
    # Formatted with the taxonomy's label (satuan, personel, kegiatan) and the term's slug.
    "OPENDATA_TERM_JSON": "{label}/{slug}/index.json",
    # plugins/archive_statistics.py.
    "STATISTICS_URL": "statistik/",
    "STATISTICS_SAVE_AS": "statistik/index.html",
    "STATISTICS_TOP_OFFICERS": 10,
    # plugins/compress.py: quality 11 takes twice as long for files 1% smaller.
    "COMPRESS_SUFFIXES": (".html", ".css", ".js", ".mjs", ".json", ".xml", ".txt", ".svg", ".map"),
    "COMPRESS_BROTLI_QUALITY": 10,
    # The Brotli and gzip caches, and plugins/minify.py's cache of minified pages.
    "COMPRESS_CACHE": True,
    # Cache entries no build used for this many days are removed.
    "COMPRESS_CACHE_DAYS": 7,
    # plugins/atom_feeds.py: a WebSub hub feeds name (docs/alerts.md); none by default.
    "WEBSUB_HUB": "",
    # plugins/site_icons.py: the theme's accent (`--accent` in arsip.css).
    "THEME_COLOR": "#0b3d91",
    # arsip/post_build.py: what runs once every page is written, in this order.
    # Errors any step logs fail the build (strict), and only then does the new
    # output replace the old (output_swap). publishconf.py adds its own steps.
    "POST_BUILD_STEPS": ("search", "strict", "output_swap"),
    # The engine's speed-ups (engine/): False builds the same site the slow way.
    "ENGINE_SPEEDUPS": True,
    # engine/parallel.py: how many processes render a full build's pages and
    # feeds (1: the main process alone); by default one per usable core.
    "RENDER_WORKERS": (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    ),
}

# Settings with these prefixes are the archive's: a name that is not in
# DEFAULTS is a misspelling (Pelican has none of its own with them).
PREFIXES = (
    "RELEASE_",
    "RELATED_",
    "SEARCH_",
    "OPENDATA_",
    "STATISTICS_",
    "COMPRESS_",
    "POST_BUILD_",
    "WEBSUB_",
    "RENDER_",
    *(f"{kind.setting}_" for kind in KINDS.values()),
)

# The CACHE_PATH the settings gave, before Pelican's content cache moves
# CACHE_PATH into a folder of its own: the other caches are kept beside it.
CACHE_ROOT = "CACHE_ROOT"


class SettingsError(ValueError):
    """Settings a build cannot use; `messages` has one line for each."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


# --- what each setting must be ----------------------------------------------


def _whole(value, low: int, high: int | None = None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value >= low
        and (high is None or value <= high)
    )


def _path(value, *fields: str) -> bool:
    """A path in the output (no leading slash), with these {fields}."""
    return (
        isinstance(value, str)
        and bool(value)
        and not value.startswith("/")
        and all(f"{{{field}}}" in value for field in fields)
    )


def _url(value, *fields: str) -> bool:
    """A URL in the site: "" for its root, else a path (no leading slash)."""
    return isinstance(value, str) and (value == "" or _path(value, *fields))


def _years(value) -> bool:
    return (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(_whole(year, 0) for year in value)
        and value[0] <= value[1]
    )


def _suffixes(value) -> bool:
    return isinstance(value, (tuple, list)) and all(
        isinstance(suffix, str) and re.fullmatch(r"\.[A-Za-z0-9]+", suffix) for suffix in value
    )


def _hub(value) -> bool:
    if value == "":
        return True
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def _steps(value) -> bool:
    return (
        isinstance(value, (tuple, list))
        and all(isinstance(step, str) and step for step in value)
        and len(set(value)) == len(value)
    )


def _number(value, low: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > low


Check = tuple[Callable[[object], bool], str]

CHECKS: dict[str, Check] = {
    "RELEASE_MAX_BYTES": (lambda v: _whole(v, 1), "a positive whole number"),
    "RELEASE_YEARS": (_years, "two years, first to last, e.g. (2000, 2100)"),
    **{
        f"{kind.setting}_{suffix}": (
            (lambda v: _url(v, "slug")) if suffix == "URL" else (lambda v: _path(v, "slug")),
            f"a path in the site with {{slug}}, e.g. {kind.url_setting(suffix)!r}",
        )
        for kind in KINDS.values()
        for suffix in ("URL", "SAVE_AS", "FEED_ATOM")
    },
    "RELATED_COUNT": (lambda v: _whole(v, 0), "a whole number, 0 or more"),
    "ENGINE_SPEEDUPS": (lambda v: isinstance(v, bool), "True or False"),
    "RENDER_WORKERS": (lambda v: _whole(v, 1), "a positive whole number of processes"),
    "SEARCH_URL": (_url, "a path in the site, e.g. 'cari/'"),
    "SEARCH_SAVE_AS": (_path, "a file path in the site, e.g. 'cari/index.html'"),
    "SEARCH_LANGUAGE": (
        lambda v: isinstance(v, str) and re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", v),
        "a language code, e.g. 'id'",
    ),
    "SEARCH_BUNDLE_DIR": (
        lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", v),
        "a folder name at the site's root, e.g. 'pagefind'",
    ),
    "SEARCH_SHARD_SIZE": (lambda v: _whole(v, 1), "a positive whole number of releases, e.g. 1000"),
    "OPENDATA_RELEASES_JSON": (_path, "a file path in the site, e.g. 'data/releases.json'"),
    "OPENDATA_RELEASES_CSV": (_path, "a file path in the site, e.g. 'data/releases.csv'"),
    "OPENDATA_SCHEMA": (_path, "a file path in the site, e.g. 'data/releases.schema.json'"),
    "OPENDATA_TERM_JSON": (
        lambda v: _path(v, "label", "slug"),
        "a file path in the site with {label} and {slug}, e.g. '{label}/{slug}/index.json'",
    ),
    "STATISTICS_URL": (_url, "a path in the site, e.g. 'statistik/'"),
    "STATISTICS_SAVE_AS": (_path, "a file path in the site, e.g. 'statistik/index.html'"),
    "STATISTICS_TOP_OFFICERS": (lambda v: _whole(v, 1), "a positive whole number"),
    "COMPRESS_SUFFIXES": (_suffixes, "a list of file suffixes, e.g. ['.html', '.css']"),
    "COMPRESS_BROTLI_QUALITY": (lambda v: _whole(v, 0, 11), "a whole number from 0 to 11"),
    "COMPRESS_CACHE": (lambda v: isinstance(v, bool), "True or False"),
    "COMPRESS_CACHE_DAYS": (lambda v: _number(v, 0), "a number of days above 0"),
    "WEBSUB_HUB": (_hub, "the hub's address, https://..., or empty (docs/alerts.md)"),
    "THEME_COLOR": (
        lambda v: isinstance(v, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", v),
        "a colour #rrggbb, e.g. '#0b3d91'",
    ),
    "POST_BUILD_STEPS": (_steps, "a list of plugin names, each once (arsip/post_build.py)"),
}


def problems(settings: dict) -> list[str]:
    """One line for each of the archive's settings that is wrong, or misspelt."""
    found = []
    for key, (valid, what) in CHECKS.items():
        value = settings[key]
        if not valid(value):
            found.append(f"{key} must be {what}, not {value!r}: fix it in the settings")
    for key in sorted(settings):
        if key in DEFAULTS or key in DEFAULT_CONFIG or key == CACHE_ROOT:
            continue
        ours = key.startswith(PREFIXES)
        close = difflib.get_close_matches(key, DEFAULTS, n=1, cutoff=0.6 if ours else 0.9)
        if ours or close:
            hint = f"did you mean {close[0]}?" if close else "see arsip/settings.py"
            found.append(f"{key} is not a setting of the archive ({hint}): rename or remove it")
    return found


def with_defaults(settings: dict) -> dict:
    """Fill in the archive's settings the build's settings lack; refuse wrong ones."""
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    if settings.get("CACHE_PATH"):
        settings.setdefault(CACHE_ROOT, settings["CACHE_PATH"])
    found = problems(settings)
    if found:
        raise SettingsError(found)
    return settings


def apply(pelican) -> None:
    """Pelican's `initialized`: the build's settings completed and checked; wrong
    ones stop it with one `settings:1: error: ...` line each."""
    try:
        with_defaults(pelican.settings)
    except SettingsError as error:
        failures_as_lines(pelican.settings["PATH"])
        found = [Problem(Path("settings"), 1, "error", message) for message in error.messages]
        report(found)
        raise ContentError(found) from None


def connect() -> None:
    """Called first in the register() of every plugin that reads these settings,
    so that they are complete before any plugin's own start-up step."""
    signals.initialized.connect(apply)


def cache_folder(settings: dict, name: str) -> Path:
    """Where a derived cache (`brotli`, `search`) lives: beside the content
    cache, not in it, so that it outlives a change to the plugins."""
    return Path(settings.get(CACHE_ROOT) or settings["CACHE_PATH"]) / name


def load(settings_file: str | Path = SETTINGS_FILE, **override) -> dict:
    """The settings a build with `settings_file` would use (for the editors' tools)."""
    return with_defaults(read_settings(str(settings_file), override=override or None))
