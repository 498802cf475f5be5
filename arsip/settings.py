"""Defaults of the archive's own settings, in one place.

Pelican's settings files (pelicanconf.py, publishconf.py) may override any of
them; `with_defaults` fills in the rest and refuses a value of the wrong shape.
"""

from __future__ import annotations

from pathlib import Path

from pelican.settings import read_settings

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "pelicanconf.py"

DEFAULTS = {
    # The largest real release is about 12 kB; a file this big is a pasted page
    # or embedded images, and Markdown takes seconds per megabyte.
    "RELEASE_MAX_BYTES": 1_000_000,
    # The years a release's Date and Modified may fall in.
    "RELEASE_YEARS": (2000, 2100),
    # The engine's speed-ups (engine/): False builds the same site the slow way.
    "ENGINE_SPEEDUPS": True,
}


class SettingsError(ValueError):
    pass


def with_defaults(settings: dict) -> dict:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    size = settings["RELEASE_MAX_BYTES"]
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise SettingsError(f"RELEASE_MAX_BYTES must be a positive whole number, not {size!r}")
    years = settings["RELEASE_YEARS"]
    if (
        not isinstance(years, (tuple, list))
        or len(years) != 2
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
        or years[0] > years[1]
    ):
        raise SettingsError(f"RELEASE_YEARS must be two years, first to last, not {years!r}")
    if not isinstance(settings["ENGINE_SPEEDUPS"], bool):
        raise SettingsError(
            f"ENGINE_SPEEDUPS must be True or False, not {settings['ENGINE_SPEEDUPS']!r}"
        )
    return settings


def load(settings_file: str | Path = SETTINGS_FILE, **override) -> dict:
    """The settings a build with `settings_file` would use (for the editors' tools)."""
    return with_defaults(read_settings(str(settings_file), override=override or None))
