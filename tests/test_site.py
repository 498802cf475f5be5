"""The archive built from the real content: pages, terms, feeds, links, dates."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from arsip.content import metadata_list
from arsip.kinds import TAXONOMY_FIELDS
from arsip.registry import KINDS, Registry
from tests.conftest import CONTENT
from tests.content_facts import carriers, expected_related, published_releases
from tests.content_facts import read_header as header
from tests.content_facts import release_url as facts_url

RELEASES = sorted((CONTENT / "rilis").rglob("*.md"))


def release_url(fields: dict[str, str]) -> str:
    year, month = fields["date"][:4], fields["date"][5:7]
    return f"rilis/{year}/{month}/{fields['slug']}/"


def expected_terms() -> dict[str, dict[str, set[str]]]:
    """For each taxonomy, term slug -> URLs of the published releases carrying it."""
    registry = Registry.load(CONTENT)
    expected = {field: defaultdict(set) for field in TAXONOMY_FIELDS}
    for path in RELEASES:
        fields = header(path)
        if fields.get("status") != "published":
            continue
        for field in TAXONOMY_FIELDS:
            for value in metadata_list(fields.get(field)):
                expected[field][registry.resolve(field, value).slug].add(release_url(fields))
    return expected


def listed_releases(soup) -> set[str]:
    return {
        "rilis/" + a["href"].split("rilis/", 1)[1]
        for a in soup.select(".release-list .release-card__title a")
    }


def test_every_release_has_its_page(site):
    assert len(RELEASES) == 3
    for path in RELEASES:
        fields = header(path)
        page = site.html(release_url(fields))
        assert page.h1.get_text(strip=True).replace("\xa0", " ") == fields["title"]
        assert page.html["lang"] == "id"


def test_release_page_shows_terms_with_rank_and_post_at_its_date(site):
    page = site.html("rilis/2024/11/optimasi-patroli-tiga-pilar-cooling-system-pasca-pilkada-2024/")
    officers = [li.get_text(" ", strip=True) for li in page.select(".officers li")]
    assert "Kompol Saiful Anwar , Kapolsek Johar Baru" in officers
    assert "Mayor Inf Toto Sugiarto , Danramil 08 Johar Baru" in officers
    units = [a.get_text() for a in page.select(".release-facts a[href*='satuan/']")]
    assert units[:2] == ["Polsek Johar Baru", "Koramil 08 Johar Baru"]
    assert [a.get_text() for a in page.select(".release-facts a[href*='kegiatan/']")] == [
        "Patroli Tiga Pilar",
        "Cooling System",
    ]
    facts = page.select_one(".release-facts").get_text(" ", strip=True)
    assert "Kecamatan Johar Baru" in facts and "faktaberita online" in facts


@pytest.mark.parametrize("field", TAXONOMY_FIELDS)
def test_every_term_page_lists_exactly_its_releases(site, field):
    expected = expected_terms()[field]
    label = KINDS[field].label
    index = site.html(f"{label}/")
    linked = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in index.select(".term-index a")}
    assert linked == set(expected)
    for slug, urls in expected.items():
        assert listed_releases(site.html(f"{label}/{slug}/")) == urls, slug
        count = index.find("a", href=re.compile(f"/{slug}/$")).find_next("span").get_text()
        assert count == f"{len(urls)} rilis"


def test_one_officer_is_one_page_whatever_the_spelling(extended_site):
    """Saiful Anwar and Bayu Marfiando are written several ways in the extended
    content (with and without post and degrees): each is one page, listing every
    release that names them, however written."""
    content = extended_site.content
    registry = Registry.load(content)
    written = defaultdict(set)
    for path in sorted((content / "rilis").rglob("*.md")):
        fields = header(path)
        if fields.get("status") == "published":
            for value in metadata_list(fields.get("officers")):
                written[registry.resolve("officers", value).slug].add(value)
    assert {slug for slug, values in written.items() if len(values) > 1} >= {
        "saiful-anwar",
        "bayu-marfiando",
    }
    naming = carriers(published_releases(content), "officers")
    pages = {p.parent.name for p in (extended_site.output / "personel").glob("*/index.html")}
    assert pages == set(naming) == set(written)
    for slug, releases in naming.items():
        page = extended_site.html(f"personel/{slug}/")
        assert listed_releases(page) == {facts_url(r) for r in releases}, slug


def test_an_officers_page_gives_name_degrees_and_history(site):
    page = site.html("personel/saiful-anwar/")
    assert page.h1.get_text() == "Saiful Anwar, S.E., S.H., M.M."
    history = [td.get_text(" ", strip=True) for td in page.select(".history tbody td")]
    assert history[:2] == ["Kompol", "Kapolsek Johar Baru"]


def test_indonesian_dates(site):
    home = site.html("")
    dates = [t.get_text() for t in home.select(".release-list time")]
    assert dates == ["Kamis, 28 November 2024", "Rabu, 20 November 2024", "Jumat, 8 November 2024"]
    release = site.html("rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/")
    assert release.select_one("header time").get_text() == "Rabu, 20 November 2024, 22.30 WIB"
    assert site.html("arsip/2024/11/").h1.get_text() == "Arsip November 2024"


def test_archives_by_year_and_month(site):
    assert len(listed_releases(site.html("arsip/2024/"))) == 3
    assert len(listed_releases(site.html("arsip/2024/11/"))) == 3
    archive = site.html("arsip/")
    assert archive.find("a", string="November")["href"].endswith("arsip/2024/11/")


def test_feeds_parse_and_list_the_releases(site):
    feed = feedparser.parse((site.output / "feeds/semua.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 3
    expected = expected_terms()
    for field in TAXONOMY_FIELDS:
        for slug, urls in expected[field].items():
            path = site.output / KINDS[field].label / slug / "atom.xml"
            term_feed = feedparser.parse(path.read_bytes())
            assert not term_feed.bozo, (path, term_feed.bozo_exception)
            # Development builds write feed links relative to the site root.
            links = {e.link.removeprefix("http://127.0.0.1:8000/") for e in term_feed.entries}
            assert links == urls


def test_release_neighbours(site):
    middle = site.html("rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/")
    assert middle.select_one("a[rel=prev]")["href"].endswith(
        "ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
    )
    assert middle.select_one("a[rel=next]")["href"].endswith(
        "optimasi-patroli-tiga-pilar-cooling-system-pasca-pilkada-2024/"
    )


@pytest.mark.parametrize("build", ["site", "extended_site"])
def test_related_releases_are_the_best_scoring_in_order(build, request):
    build = request.getfixturevalue(build)
    expected = expected_related(published_releases(build.content))
    assert any(expected.values())
    for url, related in expected.items():
        section = build.html(url).select_one(".related")
        shown = [
            "rilis/" + a["href"].split("rilis/", 1)[1]
            for a in (section.select(".release-card__title a") if section else [])
        ]
        assert shown == related, url


def _targets(page: Path, output: Path):
    soup_text = page.read_text(encoding="utf-8")
    for match in re.finditer(r'(?:href|src)="([^"]*)"', soup_text):
        url = match.group(1)
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("mailto:", "#", "//")):
            continue
        if not parts.path:
            continue
        base = output if parts.path.startswith("/") else page.parent
        target = (base / unquote(parts.path.lstrip("/"))).resolve()
        yield url, target


def test_no_broken_internal_link_or_asset(site):
    broken = []
    for page in site.pages():
        for url, target in _targets(page, site.output):
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site.output)} -> {url}")
    assert not broken, "\n".join(broken)


def test_theme_is_accessible_and_self_contained(site):
    for page in site.pages():
        soup = site.html(str(page.relative_to(site.output)))
        assert soup.html["lang"] == "id", page
        assert soup.title and soup.title.get_text(strip=True), page
        assert soup.select_one("a.skip-link[href='#konten']"), page
        assert soup.find("main", id="konten") and soup.find("nav"), page
        assert len(soup.find_all("h1")) == 1, page
        for tag in soup.find_all(src=True) + soup.find_all("link", href=True):
            assert not re.match(r"^(https?:)?//", tag.get("src") or tag["href"]), page
        for img in soup.find_all("img"):
            assert img.get("alt") is not None, page


def test_about_and_404_pages(site):
    assert "Tentang" in site.html("tentang/").h1.get_text()
    not_found = site.html("404.html")
    assert not_found.h1.get_text().replace("\xa0", " ") == "Halaman tidak ditemukan"
    assert not_found.find("a", string="beranda")
