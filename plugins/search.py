"""Full-text, faceted search with Pagefind, written into the output folder.

Adds to the build:
- the search page (`/cari/`, template `search`, a direct template) and the
  settings `SEARCH_URL` / `SEARCH_SAVE_AS` that the theme's header form uses;
- a Pagefind index of the releases in `<output>/pagefind/`: plain files, so the
  search runs on any static host without a server. Pagefind starts as soon as
  the release pages are written (signal `article_writer_finalized`) and runs
  on the other core while the rest of the site is written; the build waits for
  it in its post-build step (POST_BUILD_STEPS) and fails with its error. An
  archive without a published release gets no index, and its search page says
  there is nothing to search.

What is indexed is decided by the theme: only elements marked
`data-pagefind-body` (the text and title of each published release), with the
filters (`data-pagefind-filter`: satuan, personel, kegiatan, tahun), metadata
and the date sort key the release template sets. Only the pages of the
releases this build wrote are read (signal `article_generator_finalized`), so a
page left in the output by a release since removed is not found either. Every
page is indexed as Indonesian (`SEARCH_LANGUAGE`), so Pagefind stems Indonesian
words ("patroli" finds "berpatroli" and "patrolinya"). Pagefind is given only
that marked element of each release, at the release's path.

The index is split into shards of consecutive releases (docs/search.md):
one per year, a busy year split into groups of months (a busy month into
days) so that no shard holds more than SEARCH_SHARD_SIZE releases. Pagefind
indexes one shard at a time, so its memory is bounded by a shard, not by the
archive; the search page (theme/static/js/search.js) merges the shards it
needs with Pagefind's `mergeIndex`. The bundle:

    pagefind/pagefind.js, wasm.id.pagefind   Pagefind's runtime, and an index of
    pagefind/pagefind-entry.json ...          one empty page that the page loads
                                              first (it merges the shards)
    pagefind/shards/<key>/                    one Pagefind index per shard
    pagefind/shards.json                      the shards, oldest first, with their
                                              dates and sizes
    pagefind/words/<hash>.json                every word of the archive with the
                                              shards that hold it, so that a query
                                              is sent only to the shards that can
                                              match it

Only the shards whose input changed are indexed again. A digest of exactly
what Pagefind would read for a shard (each release's path and marked
element), Pagefind's version, its settings and this module is recorded with a
digest of the shard's files, in a cache of its own (CACHE_ROOT/search/, one
record per output folder; not in the output, which stays byte for byte what a
fresh build writes). A shard whose input digest matches and whose files in the
output are still exactly those written (the `.gz` and `.br` copies a public
build adds are not part of them) is kept, its files linked into the new
build's folder. Whether they are is known from `stat` alone while the files
are those linked from build to build (same inode, size and time), else from
their bytes. Anything else (an edited, added or removed release, another
Pagefind, a changed setting, a touched or missing file, no record) indexes it
again.

The bundle is written to a temporary folder and swapped in whole, so a failed
run never leaves a half-written index; the build then fails with the reason.

Two builds of the same content give the same bytes. Pagefind (1.5) writes its
filter indexes, the metadata file naming them and `pagefind-entry.json` in the
order of its hash maps, which changes from run to run (Pagefind issue #638);
`stable_index` sorts them and names the files after a SHA-256 of the new
bytes. It also adds one entry in front of each sort order, for the page's
ordering of shards (see `_stabilise`), and the page's runtime gets two small
changes (`RUNTIME_PATCHES`). A Pagefind whose files are not in the form this
module knows stops the build with what to do.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import math
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import groupby, pairwise
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

SHARDS_DIR = "shards"
WORDS_DIR = "words"
MANIFEST = "shards.json"
# What of the bundle is not the runtime's.
RUNTIME_SKIP = (SHARDS_DIR, WORDS_DIR, MANIFEST)
RECORD_FORMAT = 3
WORDS_PER_FILE = 500
# Pages and positions per chunk of a shard's word index (Pagefind's own: 20,000).
CHUNK_SIZE = 6000
# Pagefind needs a page to build an index; the runtime's index holds this one,
# which no search returns (the page always filters by shard).
RUNTIME_PAGE = "index.html", "<article data-pagefind-body>_</article>"
# What a shard's folder keeps of Pagefind's output; the runtime keeps these too.
INDEX_FILES = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")
RUNTIME_FILES = ("pagefind.js", "wasm.{language}.pagefind")
# The page calls Pagefind without its web worker (noWorker), so the worker, the
# prebuilt UIs and the WebAssembly of other languages are never loaded.
# pagefind.js, changed in two places: export `enterPlaygroundMode` (its
# verbose answers carry the query's stems and each result's scoring inputs),
# and let `mergeIndex` put a merged index in that mode (option `playground`).
RUNTIME_PATCHES = (
    (
        "export{createInstance,",
        "var enterPlaygroundMode=async()=>{init_pagefind();"
        "return await pagefind.enterPlaygroundMode();};"
        "export{enterPlaygroundMode,createInstance,",
    ),
    (
        "const{language,...remainingOptions}=options2;await newInstance.options(remainingOptions);",
        "const{language,playground,...remainingOptions}=options2;"
        "await newInstance.options(remainingOptions);"
        "if(playground)await newInstance.enterPlaygroundMode();",
    ),
)

# The theme marks the release's <article> (theme/templates/article.html).
MARKED_ARTICLE = re.compile(r"<article\b[^>]*\sdata-pagefind-body\b[^>]*>", re.IGNORECASE)
ARTICLE_TAG = re.compile(r"<(/?)article\b[^>]*>", re.IGNORECASE)


# Set on every build by remember_releases, read by index_site:
# (path of the page, date) of each published release.
_published: dict[str, list[tuple[str, object]]] = {"releases": []}
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


def remember_releases(generator):
    """The output pages and dates of this build's releases that are not drafts
    (the theme marks those for indexing: data-pagefind-body in article.html)."""
    releases = [*generator.articles, *generator.hidden_articles]
    _published["releases"] = [(article.save_as, article.date) for article in releases]


# --- shards ---------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """Consecutive releases indexed together; `key` names its folder."""

    key: str
    pages: tuple[str, ...]  # oldest first
    first: date
    last: date


def plan_shards(releases, size: int) -> list[Shard]:
    """Shards of `releases` ((page, date) pairs), oldest first: one per year; a
    year of more than `size` releases is cut into as few groups of whole months
    as fit, of about equal size; a month of more than `size` into groups of
    days, a day into groups of `size`. A release added or removed changes the shards of its
    own year only, so only those are indexed again."""
    ordered = sorted(releases, key=lambda release: (release[1], release[0]))
    shards: list[Shard] = []
    for year, group in groupby(ordered, key=lambda release: release[1].year):
        shards += _split(list(group), f"{year}", 0, size)
    return shards


# How a group too large for one shard is cut: a year by months, a month by days.
_PERIODS = (lambda when: when.month, lambda when: when.day)


def _split(items, key: str, level: int, size: int) -> list[Shard]:
    if len(items) <= size:
        return [_shard(key, items)]
    if level == len(_PERIODS):  # one day holds more than `size` releases
        return [
            _shard(f"{key}-{number}", items[start : start + size])
            for number, start in enumerate(range(0, len(items), size), 1)
        ]
    period = _PERIODS[level]
    target = math.ceil(len(items) / math.ceil(len(items) / size))
    shards, group, group_key = [], [], ""
    for value, unit in groupby(items, key=lambda item: period(item[1])):
        unit = list(unit)
        unit_key = f"{key}-{value:02d}"
        if len(unit) > size:
            if group:
                shards.append(_shard(group_key, group))
                group = []
            shards += _split(unit, unit_key, level + 1, size)
            continue
        # A unit joins the group if that brings the group nearer the target size.
        grown = len(group) + len(unit)
        if group and (grown > size or abs(grown - target) > abs(len(group) - target)):
            shards.append(_shard(group_key, group))
            group = []
        if not group:
            group_key = unit_key
        group += unit
    if group:
        shards.append(_shard(group_key, group))
    return shards


def _shard(key: str, items) -> Shard:
    return Shard(key, tuple(page for page, _ in items), items[0][1].date(), items[-1][1].date())


# --- building the bundle -----------------------------------------------------------


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
    shards = plan_shards(_published["releases"], settings["SEARCH_SHARD_SIZE"])
    record_path = _record_path(settings, live)
    if not shards:
        # Pagefind makes no index of nothing; the search page says there is nothing to search.
        shutil.rmtree(bundle, ignore_errors=True)
        record_path.unlink(missing_ok=True)
        log.warning("Search: no published release to index, so no search index")
        return
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    previous = _read_record(record_path)
    try:
        record, indexed = build_bundle(
            output, shards, staging, config, version, live=live, record=previous
        )
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, SearchIndexError):
            raise
        if isinstance(error, FileNotFoundError) and "pagefind binary" in str(error):
            raise _not_installed(error) from error
        raise SearchIndexError(f"Pagefind could not index {output}: {error}") from error
    _put_in_place(staging, bundle)
    if json.loads(json.dumps(record)) != previous:  # kept shards keep their record as it was
        _write_record(record_path, record)
    releases = sum(entry["releases"] for entry in record["shards"].values())
    if indexed:
        log.info(
            "Search: indexed %d of %d shard(s) (%s); %d release(s) in all",
            len(indexed),
            len(shards),
            ", ".join(indexed),
            releases,
        )
    else:
        log.info("Search: no release changed; the index of %d release(s) is kept", releases)


def build_bundle(site: Path, shards, staging: Path, config: dict, version: str, *, live, record):
    """Write the bundle of `shards` (pages of `site`) into the empty folder
    `staging`, reusing from `live` every part `record` shows unchanged.
    Returns the new record and the keys of the shards indexed."""
    base = _base_digest(version, config)
    runtime = record.get("runtime") or {}
    if runtime.get("sources") == base and _unchanged(live, runtime, RUNTIME_SKIP):
        _link_tree(live, staging, skip=RUNTIME_SKIP)
        index = runtime["index"]
    else:
        _write_runtime(staging, config)
        index = _folder_digest(staging, RUNTIME_SKIP)
    new_record = {
        "format": RECORD_FORMAT,
        "runtime": {"sources": base, "index": index, "stamp": _stamp(staging, RUNTIME_SKIP)},
        "shards": {},
    }
    indexed, built = [], []
    with _Worker() as worker:
        for shard in shards:
            releases = dict(indexed_releases(site, shard.pages))
            if not releases:
                continue
            sources = _sources_digest(base, releases)
            old = (record.get("shards") or {}).get(shard.key) or {}
            target = staging / SHARDS_DIR / shard.key
            previous = live / SHARDS_DIR / shard.key
            if old.get("sources") == sources and _unchanged(previous, old):
                _link_tree(previous, target)
                entry = {name: old[name] for name in ("releases", "words", "vocabulary", "index")}
            else:
                entry = worker.run(_index_shard, releases, target, config)
                entry["index"] = _folder_digest(target)
                indexed.append(shard.key)
            entry.update(sources=sources, stamp=_stamp(target))
            entry.update(first=shard.first.isoformat(), last=shard.last.isoformat())
            new_record["shards"][shard.key] = entry
            built.append((shard.key, entry))
    _write_manifest(staging, built)
    return new_record, indexed


class _Worker:
    """One process of its own for indexing shards, started when a shard needs
    it: decoding and rewriting a shard's files is Python work that would hold
    the build's interpreter lock while the build writes pages beside it."""

    def __enter__(self):
        self._pool = None
        return self

    def run(self, function, *args):
        if self._pool is None:
            # The worker imports this module by name: Pelican loaded it from
            # PLUGIN_PATHS, which is not on sys.path. "spawn": it starts clean
            # instead of copying this process's threads and locks mid-use.
            here = os.path.dirname(os.path.abspath(__file__))
            if here not in sys.path:
                sys.path.append(here)
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        return self._pool.submit(function, *args).result()

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown()


