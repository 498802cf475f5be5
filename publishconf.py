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

PLUGINS = [*PLUGINS, "seo", "minify", "assets", "compress"]
# What runs once every page is written, in this order (arsip/post_build.py
# checks the list against PLUGINS when the build starts). The sitemap lists
# the final pages; minify before fingerprinting, whose hash names the final
# bytes; compress after every step that changes files; strict fails the build
# on any error a step logged; the new output replaces the old only then.
POST_BUILD_STEPS = ["search", "seo", "minify", "assets", "compress", "strict", "output_swap"]
