"""Pelican settings for development: `pelican content -s pelicanconf.py`.

Any self-contained content folder (releases plus registry/) builds with these
settings: `pelican DIR -s pelicanconf.py`.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))  # the shared `arsip` package, without installing

from arsip.kinds import KINDS  # noqa: E402

SITENAME = "Arsip Rilis Humas Polres Metro Jakarta Pusat"
SITESUBTITLE = "Siaran pers Polres Metro Jakarta Pusat dan polsek jajaran"
PUBLISHER = "Humas Polres Metro Jakarta Pusat"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["rilis"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
THEME = str(ROOT / "theme")
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
DEFAULT_DATE = None
TYPOGRIFY = True
# "caps" would wrap every acronym (RW, RT, PLN) in a span and break search excerpts.
TYPOGRIFY_OMIT_FILTERS = ["caps"]

# Every template escapes what it prints; HTML that plugins/sanitize.py has
# cleaned (content, summaries) is printed with `| safe`.
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": [],
    "autoescape": True,
}

# Releases and pages are `.md` files only, and hidden files are never read:
# arsip/rules.py gives every other file a decision (docs/errors.md).
READERS = dict.fromkeys(("rst", "html", "htm", "markdown", "mkd", "mdown"))
IGNORE_FILES = [".*"]
# One language, so no translations: Pelican's grouping of them costs time that
# grows with the square of the archive (engine/ordering.py keeps its order).
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

# The three kinds of term, for every template: labels, URL segments, filter names.
JINJA_GLOBALS = {"kinds": KINDS}

PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [
    "release_checks",
    "strict",
    # Pelican's internals: reader, writer, caches, ordering (engine/__init__.py).
    "engine",
    "sanitize",
    "registry",
    "taxonomies",
    "related",
    "indonesian_dates",
    "drafts",
    "opendata",
    "archive_statistics",
    "search",
    "corrections",
    "atom_feeds",
    "site_icons",
    # Builds into a fresh folder and swaps it in as the last post-build step:
    # a failed build changes nothing.
    "output_swap",
]
# The order of the post-build steps is POST_BUILD_STEPS (arsip/settings.py has
# the default, and every other setting's; publishconf.py adds its steps).

# Clean URLs: /rilis/2024/11/<slug>/
ARTICLE_URL = "rilis/{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "rilis/{date:%Y}/{date:%m}/{slug}/index.html"
DRAFT_URL = "draf/{slug}/"
DRAFT_SAVE_AS = "draf/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# The home page's URL is the site root; Pelican's default "index.html" would
# make the pagination links "index.htmlhalaman/2/".
INDEX_URL = ""
ARCHIVES_URL = "arsip/"
ARCHIVES_SAVE_AS = "arsip/index.html"
YEAR_ARCHIVE_URL = "arsip/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "arsip/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "arsip/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "arsip/{date:%Y}/{date:%m}/index.html"

# Pelican's own taxonomies are replaced by units, officers and activity types.
DIRECT_TEMPLATES = ["index", "archives"]
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = TAGS_SAVE_AS = AUTHORS_SAVE_AS = ""
DEFAULT_CATEGORY = "rilis"
USE_FOLDER_AS_CATEGORY = False

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "term": None, "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{url}halaman/{number}/", "{base_name}/halaman/{number}/index.html"),
)

# Feeds: one site-wide Atom feed, one per term (written by the taxonomies plugin).
# Feeds need absolute links; in development they point at the preview server.
FEED_DOMAIN = "http://127.0.0.1:8000"
FEED_ALL_ATOM = "feeds/semua.atom.xml"
FEED_ATOM = None
FEED_ALL_RSS = FEED_RSS = None
CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = True

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
    },
    "output_format": "html5",
}

# Pelican gives DEFAULT_CATEGORY only when CATEGORY_SAVE_AS is set; without a
# category, writing a draft fails (generate_drafts reads draft.category).
DEFAULT_METADATA = {"status": "draft"}

# Parse a release's Markdown again only when the file's hash changed (rebuilds,
# preview). The cache is per content folder: see engine/cache.py.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
CACHE_PATH = "cache"
