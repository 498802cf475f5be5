"""Seam: Pelican's MarkdownReader, replaced through the READERS setting.

The archive reads a release's header with its one parser
(arsip.content.parse_release, the very one `invoke check` reads) and only the
body with Markdown. The reader copies what MarkdownReader._parse_metadata does
for a header of one value per field, and switches off the Markdown `meta`
extension that MarkdownReader.__init__ adds (it would eat a body starting
with "Word: ..."). READERS names it for `.md` files, so the reader Pelican
uses is the one the settings say, whatever the order of the plugins.

With the speed-ups on, it also:
- runs Typogrify inside the read, with the settings and calls of Pelican's
  own pass (Readers.read_file), which is then off for the Readers that use
  this reader: the content cache holds the finished text, and an unchanged
  release costs a hash and a lookup instead of a Typogrify pass per build.
  `TYPOGRIFY` keeps its meaning;
- resets and reuses one Markdown parser instead of building one per file.
"""

from __future__ import annotations

import smartypants
from markdown import Markdown
from pelican import signals
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open
from typogrify.filters import typogrify

from arsip.content import parse_release
from engine import speedups

SMARTYPANTS_DASHES = {
    "oldschool": smartypants.Attr.set2,
    "oldschool_inverted": smartypants.Attr.set3,
}


class ArchiveMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, the header read by the archive's parser."""

    def read(self, source_path):
        self._md = self._markdown()
        self._source_path = source_path
        with pelican_open(source_path) as text:
            release = parse_release(source_path, text)
        content = self._md.convert(release.body)
        return content, self._metadata(release.metadata)

    def _markdown(self) -> Markdown:
        parser = Markdown(**self.settings["MARKDOWN"])
        if "meta" in parser.preprocessors:
            parser.preprocessors.deregister("meta")
        return parser

    def _metadata(self, fields: dict[str, str]) -> dict:
        # As MarkdownReader._parse_metadata, for one value per field.
        metadata = {}
        for name, value in fields.items():
            if name in self.settings["FORMATTED_FIELDS"]:
                self._md.reset()
                value = self._md.convert(value)
            metadata[name] = self.process_metadata(name, value)
        return metadata


class TypographicMarkdownReader(ArchiveMarkdownReader):
    """The archive's reader with Pelican's Typogrify pass inside, on one reused parser."""

    _parser = None

    def read(self, source_path):
        content, metadata = self.read_markdown(source_path)
        if not self.settings["TYPOGRIFY"]:
            return content, metadata
        if content:
            content = self.typogrify(content)
        for field in ("title", "summary"):
            if field in metadata:
                metadata[field] = self.typogrify(metadata[field])
        return content, metadata

    def read_markdown(self, source_path):
        """The Markdown step alone; plugins that must see HTML before Typogrify wrap it."""
        return super().read(source_path)

    def _markdown(self) -> Markdown:
        if self._parser is None:
            self._parser = super()._markdown()
        return self._parser.reset()

    def typogrify(self, text):
        # As Readers.read_file does it.
        dashes = SMARTYPANTS_DASHES.get(self.settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
        smartypants.Attr.default = dashes | smartypants.Attr.w
        return typogrify(
            text,
            self.settings["TYPOGRIFY_IGNORE_TAGS"],
            **dict.fromkeys(self.settings["TYPOGRIFY_OMIT_FILTERS"], False),
        )


def name_the_reader(pelican):
    settings = pelican.settings
    reader = TypographicMarkdownReader if speedups.on(settings) else ArchiveMarkdownReader
    readers = dict(settings["READERS"])
    for extension in MarkdownReader.file_extensions:
        if readers.get(extension, MarkdownReader) is MarkdownReader:  # not switched off
            readers[extension] = reader
    settings["READERS"] = readers


def typography_in_the_reader(generator):
    """Pelican's own Typogrify pass off for a Readers whose reader does it."""
    readers = generator.readers
    if any(isinstance(r, TypographicMarkdownReader) for r in readers.readers.values()):
        # Its own copy: the setting stays true for everyone else.
        readers.settings = {**readers.settings, "TYPOGRIFY": False}


def register():
    signals.initialized.connect(name_the_reader)
    signals.generator_init.connect(typography_in_the_reader)
