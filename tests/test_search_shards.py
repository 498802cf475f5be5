"""The search index in shards (issue 16): how releases are grouped, and that
the search page, merging shards in the browser, answers as one unsplit
Pagefind index of the whole archive would.

A generated corpus (bench/generate.py) with the judged releases of
tests/fixtures/search-judged.json is built with small shards (SEARCH_SHARD_SIZE
12: about forty shards); bench/search_shards.py indexes the same releases into
one unsplit index beside it, and Debian's headless Chromium compares the two.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest
from conftest import ROOT, run_pelican
from test_search import serve

from plugins.search import plan_shards

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402
import search_shards  # noqa: E402

SHARD_SIZE = 12


# --- how releases are grouped ------------------------------------------------------


def releases(*days: str, each: int = 1) -> list[tuple[str, datetime]]:
    found = []
    for day in days:
        for number in range(each):
            when = datetime.fromisoformat(f"{day}T08:00") + timedelta(minutes=number)
            found.append((f"rilis/{day}-{number}/index.html", when))
    return found


def test_one_shard_per_year_while_a_year_fits():
    shards = plan_shards(releases("2024-03-01", "2023-05-02", "2024-01-09"), size=5)
    assert [(s.key, s.pages) for s in shards] == [
        ("2023", ("rilis/2023-05-02-0/index.html",)),
        ("2024", ("rilis/2024-01-09-0/index.html", "rilis/2024-03-01-0/index.html")),
    ]
    assert (
        shards[1].first.isoformat() == "2024-01-09" and shards[1].last.isoformat() == "2024-03-01"
    )


def test_a_busy_year_is_cut_into_whole_months_a_busy_month_into_days():
    months = [f"2025-{month:02d}-10" for month in range(1, 13)]
    shards = plan_shards(releases(*months, each=3) + releases("2025-06-20", each=2), size=8)
    assert all(len(s.pages) <= 8 for s in shards)
    assert [s.key for s in shards] == [
        "2025-01",
        "2025-03",
        "2025-05",
        "2025-07",
        "2025-09",
        "2025-11",
    ]
    # June holds 5 releases: it stays whole, in one shard.
    june = [p for s in shards for p in s.pages if "2025-06" in p]
    assert len({s.key for s in shards if any(p in june for p in s.pages)}) == 1

    busy = plan_shards(releases("2025-02-03", "2025-02-04", each=5), size=6)
    assert [(s.key, len(s.pages)) for s in busy] == [("2025-02-03", 5), ("2025-02-04", 5)]
    day = plan_shards(releases("2025-02-03", each=7), size=3)
    assert [(s.key, len(s.pages)) for s in day] == [
        ("2025-02-03-1", 3),
        ("2025-02-03-2", 3),
        ("2025-02-03-3", 1),
    ]


def test_a_release_added_to_a_year_changes_that_years_shards_only():
    years = [f"{year}-{month:02d}-05" for year in (2022, 2023, 2024) for month in range(1, 13)]
    before = plan_shards(releases(*years, each=2), size=10)
    after = plan_shards(releases(*years, each=2) + releases("2023-07-30"), size=10)
    changed = {s.key for s in after} ^ {s.key for s in before} | {
        a.key for a in after for b in before if a.key == b.key and a.pages != b.pages
    }
    assert changed and all(key.startswith("2023") for key in changed)
    every = [p for s in after for p in s.pages]
    assert sorted(every) == sorted(p for p, _ in releases(*years, each=2) + releases("2023-07-30"))


# --- the page against one unsplit index --------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated archive with the judged releases, in small shards, with
    the unsplit index of the same releases in `_unsplit/`; yields (output, url)."""
    content = tmp_path_factory.mktemp("corpus") / "content"
    generate.generate(150, content, seed=1)
    search_shards.add_judged_releases(content)
    output = tmp_path_factory.mktemp("site") / "output"
    cache = tmp_path_factory.mktemp("cache")
    build = run_pelican(
        content,
        output,
        "pelicanconf.py",
        "-e",
        f'CACHE_PATH="{cache}"',
        f"SEARCH_SHARD_SIZE={SHARD_SIZE}",
    )
    assert build.returncode == 0, build.stdout + build.stderr
    search_shards.unsplit_index(output, output / search_shards.UNSPLIT)
    with serve(output) as url:
        yield output, url


@pytest.fixture(scope="module")
def judged_outcome(browser, corpus):
    _, url = corpus
    return search_shards.judge(browser, url)


