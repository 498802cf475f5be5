"""Sanitize every release and page before anything renders it.

Releases are pasted from outside outlets, so their HTML is not trusted. Right
after a reader has turned a file into HTML (before typogrify, which can mangle
hostile markup into something that swallows the rest of the page) and again
when Pelican creates the content object, this plugin
- cleans the body and the Summary (both HTML) with nh3 against an allow-list
  suited to press releases: no script, style, iframe, form or event-handler
  attribute survives, links keep only http(s), mailto and tel URLs (or
  relative ones), and images only URLs within the archive (no third-party
  requests);
- turns the plain-text metadata (Title, Units, Officers, Activities, Places,
  Sources) into text without any markup, so templates, feeds and search
  records escape it like any other string.

A reader that typesets its own output (plugins/parse_once.py) gets the
second pass too, at the end of its read: what it returns is final, marked as
such (`Cleaned`), and kept so in the content cache; the second pass then
leaves marked values alone instead of cleaning every release again on every
build. Any other reader's output, or a value changed after the read, is not
marked and gets the second pass as before.

Templates print the cleaned HTML with `| safe`; Jinja autoescape
(pelicanconf.JINJA_ENVIRONMENT) escapes everything else. The feeds reuse the
cleaned body and summary. Settings: none; the allow-list is part of the
security note (docs/security.md) and changes with it.
"""

from __future__ import annotations

import functools
import html
import re

import nh3
from pelican import signals

from arsip.content import LIST_FIELDS, TAXONOMY_FIELDS

# Elements a press release may use (Markdown, Markdown Extra and typogrify output).
ALLOWED_TAGS = {
    *("p", "br", "hr", "a", "em", "strong", "b", "i", "s", "sub", "sup", "small"),
    *("abbr", "q", "cite", "code", "pre", "blockquote", "span", "div"),
    *("h2", "h3", "h4", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"),
    *("figure", "figcaption", "img"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "sup": {"id"},
    "li": {"id"},
}
# Classes the build itself produces: typogrify's spans, Markdown's footnotes.
ALLOWED_CLASSES = {
    "span": {"amp", "dquo", "quo"},
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}
# Table column alignment, as Markdown's tables write it.
ALLOWED_STYLE_PROPERTIES = {"text-align"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {
    *("script", "style", "iframe", "object", "embed", "noscript", "template"),
    *("textarea", "select", "svg", "math", "frame", "frameset", "noembed"),
}
# Only Markdown's footnote anchors keep an id: other ids could clobber the page's own.
FOOTNOTE_ID = re.compile(r"^fn(?:ref)?:[\w-]+$")
# Images must come from the archive itself: no scheme, no "//host".
LOCAL_URL = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")
# Metadata shown as text, never as markup.
TEXT_FIELDS = ("title", *TAXONOMY_FIELDS, *LIST_FIELDS)


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "id" and not FOOTNOTE_ID.match(value):
        return None
    if element == "img" and attribute == "src" and not LOCAL_URL.match(value.strip()):
        return None  # loading it would tell another site who reads the archive
    return value


def clean_html(fragment: str) -> str:
    """`fragment` with only the allowed elements, attributes and URLs."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@functools.lru_cache(maxsize=4096)
def plain_text(value: str) -> str:
    """`value` without tags (and without script/style contents), entities decoded.

    Kept for the same text written again: releases repeat the same units,
    officers, places and sources thousands of times."""
    text = nh3.clean(value, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    return html.unescape(text).strip()


class Cleaned(str):
    """A value that went through the second pass already: the final text."""

    __slots__ = ()


def _clean_reader_output(content, metadata):
    if isinstance(content, str):
        content = clean_html(content)
    if isinstance(metadata.get("summary"), str):
        metadata["summary"] = clean_html(metadata["summary"])
    for field in TEXT_FIELDS:
        if isinstance(metadata.get(field), str):
            # Still HTML for typogrify; sanitize() turns it into text afterwards.
            metadata[field] = html.escape(plain_text(metadata[field]), quote=False)
    return content, metadata


_cleaning_readers: dict[type, type] = {}


def _cleaning_reader(reader_class: type) -> type:
    """`reader_class` with its output cleaned before Pelican post-processes it.

    A reader that typesets its own output (plugins/parse_once.py) exposes its
    Markdown step as `read_markdown`: that step is cleaned, so typogrify only
    ever sees clean HTML."""
    if reader_class not in _cleaning_readers:
        step = "read_markdown" if hasattr(reader_class, "read_markdown") else "read"

        def cleaned(self, source_path):
            return _clean_reader_output(*getattr(super(cleaning, self), step)(source_path))

        methods = {step: cleaned}
        if step == "read_markdown":

            def finished(self, source_path):
                return _second_pass(*super(cleaning, self).read(source_path))

            methods["read"] = finished
        name = f"Cleaning{reader_class.__name__}"
        cleaning = type(name, (reader_class,), {**methods, "__qualname__": name})
        _cleaning_readers[reader_class] = cleaning
    return _cleaning_readers[reader_class]


def clean_readers(readers) -> None:
    for extension, reader_class in readers.reader_classes.items():
        if reader_class:
            readers.reader_classes[extension] = _cleaning_reader(reader_class)


def _second_pass(content, metadata):
    """What sanitize() does to a content object, done to a typesetting reader's result."""
    if isinstance(content, str):
        content = Cleaned(clean_html(content))
    if isinstance(metadata.get("summary"), str):
        metadata["summary"] = Cleaned(clean_html(metadata["summary"]))
    for field in TEXT_FIELDS:
        if isinstance(metadata.get(field), str):
            metadata[field] = Cleaned(plain_text(metadata[field]))
    return content, metadata


def sanitize(content) -> None:
    text = getattr(content, "_content", None)
    if isinstance(text, str) and not isinstance(text, Cleaned):
        content._content = clean_html(text)
    metadata = content.metadata
    summary = metadata.get("summary")
    if isinstance(summary, str) and not isinstance(summary, Cleaned):
        metadata["summary"] = content._summary = clean_html(summary)
    for field in TEXT_FIELDS:
        value = metadata.get(field)
        if isinstance(value, str) and not isinstance(value, Cleaned):
            metadata[field] = plain_text(value)
            setattr(content, field, metadata[field])


def register():
    signals.readers_init.connect(clean_readers)
    signals.content_object_init.connect(sanitize)
