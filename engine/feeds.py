"""Seam: feedgenerator's Atom1Feed.write_items (the library Pelican's writer
feeds), replaced on the instance of each Atom feed Pelican is about to write.

A release is an entry in the site's feed and in the feed of each of its units,
officers and activity types (365 term feeds in a large archive, each with the
full text of up to FEED_MAX_ITEMS releases). The writer already builds each
entry's fields once (engine/writer.py); escaping the full text into XML was
still done again for every feed. With the speed-ups on, each entry's XML is
kept per build (compressed) as feedgenerator writes it (the copy of Atom1Feed.write's
entry below), and each Atom feed copies it: the feeds come out byte for byte
as before.

How: on `feed_generated` (sent before a feed is written) the feed is given a
`write_items` that looks its entries up in the build's cache by their fields
(as they are when the feed is written, after every plugin completed them).
"""

from __future__ import annotations

import functools
import io
import zlib

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from pelican import signals

from engine import speedups

ENTRIES_KEY = "feed_entry_xml"  # per-build cache in the context shared by all generators


def _fields(item: dict):
    """A hashable copy of an entry's fields (feedgenerator keeps some as lists)."""
    return tuple((key, tuple(v) if isinstance(v, list) else v) for key, v in item.items())


def write_cached_items(feed: Atom1Feed, entry_xml: dict, handler) -> None:
    """Atom1Feed.write_items, taking each entry's XML from `entry_xml` when it is there."""
    for item in feed.items:
        # Written as is, as the entry's own handler escaped it.
        handler.ignorableWhitespace(_cached_entry(feed, entry_xml, item))


def _cached_entry(feed: Atom1Feed, entry_xml: dict, item) -> str:
    if item["pubdate"] is None and item["updateddate"] is None:
        return _entry(feed, item)  # feedgenerator dates such an entry "now"
    try:
        key = _fields(item)
        xml = entry_xml.get(key)
    except TypeError:  # a field that cannot be part of a key
        return _entry(feed, item)
    if xml is None:
        text = _entry(feed, item)
        # Kept compressed: every release's full text stays in the cache until the
        # last term feed is written, and that text would otherwise be most of
        # the build's memory in a large archive.
        entry_xml[key] = zlib.compress(text.encode("utf-8"), 1)
        return text
    return zlib.decompress(xml).decode("utf-8")


def _entry(feed: Atom1Feed, item) -> str:
    # As Atom1Feed.write and write_items write one entry.
    buffer = io.StringIO()
    handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
    handler.startElement("entry", feed.item_attributes(item))
    feed.add_item_elements(handler, item)
    handler.endElement("entry")
    return buffer.getvalue()


def reuse_entries(context, feed):
    if isinstance(feed, Atom1Feed) and speedups.on(context):
        # On the instance, so that the feed's class stays its own (plugins/atom_feeds.py).
        entry_xml = context.setdefault(ENTRIES_KEY, {})
        feed.write_items = functools.partial(write_cached_items, feed, entry_xml)


def register():
    signals.feed_generated.connect(reuse_entries)
