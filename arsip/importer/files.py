"""Files in and out: the raw files to read, the releases already there, whole-file writes."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from arsip.content import body_fingerprint, metadata_list, read_release

RELEASES_DIR = "rilis"


def raw_files(source: Path) -> list[Path]:
    """The raw releases to import: `source` itself, or its `*.txt` files (any case)."""
    source = Path(source)
    if source.is_dir():
        return sorted(p for p in source.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    return [source]


def existing_releases(content_dir: Path) -> dict:
    """What the content folder holds already: slugs, body fingerprints, releases by day.

    "slugs" and "bodies" map to a release's path; "days" maps "2024-11-08" to
    the paths of that day's releases, for telling copies of one release;
    "outlets" counts how often each source is named.
    """
    known = {"slugs": {}, "bodies": {}, "days": {}, "outlets": {}}
    for path in sorted((Path(content_dir) / RELEASES_DIR).rglob("*.md")):
        release = read_release(path)
        known["slugs"].setdefault(release.metadata.get("slug", ""), path)
        if release.body.strip():
            known["bodies"].setdefault(body_fingerprint(release.body), path)
            known["days"].setdefault(release.metadata.get("date", "")[:10], []).append(path)
        for outlet in metadata_list(release.metadata.get("sources", "")):
            known["outlets"][outlet] = known["outlets"].get(outlet, 0) + 1
    return known


def _new_file_mode() -> int:
    """The mode a plain `open(..., "w")` gives a new file under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_new(path: Path, text: str) -> None:
    """Write `path` whole, or not at all; FileExistsError if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, _new_file_mode())  # mkstemp's 0600 would hide it from the web server
        os.link(temporary, path)  # fails, atomically, when the file exists
    finally:
        Path(temporary).unlink(missing_ok=True)


def replace_file(path: Path, text: str) -> None:
    """Replace `path` whole by rename, keeping its mode."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