def _write_runtime(staging: Path, config: dict) -> None:
    """Pagefind's runtime and an index of one empty page, into `staging`."""
    with output_scratch("arsip-pagefind-runtime-") as scratch:
        name, body = RUNTIME_PAGE
        (scratch / name).write_text(_page_of(body), encoding="utf-8")
        _write_index(scratch, staging, config)
    language = config["force_language"]
    _keep_only(staging, INDEX_FILES + tuple(f.format(language=language) for f in RUNTIME_FILES))
    script = staging / "pagefind.js"
    text = script.read_text(encoding="utf-8")
    for old, new in RUNTIME_PATCHES:
        if text.count(old) != 1:
            raise SearchIndexError(
                f"{script}: Pagefind's runtime is not the one this build knows "
                f"(`{old[:40]}…` not found once): install the Pagefind of requirements.txt, "
                "or update RUNTIME_PATCHES in plugins/search.py and theme/static/js/search.js"
            )
        text = text.replace(old, new)
    script.write_text(text, encoding="utf-8")
    stable_index(staging)


def _index_shard(releases: dict[str, str], target: Path, config: dict) -> dict:
    """Index `releases` (path in the site -> marked element) into `target`,
    each written as a small page at its path in a scratch folder for Pagefind
    to read. Returns the shard's size and words."""
    # A folder a killed build left is removed by the next build.
    with output_scratch("arsip-pagefind-input-") as scratch:
        for relative, body in releases.items():
            page = Path(scratch, relative)
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_page_of(body), encoding="utf-8")
        _write_index(scratch, target, config)
    _keep_only(target, INDEX_FILES)
    pages, vocabulary = stable_index(target, shard=True)
    return {
        "releases": len(pages),
        "words": sum(count for _, count in pages),
        "vocabulary": vocabulary,
    }


