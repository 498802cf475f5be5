"""Following the archive without a server of its own: the "Ikuti" block with the Atom
feed of every term page, the home page and the search page (search.js follows the one
filter chosen), and the WebSub hub told after a publish (arsip/websub.py)."""

from __future__ import annotations

import shutil
import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from bs4 import BeautifulSoup
from conftest import copy_content, free_port, run_pelican
from test_feeds import atom_problems

from arsip import websub

ATOM = "{http://www.w3.org/2005/Atom}"
LABELS = ("satuan", "personel", "kegiatan")
SITE_FEED = "feeds/semua.atom.xml"


def term_pages(output: Path) -> list[Path]:
    return sorted(page for label in LABELS for page in output.glob(f"{label}/*/index.html"))


def follow_block(soup):
    block = soup.select_one("section.follow#ikuti")
    assert block is not None
    return block


def self_link(feed: Path) -> str:
    return ET.parse(feed).getroot().find(f"{ATOM}link[@rel='self']").get("href")


# --- the block on the pages ---------------------------------------------------------


def test_every_term_page_offers_its_own_feed(site):
    pages = term_pages(site.output)
    assert len(pages) > 10
    for page in pages:
        path = page.relative_to(site.output).as_posix()
        soup = site.html(path)
        name = soup.h1.get_text().split(",")[0]  # officers' degrees follow a comma
        block = follow_block(soup)
        assert block.h2.get_text() == f"Ikuti {name}"
        link = block.select_one("a#ikuti-umpan")
        assert link["type"] == "application/atom+xml"
        feed = (page.parent / link["href"]).resolve()
        assert feed == (page.parent / "atom.xml").resolve() and feed.is_file(), path
        # The address to copy is the feed's own.
        assert block.select_one("input#ikuti-alamat")["value"] == self_link(feed)
        text = block.get_text(" ", strip=True)
        assert "surel" in text and "pembaca umpan" in text and name in text
        # The top of the page leads to the block.
        assert soup.select_one(".follow-link a[href='#ikuti']") is not None


@pytest.mark.parametrize("path", ["", "cari/"])
def test_the_home_and_search_pages_offer_the_sites_feed(site, path):
    block = follow_block(site.html(path))
    link = block.select_one("a#ikuti-umpan")
    feed = (site.output / path / link["href"]).resolve()
    assert feed == (site.output / SITE_FEED).resolve()
    assert block.select_one("input#ikuti-alamat")["value"] == self_link(feed)
    assert "seluruh arsip" in block.get_text()


def test_published_pages_show_the_public_feed_address(published):
    for page in ["index.html", "cari/index.html", *term_pages(published.live)[:3]]:
        page = published.live / page
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        href = soup.select_one("a#ikuti-umpan")["href"]
        assert soup.select_one("input#ikuti-alamat")["value"] == href
        assert href.startswith(published.site_url + "/")
        feed = published.live / href.removeprefix(published.site_url + "/")
        assert self_link(feed) == href


# --- the search page follows its one filter ------------------------------------------


def searched(page, url: str) -> dict:
    page.goto(url)
    page.wait_for_function(
        "() => { const s = document.getElementById('status-cari').textContent;"
        " return s && s !== 'Mencari…'; }"
    )
    note = page.locator("#ikuti-catatan")
    return {
        "heading": page.inner_text("#ikuti-judul"),
        "about": page.inner_text("#ikuti-tentang"),
        "href": page.get_attribute("#ikuti-umpan", "href"),
        "address": page.input_value("#ikuti-alamat"),
        "note": note.inner_text() if note.is_visible() else None,
    }


def a_term(site, label: str) -> tuple[str, str]:
    page = term_pages(site.output)[[p.parts[-3] for p in term_pages(site.output)].index(label)]
    heading = site.html(page.relative_to(site.output).as_posix()).h1.get_text()
    return page.parent.name, heading.split(",")[0]  # officers' degrees follow a comma


def test_one_filter_gives_that_terms_feed(page, site, site_url):
    slug, name = a_term(site, "satuan")
    shown = searched(page, f"{site_url}cari/?satuan={slug}")
    assert shown["heading"] == f"Ikuti {name}"
    assert shown["about"] == f"yang melibatkan {name}"
    assert shown["href"] == shown["address"] == f"{site_url}satuan/{slug}/atom.xml"
    assert shown["note"] is None


def test_a_query_with_one_filter_says_the_feed_has_every_release_of_the_term(page, site, site_url):
    slug, name = a_term(site, "kegiatan")
    shown = searched(page, f"{site_url}cari/?q=warga&kegiatan={slug}")
    assert shown["href"] == f"{site_url}kegiatan/{slug}/atom.xml"
    assert "tidak menyaring kata kunci" in shown["note"] and name in shown["note"]


