"""Seam: Pelican's Writer, subclassed and handed to Pelican by `get_writer`;
its private `_open_w` is copied, `_add_item_to_the_feed` called with a stand-in
feed, and `write_file`'s rule for splitting a listing into pages repeated.

With the speed-ups on, two changes that leave the output as it was:
- A release is an entry in the site's feed and in the feed of each of its
  units, officers and activity types. Pelican works out the entry (link, id,
  title, content, dates) again for every feed; this writer does it once per
  release and feed type, and hands the same entry to each feed.
- A page or feed whose new text equals the file already on disk is not
  written again. On a rebuild almost every page is unchanged, and replacing
  a file costs far more than reading and comparing it; unchanged files also
  keep their modification time, so a deploy copies only what changed.
When the build renders in several processes (engine/parallel.py), each
process's writer is given its `share`: it renders and writes only the calls of
write_file and write_feed that are its own (pages alternate between all the
processes, feeds between the workers alone, which keeps each release's feed
entry in one process when there is one worker; every process makes the same
calls, so all agree on whose each is), and for the others keeps
Pelican's bookkeeping only (which files are written or overridden, the
`localsiteurl` a page leaves in the context), logging nothing of them.
In a preview session (engine/preview.py) the writer also tells the session
every page and feed it writes, and with the speed-ups on does not even render
one whose inputs are unchanged since the session's last run. Otherwise, with
the speed-ups off, Pelican's own Writer writes the site.
"""

from __future__ import annotations

import io
import os
from contextlib import contextmanager

from feedgenerator import Atom1Feed, Rss201rev2Feed
from pelican import signals
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer, logger

from engine import speedups
from engine.preview import SESSION_SETTING, Layers


class _Unchanged(str):
    """What a template renders when the preview session knows the page is unchanged."""


UNCHANGED = _Unchanged()


class _AtomEntry(Atom1Feed):
    """Stands in for an Atom feed to catch the entry Pelican would add."""

    def __init__(self):  # no feed: only add_item is used
        self.entry = None

    def add_item(self, **entry):
        self.entry = entry


class _RssEntry(Rss201rev2Feed):
    __init__ = _AtomEntry.__init__
    add_item = _AtomEntry.add_item


class _Nothing:
    """The template of a page another process renders."""

    @staticmethod
    def render(context):
        return ""


class _Discard(io.StringIO):
    """The file of a page or feed another process writes."""

    def write(self, text):
        return len(text)


class _WriteIfChanged(io.StringIO):
    """A text file that, on close, replaces `path` only if the text differs."""

    def __init__(self, path: str, encoding: str):
        super().__init__()
        # (`encoding` is a read-only attribute of text files)
        self.target, self.target_encoding = path, encoding
        self.keep = False  # the preview session found the page unchanged

    def write(self, text):
        if text is UNCHANGED:
            self.keep = True
            return 0
        return super().write(text)

    def close(self):
        if self.closed:
            return
        if self.keep:
            super().close()
            return
        data = self.getvalue().encode(self.target_encoding)
        super().close()
        try:
            unchanged = os.path.getsize(self.target) == len(data) and _read(self.target) == data
        except OSError:
            unchanged = False
        if not unchanged:
            with open(self.target, "wb") as out:
                out.write(data)


def _read(path: str) -> bytes:
    with open(path, "rb") as existing:
        return existing.read()


class _RenderIfChanged:
    """A template that renders only when the session has not rendered the page from the same inputs."""

    def __init__(self, template, session, output_path):
        self.template, self.session, self.output_path = template, session, output_path
        self.paths: list[str] = []  # the pages asked for

    def render(self, context):
        path = sanitised_join(self.output_path, context["output_file"])
        self.paths.append(path)
        if self.session.unchanged(path, self.template, context):
            return UNCHANGED
        try:
            return self.template.render(context)
        except BaseException:
            self.session.forget(path)
            raise


class ArchiveWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings)
        self._speedups = speedups.on(self.settings)
        self._entries = {}
        self._session = self.settings.get(SESSION_SETTING)
        self.share: tuple[int, int] | None = None  # (this process, of how many)
        self._calls: dict[str, int] = {}  # the last write call of each kind made while sharing
        self._skipping_call = False

    def _mine(self, kind: str) -> bool:
        """Whether this process renders the next write call of this kind (page or feed)."""
        if self.share is None:
            return True
        call = self._calls[kind] = self._calls.get(kind, -1) + 1
        process, processes = self.share
        if kind == "feed":
            # Feeds share their entries, built and escaped once per process:
            # the workers write them all, the main process the other generators' output.
            return processes > 1 and process == 1 + call % (processes - 1)
        return call % processes == process

    @contextmanager
    def _skipping(self):
        """A call another process renders: nothing written, and Pelican's
        writer logs nothing (the other process logs it)."""
        logged = logger.disabled
        self._skipping_call = logger.disabled = True
        try:
            yield
        finally:
            self._skipping_call, logger.disabled = False, logged

    def write_file(self, name, template, context, relative_urls=False, paginated=None, **kwargs):
        if name and not self._mine("page"):
            # Pelican's own steps (pagination, bookkeeping, the context's
            # localsiteurl), with nothing rendered or written.
            with self._skipping():
                return super().write_file(
                    name, _Nothing, context, relative_urls, paginated, **kwargs
                )
        if self._session is None or not name:
            return super().write_file(name, template, context, relative_urls, paginated, **kwargs)
        # What the template sees, but for the pagination's own variables: decided
        # before Pelican copies the whole context for each page.
        own = {"output_file": name, "localsiteurl": context.get("localsiteurl")}
        if relative_urls:
            own["SITEURL"] = own["localsiteurl"] = path_to_url(get_relative_path(name))
        seen = Layers(kwargs, own, context)
        if paginated is None and not self._paginates(kwargs):
            path = sanitised_join(self.output_path, name)
            if self._session.unchanged(path, template, seen):
                self._written_files.add(path)
                return None
            try:
                return super().write_file(name, template, context, relative_urls, **kwargs)
            except BaseException:
                self._session.forget(path)
                raise
        # A listing split into pages: all its pages follow from the lists it
        # paginates, so when they and the rest are unchanged no page is looked at.
        inputs = [(paginated or kwargs).get(key) for key in ("articles", "dates")]
        inputs += [kwargs.get("url"), kwargs.get("template_name"), relative_urls]
        pages = self._session.unchanged_listing(name, template, seen, inputs)
        if pages is not None:
            self._written_files.update(pages)
            return None
        wrapped = _RenderIfChanged(template, self._session, self.output_path)
        try:
            super().write_file(name, wrapped, context, relative_urls, paginated, **kwargs)
        except BaseException:
            self._session.forget(name)
            raise
        self._session.listed(name, wrapped.paths)
        return None

    def _paginates(self, kwargs) -> bool:
        """Whether Pelican's write_file would split this page (pelican/writers.py)."""
        lists = any(key in kwargs for key in ("articles", "dates"))
        return lists and kwargs.get("template_name") in self.settings["PAGINATED_TEMPLATES"]

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", **kwargs):
        if path and not self._mine("feed"):
            # Pelican's bookkeeping of the file (pelican.writers.Writer.write_feed).
            target = sanitised_join(self.output_path, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with self._skipping():
                self._open_w(target, "utf-8", kwargs.get("override_output", False)).close()
            return None
        if self._session is not None and path:
            target = sanitised_join(self.output_path, path)
            details = (url, feed_type, tuple(sorted(kwargs.items())))
            shown = elements[: self.settings["FEED_MAX_ITEMS"]]  # what Pelican puts in the feed
            if self._session.unchanged_feed(target, shown, details):
                self._written_files.add(target)
                return None
        return super().write_feed(elements, context, path, url, feed_type, **kwargs)

    def _add_item_to_the_feed(self, feed, item):
        if not self._speedups:
            return super()._add_item_to_the_feed(feed, item)
        rss = isinstance(feed, Rss201rev2Feed)
        key = (item, rss, self.site_url)
        if key not in self._entries:
            catcher = _RssEntry() if rss else _AtomEntry()
            super()._add_item_to_the_feed(catcher, item)
            self._entries[key] = catcher.entry
        feed.add_item(**self._entries[key])

    def _open_w(self, filename, encoding, override=False):
        if not self._speedups:
            return super()._open_w(filename, encoding, override)
        # Pelican's bookkeeping (pelican.writers.Writer._open_w), then a file
        # that is only replaced when its text changed.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            filename = os.devnull
        elif filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        if self._skipping_call:
            return _Discard()
        return _WriteIfChanged(filename, encoding)


def get_writer(pelican):
    settings = pelican.settings
    if speedups.on(settings) or settings.get(SESSION_SETTING) is not None:
        return ArchiveWriter
    return None  # Pelican's Writer


def register():
    signals.get_writer.connect(get_writer)
