"""The release format: which metadata fields exist and how to read them.

See docs/content-format.md for the editors' description of the same fields.
"""

from __future__ import annotations

import re
from pathlib import Path

from pelican.readers import ensure_metadata_list

# Registry-backed list fields, in the order pages show them.
TAXONOMY_FIELDS = ("units", "officers", "activities")
# Plain list fields (not resolved against the registry).
LIST_FIELDS = ("places", "sources")
REQUIRED_FIELDS = ("title", "date", "slug", "summary", "units", "activities", "sources", "status")
STATUSES = ("published", "draft")

_FIELD_LINE = re.compile(r"^(?P<name>[A-Za-z_]+)\s*:", re.ASCII)


def metadata_list(value) -> list[str]:
    """A list field as written: split on ";" when present, else on ","."""
    if value is None:
        return []
    return ensure_metadata_list(value)


def display_path(path: str | Path) -> str:
    """A path as editors type it: relative to the working folder when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def field_lines(path: str | Path) -> dict[str, int]:
    """Line number of each metadata field in a release's header."""
    lines = {}
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return lines
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break  # the header ends at the first blank line
        match = _FIELD_LINE.match(line)
        if match:
            lines.setdefault(match["name"].lower(), number)
    return lines
