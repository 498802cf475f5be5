"""The release format: which metadata fields exist and how to read them.

See docs/content-format.md for the editors' description of the same fields.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pelican.readers import ensure_metadata_list

# Registry-backed list fields, in the order pages show them.
TAXONOMY_FIELDS = ("units", "officers", "activities")
# Plain list fields (not resolved against the registry).
LIST_FIELDS = ("places", "sources")
REQUIRED_FIELDS = ("title", "date", "slug", "summary", "units", "activities", "sources", "status")
STATUSES = ("published", "draft")
# Every field of a release, in the order the importer and the scaffold write them.
FIELD_ORDER = (
    "title", "date", "slug", "summary", "units", "officers", "activities", "places", "sources",
    "status",
)  # fmt: skip
# Fields Pelican itself understands; a release may use them but rarely needs to.
PELICAN_FIELDS = ("modified", "lang", "translation", "template", "save_as", "url", "author")
LIST_SEPARATOR = ";"

# How Python-Markdown's `meta` extension (which Pelican uses) recognises a header line.
FIELD_LINE = re.compile(r"^[ ]{0,3}(?P<name>[A-Za-z0-9_-]+):", re.ASCII)


def metadata_list(value) -> list[str]:
    """A list field as written: split on ";" when present, else on ","."""
    if value is None:
        return []
    return ensure_metadata_list(value)


def format_list(values) -> str:
    """A list field as the tools write it: ";"-separated, so commas in a value survive.

    A single value that contains a comma gets a trailing ";" for the same reason.
    """
    text = f"{LIST_SEPARATOR} ".join(values)
    if len(values) == 1 and "," in text:
        text += LIST_SEPARATOR
    return text


@dataclass(frozen=True)
class Problem:
    """Something an editor must fix (error) or look at (warning), at a file's line."""

    path: Path
    line: int
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: {self.message}"

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "line": self.line,
            "level": self.level,
            "message": self.message,
        }


@dataclass
class Release:
    """A release file taken apart: header fields (with their lines) and body."""

    path: Path
    metadata: dict[str, str] = field(default_factory=dict)  # lowercased names
    lines: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field names as written
    body: str = ""
    body_line: int = 1  # line of the body's first line

    def body_lines(self):
        """(line number, text) of every body line."""
        return enumerate(self.body.splitlines(), start=self.body_line)


def parse_release(path: str | Path, text: str) -> Release:
    """Split a release's text like Pelican's Markdown reader: header up to the first blank line."""
    release = Release(Path(path))
    lines = text.splitlines()
    current = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            release.body_line = number + 1
            break
        match = FIELD_LINE.match(line)
        if match:
            current = match["name"].lower()
            release.lines.setdefault(current, number)
            release.names.setdefault(current, match["name"])
            release.metadata.setdefault(current, line[match.end() :].strip())
        elif current and line[:1].isspace():  # a continuation line
            release.metadata[current] = f"{release.metadata[current]} {line.strip()}"
        else:
            release.body_line = number  # no header: the whole file is body
            break
    else:
        release.body_line = len(lines) + 1
    release.body = "\n".join(lines[release.body_line - 1 :])
    return release


def read_release(path: str | Path) -> Release:
    return parse_release(path, Path(path).read_text(encoding="utf-8", errors="replace"))


def display_path(path: str | Path) -> str:
    """A path as editors type it: relative to the working folder when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def field_lines(path: str | Path) -> dict[str, int]:
    """Line number of each metadata field in a release's header."""
    try:
        return read_release(path).lines
    except OSError:
        return {}


def body_fingerprint(body: str) -> str:
    """Equal for two bodies with the same words, however they are wrapped or punctuated."""
    words = re.sub(r"[^\w]+", " ", body.casefold()).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


# Words left out of slugs and kept lowercase in proposed titles.
SMALL_WORDS = frozenset({
    "dan", "di", "ke", "dari", "yang", "untuk", "pada", "dengan", "sebagai", "dalam", "atau",
    "oleh", "bagi", "serta", "hingga", "guna", "agar", "akan", "ini", "itu",
})  # fmt: skip


def slugify(text: str, max_words: int = 8) -> str:
    """A slug from a title: "Ngopi Kamtibmas di Menteng" -> "ngopi-kamtibmas-menteng"."""
    folded = unicodedata.normalize("NFKD", text)
    folded = folded.encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    kept = [w for w in words if w not in SMALL_WORDS] or words
    return "-".join(kept[:max_words])
