"""Parse each Markdown file once, typography included, on every core.

Pelican caches only what Markdown made of a file and runs Typogrify again on
every build, on every file; and it parses files one after another. This
plugin changes where that work happens, not what it produces:
- Typogrify runs inside the Markdown reader (same settings, same calls as
  Pelican's), so the content cache holds the finished text: an unchanged
  release costs a hash and a cache lookup. `TYPOGRIFY = True` in the settings
  keeps its meaning; the plugin turns Pelican's own pass off.
- Before Pelican reads the articles, the files whose parse is not cached yet
  are parsed by a pool of READ_WORKERS processes (default: one per core) and
  put into Pelican's content cache, where Pelican's own read then finds them.
  A file a worker cannot parse is left to Pelican, which reports it as usual.
  Needs CACHE_CONTENT; below READ_PARALLEL_MIN files the pool is not worth
  its start-up and Pelican parses alone.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import smartypants
from markdown import Markdown
from pelican import signals
from pelican.plugins._utils import load_plugins
from pelican.readers import MarkdownReader, Readers, _filter_discardable_metadata
from pelican.utils import file_suffix, pelican_open
from typogrify.filters import typogrify

from arsip.content import parse_release
from arsip.preview import SESSION_SETTING

logger = logging.getLogger(__name__)

DEFAULT_READ_PARALLEL_MIN = 200
SMARTYPANTS_DASHES = {
    "oldschool": smartypants.Attr.set2,
    "oldschool_inverted": smartypants.Attr.set3,
}


class TypographicMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, with Pelican's Typogrify pass applied to its result.

    Pelican's reader also builds a new Markdown parser for every file (about a
    tenth of a cold build); this one resets and reuses one parser, as Markdown
    allows.
    """

    _parser = None

    def read(self, source_path):
        content, metadata = self.read_markdown(source_path)
        if not self.settings.get("TYPOGRIFY_IN_READER"):
            return content, metadata
        if content:
            content = self.typogrify(content)
        for field in ("title", "summary"):
            if field in metadata:
                metadata[field] = self.typogrify(metadata[field])
        return content, metadata

    def read_markdown(self, source_path):
        """The Markdown step alone; plugins that must see HTML before typogrify wrap it.

        The header is read by the archive's one parser (arsip.content), the
        very one `invoke check` reads; Markdown converts the body only.
        """
        if self._parser is None:
            self._parser = Markdown(**self.settings["MARKDOWN"])
            if "meta" in self._parser.preprocessors:
                self._parser.preprocessors.deregister("meta")
        self._md = self._parser.reset()
        self._source_path = source_path
        with pelican_open(source_path) as text:
            release = parse_release(source_path, text)
        content = self._md.convert(release.body)
        return content, self._metadata(release.metadata)

    def _metadata(self, fields: dict[str, str]) -> dict:
        # As pelican.readers.MarkdownReader._parse_metadata, for one value per field.
        metadata = {}
        for name, value in fields.items():
            if name in self.settings["FORMATTED_FIELDS"]:
                self._md.reset()
                value = self._md.convert(value)
            metadata[name] = self.process_metadata(name, value)
        return metadata

    def typogrify(self, text):
        # As pelican.readers.Readers.read_file does it.
        dashes = SMARTYPANTS_DASHES.get(self.settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
        smartypants.Attr.default = dashes | smartypants.Attr.w
        return typogrify(
            text,
            self.settings["TYPOGRIFY_IGNORE_TAGS"],
            **dict.fromkeys(self.settings["TYPOGRIFY_OMIT_FILTERS"], False),
        )


def move_typogrify_into_reader(pelican):
    settings = pelican.settings
    settings["TYPOGRIFY_IN_READER"] = settings["TYPOGRIFY"]
    settings["TYPOGRIFY"] = False  # done by TypographicMarkdownReader instead


def use_typographic_reader(readers):
    for extension in TypographicMarkdownReader.file_extensions:
        if readers.reader_classes.get(extension) is MarkdownReader:
            readers.reader_classes[extension] = TypographicMarkdownReader


# -- the worker pool ---------------------------------------------------------

_worker_readers: Readers | None = None


def _start_worker(settings):
    global _worker_readers
    # A spawned worker starts without plugins: register the build's own so that
    # readers_init gives it the very readers the build uses (the sanitizer's too).
    for plugin in load_plugins(settings):
        plugin.register()
    _worker_readers = Readers(settings)


def _parse(path):
    try:
        content, metadata = _worker_readers.readers[file_suffix(path)].read(path)
    except Exception:  # Pelican parses the file again and reports the error itself
        return None
    # What Pelican's own read caches (pelican.readers.Readers.read_file).
    return content, _filter_discardable_metadata(metadata)


def parse_in_parallel(generator):
    settings = generator.settings
    workers = settings.get("READ_WORKERS") or os.cpu_count() or 1
    if not settings["CACHE_CONTENT"] or workers < 2:
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
        # (a preview session's release, plugins/incremental.py, is not read at all)
        and generator.get_cached_data(path) is None
        and readers.get_cached_data(path) is None
    ]
    if len(todo) < settings.get("READ_PARALLEL_MIN", DEFAULT_READ_PARALLEL_MIN):
        return
    logger.info("Parsing %d files with %d processes", len(todo), workers)
    # Workers import this module by name: Pelican loaded it from PLUGIN_PATHS,
    # which is not on sys.path. "spawn": workers start clean instead of
    # copying this process's threads and locks (the console's) mid-use.
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.append(here)
    chunk = max(1, len(todo) // (workers * 8))
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            # The preview session (arsip/preview.py) stays in this process.
            initargs=({k: v for k, v in settings.items() if k != SESSION_SETTING},),
        ) as pool:
            for path, parsed in zip(todo, pool.map(_parse, todo, chunksize=chunk), strict=True):
                if parsed is not None:
                    readers.cache_data(path, parsed)
    except BrokenProcessPool as error:
        logger.warning("Parallel parsing failed (%s); Pelican parses the rest alone", error)


def register():
    signals.initialized.connect(move_typogrify_into_reader)
    signals.readers_init.connect(use_typographic_reader)
    signals.article_generator_init.connect(parse_in_parallel)
