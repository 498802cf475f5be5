"""Atom feed entries written as XML once per build, then copied into every feed.

A release is an entry in the site's feed and in the feed of each of its units,
officers and activity types (365 term feeds in a large archive, each with the
full text of up to FEED_MAX_ITEMS releases). The writer already builds each
entry's fields once (plugins/archive_writer.py); escaping the full text into
XML was still done again for every feed. This plugin keeps, per build, the
XML of each entry as feedgenerator writes it, and has each Atom feed copy it:
the feeds come out byte for byte as before.

How: on `feed_generated` (sent before a feed is written) the feed is given a
`write_items` that looks its entries up in the build's cache by their fields.
"""

from __future__ import annotations

import io

from feedgenerator import Atom1Feed
from feedgenerator.django.utils.xmlutils import SimplerXMLGenerator
from pelican import signals

ENTRIES_KEY = "feed_entry_xml"  # per-build cache in the context shared by all generators


def _fields(item: dict):
    """A hashable copy of an entry's fields (feedgenerator keeps some as lists)."""
    return tuple((key, tuple(v) if isinstance(v, list) else v) for key, v in item.items())


class CachedEntriesAtom1Feed(Atom1Feed):
    """An Atom feed that takes each entry's XML from `entry_xml` when it is there."""

    entry_xml: dict  # set by reuse_entries to the build's cache

    def write_items(self, handler):
        for item in self.items:
            # Written as is, as the entry's own handler escaped it.
            handler.ignorableWhitespace(self._cached_entry(item))

    def _cached_entry(self, item) -> str:
        if item["pubdate"] is None and item["updateddate"] is None:
            return self._entry(item)  # feedgenerator dates such an entry "now"
        try:
            key = _fields(item)
            xml = self.entry_xml.get(key)
        except TypeError:  # a field that cannot be part of a key
            return self._entry(item)
        if xml is None:
            xml = self.entry_xml[key] = self._entry(item)
        return xml

    def _entry(self, item) -> str:
        # As Atom1Feed.write and write_items write one entry.
        buffer = io.StringIO()
        handler = SimplerXMLGenerator(buffer, "utf-8", short_empty_elements=True)
        handler.startElement("entry", self.item_attributes(item))
        self.add_item_elements(handler, item)
        handler.endElement("entry")
        return buffer.getvalue()


def reuse_entries(context, feed):
    if type(feed) is Atom1Feed:
        feed.__class__ = CachedEntriesAtom1Feed
        feed.entry_xml = context.setdefault(ENTRIES_KEY, {})


def register():
    signals.feed_generated.connect(reuse_entries)
