"""ENGINE_SPEEDUPS: whether the engine's speed-ups are on (default in arsip/settings.py).

Off, the engine keeps only what the archive needs from Pelican's internals
(the one release parser, the order of releases of the same minute, a content
cache per content folder, `release_card` for the templates) and Pelican does
the rest its own way: a build then shows whether a fault lies in a speed-up.
"""

from __future__ import annotations

from arsip.settings import DEFAULTS

SETTING = "ENGINE_SPEEDUPS"


def on(settings) -> bool:
    return bool(settings.get(SETTING, DEFAULTS[SETTING]))
