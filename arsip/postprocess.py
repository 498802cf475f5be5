"""The per-file work of the public build's post-build steps, on every core,
remembered by content.

plugins/minify.py and plugins/compress.py do the same work for each of the
output's thousands of files. Two things make that fast:

- `each`: the files go in chunks to a pool of worker processes, one per core.
  The pool is forked when Pelican starts (`start`, on `initialized`, before
  any content is read, so the workers are small: a fork later would copy the
  whole build's memory), kept for every step, and stopped when the steps are
  done (arsip/post_build.py). A few files are done in this process.
- `ahead`: while Pelican still writes pages, the workers fill the cache with
  the results for the files written so far (a page's minified text, a feed's
  compressed copies), on a core the build leaves idle. That work only ever
  adds cache entries: the steps still do every file, and find them there.
- `ResultCache`: a result kept under the SHA-256 of its input, one file per
  entry, so a publish after a small change redoes only the changed files. An
  entry is written under a temporary name and renamed, so builds may share a
  cache and a killed one never leaves half an entry; a used entry's time is
  renewed, and entries no build used for `days` are removed (`prune`).

A result from the cache or from a worker is byte for byte the one the step
computes itself: the cache's key is the input, and each cache folder is named
after the library (and its version) and the options that make the result.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# Fewer files than this are done in the build's own process: a pool costs more.
POOL_THRESHOLD = 64
CHUNK = 32

_pool: ProcessPoolExecutor | None = None


class ResultCache:
    """`make(input)` by SHA-256 of the input: `<folder>/<sha256><suffix>`; no
    folder, no cache. `make` must pickle (a function of a module, a partial)."""

    def __init__(
        self, folder: Path | None, suffix: str, days: float, make: Callable[[bytes], bytes]
    ):
        self.folder = folder
        self.suffix = suffix
        self.max_age = days * 86400
        self.make = make
        if folder:
            folder.mkdir(parents=True, exist_ok=True)

    def result(self, data: bytes) -> bytes:
        """`make(data)`, from the cache when an earlier build made it."""
        make = self.make
        if not self.folder:
            return make(data)
        name = hashlib.sha256(data).hexdigest() + self.suffix
        entry = self.folder / name
        try:
            made = entry.read_bytes()
            os.utime(entry)  # used now: keep it
            return made
        except FileNotFoundError:
            made = make(data)
            partial = entry.with_name(f".{name}.{os.getpid()}.tmp")
            partial.write_bytes(made)
            os.replace(partial, entry)  # readers never see half an entry
            return made

    def prune(self) -> None:
        """Forget entries no build has used for `days`."""
        if self.folder:
            oldest = time.time() - self.max_age
            for entry in self.folder.iterdir():
                with contextlib.suppress(FileNotFoundError):  # another build pruned it
                    if entry.stat().st_mtime < oldest:
                        entry.unlink()


def start(_pelican=None) -> None:
    """Fork the workers now, while the build's process is small (Pelican's
    `initialized`, for the plugins that use them)."""
    global _pool
    if _pool is None and (os.cpu_count() or 1) > 1:
        # With "fork", the executor forks all its workers at the first task.
        _pool = ProcessPoolExecutor(
            max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("fork")
        )
        _pool.submit(os.getpid).result()


def stop() -> None:
    """Stop the workers (the next `start` or `each` forks new ones)."""
    global _pool
    if _pool is not None:
        _pool.shutdown()
        _pool = None


def running() -> bool:
    return _pool is not None


def ahead(function: Callable[[list, object], object], items: list, shared=None) -> None:
    """`function(items, shared)` on a worker, if the workers run, for its
    effect on a cache alone: a failure (a file replaced meanwhile) is ignored."""
    if _pool is not None:
        _pool.submit(_quietly, function, items, shared)


def _quietly(function, items, shared) -> None:
    with contextlib.suppress(OSError, ValueError):
        function(items, shared)


def each(function: Callable[[list, object], list | None], items: Iterable, shared=None) -> list:
    """`function(chunk, shared)` over `items` in chunks, on every core; the
    lists the calls return, joined in order. An error in a chunk is raised
    here. `function` and `shared` must pickle."""
    items = list(items)
    if len(items) < POOL_THRESHOLD or (os.cpu_count() or 1) == 1:
        return function(items, shared) or []
    start()
    chunks = [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]
    results = []
    for result in _pool.map(function, chunks, [shared] * len(chunks)):
        results.extend(result or ())
    return results
