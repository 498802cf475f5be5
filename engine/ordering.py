"""Seam: the order pelican.utils.process_translations gave, kept without it.

pelicanconf.py turns off Pelican's grouping of translations
(ARTICLE_TRANSLATION_ID = None): the archive has one language, and that step
compares every release with every other (`x not in index`), a cost growing
with the square of the archive. The grouping also sorted the releases by
slug before ArticlesGenerator.generate_context sorted them by date, which
decided the order of releases dated the same minute; when the grouping is
off, this keeps that order, so lists, neighbours and feeds stay as they were
(and do not follow the order in which the file system lists the files).
"""

from __future__ import annotations

from operator import attrgetter

from pelican import signals
from pelican.utils import order_content


def order_releases(generator):
    settings = generator.settings
    if settings["ARTICLE_TRANSLATION_ID"]:
        return  # Pelican's grouping sorted them already
    for releases in (generator.articles, generator.hidden_articles, generator.drafts):
        by_slug = sorted(releases, key=attrgetter("slug"))
        releases[:] = order_content(by_slug, settings["ARTICLE_ORDER_BY"])


def register():
    signals.article_generator_pretaxonomy.connect(order_releases)
