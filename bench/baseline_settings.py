"""Plain Pelican for the baseline: default settings, default theme, no plugins.

Only where to read differs from Pelican's defaults (bench/run.py passes the
content folder and the output folder on the command line). The corpus's two
pages are left out: the 404 page names the archive's own `notfound` template,
which the default theme lacks.
"""

ARTICLE_PATHS = ["rilis"]
PAGE_PATHS = []
PLUGINS = []
