"""Releases newest first, and releases of the same moment by slug.

pelicanconf.py turns off Pelican's grouping of translations
(ARTICLE_TRANSLATION_ID = None): the archive has one language, and that step
compares every release with every other (`x not in index`), a cost growing
with the square of the archive. The grouping also sorted the releases by
slug before Pelican sorted them by date, which decided the order of
releases dated the same minute; this plugin keeps that order, so lists,
neighbours and feeds stay as they were.
"""

from __future__ import annotations

from operator import attrgetter

from pelican import signals
from pelican.utils import order_content


def order_releases(generator):
    for releases in (generator.articles, generator.hidden_articles, generator.drafts):
        # What Pelican's translation step and its ordering did (generators.py, _process).
        by_slug = sorted(releases, key=attrgetter("slug"))
        releases[:] = order_content(by_slug, generator.settings["ARTICLE_ORDER_BY"])


def register():
    signals.article_generator_pretaxonomy.connect(order_releases)
