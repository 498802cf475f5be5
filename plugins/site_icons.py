"""The site's icon and web app manifest.

Adds to the output:
- `/favicon.ico`, copied from the theme (theme/root/favicon.ico, drawn from
  theme/static/icons/favicon.svg by theme/make_icons.py): browsers ask for it
  at the site root when a page names no icon they can use, and so do feed
  readers and RSS-to-email services showing the archive beside other sites;
- `/manifest.webmanifest`: the archive's name, language, colours and icons
  for phones that add it to their home screen. Every URL in it is relative to
  the manifest, so it holds under a subpath too.

THEME_COLOR (arsip/settings.py: the theme's accent, `--accent` in arsip.css)
is the pages' `<meta name="theme-color">` and the manifest's colour.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from arsip import settings as archive_settings

ROOT_FILES = Path(__file__).resolve().parent.parent / "theme" / "root"
MANIFEST = "manifest.webmanifest"


def manifest(settings: dict) -> dict:
    static = settings.get("THEME_STATIC_DIR", "theme")
    icons = f"{static}/icons"
    return {
        "name": settings["SITENAME"],
        "short_name": "Arsip Rilis",
        "description": settings.get("SITESUBTITLE", ""),
        "lang": settings.get("DEFAULT_LANG", "id"),
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "minimal-ui",
        "theme_color": settings["THEME_COLOR"],
        "background_color": "#ffffff",
        "icons": [
            {"src": f"{icons}/favicon.svg", "sizes": "any", "type": "image/svg+xml"},
            {"src": f"{icons}/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": f"{icons}/icon-512.png", "sizes": "512x512", "type": "image/png"},
        ],
    }


class SiteIconsGenerator(Generator):
    def generate_output(self, writer):
        output = Path(self.output_path)
        output.mkdir(parents=True, exist_ok=True)
        for source in sorted(ROOT_FILES.iterdir()):
            shutil.copyfile(source, output / source.name)
        text = json.dumps(manifest(self.settings), ensure_ascii=False, indent=2) + "\n"
        (output / MANIFEST).write_text(text, encoding="utf-8")


def get_generators(pelican):
    return SiteIconsGenerator


def register():
    archive_settings.connect()
    signals.get_generators.connect(get_generators)
