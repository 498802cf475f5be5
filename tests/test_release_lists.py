"""Release lists: related releases are the best scoring, and every card links
to its release from any depth.

Built from a generated corpus (bench/generate.py) with the real settings, so
that lists are long enough to paginate and releases share terms. Related
lists are compared with the definition (every pair scored); cards, rendered
once per build with a placeholder for SITEURL (engine/render.py), must link
to an existing release page from pages at every depth.
"""

from __future__ import annotations

import datetime
import math
import sys
from pathlib import Path
from posixpath import normpath

import pytest
from bs4 import BeautifulSoup

from arsip.content import metadata_list
from arsip.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

RELEASES = 80
KIND_CLASS = {"units": "Unit", "officers": "Officer", "activities": "Activity"}


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    from tests.conftest import run_pelican

    folder = tmp_path_factory.mktemp("render-once")
    generate.generate(RELEASES, folder / "content", seed=3)
    build = run_pelican(folder / "content", folder / "output")
    assert build.returncode == 0, build.stdout + build.stderr
    return folder / "content", build


def releases_of(content: Path):
    """(url, date, {(kind, slug)}) of every release, newest first."""
    registry = Registry.load(content)
    found = []
    for path in (content / "rilis").rglob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(line.split(": ", 1) for line in head.splitlines())
        date = datetime.datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M")
        terms = set()
        for kind, field in (
            ("units", "Units"),
            ("officers", "Officers"),
            ("activities", "Activities"),
        ):
            for written in metadata_list(fields[field]):
                terms.add((kind, registry.resolve(kind, written).slug))
        found.append((f"rilis/{date:%Y}/{date:%m}/{fields['Slug']}/", date, terms))
    found.sort(key=lambda release: release[1], reverse=True)
    assert len({release[1] for release in found}) == len(found), "order must not hang on ties"
    return found


def expected_related(releases, count=5):
    """The definition, scoring every pair: shared terms, rarer weighing more."""
    carriers = {}
    for _url, _date, terms in releases:
        for term in terms:
            carriers[term] = carriers.get(term, 0) + 1
    weight = {term: math.log(len(releases) / n) for term, n in carriers.items()}
    related = {}
    for url, _date, terms in releases:
        order = sorted(
            (t for t in terms if weight[t] > 0), key=lambda t: (-weight[t], KIND_CLASS[t[0]], t[1])
        )
        scores = []
        for position, (other_url, _other_date, other_terms) in enumerate(releases):
            if other_url == url:
                continue
            score = 0.0
            for term in order:
                if term in other_terms:
                    score += weight[term]
            if score > 0:
                scores.append((-score, position, other_url))
        related[url] = [other for _score, _position, other in sorted(scores)[:count]]
    return related


def links(build, page: str, selector: str) -> list[str]:
    soup = BeautifulSoup((build.output / page).read_text(encoding="utf-8"), "html.parser")
    base = page.rsplit("/", 1)[0] if "/" in page else ""
    return [
        normpath(f"{base}/{a['href']}" if base else a["href"]).lstrip("./") + "/"
        for a in soup.select(selector)
    ]


def test_related_releases_are_the_best_scoring(corpus_site):
    content, build = corpus_site
    releases = releases_of(content)
    expected = expected_related(releases)
    assert any(expected.values())
    for url, _date, _terms in releases:
        shown = links(build, f"{url}index.html", "section.related .release-card__title a")
        assert shown == expected[url], url


def test_every_card_links_to_its_release_from_any_depth(corpus_site):
    content, build = corpus_site
    urls = {url for url, _date, _terms in releases_of(content)}
    listing_pages = [
        p.relative_to(build.output).as_posix()
        for p in build.output.rglob("index.html")
        if not p.relative_to(build.output).as_posix().startswith("rilis/")
    ]
    cards = 0
    for page in listing_pages:
        for target in links(build, page, ".release-card__title a"):
            assert target in urls, (page, target)
            assert (build.output / target / "index.html").is_file()
            cards += 1
    assert cards >= RELEASES * 3  # index, archives and term pages each list every release
