"""Search (issue 4): the Pagefind index the build writes and the /cari/ page.

The structural tests read the built HTML and index files; the behaviour tests
drive the real search page in headless Chromium (Debian's) against the built
site served over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from conftest import CONTENT, free_port, run_pelican, serve

from arsip.kinds import TAXONOMY_FIELDS
from arsip.registry import KINDS

FACETS = [KINDS[field].label for field in TAXONOMY_FIELDS]  # satuan, personel, kegiatan
TAWURAN_RELEASE = "rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/"
RESULT_LINKS = "#hasil-cari li h2 a"


# --- serving and browsing ----------------------------------------------------


def wait_for_search(page):
    """Wait until the search page has answered the current query."""
    page.wait_for_function(
        "() => { const s = document.getElementById('status-cari').textContent;"
        " return s && s !== 'Mencari…'; }"
    )
    return page.inner_text("#status-cari")


def result_paths(page, base: str) -> list[str]:
    """Result links as site paths ("rilis/2024/11/slug/"), in order."""
    hrefs = page.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")
    return [href.removeprefix(base) for href in hrefs]


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def release_dates(build, paths) -> list[datetime]:
    return [
        datetime.fromisoformat(build.html(path).select_one("article.release time")["datetime"])
        for path in paths
    ]


def listed_releases(build, term_page: str) -> set[str]:
    """Site paths of the releases a term page lists (one page of up to 10)."""
    soup = build.html(term_page)
    target = build.output / term_page
    return {
        str((target / a["href"]).resolve().relative_to(build.output.resolve())) + "/"
        for a in soup.select(".release-card__title a")
    }


# --- the index and the markup --------------------------------------------------


def published_release_pages(build) -> list[Path]:
    return [
        path
        for path in build.output.glob("rilis/**/index.html")
        if build.html(str(path.relative_to(build.output))).select_one("article.release")
    ]


def test_index_is_written_inside_the_output_in_indonesian(site):
    bundle = site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    # The three releases of 2024 make one shard (tests/test_search_shards.py has many).
    manifest = json.loads((bundle / "shards.json").read_text())
    assert [shard["path"] for shard in manifest["shards"]] == ["shards/2024/"]
    entry = json.loads((bundle / "shards" / "2024" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["id"]
    assert entry["languages"]["id"]["page_count"] == len(published_release_pages(site))
    assert manifest["shards"][0]["releases"] == len(published_release_pages(site))
    assert not list(site.output.glob(".pagefind*")), "staging folder left behind"


def test_release_page_marks_only_its_text_and_title_for_indexing(site):
    soup = site.html(TAWURAN_RELEASE)
    bodies = soup.select("[data-pagefind-body]")
    assert [b.name for b in bodies] == ["article"]
    body = bodies[0]
    assert body.select_one("h1[data-pagefind-meta=title]").get_text().startswith("Sinergi")
    assert (
        body.select_one(".release-body").find_parent(attrs={"data-pagefind-ignore": True}) is None
    )
    # The facts box, the date line and the neighbours are not release text.
    for selector in ("aside.release-facts", "header .meta", "nav.neighbours"):
        assert body.select_one(selector).has_attr("data-pagefind-ignore"), selector
    for selector in (".site-header", ".site-footer", ".related"):
        assert soup.select_one(selector).find_parent(attrs={"data-pagefind-body": True}) is None


def test_release_filters_are_the_slugs_of_its_term_pages(site):
    soup = site.html(TAWURAN_RELEASE)
    for facet in FACETS:
        links = soup.select(f'a[data-pagefind-filter^="{facet}:"]')
        assert links, facet
        for link in links:
            slug = link["data-pagefind-filter"].removeprefix(f"{facet}:")
            assert link["href"].rstrip("/").endswith(f"/{facet}/{slug}")
    time = soup.select_one("article.release time")
    assert time["data-pagefind-filter"] == "tahun:2024"
    assert time["data-pagefind-sort"] == "tanggal[datetime]"
    assert time["data-pagefind-meta"] == "tanggal"
    assert time.get_text().startswith("Rabu, 20 November 2024")


def test_every_page_has_a_header_search_box_that_reaches_the_search_page(site):
    for path in site.pages():
        relative = str(path.relative_to(site.output))
        if relative.startswith("pagefind/"):
            continue
        form = site.html(relative).select_one(".site-header form[role=search]")
        assert form is not None, relative
        assert form["method"] == "get"
        target = urljoin(f"http://site/{relative}", form["action"])
        assert target == "http://site/cari/", relative
        field = form.select_one("input[name=q]")
        assert form.select_one(f'label[for="{field["id"]}"]').get_text(strip=True)


def test_search_page_filters_offer_every_term_by_slug(site):
    soup = site.html("cari/")
    for field in TAXONOMY_FIELDS:
        label = KINDS[field].label
        index = site.html(f"{label}/")
        expected = [a.get_text(strip=True) for a in index.select(".term-index a")]
        slugs = [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in index.select(".term-index a")]
        options = soup.select(f'select[name="{label}"] option[value!=""]')
        assert [o["data-name"] for o in options] == expected
        assert [o["value"] for o in options] == slugs
    years = [o["value"] for o in soup.select('select[name="tahun"] option[value!=""]')]
    assert years == ["2024"]


def test_search_page_is_labelled_and_loads_no_inline_script(site):
    soup = site.html("cari/")
    form = soup.select_one("#form-cari")
    for control in form.select("input, select"):
        label = form.select_one(f'label[for="{control["id"]}"]')
        assert label and label.get_text(strip=True), control
    for path in site.pages():
        for script in site.html(str(path.relative_to(site.output))).select("script"):
            assert script.get("src"), f"inline script in {path}"
    module = soup.select_one("script[type=module]")
    assert (site.output / "cari" / module["src"]).resolve().is_file()


# --- in the browser --------------------------------------------------------------


def test_a_query_finds_the_expected_release(page, site, site_url):
    page.goto(f"{site_url}cari/?q=tawuran")
    status = wait_for_search(page)
    assert status == "1 rilis ditemukan untuk “tawuran”."
    assert result_paths(page, site_url) == [TAWURAN_RELEASE]
    card = page.locator("#hasil-cari li").first
    assert "Rabu, 20 November 2024" in card.inner_text()
    assert "Polsek Johar Baru" in card.locator(".meta").inner_text()
    marks = card.locator(".search-excerpt mark").all_inner_texts()
    assert marks and all(m.casefold() == "tawuran" for m in marks)
    card.locator("h2 a").click()
    page.wait_for_load_state()
    assert page.url == f"{site_url}{TAWURAN_RELEASE}"


def test_header_search_box_opens_the_search_page_with_the_query(page, site_url):
    page.goto(site_url)
    page.fill("#cari-situs", "tawuran")
    page.press("#cari-situs", "Enter")
    page.wait_for_url("**/cari/?q=tawuran")
    assert wait_for_search(page).startswith("1 rilis ditemukan")
    assert page.input_value("#kata-kunci") == "tawuran"


def test_stemming_finds_inflected_forms(page, site, site_url):
    # "cegah" (prevent) appears only as "mencegah"/"pencegahan"/"Cegah" in the releases.
    page.goto(f"{site_url}cari/?q=cegah")
    wait_for_search(page)
    assert len(result_paths(page, site_url)) == len(published_release_pages(site))
    marks = {m.casefold() for m in page.locator(".search-excerpt mark").all_inner_texts()}
    assert marks & {"mencegah", "pencegahan", "mencegahnya"}


def test_a_filter_narrows_the_results_and_back_restores_them(page, site, site_url):
    page.goto(f"{site_url}cari/?q=cegah")
    wait_for_search(page)
    everything = set(result_paths(page, site_url))
    page.select_option("#saring-satuan", "polsek-johar-baru")
    page.wait_for_function("() => location.search.includes('satuan=')")
    status = wait_for_search(page)
    narrowed = set(result_paths(page, site_url))
    assert narrowed < everything
    assert narrowed == everything & listed_releases(site, "satuan/polsek-johar-baru/")
    assert status.endswith("dengan saringan Polsek Johar Baru.")
    assert query_of(page) == {"q": ["cegah"], "satuan": ["polsek-johar-baru"]}
    # The other units still show how many results they would give.
    assert page.locator('#saring-satuan option[value="polsek-menteng"]').inner_text() == (
        "Polsek Menteng (1)"
    )

    page.go_back()
    page.wait_for_function("() => !location.search.includes('satuan=')")
    wait_for_search(page)
    assert set(result_paths(page, site_url)) == everything
    assert page.input_value("#saring-satuan") == ""


def test_a_query_without_match_says_so_in_indonesian(page, site_url):
    page.goto(f"{site_url}cari/")
    page.fill("#kata-kunci", "kapalselam")
    page.press("#kata-kunci", "Enter")
    status = wait_for_search(page)
    assert status.startswith("Tidak ada rilis yang cocok untuk “kapalselam”.")
    assert page.locator("#hasil-cari li").count() == 0
    assert query_of(page) == {"q": ["kapalselam"]}


def test_a_shared_url_restores_query_filters_and_sort(page, site, site_url):
    page.goto(f"{site_url}cari/?q=pilkada&kegiatan=cooling-system&tahun=2024&urut=terlama")
    status = wait_for_search(page)
    assert page.input_value("#kata-kunci") == "pilkada"
    assert page.input_value("#saring-kegiatan") == "cooling-system"
    assert page.input_value("#saring-tahun") == "2024"
    assert page.input_value("#urutan") == "terlama"
    assert "Cooling System, 2024" in status
    paths = result_paths(page, site_url)
    assert paths and set(paths) <= listed_releases(site, "kegiatan/cooling-system/")
    dates = release_dates(site, paths)
    assert dates == sorted(dates)


def test_results_are_newest_first_by_default(page, site, site_url):
    page.goto(f"{site_url}cari/?q=pilkada")
    wait_for_search(page)
    dates = release_dates(site, result_paths(page, site_url))
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)


def test_filters_alone_list_a_units_releases(page, site, site_url):
    page.goto(f"{site_url}cari/?satuan=polsek-menteng&personel=tidak-ada")
    wait_for_search(page)
    assert set(result_paths(page, site_url)) == listed_releases(site, "satuan/polsek-menteng/")
    # An unknown slug is dropped from the URL instead of hiding every result.
    assert query_of(page) == {"satuan": ["polsek-menteng"]}


def test_keyboard_only_search(page, site_url):
    page.goto(f"{site_url}cari/")
    wait_for_search(page)
    assert page.evaluate("document.activeElement.id") == "kata-kunci"
    page.keyboard.type("tawuran")
    page.keyboard.press("Enter")
    wait_for_search(page)
    page.keyboard.press("Tab")  # to the "Cari" button
    page.keyboard.press("Tab")  # to "Saring dan urutkan"
    page.keyboard.press("Tab")  # to the first filter
    assert page.evaluate("document.activeElement.id") == "saring-satuan"
    page.keyboard.press("ArrowDown")  # a closed <select> changes with the arrow keys
    page.wait_for_function("() => location.search.includes('satuan=')")
    chosen = page.eval_on_selector("#saring-satuan", "s => s.selectedOptions[0].dataset.name")
    assert f"untuk “tawuran” dengan saringan {chosen}." in wait_for_search(page)
    assert page.get_attribute("#status-cari", "role") == "status"


def test_without_javascript_the_page_says_so_and_links_to_term_pages(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site_url}cari/?q=tawuran")
        notice = page.locator("noscript .search-notice, .search-notice").first
        assert "memerlukan JavaScript" in notice.inner_text()
        assert page.locator("#form-cari").is_hidden()
        hrefs = notice.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert hrefs == [f"{site_url}{label}/" for label in FACETS] + [f"{site_url}arsip/"]
    finally:
        context.close()


# --- a larger archive: paging, years, stemming of affixes, absolute URLs ---

EXTRA_RELEASE = """Title: Polsek Menteng {verb} di Kawasan Cikini, Malam Ke-{number}
Date: {when:%Y-%m-%d} 21:00
Slug: patroli-malam-cikini-{number}
Summary: Personel Polsek Menteng {verb} di kawasan Cikini.
Units: Polsek Menteng
Activities: Patroli Tiga Pilar
Sources: uji
Status: published

