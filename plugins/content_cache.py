"""Pelican's content cache, kept apart for each content folder.

pelicanconf.py turns on Pelican's reader cache: what Markdown made of each
release is kept in CACHE_PATH, and a file is parsed again only when its hash
(CHECK_MODIFIED_METHOD) changed. This plugin gives each content folder and
each Markdown configuration a cache folder of its own under CACHE_PATH, so
that building another folder (a test's, a benchmark's) neither loads nor
grows the archive's cache, and a change to the Markdown settings starts from
an empty cache instead of serving pages parsed the old way.
"""

from __future__ import annotations

import hashlib
import os

from pelican import __version__ as pelican_version
from pelican import signals


def cache_key(settings) -> str:
    parts = (os.path.realpath(settings["PATH"]), repr(settings.get("MARKDOWN")), pelican_version)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def separate_cache(pelican):
    pelican.settings["CACHE_PATH"] = os.path.join(
        pelican.settings["CACHE_PATH"], cache_key(pelican.settings)
    )


def register():
    signals.initialized.connect(separate_cache)