def test_the_archive_is_in_many_shards(corpus):
    output, _ = corpus
    manifest = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) > 20
    assert all(shard["releases"] <= SHARD_SIZE for shard in manifest["shards"])
    assert sum(shard["releases"] for shard in manifest["shards"]) == len(
        search_shards.releases_of(output)
    )
    firsts = [shard["first"] for shard in manifest["shards"]]
    assert firsts == sorted(firsts)


def test_the_top_ten_by_relevance_equal_those_of_one_unsplit_index(judged_outcome):
    differing = [d["q"] for d in judged_outcome["details"] if not d["same_top_ten"]]
    assert judged_outcome["queries"] >= 30
    assert not differing, differing


def test_each_judged_release_comes_first(judged_outcome):
    wrong = [
        (d["q"], d["sharded"][:1])
        for d in judged_outcome["details"]
        if d["first_expected"] and not d["first_sharded_ok"]
    ]
    assert not wrong, wrong
    assert judged_outcome["first_as_judged_unsplit"] == judged_outcome["queries"]


@pytest.mark.parametrize(
    "query, sort",
    [
        ("q=patroli", {"tanggal": "desc"}),
        ("q=warga&urut=terlama", {"tanggal": "asc"}),
        ("q=lalu%20lintas", {"tanggal": "desc"}),
        ("satuan=polsek-menteng", {"tanggal": "desc"}),
    ],
)
def test_date_orders_equal_those_of_one_unsplit_index(browser, corpus, query, sort):
    output, url = corpus
    context = browser.new_context()
    try:
        page, reference = context.new_page(), context.new_page()
        reference.goto(f"{url}404.html")
        shown = search_shards.page_results(page, url, f"cari/?{query}", count=25)
        if query.startswith("q="):
            words = query.split("&")[0].removeprefix("q=").replace("%20", " ")
            expected = search_shards.unsplit_results(reference, url, words, sort, count=25)
        else:
            expected = reference.evaluate(
                """async ({bundle, sort}) => {
                  const pagefind = await import(bundle + "pagefind.js");
                  await pagefind.options({ noWorker: true });
                  const search = await pagefind.search(null, { filters: { satuan: "polsek-menteng" }, sort });
                  return Promise.all(search.results.slice(0, 25).map(async (r) => [(await r.data()).url.slice(1), 0]));
                }""",
                {"bundle": f"{url}{search_shards.UNSPLIT}/", "sort": sort},
            )
        assert shown == [path for path, _ in expected[:25]]
    finally:
        context.close()