Jakarta Pusat – Personel Polsek Menteng {verb} di kawasan Cikini pada malam ke-{number}.
Warga menyambut baik kehadiran petugas.
"""


@pytest.fixture(scope="module")
def larger_site(tmp_path_factory):
    """content/ plus 12 releases of 2025 about patrols, built with an
    absolute SITEURL under a subpath, as a project site on a static host."""
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT, content)
    folder = content / "rilis" / "2025"
    folder.mkdir()
    for number in range(1, 13):
        verb = "berpatroli" if number % 2 else "melaksanakan patrolinya"
        text = EXTRA_RELEASE.format(verb=verb, number=number, when=date(2025, 1, number))
        (folder / f"2025-01-{number:02d}-patroli-{number}.md").write_text(text, encoding="utf-8")
    port = free_port()
    root = tmp_path_factory.mktemp("host")
    output = root / "arsip"
    build = run_pelican(
        content,
        output,
        "pelicanconf.py",
        "-e",
        f'SITEURL="http://127.0.0.1:{port}/arsip"',
        "RELATIVE_URLS=false",
    )
    assert build.returncode == 0, build.stdout + build.stderr
    with serve(root, port) as url:
        yield build, f"{url}arsip/"


def test_affixed_forms_are_found_and_results_page_by_ten(page, larger_site):
    build, base = larger_site
    page.goto(f"{base}cari/?q=patroli&tahun=2025")
    status = wait_for_search(page)
    assert status.startswith("12 rilis ditemukan untuk “patroli” dengan saringan 2025")
    assert page.locator("#hasil-cari li").count() == 10
    marks = {m.casefold() for m in page.locator(".search-excerpt mark").all_inner_texts()}
    assert {"berpatroli", "patrolinya"} <= marks
    more = page.locator("#lebih-banyak")
    assert more.inner_text() == "Tampilkan 2 lagi (10 dari 12 ditampilkan)"
    more.click()
    page.wait_for_function("() => document.querySelectorAll('#hasil-cari li').length === 12")
    assert more.is_hidden()
    # Focus moves to the first newly shown result, for keyboard and screen-reader users.
    focused = page.evaluate("document.activeElement.href")
    assert focused == page.locator(RESULT_LINKS).nth(10).evaluate("a => a.href")
    paths = result_paths(page, base)
    assert all(p.startswith("rilis/2025/01/patroli-malam-cikini-") for p in paths)
    dates = release_dates(build, paths)
    assert dates == sorted(dates, reverse=True)


def test_year_filter_and_absolute_links_under_a_subpath(page, larger_site):
    build, base = larger_site
    page.goto(f"{base}cari/?q=patroli&tahun=2024")
    wait_for_search(page)
    assert result_paths(page, base) == [
        "rilis/2024/11/optimasi-patroli-tiga-pilar-cooling-system-pasca-pilkada-2024/"
    ]
    with page.expect_navigation():
        page.locator(RESULT_LINKS).first.click()
    assert page.url.startswith(f"{base}rilis/2024/11/optimasi-patroli")
    assert page.title().startswith("Optimasi Patroli")


def test_typing_searches_and_keeps_one_history_entry(page, site_url):
    page.goto(f"{site_url}cari/?q=pilkada")
    wait_for_search(page)
    page.click("#kata-kunci", click_count=3)
    page.keyboard.type("taw", delay=20)
    page.wait_for_function("() => location.search === '?q=taw'")
    page.keyboard.type("uran", delay=20)
    page.wait_for_function("() => location.search === '?q=tawuran'")
    assert wait_for_search(page).startswith("1 rilis ditemukan untuk “tawuran”")
    assert page.title().startswith("“tawuran” – Cari rilis")
    page.go_back()
    page.wait_for_function("() => location.search === '?q=pilkada'")
    wait_for_search(page)
    assert page.input_value("#kata-kunci") == "pilkada"


def test_on_a_phone_the_filters_fold_away_until_used(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{site_url}cari/?q=pilkada")
        wait_for_search(page)
        assert page.locator("#saring-satuan").is_hidden()
        # Folded filters cost no download: their chunks come when they are opened.
        assert not [url for url in fetched if "/filter/" in url]
        assert page.locator("#hasil-cari li").first.is_visible()
        assert (
            page.text_content('#saring-satuan option[value="polsek-menteng"]') == "Polsek Menteng"
        )
        page.focus("#saringan summary")
        page.keyboard.press("Enter")
        assert page.locator("#saring-satuan").is_visible()
        # Opening the filters fetches their counts for the current query.
        page.wait_for_function(
            "() => document.querySelector('#saring-satuan option[value=polsek-menteng]')"
            ".textContent === 'Polsek Menteng (1)'"
        )
        assert [url for url in fetched if "/filter/" in url]
        page.goto(f"{site_url}cari/?q=pilkada&tahun=2024")
        wait_for_search(page)
        assert page.locator("#saring-tahun").is_visible()
        assert page.inner_text("#saringan summary") == "Saring dan urutkan (1 aktif)"
    finally:
        context.close()


@pytest.mark.parametrize(
    "word, where",
    [
        ("mabesbharindo", "the facts box (Dimuat di)"),
        ("peneliti", "the footer"),
        ("Beranda", "the navigation"),
    ],
)
def test_words_outside_the_release_text_find_nothing(page, site, site_url, word, where):
    assert word.casefold() in site.html(TAWURAN_RELEASE).get_text().casefold(), where
    page.goto(f"{site_url}cari/?q={word}")
    assert wait_for_search(page).startswith(f"Tidak ada rilis yang cocok untuk “{word}”"), where


def indexed_records(build) -> dict[str, dict]:
    """The records Pagefind stored per page (its fragments: gzip, a signature, JSON)."""
    records = {}
    for path in (build.output / "pagefind" / "shards").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data.removeprefix(b"pagefind_dcd"))
        records[record["url"].lstrip("/")] = record
    return records


def test_the_index_holds_title_and_text_of_each_release_only(site):
    records = indexed_records(site)
    assert set(records) == {
        str(path.parent.relative_to(site.output)) + "/" for path in published_release_pages(site)
    }
    for path, record in records.items():
        soup = site.html(path)
        title = " ".join(soup.select_one("article.release h1").get_text().split())
        body = " ".join(soup.select_one(".release-body").get_text().split())
        content = " ".join(record["content"].split())
        assert " ".join(record["meta"]["title"].split()) == title
        assert content.startswith(title)
        assert body[:200] in content and body[-100:] in content
        for outside in ("Sebelumnya", "Berikutnya", "Dimuat di", "Rilis terkait", "Umpan Atom"):
            assert outside not in content, (path, outside)
        facts = soup.select_one("aside.release-facts")
        assert sorted(record["filters"]["satuan"]) == sorted(
            a["href"].rstrip("/").rsplit("/", 1)[-1] for a in facts.select('a[href*="/satuan/"]')
        )
