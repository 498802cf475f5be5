"""Full-text, faceted search with Pagefind, written into the output folder.

Adds to the build:
- the search page (`/cari/`, template `search`, a direct template) and the
  settings `SEARCH_URL` / `SEARCH_SAVE_AS` that the theme's header form uses;
- a Pagefind index of the releases in `<output>/pagefind/`: the index,
  `pagefind.js` and its WebAssembly, all plain files, so the search runs on
  any static host without a server. Pagefind starts as soon as the release
  pages are written (signal `article_writer_finalized`) and runs on the other
  core while the rest of the site is written; the build waits for it in its
  post-build step (POST_BUILD_STEPS) and fails with its error. An archive without a published
  release gets no index, and its search page says there is nothing to search.

What is indexed is decided by the theme: only elements marked
`data-pagefind-body` (the text and title of each published release), with the
filters (`data-pagefind-filter`: satuan, personel, kegiatan, tahun), metadata
and the date sort key the release template sets. Only the pages of the
releases this build wrote are read (signal `article_generator_finalized`),
so a page left in the output by a release since removed is not found either.
Every page is indexed as Indonesian (`SEARCH_LANGUAGE`), so Pagefind stems
Indonesian words ("patroli" finds "berpatroli" and "patrolinya").

Pagefind is given only that marked element of each release (written to a
scratch folder, at the release's path), not the whole page with its header,
related list and footer: it indexes the same thing from half the HTML.

Pagefind runs only when what it would read changed. A digest of exactly its
input (each release's marked element and path), its version, its settings and
this module is recorded with a digest of the index files it wrote, in a cache
of its own (CACHE_PATH/search/, one record per output folder; not in the
output, which stays byte for byte what a fresh build writes). A build whose
input digest matches the record, and whose index files are still exactly
those written, keeps the index and skips Pagefind. Anything else (an edited,
added or removed release, another Pagefind, a changed setting, a touched or
missing index file, no record) re-indexes.

The index is written to a temporary folder and swapped in whole, so a failed
run never leaves a half-written index; the build then fails with the reason.

The build writes into a fresh folder that replaces the output at the end
(plugins/output_swap.py): the record belongs to the output folder
(OUTPUT_PATH), and a build that keeps the index copies it from there.

Two builds of the same content give the same bytes, index included. Pagefind
(1.5) writes its filter indexes, and so the names of their files, the
metadata file that names them and `pagefind-entry.json` that names that, in
the order of its hash maps, which changes from run to run (Pagefind issue
#638). `stable_index` sorts them (filter values by value, filters and sort
orders by name), names the files after a SHA-256 of the new bytes, and
rewrites the entry; every other file of the index is already stable.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import shutil
import subprocess
import threading
from functools import partial
from pathlib import Path

import cbor2
from pagefind.service import get_executable
from pelican import signals

from arsip import post_build
from arsip.output import scratch as output_scratch
from arsip.settings import cache_folder
from engine.preview import SESSION_SETTING

log = logging.getLogger(__name__)

SEARCH_TEMPLATE = "search"  # theme/templates/search.html, a direct template
# Pagefind's prebuilt UIs: the theme has its own (search.js), so they are dead weight.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)

# The theme marks the release's <article> (theme/templates/article.html).
MARKED_ARTICLE = re.compile(r"<article\b[^>]*\sdata-pagefind-body\b[^>]*>", re.IGNORECASE)
ARTICLE_TAG = re.compile(r"<(/?)article\b[^>]*>", re.IGNORECASE)


# Set on every build by remember_releases, read by index_site.
_published: dict[str, list[str]] = {"pages": []}
# The index being built beside the rest of the build (start_indexing).
_indexing: dict[str, threading.Thread] = {}


class SearchIndexError(Exception):
    """Pagefind could not index the site."""

    exitcode = 1


def add_search_page(pelican):
    templates = pelican.settings["DIRECT_TEMPLATES"]
    if SEARCH_TEMPLATE not in templates:
        pelican.settings["DIRECT_TEMPLATES"] = [*templates, SEARCH_TEMPLATE]


def start_indexing(generator, writer):
    """Every release page is written: index them on the other core while the
    term pages, feeds and open data are written (not in a preview session,
    where the index follows the pages anyway)."""
    if generator.settings.get(SESSION_SETTING) is None:
        _indexing["worker"] = _Indexing(generator.settings, generator.output_path)
        _indexing["worker"].start()


def index_site(pelican):
    session = pelican.settings.get(SESSION_SETTING)
    if session is not None:
        # In a preview session the index follows the pages, in the background.
        session.defer(partial(_index_site, pelican.settings, pelican.output_path))
        return
    worker = _indexing.pop("worker", None)
    if worker is None:
        _index_site(pelican.settings, pelican.output_path)
        return
    worker.join()
    if worker.error is not None:
        raise worker.error


class _Indexing(threading.Thread):
    def __init__(self, settings, output_path):
        super().__init__(name="pagefind")
        self.settings, self.output_path, self.error = settings, output_path, None

    def run(self):
        try:
            _index_site(self.settings, self.output_path)
        except Exception as error:  # raised again by index_site, in the build's thread
            self.error = error


def _index_site(settings, output_path):
    output = Path(output_path).resolve()
    bundle = output / settings["SEARCH_BUNDLE_DIR"]
    # The index the output folder holds now: this build's own folder in a
    # preview session, else the one this build replaces.
    live = Path(settings["OUTPUT_PATH"]).resolve() / settings["SEARCH_BUNDLE_DIR"]
    staging = output / f".{bundle.name}-new"
    config = {"force_language": settings["SEARCH_LANGUAGE"]}
    try:
        version = _pagefind_version()
    except (OSError, subprocess.CalledProcessError) as error:
        raise _not_installed(error) from error
    releases = dict(indexed_releases(output, _published["pages"]))
    record_path = _record_path(settings, live)
    if not releases:
        # Pagefind makes no index of nothing; the search page says there is nothing to search.
        shutil.rmtree(bundle, ignore_errors=True)
        record_path.unlink(missing_ok=True)
        log.warning("Search: no published release to index, so no search index")
        return
    sources = _sources_digest(releases, version, config)
    shutil.rmtree(staging, ignore_errors=True)
    if _index_is_current(live, sources, record_path):
        if live != bundle:
            _copy_index(live, staging)
            _put_in_place(staging, bundle)
        log.info("Search: no release changed; the index of %d release(s) is kept", len(releases))
        return
    try:
        pages = run_pagefind(releases, staging, config)
    except FileNotFoundError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _not_installed(error) from error
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not index {output}: {error}") from error
    for pattern in UNUSED_BUNDLE_FILES:
        for unused in staging.glob(pattern):
            unused.unlink()
    stable_index(staging)
    record = {"sources": sources, "index": _index_digest(staging)}
    _put_in_place(staging, bundle)
    _write_record(record_path, record)
    log.info("Search: indexed %d release(s) into %s", pages, bundle)


def _put_in_place(staging: Path, bundle: Path) -> None:
    previous = bundle.with_name(f".{bundle.name}-old")
    shutil.rmtree(previous, ignore_errors=True)
    if bundle.exists():
        bundle.rename(previous)
    staging.rename(bundle)
    shutil.rmtree(previous, ignore_errors=True)


# --- the same bytes from the same content (Pagefind issue #638) -------------

# Pagefind's compressed files: gzip of this signature and a CBOR value.
PACKED_SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class _UnknownFormat(Exception):
    """A file of the index is not in the form stable_index knows."""


def stable_index(bundle: Path) -> None:
    """Rewrite the parts of a Pagefind index that Pagefind writes in hash-map
    order in a fixed order, under names that follow from their bytes.

    Pagefind's metadata file (one per language, named in the entry file) holds
    [version, pages, word index chunks, filters, sort orders, metadata names];
    a filter file holds [filter, [[value, pages], ...]]. Nothing is rewritten
    unless every file involved decodes and encodes back to its own bytes: a
    Pagefind whose format differs keeps its own files, with a warning."""
    try:
        _stabilise(bundle)
    except (_UnknownFormat, OSError, EOFError, ValueError, LookupError, TypeError) as error:
        log.warning(
            "Search: %s: %s; the index is left as Pagefind wrote it, and two builds of the "
            "same content may differ in it (Pagefind issue #638)",
            bundle,
            error,
        )


def _stabilise(bundle: Path) -> None:
    entry_path = bundle / ENTRY
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if _json(entry) != entry_text:
        raise _UnknownFormat(f"{ENTRY} is not in the form this build knows")
    writes: dict[Path, bytes] = {}
    replaced: list[Path] = []  # removed only once everything decoded
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _unpack(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 5):
            raise _UnknownFormat(f"{meta_path.name} is not in the form this build knows")
        filters = []
        for name, short in meta[3]:
            filter_path = bundle / "filter" / f"{short}.pf_filter"
            data = _unpack(filter_path)
            data[1].sort(key=lambda value: value[0])
            packed = cbor2.dumps(data)
            new_short = _content_name(language, packed, short, writes)
            writes[filter_path.with_name(f"{new_short}.pf_filter")] = packed
            replaced.append(filter_path)
            filters.append([name, new_short])
        meta[3] = sorted(filters)
        meta[4] = sorted(meta[4], key=lambda order: order[0])
        packed = cbor2.dumps(meta)
        details["hash"] = _content_name(language, packed, details["hash"], writes)
        replaced.append(meta_path)
        writes[bundle / f"pagefind.{details['hash']}.pf_meta"] = packed
    entry["languages"] = dict(sorted(entry["languages"].items()))
    for path in replaced:
        path.unlink()
    for path, packed in writes.items():
        path.write_bytes(gzip.compress(PACKED_SIGNATURE + packed, compresslevel=9, mtime=0))
    entry_path.write_text(_json(entry), encoding="utf-8")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unpack(path: Path):
    """The CBOR value of a Pagefind file, if encoding it again gives its bytes."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(PACKED_SIGNATURE):
        raise _UnknownFormat(f"{path.name} has no Pagefind signature")
    packed = data[len(PACKED_SIGNATURE) :]
    value = cbor2.loads(packed)
    if cbor2.dumps(value) != packed:
        raise _UnknownFormat(f"{path.name} is not in the form this build knows")
    return value


