"""ENGINE_SPEEDUPS: whether the engine's speed-ups are on (default in arsip/settings.py).

The speed-ups: Typogrify inside the cached parse and one reused Markdown
parser (readers), the parse pool (pool), period archives grouped in one pass
(periods), release URLs and cards computed once (render), each Atom entry's
XML written once (feeds), feed entries built once and unchanged files left
alone (writer), a full build's pages and feeds rendered by several processes
(parallel), and in a preview session the reuse of releases, pages and facts
about files (incremental, preview).

Off, Pelican does all that its own way, and the engine keeps only what the
archive needs from Pelican's internals: the one release parser (readers),
the order of releases of the same minute (ordering), a content cache per
content folder and configuration (cache), the sanitizer's access to a body
(contents), `release_card` for the templates (render), and a preview
session's account of the pages it writes. A build then shows whether a fault
lies in a speed-up; tests/test_engine.py proves both ways build the same site.
"""

from __future__ import annotations

from arsip.settings import DEFAULTS

SETTING = "ENGINE_SPEEDUPS"


def on(settings) -> bool:
    return bool(settings.get(SETTING, DEFAULTS[SETTING]))
