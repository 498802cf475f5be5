"""Full-text, faceted search with Pagefind, written into the output folder.

Adds to the build:
- the search page (`/cari/`, template `search`, a direct template) and the
  settings `SEARCH_URL` / `SEARCH_SAVE_AS` that the theme's header form uses;
- after the site is written (signal `finalized`), a Pagefind index of the
  output in `<output>/pagefind/`: the index, `pagefind.js` and its WebAssembly,
  all plain files, so the search runs on any static host without a server.

What is indexed is decided by the theme: only elements marked
`data-pagefind-body` (the text and title of each published release), with the
filters (`data-pagefind-filter`: satuan, personel, kegiatan, tahun), metadata
and the date sort key the release template sets. Only HTML files under the
releases' folder (the fixed start of ARTICLE_SAVE_AS, "rilis/") are read.
Every page is indexed as Indonesian (`SEARCH_LANGUAGE`), so Pagefind stems
Indonesian words ("patroli" finds "berpatroli" and "patrolinya").

The index is written to a temporary folder and swapped in whole, so a failed
run never leaves a half-written index; the build then fails with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from functools import partial
from pathlib import Path

from pagefind.index import PagefindIndex
from pelican import signals

from arsip.preview import SESSION_SETTING

log = logging.getLogger(__name__)

DEFAULT_SETTINGS = {
    "SEARCH_URL": "cari/",
    "SEARCH_SAVE_AS": "cari/index.html",
    "SEARCH_LANGUAGE": "id",
    "SEARCH_BUNDLE_DIR": "pagefind",
}
SEARCH_TEMPLATE = "search"  # theme/templates/search.html, a direct template
# Pagefind's prebuilt UIs: the theme has its own (search.js), so they are dead weight.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)


class SearchIndexError(Exception):
    """Pagefind could not index the site."""

    exitcode = 1


def add_search_page(pelican):
    settings = pelican.settings
    for key, value in DEFAULT_SETTINGS.items():
        settings.setdefault(key, value)
    if SEARCH_TEMPLATE not in settings["DIRECT_TEMPLATES"]:
        settings["DIRECT_TEMPLATES"] = [*settings["DIRECT_TEMPLATES"], SEARCH_TEMPLATE]


def index_site(pelican):
    session = pelican.settings.get(SESSION_SETTING)
    if session is None:
        _index(pelican)
    else:
        # In a preview session the index follows the pages, in the background.
        session.defer(partial(_index_if_releases_changed, pelican, session))


def _index_if_releases_changed(pelican, session):
    bundle = Path(pelican.output_path) / pelican.settings["SEARCH_BUNDLE_DIR"]
    if session.changed(_release_folder(pelican.settings)) or not bundle.is_dir():
        _index(pelican)


def _index(pelican):
    settings = pelican.settings
    output = Path(pelican.output_path).resolve()
    bundle = output / settings["SEARCH_BUNDLE_DIR"]
    staging = output / f".{bundle.name}-new"
    glob = _release_glob(settings)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        pages = asyncio.run(_write_index(output, glob, staging, settings["SEARCH_LANGUAGE"]))
    except FileNotFoundError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(
            f"Pagefind is not installed ({error}): run `pip install -r requirements.txt`, "
            "which brings pagefind and its binary (pagefind-bin)"
        ) from error
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not index {output}: {error}") from error
    for pattern in UNUSED_BUNDLE_FILES:
        for unused in staging.glob(pattern):
            unused.unlink()
    previous = output / f".{bundle.name}-old"
    shutil.rmtree(previous, ignore_errors=True)
    if bundle.exists():
        bundle.rename(previous)
    staging.rename(bundle)
    shutil.rmtree(previous, ignore_errors=True)
    if pages:
        log.info("Search: indexed %d release(s) into %s", pages, bundle)
    else:
        log.warning("Search: no published release to index; the search page will find nothing")


def _release_glob(settings) -> str:
    """The HTML files that can hold releases: those under ARTICLE_SAVE_AS's
    fixed first folders ("rilis/"). Only they carry data-pagefind-body, and
    Pagefind need not parse the thousands of term and archive pages."""
    folder = _release_folder(settings)
    return f"{folder}/**/*.html" if folder else "**/*.html"


def _release_folder(settings) -> str:
    fixed = settings["ARTICLE_SAVE_AS"].split("{", 1)[0]
    return fixed.rsplit("/", 1)[0] if "/" in fixed else ""


async def _write_index(site: Path, glob: str, destination: Path, language: str) -> int:
    config = {"force_language": language, "output_path": str(destination)}
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site), glob=glob)
        # Leaving the context writes the files to `destination`.
    return result["page_count"]


def register():
    signals.initialized.connect(add_search_page)
    signals.finalized.connect(index_site)
