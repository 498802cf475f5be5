"""Fingerprinted CSS and JavaScript names, so browsers may cache them for a year.

Adds to the build: every `.css` and `.js` file under the theme's static folder
(THEME_STATIC_DIR, "theme") renamed to carry the first 12 hex digits of the
SHA-256 of its bytes (`theme/css/arsip.css` -> `theme/css/arsip.3f2a9c01b7de.css`),
and every reference to it in the HTML pages rewritten to the new name. The
unfingerprinted file is removed, so a page still naming it is a broken link
that the publish check reports.

A new version of a file gets a new name; deploy/nginx.conf serves these names
with `Cache-Control: immutable` for a year. Assets must not name each other
(an asset's own hash would not change when the one it names does): the build
stops if one does.

A post-build step (POST_BUILD_STEPS in publishconf.py), after `minify` and
before `compress`.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pelican import signals

from arsip import post_build, postprocess

SUFFIXES = (".css", ".js")
HASH_LENGTH = 12
FINGERPRINTED = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[a-z]+$")


class AssetError(Exception):
    exitcode = 1


def fingerprint(path: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    return path.with_name(f"{path.stem}.{digest}{path.suffix}")


def fingerprint_assets(pelican):
    output = Path(pelican.output_path)
    static = output / pelican.settings.get("THEME_STATIC_DIR", "theme")
    assets = sorted(
        path
        for path in static.rglob("*")
        if path.suffix in SUFFIXES and path.is_file() and not FINGERPRINTED.search(path.name)
    )
    if not assets:
        return
    _refuse_cross_references(assets)
    renamed = {}  # path inside the static folder: "css/arsip.css" -> "css/arsip.<hash>.css"
    for path in assets:
        target = fingerprint(path)
        path.replace(target)
        renamed[path.relative_to(static).as_posix()] = target.relative_to(static).as_posix()
    # Starting with a literal lets the regex engine jump from candidate to candidate.
    prefix = f"/{static.relative_to(output).as_posix()}/"
    reference = re.escape(prefix) + "(" + "|".join(map(re.escape, renamed)) + r")(?![\w.-])"
    postprocess.each(_rewrite_pages, output.rglob("*.html"), (reference, prefix, renamed))


def _rewrite_pages(pages: list[Path], names: tuple[str, str, dict[str, str]]) -> None:
    """Rewrite the references in `pages` (on every core: arsip/postprocess.py)."""
    pattern, prefix, renamed = names
    reference = re.compile(pattern)  # re's own cache keeps it for the next chunk
    for page in pages:
        text = page.read_text(encoding="utf-8")
        rewritten = reference.sub(lambda match: prefix + renamed[match[1]], text)
        if rewritten != text:
            page.write_text(rewritten, encoding="utf-8")


def _refuse_cross_references(assets: list[Path]):
    names = {path.name for path in assets}
    for path in assets:
        text = path.read_text(encoding="utf-8", errors="replace")
        named = sorted(name for name in names - {path.name} if name in text)
        if named:
            raise AssetError(
                f"{path}: names {', '.join(named)}; fingerprinted assets must not name each "
                "other (its hash would not change with theirs). Load both from the page instead."
            )


POST_BUILD_STEP = fingerprint_assets


def register():
    post_build.connect()
    signals.initialized.connect(postprocess.start)