def _content_name(language: str, packed: bytes, old: str, taken: dict[Path, bytes]) -> str:
    """`<language>_<hex>`, as long as Pagefind's own name `old`, from the SHA-256
    of the bytes; longer if another new file has that name."""
    digest = hashlib.sha256(packed).hexdigest()
    length = max(len(old) - len(language) - 1, 7)
    names = {path.name.split(".")[-2] for path in taken}
    while f"{language}_{digest[:length]}" in names:
        length += 1
    return f"{language}_{digest[:length]}"


def _not_installed(error: Exception) -> SearchIndexError:
    return SearchIndexError(
        f"Pagefind is not installed ({error}): run `pip install -r requirements.txt`, "
        "which brings pagefind and its binary (pagefind-bin)"
    )


def remember_releases(generator):
    """The output pages of this build's releases that are not drafts (the
    theme marks those for indexing: data-pagefind-body in article.html)."""
    releases = [*generator.articles, *generator.hidden_articles]
    _published["pages"] = sorted(article.save_as for article in releases)


def indexed_releases(site: Path, pages: list[str]):
    """(path in the site, marked element) of each page Pagefind is given, in
    path order. A page without the mark is left out, as Pagefind would."""
    for relative in pages:
        path = site / relative
        try:
            body = _marked_element(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise SearchIndexError(
                f"{path}: the release page was not written, so it cannot be indexed; "
                "build the whole site (without WRITE_SELECTED)"
            ) from error
        if body == "":
            raise SearchIndexError(
                f"{path}: the <article data-pagefind-body> is not closed; "
                "check theme/templates/article.html"
            )
        if body is not None:
            yield Path(relative).as_posix(), body


def _marked_element(html: str) -> str | None:
    """The <article data-pagefind-body> of a page, whole ("" if it is never
    closed, None if the page has none). Nested articles are counted so that one
    in the release text cannot end it early."""
    opening = MARKED_ARTICLE.search(html)
    if opening is None:
        return None
    depth = 0
    for tag in ARTICLE_TAG.finditer(html, opening.start()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[opening.start() : tag.end()]
    return ""


def _page_of(body: str) -> str:
    return f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{body}</body></html>\n'


def _pagefind_version() -> str:
    """`pagefind --version` of the binary the build runs: part of
    the digest, and a missing binary is reported before anything is written."""
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("no pagefind binary found")
    return subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _sources_digest(releases: dict[str, str], version: str, config: dict) -> str:
    digest = hashlib.sha256()
    for part in (version, json.dumps(config, sort_keys=True), Path(__file__).read_text("utf-8")):
        digest.update(part.encode() + b"\0")
    for relative, body in releases.items():
        digest.update(f"{relative}\0{len(body)}\0".encode())
        digest.update(body.encode())
    return digest.hexdigest()


def _index_files(bundle: Path) -> list[Path]:
    """The files of the index, without the `.gz` and `.br` copies a public build
    puts beside them afterwards (plugins/compress.py)."""
    files = {p for p in bundle.rglob("*") if p.is_file()}
    return sorted(
        p for p in files if not (p.suffix in (".gz", ".br") and p.with_suffix("") in files)
    )


def _copy_index(bundle: Path, destination: Path) -> None:
    for path in _index_files(bundle):
        target = destination / path.relative_to(bundle)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _index_digest(bundle: Path) -> str:
    """SHA-256 over every file of the index (path and bytes)."""
    digest = hashlib.sha256()
    for path in _index_files(bundle):
        digest.update(f"{path.relative_to(bundle).as_posix()}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _record_path(settings, bundle: Path) -> Path:
    """Where the record of the index in `bundle` is kept: a cache folder of its
    own (the record holds its own key, the digest of what Pagefind read), one
    file per index folder."""
    name = hashlib.sha256(str(bundle).encode()).hexdigest()[:16]
    return cache_folder(settings, "search") / f"{name}.json"


def _write_record(path: Path, record: dict) -> None:
    """Written after the index is in place; without it the next build indexes again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pending = path.with_suffix(".tmp")
        pending.write_text(json.dumps(record) + "\n", encoding="utf-8")
        pending.replace(path)
    except OSError as error:
        log.warning(
            "Search: could not record the index in %s (%s); the next build will run Pagefind again",
            path,
            error,
        )


def _index_is_current(bundle: Path, sources: str, record_path: Path) -> bool:
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("sources") != sources:
        return False
    return record.get("index") == _index_digest(bundle)


def run_pagefind(releases: dict[str, str], destination: Path, config: dict) -> int:
    """Index `releases` (path in the site -> marked element) into `destination`,
    each written as a small page at its path in a scratch folder for Pagefind
    to read; returns the number of pages indexed."""
    # A folder a killed build left is removed by the next build.
    with output_scratch("arsip-pagefind-input-") as scratch:
        for relative, body in releases.items():
            page = Path(scratch, relative)
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page_of(body), encoding="utf-8")
        _write_index(Path(scratch), destination, config)
    return len(releases)


def _write_index(site: Path, destination: Path, config: dict) -> None:
    """Pagefind's command, not its Python API: the API stops Pagefind's process
    as soon as it answers that the files are written, and Pagefind sometimes
    answers before the last file is complete (empty pagefind.js and WebAssembly
    files were seen). The command returns when every file is written."""
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("no pagefind binary found")
    command = [str(binary), "--site", str(site), "--output-path", str(destination), "--silent"]
    command += ["--force-language", config["force_language"]]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip() or f"pagefind exited with {result.returncode}")


POST_BUILD_STEP = index_site


def register():
    post_build.connect()
    signals.initialized.connect(add_search_page)
    signals.article_generator_finalized.connect(remember_releases)
    signals.article_writer_finalized.connect(start_indexing)
