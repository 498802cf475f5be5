"""The statistics page and the sparklines: their numbers are the content's numbers."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, EXTENDED_TOP_OFFICERS, ROOT
from content_facts import JAKARTA, carriers, months_spanned, per_month, published_releases

from arsip.dates import format_date
from arsip.registry import KINDS, Registry
from plugins.archive_statistics import month_chart


@pytest.fixture(params=["real", "extended"])
def archive(request, site, extended_site):
    """Each check runs on the real archive and on the extended one
    (tests/conftest.py: EXTENDED, a draft in an empty January)."""
    if request.param == "real":
        return CONTENT, site, 10
    return extended_site.content, extended_site, EXTENDED_TOP_OFFICERS


def table(page, chart_id):
    rows = page.find("table", attrs={"data-chart": chart_id}).tbody.find_all("tr")
    return [(row.th.get_text(strip=True), int(row.td.get_text(strip=True))) for row in rows]


def svg_data(page, chart_id):
    svg = page.find("svg", attrs={"data-chart": chart_id})
    return [(g["data-key"], int(g["data-value"])) for g in svg.find_all("g", class_="datum")]


def expected_terms(content, kind):
    """(slug, name, count) by count then name, from the content alone."""
    registry = Registry.load(content)
    counts = {slug: len(rs) for slug, rs in carriers(published_releases(content), kind).items()}
    rows = [(slug, registry.get(kind, slug).name, n) for slug, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1].casefold()))


def test_statistics_page_is_in_the_navigation(site):
    home_link = (
        site.html("")
        .select_one('nav.nav, nav[aria-label="Navigasi utama"]')
        .find("a", string="Statistik")
    )
    assert home_link is not None
    assert (site.output / "statistik" / "index.html").is_file()
    page = site.html("statistik/")
    assert page.find("a", string="Statistik")["aria-current"] == "page"


def test_releases_per_month_equal_the_content(archive):
    content, build, _ = archive
    releases = published_releases(content)
    counts = per_month(releases)
    months = months_spanned(releases)
    page = build.html("statistik/")

    expected = [(format_date(m, "month"), counts[(m.year, m.month)]) for m in months]
    assert table(page, "per-bulan") == expected
    assert svg_data(page, "per-bulan") == [
        (f"{m:%Y-%m}", counts[(m.year, m.month)]) for m in months
    ]
    assert sum(n for _, n in expected) == len(releases)


def test_empty_months_are_shown_as_zero(extended_site):
    months = dict(table(extended_site.html("statistik/"), "per-bulan"))
    assert list(months) == ["November 2024", "Desember 2024", "Januari 2025", "Februari 2025"]
    assert months["Januari 2025"] == 0  # a draft, and nothing published
    assert months["Desember 2024"] == 3 and months["Februari 2025"] == 1


@pytest.mark.parametrize(
    ("chart_id", "kind"), [("per-satuan", "units"), ("per-kegiatan", "activities")]
)
def test_releases_per_term_equal_the_content(archive, chart_id, kind):
    content, build, _ = archive
    page = build.html("statistik/")
    expected = expected_terms(content, kind)
    assert table(page, chart_id) == [(name, n) for _, name, n in expected]
    assert svg_data(page, chart_id) == [(slug, n) for slug, _, n in expected]


def test_most_mentioned_officers_equal_the_content(archive):
    content, build, top = archive
    page = build.html("statistik/")
    expected = expected_terms(content, "officers")[:top]
    assert table(page, "personel-teratas") == [(name, n) for _, name, n in expected]
    assert svg_data(page, "personel-teratas") == [(slug, n) for slug, _, n in expected]


def test_bar_lengths_are_proportional_to_the_counts(archive):
    _, build, _ = archive
    page = build.html("statistik/")
    for svg in page.find_all("svg", class_="chart"):
        pairs = [
            (
                int(g["data-value"]),
                float(g.rect["width" if "chart--bars" in svg["class"] else "height"]),
            )
            for g in svg.find_all("g", class_="datum")
        ]
        largest_value, largest_length = max(pairs)
        for value, length in pairs:
            assert length == pytest.approx(value / largest_value * largest_length, abs=0.1)


def test_charts_are_accessible_static_svg_with_a_table(site):
    page = site.html("statistik/")
    charts = page.find_all("svg", class_="chart")
    assert [svg["data-chart"] for svg in charts] == [
        "per-bulan",
        "per-satuan",
        "per-kegiatan",
        "personel-teratas",
    ]
    for svg in charts:
        assert svg["role"] == "img"
        title = svg.find(id=svg["aria-labelledby"])
        desc = svg.find(id=svg["aria-describedby"])
        assert title.name == "title" and title.get_text(strip=True)
        assert desc.name == "desc" and "rilis" in desc.get_text()
        assert page.find("table", attrs={"data-chart": svg["data-chart"]}) is not None
        assert len(str(svg).encode()) < 8000, "keep the SVG small"
    html = (site.output / "statistik" / "index.html").read_text(encoding="utf-8")
    assert page.find("script") is None
    assert not [attr for tag in page.find_all(True) for attr in tag.attrs if attr.startswith("on")]
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html


def test_statistics_page_links_the_open_data(site):
    links = {a["href"] for a in site.html("statistik/").select("#data-terbuka a")}
    assert {
        "../data/releases.csv",
        "../data/releases.json",
        "../data/releases.schema.json",
    } <= links
    for href in links:
        assert (site.output / "statistik" / href).resolve().exists(), href


def test_every_term_page_has_a_sparkline_of_its_releases(archive):
    content, build, _ = archive
    releases = published_releases(content)
    months = months_spanned(releases)
    for kind, spec in KINDS.items():
        for slug, carrying in carriers(releases, kind).items():
            page = build.html(f"{spec.label}/{slug}/")
            figure = page.find("figure", class_="sparkline")
            svg = figure.svg
            assert svg["role"] == "img"
            bars = [(r["data-key"], int(r["data-value"])) for r in svg.find_all("rect")]
            counts = Counter((r.date.year, r.date.month) for r in carrying)
            assert bars == [(f"{m:%Y-%m}", counts[(m.year, m.month)]) for m in months]
            caption = figure.find(id=svg["aria-describedby"]).get_text()
            assert f"total {len(carrying)}" in caption


def test_charts_render_in_the_theme_colours_and_fit_a_phone(site_url, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{site_url}statistik/")
        fills = page.eval_on_selector_all(
            "svg.chart .bar", "bars => bars.map(b => getComputedStyle(b).fill)"
        )
        assert fills and set(fills) == {"rgb(11, 61, 145)"}  # --accent of arsip.css
        widths = page.eval_on_selector_all(
            "svg.chart", "charts => charts.map(c => c.getBoundingClientRect().width)"
        )
        assert all(0 < width <= 360 for width in widths)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert all(url.startswith(site_url) for url in requests)
        # The browser's accessibility tree names each chart by its <title>.
        for title in (
            "Rilis per bulan",
            "Rilis per satuan",
            "Rilis per jenis kegiatan",
            "Personel yang paling sering disebut",
        ):
            assert page.get_by_role("img", name=title, exact=True).count() == 1, title
        slug, carrying = max(
            carriers(published_releases(CONTENT), "units").items(),
            key=lambda item: len(item[1]),
        )
        page.goto(f"{site_url}satuan/{slug}/")
        spark = page.get_by_role("img", name="Rilis per bulan", exact=True)
        description = page.locator(f"#{spark.get_attribute('aria-describedby')}")
        assert f"total {len(carrying)}" in description.inner_text()
    finally:
        page.close()


class _Release:
    def __init__(self, date: datetime.datetime):
        self.date = date


def drawn(chart) -> BeautifulSoup:
    """`chart` drawn by the theme's own macro, as the statistics page draws it."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ROOT / "theme" / "templates"), autoescape=True
    )
    macro = environment.get_template("includes/charts.html").module.chart_svg
    return BeautifulSoup(str(macro(chart)), "html.parser").svg


