"""Minified HTML and CSS in the output.

Adds to the build: every `.html` file rewritten by minify-html (spec-compliant
settings: `<html lang>` and `<head>` kept, attribute values quoted where HTML
requires it) and every `.css` file rewritten by rcssmin. JavaScript is left
as written. Enabled in publishconf.py only: development output stays
readable.

A post-build step (POST_BUILD_STEPS in publishconf.py), before `assets`
(whose fingerprints must name the final bytes) and `compress`.
"""

from __future__ import annotations

from pathlib import Path

import minify_html
import rcssmin

from arsip import post_build

HTML_OPTIONS = {
    "minify_css": True,
    "minify_js": False,  # no inline scripts: CSP forbids them; JSON-LD stays as written
    "keep_html_and_head_opening_tags": True,
}


def minify_output(pelican):
    output = Path(pelican.output_path)
    for path in output.rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        path.write_text(minify_html.minify(source, **HTML_OPTIONS), encoding="utf-8")
    for path in output.rglob("*.css"):
        source = path.read_text(encoding="utf-8")
        path.write_text(rcssmin.cssmin(source), encoding="utf-8")


POST_BUILD_STEP = minify_output


def register():
    post_build.connect()
