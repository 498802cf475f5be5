"""Seam: Pelican's reader cache (Readers.cache_data), filled before Pelican reads.

Pelican parses files one after another. Before it reads the articles, the
files whose parse is not cached yet are parsed by a pool of READ_WORKERS
processes (default: one per core) and put into the reader cache, under the
key and in the shape Readers.read_file gives its own entries (the absolute
path; the content and the metadata without Pelican's private discard
marker, _filter_discardable_metadata): Pelican's read then finds them. A
worker starts the build's plugins itself (Pelican's private loader,
pelican.plugins._utils.load_plugins), so its readers are the build's. A file
a worker cannot parse is left to Pelican, which reports it as usual.

A speed-up: needs CACHE_CONTENT; below READ_PARALLEL_MIN files the pool is not
worth its start-up and Pelican parses alone.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from pelican import signals
from pelican.plugins._utils import load_plugins
from pelican.readers import Readers, _filter_discardable_metadata
from pelican.utils import file_suffix

from engine import speedups
from engine.preview import SESSION_SETTING

logger = logging.getLogger(__name__)

DEFAULT_READ_PARALLEL_MIN = 200
BATCHES_PER_WORKER = 8


def _start_worker(settings):
    # A spawned worker starts without plugins: register the build's own so that
    # readers_init gives it the very readers the build uses (the sanitizer's too).
    for plugin in load_plugins(settings):
        plugin.register()


def _parse_batch(settings, paths):
    """Each file's parse as Pelican caches it, or None for a file Pelican must report."""
    readers = Readers(settings)
    parsed = []
    for path in paths:
        try:
            content, metadata = readers.readers[file_suffix(path)].read(path)
        except Exception:  # Pelican parses the file again and reports the error itself
            parsed.append(None)
            continue
        # What Pelican's own read caches (Readers.read_file).
        parsed.append((content, _filter_discardable_metadata(metadata)))
    return parsed


def parse_in_parallel(generator):
    settings = generator.settings
    workers = settings.get("READ_WORKERS") or os.cpu_count() or 1
    if not speedups.on(settings) or not settings["CACHE_CONTENT"] or workers < 2:
        return
    readers = generator.readers
    paths = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in sorted(
            generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
        )
    ]
    todo = [
        path
        for path in paths
        if file_suffix(path) in readers.readers
        # (a preview session's release, engine/incremental.py, is not read at all)
        and generator.get_cached_data(path) is None
        and readers.get_cached_data(path) is None
    ]
    if len(todo) < settings.get("READ_PARALLEL_MIN", DEFAULT_READ_PARALLEL_MIN):
        return
    logger.info("Parsing %d files with %d processes", len(todo), workers)
    size = max(1, len(todo) // (workers * BATCHES_PER_WORKER))
    batches = [todo[start : start + size] for start in range(0, len(todo), size)]
    # The preview session (engine/preview.py) stays in this process.
    worker_settings = {k: v for k, v in settings.items() if k != SESSION_SETTING}
    try:
        # "spawn": workers start clean instead of copying this process's
        # threads and locks (the console's) mid-use; they end with the pool.
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(worker_settings,),
        ) as pool:
            results = pool.map(partial(_parse_batch, worker_settings), batches)
            for batch, parsed_batch in zip(batches, results, strict=True):
                for path, parsed in zip(batch, parsed_batch, strict=True):
                    if parsed is not None:
                        readers.cache_data(path, parsed)
    except BrokenProcessPool as error:
        logger.warning("Parallel parsing failed (%s); Pelican parses the rest alone", error)


def register():
    signals.article_generator_init.connect(parse_in_parallel)
