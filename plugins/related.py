"""Neighbours and related releases on every release page.

Adds `article.newer` / `article.older` (the next and previous published
release by date) and `article.related`: up to RELATED_COUNT releases sharing
the most units, officers and activity types, rarer terms weighing more.
Needs the `registry` plugin.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

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
    carriers = defaultdict(list)  # term -> positions of the releases carrying it
    for index, release in enumerate(releases):
        for term in set(_terms(release)):
            carriers[term].append(index)
    # A term every release carries says nothing about relatedness.
    weight = {term: math.log(len(releases) / len(rs)) for term, rs in carriers.items()}
    members = {term: set(rs) for term, rs in carriers.items()}
    position = {id(release): index for index, release in enumerate(releases)}
    for release in (*releases, *generator.drafts):
        own = position.get(id(release))  # None for a draft
        best = _most_related(release, own, (carriers, members, weight), count)
        release.related = [releases[index] for index in best]


def _most_related(release, own, tables, count) -> list[int]:
    """Positions of the `count` releases sharing the most term weight with `release`.

    Ties go to the newer release. Terms are added rarest first, always in the
    same order, so equal term sets give equal scores. Once the releases not
    yet seen could not reach the current top `count` even if they carried all
    the remaining (common, light) terms, only the releases already seen are
    scored further: that skips the long carrier lists of the commonest terms
    without changing the result.
    """
    carriers, members, weight = tables
    terms = sorted(
        (term for term in set(_terms(release)) if weight.get(term, 0) > 0),
        key=lambda term: (-weight[term], type(term).__name__, term.slug),
    )
    scores = defaultdict(float)
    remaining = sum(weight[term] for term in terms)
    # The release itself carries every term, so it always ranks first: skip it.
    rank = count + 1 if own is not None else count
    for done, term in enumerate(terms):
        if len(scores) >= rank and remaining < heapq.nlargest(rank, scores.values())[-1] - 1e-9:
            _score_seen(scores, terms[done:], members, weight, rank)
            break
        for other in carriers[term]:
            scores[other] += weight[term]
        remaining -= weight[term]
    scores.pop(own, None)
    return heapq.nsmallest(count, scores, key=lambda index: (-scores[index], index))


def _score_seen(scores, terms, members, weight, rank) -> None:
    """Add `terms` to the releases in `scores` that can still reach the top `rank`."""
    remaining = sum(weight[term] for term in terms)
    threshold = heapq.nlargest(rank, scores.values())[-1]
    for index in [i for i, score in scores.items() if score + remaining < threshold - 1e-9]:
        del scores[index]
    for term in terms:
        carrying = members[term]
        for index in scores:
            if index in carrying:
                scores[index] += weight[term]


def register():
    signals.article_generator_finalized.connect(link_releases)
