"""What a first search downloads (issue 5): the filter counts (Pagefind's
filter chunks) only once the reader reaches for the filters, on a wide screen
too. Real Chromium against the real site."""

from __future__ import annotations

from test_search import wait_for_search

MENTENG_OPTION = '#saring-satuan option[value="polsek-menteng"]'


def test_a_first_search_fetches_filter_counts_only_when_the_filters_are_used(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{site_url}cari/?q=pilkada")
    assert wait_for_search(page).startswith("2 rilis ditemukan")
    assert page.locator("#saring-satuan").is_visible(), "a wide screen shows the filters"
    assert not [url for url in fetched if "/filter/" in url]
    assert page.text_content(MENTENG_OPTION) == "Polsek Menteng"

    page.focus("#saring-satuan")
    page.wait_for_function(
        f"() => document.querySelector('{MENTENG_OPTION}').textContent === 'Polsek Menteng (1)'"
    )
    assert [url for url in fetched if "/filter/" in url]

    # Later searches keep the counts, for their own results.
    page.fill("#kata-kunci", "tawuran")
    page.press("#kata-kunci", "Enter")
    page.wait_for_function("() => location.search === '?q=tawuran'")
    assert wait_for_search(page).startswith("1 rilis ditemukan")
    page.wait_for_function(
        "() => document.querySelector('#saring-satuan option[value=polsek-johar-baru]')"
        ".textContent === 'Polsek Johar Baru (1)'"
    )
    assert page.text_content(MENTENG_OPTION) == "Polsek Menteng (0)"
