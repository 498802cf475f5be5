"""Seam: the articles generator's cache methods (FileStampDataCacher.get_cached_data
and cache_data, which ArticlesGenerator.generate_context calls for every file),
replaced on the instance for one run of a preview session.

Only when a preview session (engine/preview.py, started by `invoke
livereload`) runs the build: the generator takes the release object of an
unchanged file from the session's previous run instead of reading the file
again, and hands each release it reads to the session. Pelican's reader cache
(Readers.cache_data and save_cache, replaced the same way) is saved in the
background, and only when a file was parsed. Plugins that work on all
releases (registry, related, taxonomies, archives) still run on every release,
as in any build. When all is written, the pages of deleted or moved releases
are removed, in the background too. Outside a session this does nothing.
"""

from __future__ import annotations

import os

from pelican import signals

from engine import speedups
from engine.preview import SESSION_SETTING


def reuse_unchanged_releases(generator):
    session = generator.settings.get(SESSION_SETTING)
    if session is None or not speedups.on(generator.settings):
        return

    def cached(path, default=None):
        found = session.cached_article(_source(generator, path), generator.context)
        return default if found is None else found

    def remember(path, article):
        session.remember_article(_source(generator, path), article)

    # Instance attributes shadow Pelican's FileDataCacher methods for this run.
    generator.get_cached_data = cached
    generator.cache_data = remember
    _save_reader_cache_only_when_changed(generator.readers, session)


def _save_reader_cache_only_when_changed(readers, session):
    """Pelican pickles its whole reader cache after every run (at 10,000
    releases, seconds): a session does it after the pages, and only when a
    file was parsed."""
    parsed = []
    cache_data, save_cache = readers.cache_data, readers.save_cache

    def cache_and_note(path, data):
        parsed.append(path)
        cache_data(path, data)

    def save_if_parsed():
        if parsed:
            session.defer(save_cache)  # for the next session; this one keeps the releases

    readers.cache_data = cache_and_note
    readers.save_cache = save_if_parsed


def remove_stale_pages(pelican):
    session = pelican.settings.get(SESSION_SETTING)
    if session is not None:
        session.defer(session.remove_stale_pages)


def _source(generator, path: str) -> str:
    return os.path.abspath(os.path.join(generator.path, path))


def register():
    signals.article_generator_init.connect(reuse_unchanged_releases)
    # Queued before the search index: PLUGINS names the engine before search.
    signals.finalized.connect(remove_stale_pages)