def _keep_only(folder: Path, patterns) -> None:
    kept = {path for pattern in patterns for path in folder.glob(pattern)}
    for path in folder.iterdir():
        if path in kept:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _link_tree(source: Path, target: Path, skip=()) -> None:
    """`target` gets every index file of `source` (but the top-level names in
    `skip`) as a hard link, or a copy where the file system cannot link.
    Nothing writes into an index file once it is written, so the two builds'
    folders can share them."""
    made = set()
    for relative, path in _index_files(source, skip):
        destination = target / relative
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copyfile(path, destination)


def _put_in_place(staging: Path, bundle: Path) -> None:
    previous = bundle.with_name(f".{bundle.name}-old")
    shutil.rmtree(previous, ignore_errors=True)
    if bundle.exists():
        bundle.rename(previous)
    staging.rename(bundle)
    shutil.rmtree(previous, ignore_errors=True)


# --- what the page reads besides Pagefind's files -------------------------------------


def _write_manifest(staging: Path, built) -> None:
    """shards.json (the shards, oldest first) and the word files: each word of
    the archive (as Pagefind indexed it: stemmed, lower case) with the shards
    that hold it, written as ranges of their positions in shards.json
    ("0-7,9"). Words are sorted as JavaScript compares strings (UTF-16 code
    units), so the page can find a word's file by comparing."""
    where = defaultdict(list)
    for position, (_, entry) in enumerate(built):
        for word in entry["vocabulary"]:
            where[word].append(position)
    words = sorted(where, key=lambda word: word.encode("utf-16-be"))
    files = []
    (staging / WORDS_DIR).mkdir()
    for start in range(0, len(words), WORDS_PER_FILE):
        part = words[start : start + WORDS_PER_FILE]
        text = _json({"w": part, "s": [_ranges(where[word]) for word in part]})
        name = f"{WORDS_DIR}/{hashlib.sha256(text.encode()).hexdigest()[:10]}.json"
        (staging / name).write_text(text, encoding="utf-8")
        files.append([part[0], name])
    manifest = {
        "shards": [
            {
                "path": f"{SHARDS_DIR}/{key}/",
                "releases": entry["releases"],
                "words": entry["words"],
                "first": entry["first"],
                "last": entry["last"],
                # Pagefind fetches a shard's entry file with this in its query,
                # so a browser may keep it while the shard is unchanged.
                "tag": entry["index"][:16],
            }
            for key, entry in built
        ],
        "words": files,
    }
    (staging / MANIFEST).write_text(_json(manifest), encoding="utf-8")


