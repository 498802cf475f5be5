"""Minified HTML and CSS in the output.

Adds to the build: every `.html` file rewritten by minify-html (spec-compliant
settings: `<html lang>` and `<head>` kept, attribute values quoted where HTML
requires it) and every `.css` file rewritten by rcssmin. JavaScript is left
as written. Enabled in publishconf.py only: development output stays
readable.

The pages are minified on every core, and each minified page is kept in
CACHE_PATH/minify/ under the SHA-256 of the page as written (arsip/postprocess.py),
so a publish after a small change minifies only the pages that changed. The
cache follows the Brotli cache's settings (COMPRESS_CACHE, COMPRESS_CACHE_DAYS).

A post-build step (POST_BUILD_STEPS in publishconf.py), before `assets`
(whose fingerprints must name the final bytes) and `compress`.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from importlib.metadata import version
from pathlib import Path

import minify_html
import rcssmin
from pelican import signals

from arsip import post_build, postprocess
from arsip.settings import cache_folder as derived_cache

HTML_OPTIONS = {
    "minify_css": True,
    "minify_js": False,  # no inline scripts: CSP forbids them; JSON-LD stays as written
    "keep_html_and_head_opening_tags": True,
}


def minified_html(data: bytes, options: dict) -> bytes:
    """What reading the page as text, minifying it and writing it as text gives
    (reading as text turns every \\r\\n and \\r into \\n)."""
    source = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return minify_html.minify(source, **options).encode("utf-8")


def cache_folder(settings) -> Path:
    """Keyed by minify-html's version and the options: either changes every result."""
    options = hashlib.sha256(json.dumps(HTML_OPTIONS, sort_keys=True).encode()).hexdigest()
    return derived_cache(settings, "minify") / f"{version('minify-html')}-{options[:12]}"


def _minify_pages(paths: list[Path], cache: postprocess.ResultCache) -> None:
    for path in paths:
        source = path.read_bytes()
        minified = cache.result(source)
        if minified != source:
            path.write_bytes(minified)


def _cache(settings) -> postprocess.ResultCache:
    return postprocess.ResultCache(
        cache_folder(settings) if settings["COMPRESS_CACHE"] else None,
        ".html",
        settings["COMPRESS_CACHE_DAYS"],
        partial(minified_html, options=HTML_OPTIONS),
    )


def _minify_ahead(paths: list[Path], cache: postprocess.ResultCache) -> None:
    for path in paths:
        cache.result(path.read_bytes())


_written: list[Path] = []  # pages written and not yet handed to a worker


def page_written(path, context):
    """Pelican's `content_written`: a page is minified into the cache as soon
    as it is written, while the build goes on (arsip/postprocess.py `ahead`)."""
    if not (path.endswith(".html") and context.get("COMPRESS_CACHE") and postprocess.running()):
        return
    _written.append(Path(path))
    if len(_written) >= postprocess.CHUNK:
        postprocess.ahead(_minify_ahead, _written[:], _cache(context))
        _written.clear()


def minify_output(pelican):
    _written.clear()
    output = Path(pelican.output_path)
    cache = _cache(pelican.settings)
    postprocess.each(_minify_pages, output.rglob("*.html"), cache)
    cache.prune()
    for path in output.rglob("*.css"):
        source = path.read_text(encoding="utf-8")
        path.write_text(rcssmin.cssmin(source), encoding="utf-8")


POST_BUILD_STEP = minify_output


def register():
    post_build.connect()
    signals.initialized.connect(postprocess.start)
    signals.content_written.connect(page_written)
