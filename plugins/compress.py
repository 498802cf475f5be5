"""Precompressed copies of every text file: `x.html.gz` and `x.html.br` beside `x.html`.

Adds to the build: for each file whose suffix is in COMPRESS_SUFFIXES, a gzip
(level 9, no timestamp, so identical input gives identical bytes) and a
Brotli (COMPRESS_BROTLI_QUALITY) copy. Web servers send them as they are
(nginx `gzip_static` / `brotli_static`) instead of compressing on every
request.

Brotli is slow at its best settings, so its results are kept in
CACHE_PATH/brotli/<Brotli version>/ under the SHA-256 of the input (and the
gzip ones in CACHE_PATH/gzip/<zlib version>/): a publish after a small change
compresses only the pages that changed. Entries no build used for
COMPRESS_CACHE_DAYS are removed, so builds of other content (the tests'
copies) do not evict the real site's; COMPRESS_CACHE = False turns the cache
off. The settings' defaults are in arsip/settings.py. The files are
compressed on every core (arsip/postprocess.py).

The last post-build step that changes files (POST_BUILD_STEPS in
publishconf.py): it compresses the files as they are then, so every step
that changes files (search index, minify, fingerprints) runs before it.
"""

from __future__ import annotations

import gzip
import zlib
from functools import partial
from pathlib import Path

import brotli
from pelican import signals

from arsip import post_build, postprocess
from arsip.settings import cache_folder as derived_cache


def _compress_files(paths: list[Path], caches: tuple[postprocess.ResultCache, ...]) -> None:
    gzipped, brotlied = caches
    for path in paths:
        data = path.read_bytes()
        path.with_name(path.name + ".gz").write_bytes(gzipped.result(data))
        path.with_name(path.name + ".br").write_bytes(brotlied.result(data))


def cache_folder(settings) -> Path:
    """The Brotli cache: a folder of its own, keyed by the Brotli library's
    version alone (each entry by its input and quality), so that it outlives
    any change to the plugins or the content cache."""
    return derived_cache(settings, "brotli") / brotli.__version__


def gzip_cache_folder(settings) -> Path:
    """The gzip cache, keyed by the zlib version that makes its entries."""
    return derived_cache(settings, "gzip") / zlib.ZLIB_RUNTIME_VERSION


def _caches(settings) -> tuple[postprocess.ResultCache, ...]:
    cached = settings["COMPRESS_CACHE"]
    days = settings["COMPRESS_CACHE_DAYS"]
    quality = settings["COMPRESS_BROTLI_QUALITY"]
    return (
        postprocess.ResultCache(
            gzip_cache_folder(settings) if cached else None,
            ".9.gz",
            days,
            partial(gzip.compress, compresslevel=9, mtime=0),
        ),
        postprocess.ResultCache(
            cache_folder(settings) if cached else None,
            f".q{quality}.br",
            days,
            partial(brotli.compress, quality=quality),
        ),
    )


def _compress_ahead(paths: list[Path], caches: tuple[postprocess.ResultCache, ...]) -> None:
    for path in paths:
        data = path.read_bytes()
        for cache in caches:
            cache.result(data)


_written: list[Path] = []  # feeds written and not yet handed to a worker


def feed_written(path, context, feed):
    """Pelican's `feed_written`: a feed, which no later step changes, is
    compressed into the cache as soon as it is written, while the build goes
    on (arsip/postprocess.py `ahead`). The step still compresses every file."""
    if not (context.get("COMPRESS_CACHE") and postprocess.running()):
        return
    if Path(path).suffix not in context.get("COMPRESS_SUFFIXES", ()):
        return
    _written.append(Path(path))
    if len(_written) >= postprocess.CHUNK // 4:  # a feed is larger than a page
        postprocess.ahead(_compress_ahead, _written[:], _caches(context))
        _written.clear()


def compress_output(pelican):
    _written.clear()
    settings = pelican.settings
    suffixes = tuple(settings["COMPRESS_SUFFIXES"])
    caches = _caches(settings)
    files = [
        path
        for path in Path(pelican.output_path).rglob("*")
        if path.suffix in suffixes and path.is_file()
    ]
    postprocess.each(_compress_files, files, caches)
    for cache in caches:
        cache.prune()


POST_BUILD_STEP = compress_output


def register():
    post_build.connect()
    signals.initialized.connect(postprocess.start)
    signals.feed_written.connect(feed_written)