def _ranges(positions: list[int]) -> str:
    runs: list[list[int]] = []
    for position in positions:
        if runs and runs[-1][1] == position - 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


# --- the same bytes from the same content (Pagefind issue #638) -------------

# Pagefind's compressed files: gzip of this signature and a CBOR value.
PACKED_SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class _UnknownFormat(Exception):
    """A file of the index is not in the form stable_index knows."""


def stable_index(bundle: Path, shard: bool = False) -> tuple[list, list[str]]:
    """Rewrite the parts of a Pagefind index that Pagefind writes in hash-map
    order in a fixed order, under names that follow from their bytes, and, for
    a shard, its word chunks and sort order (`_rechunk`, `_stabilise`); returns
    the index's pages ([fragment, word count], in Pagefind's order) and, for a
    shard, its words.

    Pagefind's metadata file (one per language, named in the entry file) holds
    [version, pages, word index chunks, filters, sort orders, metadata names];
    a filter file holds [filter, [[value, pages], ...]]. Nothing is rewritten
    unless every file involved decodes and encodes back to its own bytes; a
    Pagefind whose format differs stops the build."""
    try:
        return _stabilise(bundle, shard)
    except (_UnknownFormat, OSError, EOFError, ValueError, LookupError, TypeError) as error:
        raise SearchIndexError(
            f"{bundle}: Pagefind wrote an index this build cannot read ({error}): install the "
            "Pagefind of requirements.txt, or update stable_index in plugins/search.py"
        ) from error


