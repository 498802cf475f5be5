"""Neighbours and related releases on every release page.

Adds `article.newer` / `article.older` (the next and previous published
release by date) and `article.related`: up to RELATED_COUNT releases sharing
the most units, officers and activity types, rarer terms weighing more.
Needs the `registry` plugin.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from pelican import signals

from arsip.content import TAXONOMY_FIELDS

DEFAULT_RELATED_COUNT = 5


def _terms(release):
    for field in TAXONOMY_FIELDS:
        for item in getattr(release, field, ()):
            yield item.officer if field == "officers" else item


def link_releases(generator):
    releases = generator.articles  # published, newest first
    for index, release in enumerate(releases):
        release.newer = releases[index - 1] if index > 0 else None
        release.older = releases[index + 1] if index + 1 < len(releases) else None

    count = generator.settings.get("RELATED_COUNT", DEFAULT_RELATED_COUNT)
    position = {id(release): index for index, release in enumerate(releases)}
    carriers = defaultdict(list)
    for release in releases:
        for term in set(_terms(release)):
            carriers[term].append(release)
    # A term every release carries says nothing about relatedness.
    weight = {term: math.log(len(releases) / len(rs)) for term, rs in carriers.items()}
    for release in (*releases, *generator.drafts):
        scores = Counter()
        for term in set(_terms(release)):
            if weight.get(term, 0) <= 0:
                continue
            for other in carriers[term]:
                if other is not release:
                    scores[id(other)] += weight[term]
        best = sorted(scores, key=lambda key: (-scores[key], position[key]))[:count]
        release.related = [releases[position[key]] for key in best]


def register():
    signals.article_generator_finalized.connect(link_releases)
