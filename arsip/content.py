"""A release file as the build reads it: the one parser of the archive.

The build's Markdown reader (engine/readers.py), `invoke check`, the preview
session, the importer and the tests all take a file apart here, so they cannot
disagree about what a file says. The header rules are Python-Markdown's `meta`
extension's, applied to the text as Markdown sees it (BOM dropped, line endings
and tabs normalised): an optional `---` fence, `Name: value` lines, indented
continuation lines, and a blank line or a closing fence before the body.

See docs/content-format.md for the editors' description of the fields.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from markdown import util as markdown_util
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE
from pelican.readers import ensure_metadata_list

from arsip.problems import Problem

# Plain list fields (not resolved against the registry).
LIST_FIELDS = ("places", "sources")
REQUIRED_FIELDS = ("title", "date", "slug", "summary", "units", "activities", "sources", "status")
STATUSES = ("published", "draft")
# Every field of a release, in the order the importer and the scaffold write them.
FIELD_ORDER = (
    "title", "date", "slug", "summary", "units", "officers", "activities", "places", "sources",
    "status",
)  # fmt: skip
# Optional fields: a release's corrections (docs/content-format.md).
CORRECTION_FIELDS = ("modified", "correction")
RELEASE_FIELDS = (*FIELD_ORDER, *CORRECTION_FIELDS)
LIST_SEPARATOR = ";"
# Markdown's tab width: it expands tabs before reading the header.
TAB_LENGTH = 4


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
class HeaderLine:
    """One `Name: value` line of a header, continuation lines joined to it."""

    name: str  # as written
    value: str
    line: int

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass
class Release:
    """A release file taken apart: header fields (with their lines) and body."""

    path: Path
    header: list[HeaderLine] = field(default_factory=list)  # repeats included, in order
    metadata: dict[str, str] = field(default_factory=dict)  # lowercased names, first value
    lines: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field names as written
    body: str = ""
    body_line: int = 1  # line of the body's first line
    fenced: bool = False  # the header opened with `---`
    # Set when the header ended on a line that is neither a field nor blank:
    # Markdown then reads that line as the body's first.
    stray_line: int | None = None

    def body_lines(self):
        """(line number, text) of every body line."""
        return enumerate(self.body.split("\n"), start=self.body_line)


def markdown_source(text: str) -> str:
    """`text` as Python-Markdown reads it: no BOM, "\\n" line ends, tabs expanded."""
    text = text.removeprefix("\ufeff")
    text = text.replace(markdown_util.STX, "").replace(markdown_util.ETX, "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(TAB_LENGTH)
    return re.sub(r"(?<=\n) +\n", "\n", text)


def parse_release(path: str | Path, text: str) -> Release:
    """Split a release's text exactly as Markdown's `meta` extension does."""
    release = Release(Path(path))
    lines = markdown_source(text).split("\n")
    number = 0
    if lines and BEGIN_RE.match(lines[0]):
        release.fenced = True
        number = 1
    current: list | None = None  # [name, [values], line] of the field being read
    found: list[list] = []
    while number < len(lines):
        line = lines[number]
        number += 1
        if not line.strip() or END_RE.match(line):
            break
        field_match = META_RE.match(line)
        if field_match:
            current = [field_match["key"].strip(), [field_match["value"].strip()], number]
            found.append(current)
            continue
        more = META_MORE_RE.match(line)
        if more and current:
            current[1].append(more["value"].strip())
            continue
        number -= 1  # this line is the body's first
        if found or release.fenced:
            release.stray_line = number + 1
        break
    for name, values, line in found:
        item = HeaderLine(name, " ".join(v for v in values if v), line)
        release.header.append(item)
        if item.key not in release.metadata:
            release.metadata[item.key] = item.value
            release.lines[item.key] = line
            release.names[item.key] = name
    release.body_line = number + 1
    release.body = "\n".join(lines[number:]).rstrip("\n")
    return release


def read_release(path: str | Path) -> Release:
    """A release file for the editors' tools, which have checked it or will."""
    return parse_release(path, Path(path).read_text(encoding="utf-8", errors="replace"))


def load_release(path: str | Path, max_bytes: int) -> tuple[Release | None, list[Problem]]:
    """Read and parse one file, or say why it cannot be read (size, encoding)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [
                Problem(
                    path,
                    1,
                    "error",
                    f"file is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:g} MB a file "
                    "may have: remove embedded images or pasted page source",
                )
            ]
        data = path.read_bytes()
    except OSError as error:  # a broken link, a link to itself, no permission
        reason = error.strerror or type(error).__name__
        return None, [
            Problem(path, 1, "error", f"cannot read the file ({reason}): fix or remove it")
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                path,
                line,
                "error",
                f"not valid UTF-8 (byte {data[error.start]:#04x} at offset {error.start}): "
                "save the file as UTF-8",
            )
        ]
    return parse_release(path, text), []


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
