"""The public build's post-build steps on every core, and what they reuse by content
(arsip/postprocess.py, plugins/minify.py, plugins/compress.py, the check in
arsip/publish.py): the same bytes as doing each file in turn, and an entry a
step finds is the one it uses."""

from __future__ import annotations

import gzip
import hashlib
import json

import brotli
import minify_html
import pytest
from conftest import ROOT

from arsip import postprocess
from arsip import publish as deploy
from arsip.settings import with_defaults

PAGE = (
    "<!DOCTYPE html>\r\n<html lang=id>\n<head><title>Rilis {n}</title>\n"
    '<link rel=canonical href="https://arsip.example.id/{n}/"></head>\n'
    '<body>\n  <p class="x">  patroli   warga {n} </p>\n'
    '  <a href="/1/">satu</a> <a href="#atas">atas</a>\n</body></html>\n'
)


@pytest.fixture
def plugins(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "plugins"))
    import compress
    import minify

    yield minify, compress
    postprocess.stop()


def _site(tmp_path, count):
    output = tmp_path / "out"
    for n in range(count):
        (output / str(n)).mkdir(parents=True)
        (output / str(n) / "index.html").write_bytes(PAGE.format(n=n).encode())
    return output


def _pelican(output, settings):
    return type("Pelican", (), {"output_path": str(output), "settings": settings})


def test_pages_done_on_every_core_equal_pages_done_one_by_one(tmp_path, plugins):
    minify, compress = plugins
    count = postprocess.POOL_THRESHOLD * 2  # enough for the pool
    output = _site(tmp_path, count)
    settings = with_defaults({"CACHE_PATH": str(tmp_path / "cache"), "COMPRESS_CACHE": False})
    minify.minify_output(_pelican(output, settings))
    compress.compress_output(_pelican(output, settings))
    assert postprocess.running()
    for n in range(count):
        page = output / str(n) / "index.html"
        text = PAGE.format(n=n).replace("\r\n", "\n")  # as read as text
        expected = minify_html.minify(text, **minify.HTML_OPTIONS).encode()
        assert page.read_bytes() == expected
        assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == expected
        assert page.with_name("index.html.gz").read_bytes() == gzip.compress(
            expected, compresslevel=9, mtime=0
        )
        assert brotli.decompress(page.with_name("index.html.br").read_bytes()) == expected
    assert not (tmp_path / "cache").exists()  # COMPRESS_CACHE = False: no cache at all


def test_minified_pages_and_gzip_copies_are_reused_by_content(tmp_path, plugins):
    minify, compress = plugins
    output = _site(tmp_path, 2)
    settings = with_defaults({"CACHE_PATH": str(tmp_path / "cache")})
    raw = (output / "0" / "index.html").read_bytes()
    folder = minify.cache_folder(settings)
    folder.mkdir(parents=True)
    (folder / f"{hashlib.sha256(raw).hexdigest()}.html").write_bytes(b"<p>planted</p>")
    minify.minify_output(_pelican(output, settings))
    assert (output / "0" / "index.html").read_bytes() == b"<p>planted</p>"
    assert b"patroli warga 1" in (output / "1" / "index.html").read_bytes()
    assert len(list(folder.iterdir())) == 2  # the planted entry and page 1's

    gzip_folder = compress.gzip_cache_folder(settings)
    gzip_folder.mkdir(parents=True)
    key = hashlib.sha256(b"<p>planted</p>").hexdigest()
    (gzip_folder / f"{key}.9.gz").write_bytes(b"planted gzip")
    compress.compress_output(_pelican(output, settings))
    assert (output / "0" / "index.html.gz").read_bytes() == b"planted gzip"
    assert brotli.decompress((output / "0" / "index.html.br").read_bytes()) == b"<p>planted</p>"
    assert len(list(gzip_folder.iterdir())) == 2


def test_work_ahead_only_fills_the_cache(tmp_path, plugins):
    minify, _ = plugins
    output = _site(tmp_path, 1)
    page = output / "0" / "index.html"
    before = page.read_bytes()
    settings = with_defaults({"CACHE_PATH": str(tmp_path / "cache")})
    postprocess.start()
    for _ in range(postprocess.CHUNK):
        minify.page_written(str(page), settings)
    postprocess.stop()  # waits for the work handed ahead
    assert page.read_bytes() == before
    entry = minify.cache_folder(settings) / f"{hashlib.sha256(before).hexdigest()}.html"
    assert entry.read_bytes() == minify.minified_html(before, minify.HTML_OPTIONS)
    # A file gone before a worker reads it costs nothing but the entry.
    postprocess.start()
    missing = output / "gone.html"
    for _ in range(postprocess.CHUNK):
        minify.page_written(str(missing), settings)
    postprocess.stop()


def test_the_check_reuses_what_it_found_in_a_page_it_saw(tmp_path):
    url = "https://arsip.example.id"
    site = tmp_path / "site"
    for n in range(3):
        (site / str(n)).mkdir(parents=True)
        (site / str(n) / "index.html").write_text(
            PAGE.format(n=n) + ('<a href="/9/">x</a>' if n == 2 else ""), encoding="utf-8"
        )
    cache = tmp_path / "check.json"
    expected = [
        "0/index.html: link to missing anchor #atas",
        "1/index.html: link to missing anchor #atas",
        "2/index.html: link to missing anchor #atas",
        "2/index.html: broken link /9/",
    ]
    assert deploy.check_site(site, url) == expected
    assert deploy.check_site(site, url, cache) == expected
    # What the next check uses for a page with these bytes: prove it by changing it.
    record = json.loads(cache.read_text(encoding="utf-8"))
    key = hashlib.sha256((site / "0" / "index.html").read_bytes()).hexdigest()
    record["pages"][key][0] = False  # "no title"
    cache.write_text(json.dumps(record), encoding="utf-8")
    assert deploy.check_site(site, url, cache) == ["0/index.html: no <title>", *expected]
    # A record of another version of the check is not used.
    record["code"] = "other"
    cache.write_text(json.dumps(record), encoding="utf-8")
    assert deploy.check_site(site, url, cache) == expected
    cache.write_text("not json", encoding="utf-8")
    assert deploy.check_site(site, url, cache) == expected


def test_a_scratch_build_is_deployed_by_linking_not_copying(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<title>x</title>", encoding="utf-8")
    (site / "a" / "b.css").write_text("b{}", encoding="utf-8")
    target = tmp_path / "target"
    copied = deploy.deploy_to_folder(site, target, "20260101T000000Z-aaaaaaa")
    linked = deploy.deploy_to_folder(site, target, "20260102T000000Z-bbbbbbb", scratch=True)
    for name in ("index.html", "a/b.css"):
        # Unchanged since the live release: a link to it either way.
        assert (linked / name).samefile(copied / name)
        assert not (copied / name).samefile(site / name)
    (site / "index.html").write_text("<title>y</title>", encoding="utf-8")
    newer = deploy.deploy_to_folder(site, target, "20260103T000000Z-ccccccc", scratch=True)
    assert (newer / "index.html").samefile(site / "index.html")  # changed: the build's own file
    assert (newer / "a" / "b.css").samefile(copied / "a" / "b.css")
    assert (newer / "index.html").read_text(encoding="utf-8") == "<title>y</title>"