def _stabilise(bundle: Path, shard: bool) -> tuple[list, list[str]]:
    entry_path = bundle / ENTRY
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    if _json(entry) != entry_text:
        raise _UnknownFormat(f"{ENTRY} is not in the form this build knows")
    writes: dict[Path, bytes] = {}
    replaced: list[Path] = []  # removed only once everything decoded
    pages, words = [], []
    for language, details in entry["languages"].items():
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _unpack(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 5):
            raise _UnknownFormat(f"{meta_path.name} is not in the form this build knows")
        pages += [(page[0], page[1]) for page in meta[1]]
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
        if shard:
            meta[2], chunk_words = _rechunk(bundle, language, meta[2], writes, replaced)
            words += chunk_words
            # Pagefind scores a sorted result by its position in the sort
            # order; a page that is no result (one past the last) in front
            # makes every position at least 1, so that the search page can
            # weigh each shard's positions into one order (search.js).
            meta[4] = [[name, [len(meta[1]), *order]] for name, order in meta[4]]
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
    return pages, sorted(words)


def _rechunk(bundle: Path, language: str, chunks: list, writes: dict, replaced: list) -> list:
    """Cut a shard's word index into smaller chunks than Pagefind's, as
    Pagefind cuts them (words in order, a chunk closed once its pages and
    positions reach CHUNK_SIZE, its range named by the shortest prefixes that
    tell it from its neighbours). A search fetches one chunk per word and
    shard: Pagefind's size (20,000) makes that chunk a sixth of a first
    search's download. Returns the metadata's chunk list ([from, to, name]) and
    the words."""
    entries = []
    for number, (_, _, name) in enumerate(chunks):
        path = bundle / "index" / f"{name}.pf_index"
        # One chunk encoded back to its bytes shows the encoder writes Pagefind's CBOR.
        chunk = _unpack(path, check=number == 0)
        if not (isinstance(chunk, list) and len(chunk) == 1 and isinstance(chunk[0], list)):
            raise _UnknownFormat(f"{path.name} is not in the form this build knows")
        entries += chunk[0]
        replaced.append(path)
    words = [entry[0].encode() for entry in entries]
    if words != sorted(words):
        raise _UnknownFormat("the words of the index are not in the order this build knows")
    cut, current, size = [], [], 0
    for entry in entries:
        size += sum(len(page[1]) + 1 for page in entry[1])
        current.append(entry)
        if size >= CHUNK_SIZE:
            cut.append(current)
            current, size = [], 0
    if current:
        cut.append(current)
    ranges = [[chunk[0][0], chunk[-1][0]] for chunk in cut]
    for before, after in pairwise(ranges):
        before[1], after[0] = _prefixes(before[1], after[0])
    index = []
    for chunk, (first, last) in zip(cut, ranges, strict=True):
        packed = cbor2.dumps([chunk])
        name = _content_name(language, packed, f"{language}_0000000", writes)
        writes[bundle / "index" / f"{name}.pf_index"] = packed
        index.append([first, last, name])
    return index, [entry[0] for entry in entries]


