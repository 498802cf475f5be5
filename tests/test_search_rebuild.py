"""Search index on rebuilds (issue 5): Pagefind runs only when what it reads changed.

Pagefind is started through a wrapper (PAGEFIND_BINARY_PATH) that logs each
call and then runs the real binary, so the tests see whether the index was
built again; a browser test then searches the rebuilt index in Chromium.
"""

from __future__ import annotations

import hashlib
import shlex
import stat

import pytest
from conftest import Build, run_pelican
from pagefind_bin import get_executable
from test_search import indexed_records, page, result_paths, serve, wait_for_search  # noqa: F401

MENTENG_SOURCE = "rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
MENTENG_RELEASE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
TAWURAN_SOURCE = "rilis/2024/2024-11-20-cooling-system-bhabinkamtibmas-cegah-tawuran.md"
TAWURAN_RELEASE = "rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/"
NEW_SENTENCE = "\nUsai kegiatan, petugas berswafoto dengan warga.\n"


def indexed(calls: list[str]) -> bool:
    """Whether one of the calls was Pagefind indexing a site (not `--version`)."""
    return any(call.startswith("--site ") for call in calls)


@pytest.fixture
def pagefind_calls(tmp_path, monkeypatch):
    """Run Pagefind through a wrapper that logs its arguments (and, when
    FAKE_PAGEFIND_VERSION is set, answers `--version` with it); returns a
    function giving the calls made since it was last asked."""
    log = tmp_path / "pagefind-calls.log"
    log.touch()
    wrapper = tmp_path / "pagefind-wrapper"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> {shlex.quote(str(log))}\n'
        'if [ "$1" = --version ] && [ -n "$FAKE_PAGEFIND_VERSION" ]; then\n'
        '  echo "pagefind $FAKE_PAGEFIND_VERSION"; exit 0\n'
        "fi\n"
        f'exec {shlex.quote(str(get_executable()))} "$@"\n'
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(wrapper))
    monkeypatch.delenv("FAKE_PAGEFIND_VERSION", raising=False)
    seen = 0

    def calls() -> list[str]:
        nonlocal seen
        lines = log.read_text().splitlines()
        new, seen = lines[seen:], len(lines)
        return new

    return calls


def index_files(output) -> dict[str, str]:
    bundle = output / "pagefind"
    return {
        str(path.relative_to(bundle)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def build(content, output, cache) -> Build:
    result = run_pelican(content, output, "pelicanconf.py", "-e", f'CACHE_PATH="{cache}"')
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def add_sentence(content):
    source = content / MENTENG_SOURCE
    source.write_text(source.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")


def test_pagefind_runs_again_only_when_a_release_changed(content_copy, tmp_path, pagefind_calls):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content_copy, output, cache)
    assert indexed(pagefind_calls())
    first = index_files(output)

    build(content_copy, output, cache)
    assert not indexed(pagefind_calls()), "nothing changed, yet Pagefind ran"
    assert index_files(output) == first

    # A page outside the releases changes other pages, not what Pagefind reads.
    (content_copy / "pages" / "uji.md").write_text(
        "Title: Halaman uji\nSlug: uji\n\nHalaman baru.\n", encoding="utf-8"
    )
    build(content_copy, output, cache)
    assert not indexed(pagefind_calls()), "no release changed, yet Pagefind ran"

    add_sentence(content_copy)
    site = build(content_copy, output, cache)
    assert indexed(pagefind_calls()), "a release was edited, yet Pagefind did not run"
    assert "berswafoto" in indexed_records(site)[MENTENG_RELEASE]["content"]

    (content_copy / TAWURAN_SOURCE).unlink()
    site = build(content_copy, output, cache)
    assert indexed(pagefind_calls()), "a release was removed, yet Pagefind did not run"
    assert TAWURAN_RELEASE not in indexed_records(site)
    assert MENTENG_RELEASE in indexed_records(site)
    assert not list(output.glob(".pagefind*"))


def test_a_touched_index_or_another_pagefind_builds_the_index_again(
    content_copy, tmp_path, pagefind_calls, monkeypatch
):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content_copy, output, cache)
    pagefind_calls()
    written = index_files(output)
    fragment = next((output / "pagefind" / "fragment").iterdir())
    fragment.write_bytes(fragment.read_bytes() + b"x")
    build(content_copy, output, cache)
    assert indexed(pagefind_calls()), "an index file was changed, yet the index was kept"
    fragment_name = f"fragment/{fragment.name}"
    assert index_files(output)[fragment_name] == written[fragment_name]

    (output / "pagefind" / "pagefind.js").unlink()
    build(content_copy, output, cache)
    assert indexed(pagefind_calls()), "an index file was missing, yet the index was kept"
    assert (output / "pagefind" / "pagefind.js").is_file()

    # The same releases, but another version of Pagefind.
    monkeypatch.setenv("FAKE_PAGEFIND_VERSION", "1.5.3")
    build(content_copy, output, cache)
    assert indexed(pagefind_calls()), "Pagefind's version changed, yet the index was kept"


@pytest.fixture
def edited_site(content_copy, tmp_path, pagefind_calls):
    """content/ built, then rebuilt after an edit that adds an affixed word."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content_copy, output, cache)
    add_sentence(content_copy)
    build(content_copy, output, cache)
    with serve(output) as url:
        yield url


def test_after_an_edit_the_new_word_is_found_stemmed_and_filtered(page, edited_site):  # noqa: F811
    page.goto(f"{edited_site}cari/?q=swafoto")
    assert wait_for_search(page) == "1 rilis ditemukan untuk “swafoto”."
    assert result_paths(page, edited_site) == [MENTENG_RELEASE]
    marks = page.locator(".search-excerpt mark").all_inner_texts()
    assert [m.casefold() for m in marks] == ["berswafoto"]

    page.goto(f"{edited_site}cari/?q=swafoto&satuan=polsek-menteng")
    assert wait_for_search(page).startswith("1 rilis ditemukan untuk “swafoto” dengan saringan")
    page.goto(f"{edited_site}cari/?q=swafoto&satuan=polsek-johar-baru")
    assert wait_for_search(page).startswith("Tidak ada rilis yang cocok untuk “swafoto”")


def test_an_archive_without_published_releases_has_no_index_and_says_so(content_copy, tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    build(content_copy, output, cache)
    assert (output / "pagefind" / "pagefind.js").is_file()
    for release in (content_copy / "rilis").rglob("*.md"):
        text = release.read_text(encoding="utf-8")
        release.write_text(text.replace("Status: published", "Status: draft"), encoding="utf-8")
    result = build(content_copy, output, cache)
    assert not (output / "pagefind").exists()
    search_page = result.html("cari/")
    assert "Belum ada rilis yang terbit" in search_page.get_text()
    assert search_page.find("form", id="form-cari") is None
    assert not any("search.js" in (s.get("src") or "") for s in search_page.find_all("script"))
