"""Every Atom feed is valid for strict readers: RFC 4287, checked rule by rule.

No feed validator is packaged on PyPI and RFC 4287's RELAX NG schema is
informative only, so `atom_problems` states the RFC's rules itself (section
numbers in the messages), plus the archive's own: absolute links, dates as
RFC 3339 text (never Indonesian words), and entry links that reach only the
release's own page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import run_pelican

from plugins.atom_feeds import FEED_PAGE_KEY, FeedError, complete_feed

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
# RFC 3339 date-time, with the upper-case T and Z RFC 4287 section 3.3 asks for.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")


# --- the rules -------------------------------------------------------------------


def _absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https", "tag") and bool(parts.netloc or parts.path)


def _count(element, name: str, low: int, high: int | None, where: str, problems: list[str]):
    found = len(element.findall(f"{ATOM}{name}"))
    if found < low or (high is not None and found > high):
        wanted = f"exactly {low}" if low == high else f"{low} to {high or 'any'}"
        problems.append(f"{where}: {found} atom:{name}, RFC 4287 wants {wanted}")


def _date(element, name: str, where: str, problems: list[str]) -> datetime | None:
    node = element.find(f"{ATOM}{name}")
    if node is None:
        return None
    text = (node.text or "").strip()
    if not RFC3339.match(text):
        problems.append(f"{where}: atom:{name} {text!r} is not an RFC 3339 date-time (3.3)")
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _text_constructs(element, names, where: str, problems: list[str]):
    for name in names:
        for node in element.findall(f"{ATOM}{name}"):
            kind = node.get("type", "text")
            if kind in ("text", "html"):
                if len(node):
                    problems.append(f"{where}: atom:{name} type={kind} holds markup (3.1.1)")
            elif kind == "xhtml":
                if len(node) != 1 or node[0].tag != XHTML_DIV:
                    problems.append(f"{where}: atom:{name} xhtml needs one xhtml:div (3.1.1.3)")
            elif name != "content":
                problems.append(f"{where}: atom:{name} has type {kind!r} (3.1.1)")


def _persons(element, where: str, problems: list[str]) -> int:
    people = element.findall(f"{ATOM}author") + element.findall(f"{ATOM}contributor")
    for person in people:
        _count(person, "name", 1, 1, f"{where} author", problems)
        name = person.find(f"{ATOM}name")
        if name is not None and not (name.text or "").strip():
            problems.append(f"{where}: an author's atom:name is empty (3.2.1)")
        _count(person, "uri", 0, 1, f"{where} author", problems)
        _count(person, "email", 0, 1, f"{where} author", problems)
    return len(element.findall(f"{ATOM}author"))


def _links(element, where: str, problems: list[str]) -> dict[str, list[str]]:
    by_rel: dict[str, list[str]] = {}
    alternates = set()
    for link in element.findall(f"{ATOM}link"):
        href, rel = link.get("href"), link.get("rel", "alternate")
        if not href:
            problems.append(f"{where}: atom:link without href (4.2.7.1)")
            continue
        if not _absolute(href):
            problems.append(f"{where}: link {href!r} is not absolute")
        by_rel.setdefault(rel, []).append(href)
        if rel == "alternate":
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                problems.append(f"{where}: two alternate links of one type and language (4.1.1)")
            alternates.add(key)
    return by_rel


def _id(element, where: str, problems: list[str]) -> str | None:
    node = element.find(f"{ATOM}id")
    text = (node.text or "").strip() if node is not None else None
    if node is not None and not _absolute(text):
        problems.append(f"{where}: atom:id {text!r} is not an absolute IRI (4.2.6)")
    return text


def atom_problems(data: bytes) -> list[str]:
    """What in an Atom feed document breaks RFC 4287 or the archive's rules."""
    try:
        feed = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    if feed.tag != f"{ATOM}feed":
        return [f"root element is {feed.tag}, not atom:feed (4.1.1)"]
    problems: list[str] = []
    for name, low, high in (("id", 1, 1), ("title", 1, 1), ("updated", 1, 1), ("subtitle", 0, 1),
                            ("rights", 0, 1), ("icon", 0, 1), ("logo", 0, 1), ("generator", 0, 1)):  # fmt: skip
        _count(feed, name, low, high, "feed", problems)
    _id(feed, "feed", problems)
    _text_constructs(feed, ("title", "subtitle", "rights"), "feed", problems)
    feed_updated = _date(feed, "updated", "feed", problems)
    feed_authors = _persons(feed, "feed", problems)
    links = _links(feed, "feed", problems)
    if len(links.get("self", ())) != 1:
        problems.append("feed: wants exactly one rel=self link (4.2.7.2)")
    if not links.get("alternate"):
        problems.append("feed: no alternate link to the page it follows")
    lang = feed.get(XML_LANG)
    if not lang or not LANGUAGE_TAG.match(lang):
        problems.append(f"feed: xml:lang {lang!r} is not a language tag (2)")

    ids, newest = set(), None
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), start=1):
        where = f"entry {number}"
        for name, low, high in (("id", 1, 1), ("title", 1, 1), ("updated", 1, 1),
                                ("published", 0, 1), ("content", 0, 1), ("summary", 0, 1)):  # fmt: skip
            _count(entry, name, low, high, where, problems)
        entry_id = _id(entry, where, problems)
        if entry_id in ids:
            problems.append(f"{where}: atom:id {entry_id!r} repeats another entry's (4.1.1)")
        ids.add(entry_id)
        _text_constructs(entry, ("title", "summary", "rights", "content"), where, problems)
        updated = _date(entry, "updated", where, problems)
        published = _date(entry, "published", where, problems)
        if updated and published and updated < published:
            problems.append(f"{where}: updated {updated} is before published {published}")
        if updated and (newest is None or updated > newest):
            newest = updated
        if not _persons(entry, where, problems) and not feed_authors:
            problems.append(f"{where}: no atom:author, and the feed has none (4.1.2)")
        entry_links = _links(entry, where, problems)
        if len(entry_links.get("alternate", ())) != 1:
            problems.append(f"{where}: wants exactly one alternate link, the release's page")
    if newest and feed_updated and feed_updated != newest:
        problems.append(f"feed: updated {feed_updated} is not its newest entry's, {newest}")
    return problems


