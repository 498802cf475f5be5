"""The engine: every use of Pelican's internals, in one package.

The archive's feature plugins (plugins/) use Pelican the way a plugin of the
pelican-plugins organisation does: signals, settings and Pelican's public API.
Whatever reaches further (replacing Pelican's writer or reader, overriding a
generator's method on the instance, copying a Pelican function, writing a
private attribute) lives here, one module per seam, each module's docstring
naming its seam first. engine/seams.py lists every Pelican function the engine
copies, overrides or relies on, with a hash of its source:
tests/test_engine_guard.py fails when the installed Pelican's differs.

Most of the engine makes the build faster without changing a byte of it;
ENGINE_SPEEDUPS = False (engine/speedups.py) turns all of that off, and
tests/test_engine.py proves the site is the same either way.

The engine is one entry in PLUGINS, before the feature plugins. Its parts
connect to Pelican's signals in the order of MODULES, and receivers of one
signal run in the order they were connected.
"""

from __future__ import annotations

from engine import (
    cache,
    contents,
    feeds,
    incremental,
    links,
    ordering,
    parallel,
    periods,
    pool,
    readers,
    render,
    writer,
)

MODULES = (
    contents,  # each run starts with Pelican's memo caches empty
    links,
    readers,  # READERS names the archive's reader before anything reads
    cache,  # the content cache's folder, once the settings are final
    incremental,  # a preview session's releases, before the pool looks for what to parse
    pool,  # the other files parsed in parallel, before Pelican reads them
    periods,
    ordering,
    render,
    feeds,
    writer,
    parallel,  # after the writer; its receiver of article_writer_finalized before search's
)


def register():
    for module in MODULES:
        module.register()
