"""Precompressed copies of every text file: `x.html.gz` and `x.html.br` beside `x.html`.

Adds to the build: for each file whose suffix is in COMPRESS_SUFFIXES, a gzip
(level 9, no timestamp, so identical input gives identical bytes) and a
Brotli (COMPRESS_BROTLI_QUALITY) copy. Web servers send them as they are
(nginx `gzip_static` / `brotli_static`) instead of compressing on every
request.

Brotli is slow at its best settings, so its results are kept in
CACHE_PATH/brotli/<Brotli version>/ under the SHA-256 of the input: a
publish after a small change compresses only the pages that changed.
Entries no build used for COMPRESS_CACHE_DAYS are removed, so builds of other
content (the tests' copies) do not evict the real site's; COMPRESS_CACHE =
False turns the cache off. The settings' defaults are in arsip/settings.py.

The last post-build step that changes files (POST_BUILD_STEPS in
publishconf.py): it compresses the files as they are then, so every step
that changes files (search index, minify, fingerprints) runs before it.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from arsip import post_build
from arsip.settings import cache_folder as derived_cache


class BrotliCache:
    """Brotli output by SHA-256 of the input, one file per entry, safe to share."""

    def __init__(self, folder: Path | None, quality: int, days: float):
        self.folder = folder
        self.quality = quality
        self.max_age = days * 86400
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def compress(self, data: bytes) -> bytes:
        if not self.folder:
            return brotli.compress(data, quality=self.quality)
        name = f"{hashlib.sha256(data).hexdigest()}.q{self.quality}.br"
        entry = self.folder / name
        try:
            compressed = entry.read_bytes()
            os.utime(entry)  # used now: keep it
            return compressed
        except FileNotFoundError:
            compressed = brotli.compress(data, quality=self.quality)
            partial = entry.with_name(f".{name}.{os.getpid()}.tmp")
            partial.write_bytes(compressed)
            os.replace(partial, entry)  # readers never see half an entry
            return compressed

    def prune(self):
        """Forget entries no build has used for `days`."""
        if self.folder:
            oldest = time.time() - self.max_age
            for entry in self.folder.iterdir():
                with contextlib.suppress(FileNotFoundError):  # another build pruned it
                    if entry.stat().st_mtime < oldest:
                        entry.unlink()


def compress_file(path: Path, cache: BrotliCache):
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(cache.compress(data))


def cache_folder(settings) -> Path:
    """The Brotli cache: a folder of its own, keyed by the Brotli library's
    version alone (each entry by its input and quality), so that it outlives
    any change to the plugins or the content cache."""
    return derived_cache(settings, "brotli") / brotli.__version__


def compress_output(pelican):
    settings = pelican.settings
    suffixes = tuple(settings["COMPRESS_SUFFIXES"])
    cache = BrotliCache(
        cache_folder(settings) if settings["COMPRESS_CACHE"] else None,
        settings["COMPRESS_BROTLI_QUALITY"],
        settings["COMPRESS_CACHE_DAYS"],
    )
    files = [
        path
        for path in Path(pelican.output_path).rglob("*")
        if path.suffix in suffixes and path.is_file()
    ]
    # Brotli and zlib release the GIL while compressing: threads use every core.
    with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        list(pool.map(compress_file, files, [cache] * len(files)))
    cache.prune()


POST_BUILD_STEP = compress_output


def register():
    post_build.connect()