def test_two_filters_or_a_year_fall_back_to_the_sites_feed(page, site, site_url):
    unit, _ = a_term(site, "satuan")
    activity, _ = a_term(site, "kegiatan")
    year = sorted(p.name for p in (site.output / "arsip").glob("[0-9]*"))[0]
    for query in (f"satuan={unit}&kegiatan={activity}", f"tahun={year}"):
        shown = searched(page, f"{site_url}cari/?{query}")
        assert shown["heading"] == "Ikuti rilis baru", query
        assert shown["href"] == f"{site_url}{SITE_FEED}"
        assert "pilih saringan itu saja" in shown["note"]


def test_choosing_and_clearing_a_filter_updates_the_block(page, site, site_url):
    slug, name = a_term(site, "personel")
    searched(page, f"{site_url}cari/")
    assert page.inner_text("#ikuti-judul") == "Ikuti rilis baru"
    if not page.locator("#saringan").evaluate("d => d.open"):
        page.click("#saringan summary")
    page.select_option("#saring-personel", slug)
    page.wait_for_function(
        f"() => document.getElementById('ikuti-judul').textContent === 'Ikuti {name}'"
    )
    assert page.get_attribute("#ikuti-umpan", "href") == f"{site_url}personel/{slug}/atom.xml"
    page.click("#hapus-saringan")
    page.wait_for_function(
        "() => document.getElementById('ikuti-judul').textContent === 'Ikuti rilis baru'"
    )
    assert page.get_attribute("#ikuti-umpan", "href") == f"{site_url}{SITE_FEED}"


# --- WebSub: the hub is told after a publish ---------------------------------------------


class _Hub(BaseHTTPRequestHandler):
    """A hub on 127.0.0.1 that records each publish notification."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        self.server.received.append((self.headers["Content-Type"], parse_qs(body)))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def hub_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    server.received, server.status = [], 204
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def hub(hub_server):
    """The hub, with nothing received yet and answering 204."""
    hub_server.received.clear()
    hub_server.status = 204
    return hub_server


@pytest.fixture(scope="module")
def built_with_hub(hub_server, tmp_path_factory) -> Path:
    content = copy_content(tmp_path_factory.mktemp("hub") / "content")
    build = run_pelican(
        content,
        tmp_path_factory.mktemp("hub-out") / "site",
        "pelicanconf.py",
        "-e",
        f'WEBSUB_HUB="{hub_server.url}"',
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return build.output


@pytest.fixture
def site_with_hub(built_with_hub, tmp_path) -> Path:
    """content/ built with WEBSUB_HUB set to the hub: a copy each test may change."""
    copy = tmp_path / "site"
    shutil.copytree(built_with_hub, copy)
    return copy


def test_every_feed_names_the_hub_that_is_set(hub, site_with_hub):
    feeds = sorted(site_with_hub.rglob("*atom.xml"))
    assert len(feeds) > 10
    for feed in feeds:
        root = ET.fromstring(feed.read_bytes())
        assert [link.get("href") for link in root.findall(f"{ATOM}link[@rel='hub']")] == [hub.url]
        assert atom_problems(feed.read_bytes()) == []


def feed_topics(site: Path) -> list[str]:
    return sorted(self_link(feed) for feed in site.rglob("*atom.xml"))


def test_the_hub_is_told_of_every_feed(hub, site_with_hub, capsys):
    assert websub.announce(site_with_hub) is True
    topics = feed_topics(site_with_hub)
    assert len(topics) > 10
    told = []
    for content_type, form in hub.received:
        assert content_type == "application/x-www-form-urlencoded"
        assert form["hub.mode"] == ["publish"]
        told += form["hub.url"]
    assert sorted(told) == topics
    assert f"WebSub hub {hub.url} told of {len(topics)} changed feed(s)." in capsys.readouterr().out


def test_only_changed_feeds_when_the_previous_site_is_given(hub, site_with_hub, tmp_path):
    previous = tmp_path / "previous"
    shutil.copytree(site_with_hub, previous)
    feed = previous / SITE_FEED
    feed.write_bytes(feed.read_bytes().replace(b"</feed>", b"<!-- older --></feed>"))
    websub.notify(site_with_hub, changed_since=previous)
    assert [form["hub.url"] for _, form in hub.received] == [[self_link(site_with_hub / SITE_FEED)]]


@pytest.mark.parametrize("failure", ["error", "unreachable"])
def test_a_hub_that_fails_is_a_warning(hub, site_with_hub, capsys, failure):
    hub.status = 500
    if failure == "unreachable":  # the feeds name a hub where nothing listens
        closed = f"http://127.0.0.1:{free_port()}/hub"
        for feed in site_with_hub.rglob("*atom.xml"):
            feed.write_bytes(feed.read_bytes().replace(hub.url.encode(), closed.encode()))
    assert websub.announce(site_with_hub) is False
    error = capsys.readouterr().err
    assert error.startswith("warning: WebSub hub ")
    assert ("HTTP 500" in error) if failure == "error" else ("could not be reached" in error)
    assert "next poll" in error


def test_without_a_hub_nothing_is_sent(site, capsys):
    assert websub.notify(site.output) == []
    assert websub.announce(site.output) is True
    assert capsys.readouterr() == ("", "")