def _prefixes(last: str, first: str) -> tuple[str, str]:
    """Pagefind's names for two neighbouring chunks' ends: each word cut one
    character past the prefix the two share."""
    common = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        common += 1
    return last[: common + 1], first[: common + 1]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _unpack(path: Path, check: bool = True):
    """The CBOR value of a Pagefind file, if encoding it again gives its bytes
    (unless `check` is false)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(PACKED_SIGNATURE):
        raise _UnknownFormat(f"{path.name} has no Pagefind signature")
    packed = data[len(PACKED_SIGNATURE) :]
    value = cbor2.loads(packed)
    if check and cbor2.dumps(value) != packed:
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


# --- reading the release pages --------------------------------------------------------


def indexed_releases(site: Path, pages):
    """(path in the site, marked element) of each page Pagefind is given, in
    the order of `pages`. A page without the mark is left out, as Pagefind would."""
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


# --- running Pagefind, and knowing when not to ----------------------------------------


def _pagefind_version() -> str:
    """`pagefind --version` of the binary the build runs: part of
    the digest, and a missing binary is reported before anything is written."""
    binary = get_executable()
    if binary is None:
        raise FileNotFoundError("no pagefind binary found")
    return subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()


def _base_digest(version: str, config: dict) -> str:
    digest = hashlib.sha256()
    for part in (version, json.dumps(config, sort_keys=True), Path(__file__).read_text("utf-8")):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def _sources_digest(base: str, releases: dict[str, str]) -> str:
    digest = hashlib.sha256(base.encode() + b"\0")
    for relative, body in releases.items():
        digest.update(f"{relative}\0{len(body)}\0".encode())
        digest.update(body.encode())
    return digest.hexdigest()


def _index_files(folder: Path, skip=()) -> list[tuple[str, str]]:
    """(path under `folder`, full path) of the files under `folder` but the
    top-level names in `skip`, without the `.gz` and `.br` copies a public
    build puts beside them afterwards (plugins/compress.py), in path order."""
    found = []
    for here, folders, files in os.walk(folder):
        relative = os.path.relpath(here, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        names = set(files)
        if not prefix:
            folders[:] = [name for name in folders if name not in skip]
            files = [name for name in files if name not in skip]
        for name in files:
            stem, suffix = os.path.splitext(name)
            if not (suffix in (".gz", ".br") and stem in names):
                found.append((prefix + name, os.path.join(here, name)))
    return sorted(found)


def _folder_digest(folder: Path, skip=()) -> str | None:
    """SHA-256 over the index files under `folder` (path and bytes) but the
    top-level names in `skip`; None if there is no such folder."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for relative, path in _index_files(folder, skip):
        with open(path, "rb") as file:
            data = file.read()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _stamp(folder: Path, skip=()) -> str | None:
    """SHA-256 over what `stat` says of the index files under `folder` (path,
    size, modification time, inode); None if there is no such folder. A file
    written again, replaced or touched changes it; a hard link keeps it."""
    if not folder.is_dir():
        return None
    digest = hashlib.sha256()
    for relative, path in _index_files(folder, skip):
        about = os.stat(path)
        digest.update(
            f"{relative}\0{about.st_size}\0{about.st_mtime_ns}\0{about.st_ino}\0".encode()
        )
    return digest.hexdigest()


def _unchanged(folder: Path, recorded: dict, skip=()) -> bool:
    """Whether the index files under `folder` are those `recorded` describes:
    their stamp is the one recorded (nothing wrote to them since: a shard kept
    from build to build is linked, not copied), or else their bytes are."""
    stamp = _stamp(folder, skip)
    if stamp is None:
        return False
    return stamp == recorded.get("stamp") or _folder_digest(folder, skip) == recorded.get("index")


def _record_path(settings, bundle: Path) -> Path:
    """Where the record of the index in `bundle` is kept: a cache folder of its
    own (the record holds its own key, the digest of what Pagefind read), one
    file per index folder."""
    name = hashlib.sha256(str(bundle).encode()).hexdigest()[:16]
    return cache_folder(settings, "search") / f"{name}.json"


def _read_record(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and record.get("format") == RECORD_FORMAT else {}


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
