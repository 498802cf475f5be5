"""sitemap.xml and robots.txt for search engines.

Adds to the build, when SITEURL is absolute (published builds):
- `sitemap.xml` listing every HTML page of the output by its clean URL
  (`rilis/2024/11/<slug>/`, not `.../index.html`), with `lastmod` for
  releases and pages that carry a date; the 404 page is left out;
- `robots.txt` allowing everything and naming the sitemap.

A post-build step (POST_BUILD_STEPS in publishconf.py), so it sees every
page any generator or plugin wrote.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from pelican import signals

from arsip import post_build
from arsip.publish import ERROR_PAGES, page_path

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"

_last_modified: dict[str, str] = {}  # save_as -> ISO date, for the current build


def remember_dates(generators):
    _last_modified.clear()
    for generator in generators:
        for item in (*getattr(generator, "articles", ()), *getattr(generator, "pages", ())):
            when = getattr(item, "modified", None) or getattr(item, "date", None)
            if when:
                _last_modified[item.save_as] = when.isoformat()


def write_sitemap_and_robots(pelican):
    site_url = pelican.settings["SITEURL"]
    if not site_url.startswith(("https://", "http://")):
        return  # development build: relative URLs, nothing to submit
    output = Path(pelican.output_path)
    entries = []
    for path in sorted(output.rglob("*.html")):
        save_as = path.relative_to(output).as_posix()
        if save_as in ERROR_PAGES:
            continue
        url = f"<loc>{escape(f'{site_url}/{page_path(save_as)}')}</loc>"
        if save_as in _last_modified:
            url += f"<lastmod>{_last_modified[save_as]}</lastmod>"
        entries.append(f"<url>{url}</url>")
    (output / SITEMAP).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</urlset>\n",
        encoding="utf-8",
    )
    (output / ROBOTS).write_text(
        f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/{SITEMAP}\n", encoding="utf-8"
    )


POST_BUILD_STEP = write_sitemap_and_robots


def register():
    post_build.connect()
    signals.all_generators_finalized.connect(remember_dates)
