"""Pelican settings for the public site: `SITEURL=https://... pelican content -s publishconf.py`.

Everything in pelicanconf.py, plus what a deployed site needs: absolute URLs
from the SITEURL environment variable, no drafts, and the post-build steps
(sitemap and robots.txt, minified HTML/CSS, fingerprinted assets, .gz/.br
files). `invoke publish` builds with these settings.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402, F403
from pelicanconf import PLUGINS  # noqa: E402


def _site_url() -> str:
    value = os.environ.get("SITEURL", "").strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        sys.exit(
            "publishconf.py: the environment variable SITEURL must be the public address of the "
            f"site, e.g. SITEURL=https://arsip.example.id (got {value!r}). "
            "Set it, then build again."
        )
    return value


SITEURL = _site_url()
RELATIVE_URLS = False
# A WebSub hub that feed readers subscribe through (docs/alerts.md); none by default.
WEBSUB_HUB = os.environ.get("WEBSUB_HUB", "").strip()
FEED_DOMAIN = SITEURL  # feed links are absolute: SITEURL + FEED_ALL_ATOM

# Drafts are previewed in development only; the public build writes none.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

DELETE_OUTPUT_DIRECTORY = True

# Post-build steps run on Pelican's `finalized` signal in plugin order, after
# the plugins of pelicanconf.py (search indexing among them). Minify before
# fingerprinting (the hash names the final bytes); compress last of all.
PLUGINS = [*PLUGINS, "seo", "minify", "assets", "compress"]