def test_the_page_draws_the_month_chart_as_the_macro_does(site):
    """So the month chart of any archive can be drawn without a build (below)."""
    releases = published_releases(CONTENT)
    chart = month_chart([_Release(r.date) for r in releases], months_spanned(releases))
    shown = site.html("statistik/").find("svg", attrs={"data-chart": "per-bulan"})
    assert [(t["x"], t.get_text()) for t in drawn(chart).find_all("text")] == [
        (t["x"], t.get_text()) for t in shown.find_all("text")
    ]


@pytest.mark.parametrize("months", [2, 12, 21, 24, 25, 41, 60, 120, 241])
def test_month_labels_never_overlap_on_long_archives(months):
    first = datetime.datetime(2024, 11, 8, tzinfo=JAKARTA)
    releases = [_Release(first)] + [
        _Release(datetime.datetime(2024 + (10 + n) // 12, (10 + n) % 12 + 1, 15, tzinfo=JAKARTA))
        for n in range(1, months)
    ]
    svg = drawn(month_chart(releases, months_spanned(releases)))
    assert len(svg.find_all("g", class_="datum")) == months
    labels = [(float(t["x"]), t.get_text()) for t in svg.find_all("text", class_="label")]
    assert len(labels) >= 2
    # "Nov 2024" is about 55 units wide at 13px; centres further apart never collide.
    assert all(b[0] - a[0] >= 56 for a, b in itertools.pairwise(labels))
