"""Checks of release files that Pelican would otherwise skip or misread silently.

Pelican drops a release it cannot read with a log line, and reads a header
line without a colon as the start of the body. These checks find such files
before Pelican reads them and say where the problem is and what to do, as
"path:line: message". The build (plugins/release_checks.py) stops on any of
them; docs/errors.md lists every case.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from pelican.utils import get_date, slugify

from arsip.content import FIELD_LINE, STATUSES

# The largest real release is about 12 kB; a file this big is a pasted page
# or embedded images, and Markdown takes seconds per megabyte.
MAX_RELEASE_BYTES = 1_000_000

# Fields without which Pelican drops a release.
PELICAN_REQUIRED = ("title", "date")

_CONTINUATION = re.compile(r"^[ ]{4,}\S")
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$", re.ASCII
)
_FENCE = re.compile(r"^(?:-{3}|\.{3})(?:\s.*)?$")


@dataclass
class Header:
    """The metadata lines of one release: name -> (line number, value)."""

    fields: dict[str, tuple[int, str]] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found[1] if found else None

    def line(self, name: str) -> int:
        return self.fields.get(name, (1, ""))[0]


@dataclass
class CheckedRelease:
    path: Path
    problems: list[str]
    header: Header | None  # None when the file could not be read as text


def _text_of(path: Path, max_bytes: int, problems: list[str]) -> str | None:
    try:
        size = path.stat().st_size
    except OSError as error:  # a broken link, or a link to itself
        problems.append(f"{path}:1: cannot read the file ({error.strerror}): fix or remove it")
        return None
    if size > max_bytes:
        problems.append(
            f"{path}:1: file is {size / 1e6:.1f} MB, more than the {max_bytes / 1e6:g} MB a "
            "release may have: remove embedded images or pasted page source"
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            f"{path}:{line}: not valid UTF-8 (byte {data[error.start]:#04x} at offset "
            f"{error.start}): save the file as UTF-8"
        )
        return None
    if not text.strip():
        problems.append(f"{path}:1: empty release file: write the release or delete the file")
        return None
    return text


def read_header(path: Path, text: str, problems: list[str]) -> Header:
    """The header of `text`, with a problem for every line Markdown would misread."""
    header = Header()
    lines = text.lstrip("\ufeff").splitlines()
    start = 1 if lines and _FENCE.match(lines[0]) else 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or (number > 1 and _FENCE.match(line)):
            break
        match = FIELD_LINE.match(line)
        if match:
            name = match["name"].lower()
            if name in header.fields:
                problems.append(
                    f"{path}:{number}: field `{match['name']}` appears again "
                    f"(first on line {header.line(name)}): keep one"
                )
            else:
                header.fields[name] = (number, line[match.end() :].strip())
        elif _CONTINUATION.match(line) and header.fields:
            continue
        elif number == start + 1:
            problems.append(
                f"{path}:{number}: a release starts with metadata lines like `Title: ...`, "
                f"not {line.strip()[:60]!r}"
            )
            break
        else:
            problems.append(
                f"{path}:{number}: not a metadata line: {line.strip()[:60]!r}: write it as "
                "`Name: value`, or leave a blank line between the metadata and the text"
            )
    return header


def _check_fields(path: Path, header: Header, problems: list[str]) -> None:
    for name in PELICAN_REQUIRED:
        if not header.get(name):
            problems.append(
                f"{path}:1: no `{name.title()}:` (Pelican skips a release without it): add it"
            )
    date = header.get("date")
    if date is not None:
        # Only ISO dates: Pelican reads "8/11/2024" as 11 August, and fills what
        # "November 2024" leaves out from the day of the build.
        problem = None if _ISO_DATE.match(date) else "not an ISO date"
        if problem is None:
            try:
                get_date(date)
            except (ValueError, OverflowError):
                problem = "invalid date"
        if problem:
            problems.append(
                f"{path}:{header.line('date')}: {problem} {date!r}: "
                "write it as 2024-11-08 or 2024-11-08 14:30"
            )
    status = header.get("status")
    if status is not None and status.lower() not in STATUSES:
        problems.append(
            f"{path}:{header.line('status')}: unknown status {status!r}: "
            f"use one of {', '.join(STATUSES)}"
        )


def check_release(path: str | Path, max_bytes: int = MAX_RELEASE_BYTES) -> CheckedRelease:
    """Everything wrong with one release file that can be told without the others."""
    path = Path(path)
    problems: list[str] = []
    text = _text_of(path, max_bytes, problems)
    if text is None:
        return CheckedRelease(path, problems, None)
    header = read_header(path, text, problems)
    _check_fields(path, header, problems)
    return CheckedRelease(path, problems, header)


def release_slug(header: Header, settings: dict) -> str | None:
    """The slug Pelican will give the release: Slug, else the slugified Title."""
    if header.get("slug"):
        return header.get("slug")
    title = header.get("title")
    if not title:
        return None
    return slugify(
        title,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def duplicate_slugs(releases: list[CheckedRelease], settings: dict) -> list[str]:
    """One problem per release whose slug an earlier release already has."""
    problems = []
    owners: dict[str, CheckedRelease] = {}
    for release in sorted(releases, key=lambda r: str(r.path)):
        if release.header is None:
            continue
        slug = release_slug(release.header, settings)
        if slug is None:
            continue
        first = owners.setdefault(slug, release)
        if first is not release:
            line = release.header.line("slug" if release.header.get("slug") else "title")
            first_line = first.header.line("slug" if first.header.get("slug") else "title")
            problems.append(
                f'{release.path}:{line}: slug "{slug}" is already used by '
                f"{first.path}:{first_line}: give one of them another `Slug:`"
            )
    return problems


def walk_files(root: str | Path, problems: list[str]) -> list[Path]:
    """Every file under `root`, following links but never reading a folder twice.

    A link loop (`rilis/x -> ..`) would otherwise make Pelican read every
    release again at each level, and a second link to a folder reads it twice.
    """
    files = []
    seen = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames.sort()
        for name in list(dirnames):
            target = os.path.realpath(os.path.join(dirpath, name))
            if target in seen or os.path.realpath(dirpath).startswith(target + os.sep):
                problems.append(
                    f"{os.path.join(dirpath, name)}:1: symbolic link to {target}, which is "
                    "already read (a link loop or a second path to it): remove the link"
                )
                dirnames.remove(name)
            else:
                seen.add(target)
        files.extend(Path(dirpath, name) for name in filenames)
    return sorted(files)
