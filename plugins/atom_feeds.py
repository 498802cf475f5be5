"""Atom feeds that strict readers accept (RFC 4287), each declaring its WebSub hub.

Pelican's feeds, as written, gave every feed the same `<id>` and the same
alternate link (the site's root), an empty `<author><name/>` in every entry,
and in development builds relative links and ids. This plugin completes each
Atom feed before it is written:
- the feed: `<id>` is its own address; its alternate link is the page it
  follows (a term's page, or the home page for the site's feed; the taxonomies
  plugin passes the page as FEED_PAGE_KEY in the context); the archive's
  publisher as `<author>`; `xml:lang`; and, when the setting WEBSUB_HUB is set,
  a `<link rel="hub">` so that services that follow the feed hear of new
  releases at once (arsip/websub.py tells the hub after a deploy);
- each entry: its link is the release's own page, from where the release is
  written, whatever its metadata says (no release can put another address in
  a feed), and its id follows from that link; the entry takes the feed's
  author. Links and ids are absolute: SITEURL, else FEED_DOMAIN in development.

An entry's `<updated>` is the release's `modified` (plugins/corrections.py).
"""

from __future__ import annotations

from urllib.parse import urljoin

from feedgenerator import Atom1Feed, get_tag_uri
from pelican import signals

from arsip import settings as archive_settings
from arsip.publish import page_path

FEED_PAGE_KEY = "feed_page_url"  # in the context given to write_feed: the page a feed follows


class FeedError(Exception):
    exitcode = 1


class ArchiveAtom1Feed(Atom1Feed):
    """An Atom feed that names its WebSub hubs."""

    hubs: tuple[str, ...] = ()

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        for hub in self.hubs:
            handler.addQuickElement("link", "", {"rel": "hub", "href": hub})


def _base(context) -> str:
    """Where absolute links start: the site's address, or the preview server's."""
    site = context.get("SITEURL", "")
    if site.startswith(("https://", "http://")):
        return site.rstrip("/")
    return (context.get("FEED_DOMAIN") or site).rstrip("/")


# The current build's map: (its list of releases, the base, the links). Kept here, not
# in the context, because term feeds get a copy of the context (FEED_PAGE_KEY).
_own: tuple[object, str, dict[str, str]] | None = None


def _own_links(context, base: str) -> dict[str, str]:
    """Each published release's page, by the links Pelican may have given its entry
    (relative in development, absolute when published)."""
    global _own
    releases = context.get("articles", ())
    if _own is None or _own[0] is not releases or _own[1] != base:
        site = context.get("SITEURL", "")
        links: dict[str, str] = {}
        for release in releases:
            own = f"{base}/{page_path(release.save_as)}"
            for link in (str(release.url), urljoin(f"{site.rstrip('/')}/", str(release.url))):
                links.setdefault(link, own)
        _own = (releases, base, links)
    return _own[2]


def complete_feed(context, feed):
    if not isinstance(feed, Atom1Feed):
        return
    if type(feed) is Atom1Feed:
        feed.__class__ = ArchiveAtom1Feed
    base = _base(context)
    hub = context.get("WEBSUB_HUB", "")
    feed.hubs = (hub,) if hub else ()
    info = feed.feed
    info["link"] = f"{base}/{context.get(FEED_PAGE_KEY, '')}"
    info["id"] = info["feed_url"] or info["link"]
    info["author_name"] = context.get("PUBLISHER") or context["SITENAME"]
    info["language"] = context.get("DEFAULT_LANG", "id")
    own = _own_links(context, base)
    for item in feed.items:
        link = item["link"].removesuffix("?ref=feed")
        if link not in own:
            raise FeedError(
                f"{info['feed_url']}: entry {item['title']!r} links to {link!r}, which is not "
                "the page of a published release"
            )
        item["link"] = own[link]
        item["unique_id"] = get_tag_uri(item["link"], item["pubdate"])
        item["author_name"] = None  # the feed's author is every entry's


def register():
    archive_settings.connect()
    signals.feed_generated.connect(complete_feed)
