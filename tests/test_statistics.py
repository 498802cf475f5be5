"""The statistics page and the sparklines: their numbers are the content's numbers."""

from __future__ import annotations

import datetime
import functools
import http.server
import itertools
import shutil
import threading
from collections import Counter

import pytest
from conftest import CONTENT, run_pelican
from content_facts import carriers, per_month, published_releases

from arsip.dates import format_date
from arsip.registry import KINDS, Registry

# Two more releases: one in December 2024, one in February 2025, so that the
# archive spans four months with an empty January (but for a draft).
EXTRA_RELEASES = {
    "2024-12-05-patroli.md": """\
Title: Patroli Tiga Pilar Malam Minggu di Menteng
Date: 2024-12-05 21:00
Slug: patroli-tiga-pilar-malam-minggu-menteng
Summary: Patroli bersama di wilayah Menteng.
Units: Polsek Menteng; Satpol PP
Officers: Kapolsek Menteng Kompol Bayu Marfiando; Wakapolsek Menteng Kompol II Sutasman
Activities: Patroli Tiga Pilar
Places: Kelurahan Menteng
Sources: contoh.id
Status: published

Isi rilis.
""",
    "2025-02-10-ngopi.md": """\
Title: Ngopi Kamtibmas Bersama Warga Johar Baru
Date: 2025-02-10 10:00
Slug: ngopi-kamtibmas-warga-johar-baru
Summary: Ngopi Kamtibmas di Johar Baru.
Units: Polsek Johar Baru
Officers: Kapolsek Johar Baru Kompol Saiful Anwar; Kompol Bayu Marfiando
Activities: Ngopi Kamtibmas; Cooling System
Places: Kecamatan Johar Baru
Sources: contoh.id
Status: published

Isi rilis.
""",
}
# A draft in the empty January: it must not be counted anywhere.
EXTRA_RELEASES["2025-01-15-draf.md"] = (
    EXTRA_RELEASES["2025-02-10-ngopi.md"]
    .replace("Date: 2025-02-10 10:00", "Date: 2025-01-15 10:00")
    .replace("Slug: ngopi-kamtibmas-warga-johar-baru", "Slug: draf-januari")
    .replace("Status: published", "Status: draft")
)
TOP_OFFICERS = 3


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """(content, build) of the real content plus EXTRA_RELEASES, top 3 officers only."""
    content = tmp_path_factory.mktemp("extended") / "content"
    shutil.copytree(CONTENT, content)
    for name, text in EXTRA_RELEASES.items():
        (content / "rilis" / name).write_text(text, encoding="utf-8")
    build = run_pelican(
        content,
        tmp_path_factory.mktemp("extended-out"),
        "pelicanconf.py",
        "-e",
        f"STATISTICS_TOP_OFFICERS={TOP_OFFICERS}",
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return content, build


@pytest.fixture(params=["real", "extended"])
def archive(request, site, extended):
    """Each check runs on the real archive and on the extended one."""
    if request.param == "real":
        return CONTENT, site, 10
    content, build = extended
    return content, build, TOP_OFFICERS


def month_span(releases):
    first, last = releases[0].date, releases[-1].date
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


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
    months = month_span(releases)
    page = build.html("statistik/")

    expected = [(format_date(m, "month"), counts[(m.year, m.month)]) for m in months]
    assert table(page, "per-bulan") == expected
    assert svg_data(page, "per-bulan") == [
        (f"{m:%Y-%m}", counts[(m.year, m.month)]) for m in months
    ]
    assert sum(n for _, n in expected) == len(releases)


def test_empty_months_are_shown_as_zero(extended):
    _, build = extended
    months = dict(table(build.html("statistik/"), "per-bulan"))
    assert months == {
        "November 2024": 3,
        "Desember 2024": 1,
        "Januari 2025": 0,
        "Februari 2025": 1,
    }


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
    months = month_span(releases)
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


@pytest.fixture(scope="module")
def served(site):
    """The built site on a local server, for the browser."""
    handler = functools.partial(QuietHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_charts_render_in_the_theme_colours_and_fit_a_phone(served, browser):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{served}/statistik/")
        fills = page.eval_on_selector_all(
            "svg.chart .bar", "bars => bars.map(b => getComputedStyle(b).fill)"
        )
        assert fills and set(fills) == {"rgb(11, 61, 145)"}  # --accent of arsip.css
        widths = page.eval_on_selector_all(
            "svg.chart", "charts => charts.map(c => c.getBoundingClientRect().width)"
        )
        assert all(0 < width <= 360 for width in widths)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert all(url.startswith(served) for url in requests)
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
        page.goto(f"{served}/satuan/{slug}/")
        spark = page.get_by_role("img", name="Rilis per bulan", exact=True)
        description = page.locator(f"#{spark.get_attribute('aria-describedby')}")
        assert f"total {len(carrying)}" in description.inner_text()
    finally:
        page.close()


@pytest.mark.parametrize("months_later", [20, 40, 59])
def test_month_labels_never_overlap_on_long_archives(content_copy, build_content, months_later):
    last = datetime.date(2024 + (10 + months_later) // 12, (10 + months_later) % 12 + 1, 15)
    release = EXTRA_RELEASES["2024-12-05-patroli.md"].replace(
        "Date: 2024-12-05 21:00", f"Date: {last:%Y-%m-%d} 09:00"
    )
    (content_copy / "rilis" / "later.md").write_text(release, encoding="utf-8")
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    svg = build.html("statistik/").find("svg", attrs={"data-chart": "per-bulan"})
    assert len(svg.find_all("g", class_="datum")) == months_later + 1
    labels = [(float(t["x"]), t.get_text()) for t in svg.find_all("text", class_="label")]
    assert len(labels) >= 2
    # "Nov 2024" is about 55 units wide at 13px; centres further apart never collide.
    assert all(b[0] - a[0] >= 56 for a, b in itertools.pairwise(labels))
