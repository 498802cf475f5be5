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

from arsip import settings as archive_settings
from arsip.kinds import TAXONOMY_FIELDS
from engine.preview import SESSION_SETTING

KEPT = "related"  # in a preview session's `kept`: (what the lists follow from, the lists)


def _terms(release):
    for field in TAXONOMY_FIELDS:
        for item in getattr(release, field, ()):
            yield item.term


def link_releases(generator):
    releases = generator.articles  # published, newest first
    for index, release in enumerate(releases):
        release.newer = releases[index - 1] if index > 0 else None
        release.older = releases[index + 1] if index + 1 < len(releases) else None

    count = generator.settings["RELATED_COUNT"]
    everything = (*releases, *generator.drafts)
    session = generator.settings.get(SESSION_SETTING)
    if session is not None:
        # Related lists follow from the order of the releases and their terms
        # alone: when neither changed, a preview session's last lists stand.
        # A release's terms follow from its file (and the registry, fixed for the
        # session): worked out again only for a file that changed.
        shape = (count, tuple((r.source_path, _session_terms(session, r)) for r in everything))
        kept = session.kept.get(KEPT)
        if kept is not None and kept[0] == shape:
            by_path = {release.source_path: release for release in releases}
            for release in everything:
                release.related = [by_path[path] for path in kept[1][release.source_path]]
            return
    _score(generator, releases, count)
    if session is not None:
        lists = {r.source_path: [other.source_path for other in r.related] for r in everything}
        session.kept[KEPT] = (shape, lists)


def _session_terms(session, release) -> frozenset:
    return session.per_file(
        "related-terms", release.source_path, lambda: frozenset(_term_keys(release))
    )


def _term_keys(release):
    return ((type(term).__name__, term.slug) for term in _terms(release))


def _score(generator, releases, count) -> None:
    # Terms become small integers once: the scoring below looks them up
    # millions of times, and a term object hashes in Python, an int in C.
    numbers: dict = {}
    terms_of = [
        {numbers.setdefault(term, len(numbers)) for term in _terms(release)}
        for release in (*releases, *generator.drafts)
    ]
    carriers = [[] for _ in numbers]  # term -> positions of the releases carrying it
    for index, terms in enumerate(terms_of[: len(releases)]):
        for term in terms:
            carriers[term].append(index)
    # A term every release carries says nothing about relatedness (weight 0);
    # a term only drafts carry neither.
    weight = [math.log(len(releases) / len(rs)) if rs else 0.0 for rs in carriers]
    members = [set(rs) for rs in carriers]
    # Rarest first; equal weights in a fixed order, so that sums are reproducible.
    by_name = sorted(numbers, key=lambda term: (type(term).__name__, term.slug))
    order = {numbers[term]: place for place, term in enumerate(by_name)}
    tables = (carriers, members, weight, order)
    for index, (release, terms) in enumerate(
        zip((*releases, *generator.drafts), terms_of, strict=True)
    ):
        own = index if index < len(releases) else None
        best = _most_related(terms, own, tables, count)
        release.related = [releases[position] for position in best]


def _most_related(terms, own, tables, count) -> list[int]:
    """Positions of the `count` releases sharing the most term weight with `terms`.

    Ties go to the newer release. Terms are added rarest first, always in the
    same order, so equal term sets give equal scores. Once the releases not
    yet seen could not reach the current top `count` even if they carried all
    the remaining (common, light) terms, only the releases already seen are
    scored further: that skips the long carrier lists of the commonest terms
    without changing the result.
    """
    carriers, members, weight, order = tables
    terms = sorted((t for t in terms if weight[t] > 0), key=lambda t: (-weight[t], order[t]))
    scores = defaultdict(float)
    remaining = sum(weight[term] for term in terms)
    # The release itself carries every term, so it always ranks first: skip it.
    rank = count + 1 if own is not None else count
    for done, term in enumerate(terms):
        if len(scores) >= rank and remaining < heapq.nlargest(rank, scores.values())[-1] - 1e-9:
            _score_seen(scores, terms[done:], members, weight, rank)
            break
        added = weight[term]
        for other in carriers[term]:
            scores[other] += added
        remaining -= added
    scores.pop(own, None)
    best = heapq.nsmallest(count, ((-score, index) for index, score in scores.items()))
    return [index for _, index in best]


def _score_seen(scores, terms, members, weight, rank) -> None:
    """Add `terms` to the releases in `scores` that can still reach the top `rank`."""
    remaining = sum(weight[term] for term in terms)
    threshold = heapq.nlargest(rank, scores.values())[-1]
    for index in [i for i, score in scores.items() if score + remaining < threshold - 1e-9]:
        del scores[index]
    for term in terms:
        added = weight[term]
        # Each release's score still takes the terms in the same order: same sums.
        for index in members[term].intersection(scores):
            scores[index] += added


def register():
    archive_settings.connect()
    signals.article_generator_finalized.connect(link_releases)
