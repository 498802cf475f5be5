"""Seam: Pelican's reader cache (FileDataCacher), one file under CACHE_PATH
holding every file's parse keyed by its path alone, whatever produced it.

pelicanconf.py turns on Pelican's reader cache: what the reader made of each
release is kept in CACHE_PATH, and a file is parsed again only when its hash
(CHECK_MODIFIED_METHOD) changed. This gives each content folder and each
parsing configuration a cache folder of its own under CACHE_PATH, so that
building another folder (a test's, a benchmark's) neither loads nor grows the
archive's cache, and a change to the Markdown or Typogrify settings, to the
speed-ups (engine/readers.py puts Typogrify's pass into the cached parse), to
the parsing packages' versions, or to the plugins and the engine (their list
and their code: the sanitizer and the reader change what a read returns; and
the arsip modules a read runs), starts from an empty cache instead of serving
pages parsed the old way.
"""

from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

from pelican import signals

# Settings that change what a parse produces (with the speed-ups,
# engine/readers.py puts Typogrify's pass into the cached parse).
PARSE_SETTINGS = (
    "MARKDOWN",
    "FORMATTED_FIELDS",
    "TYPOGRIFY",
    "ENGINE_SPEEDUPS",
    "TYPOGRIFY_IGNORE_TAGS",
    "TYPOGRIFY_OMIT_FILTERS",
    "TYPOGRIFY_DASHES",
    "PLUGINS",
)
PARSE_PACKAGES = ("pelican", "markdown", "typogrify", "smartypants", "nh3")
# The archive's own modules a read runs: the header parser, the invisible characters.
PARSE_MODULES = ("content.py", "text.py")
ENGINE = Path(__file__).resolve().parent
ARSIP = ENGINE.parent / "arsip"


def cache_key(settings) -> str:
    parts = [os.path.realpath(settings["PATH"])]
    parts += [f"{name}={settings.get(name)!r}" for name in PARSE_SETTINGS]
    parts += [f"{name}=={_version(name)}" for name in PARSE_PACKAGES]
    parts += [_plugins_digest([*settings.get("PLUGIN_PATHS", ()), ENGINE])]
    parts += [hashlib.sha256((ARSIP / name).read_bytes()).hexdigest() for name in PARSE_MODULES]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _plugins_digest(folders) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(Path(folder).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def separate_cache(pelican):
    pelican.settings["CACHE_PATH"] = os.path.join(
        pelican.settings["CACHE_PATH"], cache_key(pelican.settings)
    )


def register():
    signals.initialized.connect(separate_cache)