def feeds_of(output: Path) -> list[Path]:
    """The site's feed (feeds/semua.atom.xml) and every term's (<label>/<slug>/atom.xml)."""
    return sorted(output.rglob("*atom.xml"))


# --- the rules catch what they should -----------------------------------------------

GOOD_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id"><title>T</title>
<link href="https://a.example/" rel="alternate"/><link href="https://a.example/f.xml" rel="self"/>
<id>https://a.example/f.xml</id><updated>2024-11-10T09:00:00+07:00</updated>
<author><name>Humas</name></author>
<entry><title>E</title><link href="https://a.example/e/" rel="alternate"/>
<published>2024-11-08T00:00:00+07:00</published><updated>2024-11-10T09:00:00+07:00</updated>
<id>tag:a.example,2024-11-08:/e/</id><content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry>
</feed>"""


def test_a_valid_feed_has_no_problem():
    assert atom_problems(GOOD_FEED.encode()) == []


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("<updated>2024-11-10T09:00:00+07:00</updated>\n<author>",
         "<updated>10 November 2024</updated>\n<author>", "is not an RFC 3339 date-time"),
        ("<updated>2024-11-10T09:00:00+07:00</updated>\n<id>tag",
         "<updated>2024-11-10t09:00:00z</updated>\n<id>tag", "is not an RFC 3339 date-time"),
        ("<id>https://a.example/f.xml</id>", "<id>/</id>", "is not an absolute IRI"),
        ("<id>https://a.example/f.xml</id>", "", "0 atom:id"),
        ("<author><name>Humas</name></author>", "<author><name/></author>", "is empty"),
        ("<author><name>Humas</name></author>", "", "no atom:author"),
        ('<link href="https://a.example/e/" rel="alternate"/>',
         '<link href="e/" rel="alternate"/>', "is not absolute"),
        ('<link href="https://a.example/f.xml" rel="self"/>', "", "rel=self"),
        ('xml:lang="id"', "", "xml:lang"),
        ("<title>E</title>", "<title>E</title><title>F</title>", "2 atom:title"),
        ('<content type="html">&lt;p&gt;x&lt;/p&gt;</content>',
         '<content type="html"><p>x</p></content>', "holds markup"),
        ("<published>2024-11-08T00:00:00+07:00</published>",
         "<published>2024-11-12T00:00:00+07:00</published>", "is before published"),
        ("<updated>2024-11-10T09:00:00+07:00</updated>\n<author>",
         "<updated>2024-11-11T09:00:00+07:00</updated>\n<author>", "not its newest entry's"),
        ("</feed>", GOOD_FEED[GOOD_FEED.index("<entry>") :], "repeats another entry's"),
        ("<feed", "<fed", "not well-formed"),
    ],
)  # fmt: skip
def test_each_broken_rule_is_reported(old, new, problem):
    assert old in GOOD_FEED
    problems = atom_problems(GOOD_FEED.replace(old, new, 1).encode())
    assert any(problem in p for p in problems), problems


# --- the archive's feeds ----------------------------------------------------------


def release_pages(output: Path, base: str) -> dict[str, str]:
    """Every release page's absolute address -> its date on the page."""
    pages = {}
    for page in output.glob("rilis/*/*/*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        when = soup.select_one("article.release .meta time")["datetime"]
        pages[f"{base}/{page.parent.relative_to(output).as_posix()}/"] = when
    return pages


def check_feeds(output: Path, base: str) -> None:
    feeds = feeds_of(output)
    terms = [p for label in ("satuan", "personel", "kegiatan") for p in output.glob(f"{label}/*/")]
    assert len(feeds) == 1 + len(terms)  # the site's and one per term
    pages = release_pages(output, base)
    for feed in feeds:
        data = feed.read_bytes()
        assert atom_problems(data) == [], feed
        root = ET.fromstring(data)
        self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
        assert self_link == f"{base}/{feed.relative_to(output).as_posix()}"
        assert root.find(f"{ATOM}id").text == self_link
        # The alternate link is the page the feed follows, which the build wrote.
        page = root.find(f"{ATOM}link[@rel='alternate']").get("href").removeprefix(base + "/")
        assert (output / page / "index.html").exists(), (feed, page)
        for entry in root.findall(f"{ATOM}entry"):
            link = entry.find(f"{ATOM}link").get("href")
            assert link in pages, (feed, link)  # only the release's own page
            published = entry.find(f"{ATOM}published").text
            assert datetime.fromisoformat(published) == datetime.fromisoformat(pages[link])


def test_development_feeds_are_valid_with_absolute_links(site):
    # Development builds link the preview server (FEED_DOMAIN).
    check_feeds(site.output, "http://127.0.0.1:8000")


def test_published_feeds_are_valid(published):
    check_feeds(published.live, published.site_url)


def test_feeds_name_no_hub_unless_one_is_set(site, published):
    """(With WEBSUB_HUB set, every feed names it: tests/test_follow.py.)"""
    for output in (site.output, published.live):
        for feed in feeds_of(output):
            assert b'rel="hub"' not in feed.read_bytes(), feed


def test_a_hub_that_is_not_an_address_stops_the_build(content_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    build = run_pelican(content_copy, tmp_path / "out", "pelicanconf.py", "-e", 'WEBSUB_HUB="hub"')
    assert build.returncode != 0
    assert "WEBSUB_HUB must be the hub's address" in build.stdout + build.stderr


# --- no release puts another address into a feed ---------------------------------------


class _Release:
    def __init__(self, url: str, save_as: str):
        self.url, self.save_as = url, save_as


def _feed_with_entry(link: str):
    from feedgenerator import Atom1Feed

    feed = Atom1Feed(title="T", link="/", description="", feed_url="https://a.example/f.xml")
    feed.add_item(title="R", link=link, description="", pubdate=datetime(2024, 11, 8))
    return feed


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://evil.example/x/", "//evil.example/"]
)
def test_an_entry_links_to_the_releases_own_page_whatever_its_url(url):
    context = {
        "SITEURL": "https://a.example",
        "SITENAME": "Arsip",
        "articles": [_Release(url, "rilis/2024/11/x/index.html")],
        FEED_PAGE_KEY: "satuan/x/",
    }
    feed = _feed_with_entry(urljoin("https://a.example/", url))  # the link Pelican makes
    complete_feed(context, feed)
    assert feed.items[0]["link"] == "https://a.example/rilis/2024/11/x/"
    assert feed.items[0]["unique_id"] == "tag:a.example,2024-11-08:/rilis/2024/11/x/"
    assert feed.feed["link"] == "https://a.example/satuan/x/"


def test_an_entry_that_is_no_release_stops_the_build():
    context = {"SITEURL": "https://a.example", "SITENAME": "Arsip", "articles": []}
    with pytest.raises(FeedError, match="not the page of a published release"):
        complete_feed(context, _feed_with_entry("https://elsewhere.example/"))