def test_a_first_search_reads_only_the_newest_shards(browser, corpus):
    output, url = corpus
    manifest = json.loads((output / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    context = browser.new_context()
    try:
        page = context.new_page()
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(f"{url}cari/?q=patroli")
        status = search_shards.wait_for_results(page)
        read = {u.split("/pagefind/shards/")[1].split("/")[0] for u in fetched if "/shards/" in u}
        searched = [s for s in manifest["shards"] if s["path"].split("/")[1] in read]
        assert searched == manifest["shards"][-len(read) :], "the newest shards, and only those"
        assert len(read) < len(manifest["shards"]) / 4
        # The count says how far back it reaches, until every shard is searched.
        since = datetime.fromisoformat(searched[0]["first"])
        months = (
            "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
        )
        assert re.fullmatch(
            rf"\d+ rilis ditemukan untuk “patroli” sejak {since.day} "
            rf"{months.split()[since.month - 1]} {since.year}\. "
            r"Rilis yang lebih lama dicari saat Anda menampilkan lebih banyak\.",
            status,
        ), status
        assert page.inner_text("#lebih-banyak") == "Tampilkan lebih banyak (10 ditampilkan)"
        assert not [u for u in fetched if "/filter/" in u]

        # Asking for more reaches back into older shards, in the same order.
        page.click("#lebih-banyak")
        page.wait_for_function("() => document.querySelectorAll('#hasil-cari li').length === 20")
    finally:
        context.close()


def test_a_word_only_some_shards_hold_is_not_matched_by_a_shorter_word_elsewhere(browser, corpus):
    """Pagefind matches a word its index lacks by the longest word that begins
    it ("posyandu" by "pos"): a shard without "posyandu" would answer with
    every "pos ronda"; the word lists keep the query away from it."""
    output, url = corpus
    pages = [p.read_text(encoding="utf-8") for p in (output / "rilis").glob("*/*/*/index.html")]
    assert sum("pos ronda" in page for page in pages) > 20
    context = browser.new_context()
    try:
        page, reference = context.new_page(), context.new_page()
        reference.goto(f"{url}404.html")
        shown = search_shards.page_results(page, url, f"cari/?q={quote('posyandu')}", count=50)
        expected = search_shards.unsplit_results(
            reference, url, "posyandu", {"tanggal": "desc"}, 50
        )
        assert shown == [path for path, _ in expected]
        assert shown[0].endswith("posyandu-balita-bersama-bhabinkamtibmas-cempaka-putih/")
        assert len(shown) < 5
    finally:
        context.close()


def test_filter_counts_are_those_of_the_whole_archive(browser, corpus):
    output, url = corpus
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page, reference = context.new_page(), context.new_page()
        reference.goto(f"{url}404.html")
        page.goto(f"{url}cari/?q=warga&satuan=polsek-menteng")
        search_shards.wait_for_results(page)
        counts = page.eval_on_selector_all(
            "#saring-kegiatan option[value]:not([value=''])", "o => o.map(x => x.textContent)"
        )
        expected = reference.evaluate(
            """async ({bundle}) => {
              const pagefind = await import(bundle + "pagefind.js");
              await pagefind.options({ noWorker: true });
              await pagefind.filters();  // loads every filter's chunk, for the counts
              const search = await pagefind.search("warga", { filters: { satuan: "polsek-menteng" } });
              return search.filters.kegiatan;
            }""",
            {"bundle": f"{url}{search_shards.UNSPLIT}/"},
        )
        names = page.eval_on_selector_all(
            "#saring-kegiatan option[value]:not([value=''])",
            "o => o.map(x => [x.value, x.dataset.name])",
        )
        assert counts == [f"{name} ({expected.get(slug, 0)})" for slug, name in names]
        # With a filter in use every shard is searched: the count is the archive's.
        total = reference.evaluate(
            """async () => (await (await import(document.baseURI.replace(/404.html$/, "")
              + "_unsplit/pagefind.js")).search("warga", { filters: { satuan: "polsek-menteng" } }))
              .results.length"""
        )
        assert page.inner_text("#status-cari") == (
            f"{total} rilis ditemukan untuk “warga” dengan saringan Polsek Menteng."
        )
    finally:
        context.close()


def test_the_page_filters_sorts_and_pages_through_shards_without_a_console_error(browser, corpus):
    output, url = corpus
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 800})
    errors = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else 0)
        # The page preloads Pagefind, shards.json and the WebAssembly, and
        # starts them before the first search (Chromium warns about a preload
        # left unused for three seconds).
        fetched = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(f"{url}cari/")
        page.wait_for_timeout(4000)
        assert {u.rsplit("/", 1)[1] for u in fetched if "/pagefind/" in u} >= {
            "pagefind.js",
            "shards.json",
            "wasm.id.pagefind",
        }
        # Newest first by default, thirty results through "more", none twice.
        shown = search_shards.page_results(page, url, "cari/?q=patroli", count=30)
        assert len(shown) == len(set(shown)) == 30
        assert page.input_value("#urutan") == ""
        by_path = dict(search_shards.releases_of(output))
        when = [by_path[f"{path}index.html"] for path in shown]
        assert when == sorted(when, reverse=True)

        page.select_option("#saring-satuan", "polsek-menteng")
        status = search_shards.wait_for_results(page)
        assert "dengan saringan Polsek Menteng" in status, status
        assert "satuan=polsek-menteng" in page.url
        page.select_option("#urutan", "terlama")
        search_shards.wait_for_results(page)
        oldest = page.eval_on_selector_all(
            "#hasil-cari li h2 a", "links => links.map(a => new URL(a.href).pathname.slice(1))"
        )
        when = [by_path[f"{path}index.html"] for path in oldest]
        assert oldest and when == sorted(when)
        page.select_option("#urutan", "relevan")
        assert search_shards.wait_for_results(page).startswith(status.split()[0])
        page.click("#hapus-saringan")
        status = search_shards.wait_for_results(page)
        # The filters were used, so every shard that can match is searched.
        assert re.fullmatch(r"\d+ rilis ditemukan untuk “patroli”\.", status), status
        assert page.url.endswith("cari/?q=patroli")
    finally:
        context.close()
    assert not errors, errors
