"""Sanitize every release and page before anything renders it.

Releases are pasted from outside outlets, so their HTML is not trusted. Right
after a reader has turned a file into HTML (before typogrify, which can mangle
hostile markup into something that swallows the rest of the page) and again
when Pelican creates the content object, this plugin
- cleans the body and the Summary (both HTML) with nh3 against an allow-list
  suited to press releases: no script, style, iframe, form or event-handler
  attribute survives, links keep only http(s), mailto and tel URLs (or
  relative ones), and images only URLs within the archive (no third-party
  requests). URLs are judged as a browser reads them (`browser_url`): spaces
  and control characters around them and tabs and line breaks inside them
  dropped, backslashes read as slashes; the value written is the one judged;
- turns the plain-text metadata (Title, Units, Officers, Activities, Places,
  Sources) into text without any markup, so templates, feeds, open data and
  search records escape it like any other string. List fields are split
  before they are cleaned: a malformed item costs that item only;
- applies one rule to all text a reader gets (body text, image alt and link
  titles, metadata): text that spells markup, such as `&lt;script&gt;` or
  inline code `<img onerror=...>`, however many times entity-encoded, is
  removed, an element that hides its content (script, style, svg...) with
  that content; invisible and direction-changing characters
  (arsip/text.py) are removed; line and paragraph separators become spaces.
  So the page, the feeds, the open data and the search records all hold the
  same text, and none of it turns into markup when a consumer pastes it into
  HTML. arsip/rules.py reports these removals as located warnings, for
  `invoke check` and the build alike (`header_findings`, `spells_markup`).

A reader that typesets its own output (engine/readers.py) gets the
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
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import nh3
from pelican import signals

from arsip.content import LIST_FIELDS, metadata_list
from arsip.kinds import TAXONOMY_FIELDS
from arsip.text import describe, has_invisible, strip_invisible
from engine import contents

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
# Table cells: their alignment, from the style Markdown's tables write (`_cell_alignment`).
ALIGNMENT_CLASSES = {"align-left", "align-center", "align-right"}
ALLOWED_CLASSES = {
    "span": {"amp", "dquo", "quo"},
    "a": {"footnote-ref", "footnote-backref"},
    "div": {"footnote"},
    "th": ALIGNMENT_CLASSES,
    "td": ALIGNMENT_CLASSES,
}
# Table column alignment, as Markdown's tables write it; made a class, since the
# Content-Security-Policy lets no style attribute apply.
ALLOWED_STYLE_PROPERTIES = {"text-align"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped together with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {
    *("script", "style", "iframe", "object", "embed", "noscript", "template"),
    *("textarea", "select", "svg", "math", "frame", "frameset", "noembed"),
}
# Elements inside which text runs on: markup spelled across them is still one text.
INLINE_TAGS = {"a", "em", "strong", "b", "i", "s", "sub", "sup", "small"} | {
    "abbr",
    "q",
    "cite",
    "code",
    "span",
}
# Only Markdown's footnote anchors keep an id: other ids could clobber the page's own.
FOOTNOTE_ID = re.compile(r"^fn(?:ref)?:[\w-]+$")
# Metadata shown as text, never as markup.
TEXT_FIELDS = ("title", *TAXONOMY_FIELDS, *LIST_FIELDS)
SPLIT_FIELDS = (*TAXONOMY_FIELDS, *LIST_FIELDS)

# -- URLs, as the WHATWG URL standard (and so every browser) reads them ------------

_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Schemes for which a backslash is a slash (the site's own, http(s), is one).
_SPECIAL_SCHEMES = {"http", "https", "ws", "wss", "ftp", "file"}


def browser_url(value: str) -> str:
    """`value` as a browser reads it before resolving it: leading and trailing
    spaces and control characters dropped, tabs and line breaks removed, and
    backslashes turned into slashes where the URL is (or is relative to) an
    http(s) one. "/\\t/evil.example/x.png" is "//evil.example/x.png": another host."""
    url = _TAB_OR_NEWLINE.sub("", value.strip(_C0_OR_SPACE))
    scheme = _SCHEME.match(url)
    if scheme is None or scheme[1].lower() in _SPECIAL_SCHEMES:
        url = url.replace("\\", "/")
    return url


def url_scheme(url: str) -> str | None:
    """The scheme of a URL `browser_url` returned, lowercased; None if relative."""
    scheme = _SCHEME.match(url)
    return scheme[1].lower() if scheme else None


def is_local_url(url: str) -> bool:
    """Whether the browser_url `url` stays on the archive's own host: no scheme, no "//host"."""
    return url_scheme(url) is None and not url.startswith("//")


# -- text that spells markup ------------------------------------------------------

# What an HTML tokenizer takes for the start of a tag, comment or declaration.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
_MAX_DECODING = 20
_MAX_CUTS = 50


def _decoded(text: str) -> str:
    """`text` with HTML character references decoded until none is left."""
    for _ in range(_MAX_DECODING):
        if "&" not in text:
            return text
        decoded = html.unescape(text)
        if decoded == text:
            return text
        text = decoded
    return text


def _markup_spans(text: str) -> list[tuple[int, int]]:
    """Where `text`, read as HTML, holds tags: each from "<" to its ">" (or the end,
    as a browser drops an unfinished tag), an element that hides its content
    together with that content."""
    spans = []
    position = 0
    while start := _TAG_START.search(text, position):
        close = text.find(">", start.end())
        end = len(text) if close < 0 else close + 1
        name = _TAG_NAME.match(text, start.start() + 1)
        if name and name[0].lower() in DROPPED_WITH_CONTENT:
            closing = re.compile(rf"</{re.escape(name[0])}\b[^>]*(?:>|$)", re.IGNORECASE)
            found = closing.search(text, end)
            end = found.end() if found else len(text)
        spans.append((start.start(), end))
        position = end
    return spans


def _spells_markup(text: str) -> bool:
    """Whether `text`, decoded as often as it decodes, holds a tag (or would need
    more rounds of decoding than are tried: then it is taken to hold one)."""
    full = _decoded(text)
    return _TAG_START.search(full) is not None or html.unescape(full) != full


def _without_markup(parts: list[str]) -> tuple[list[str], list[str]]:
    """Visible text `parts` of one run of text (an element's text split by inline
    elements) without the markup they spell together, and the pieces removed.

    Parts that spell none come back unchanged. Otherwise each is decoded in
    full, tags found in the whole run are cut out of the parts they span,
    again until none is left; a run that still spells markup after that
    (entities put together by a cut, or tags nested past _MAX_CUTS rounds)
    is dropped whole."""
    whole = "".join(parts)
    if ("<" not in whole and "&" not in whole) or not _spells_markup(whole):
        return parts, []
    decoded = [_decoded(part) for part in parts]
    text = "".join(decoded)
    owner = [index for index, part in enumerate(decoded) for _ in part]
    kept = list(range(len(text)))
    removed = []
    for _ in range(_MAX_CUTS):
        current = "".join(text[i] for i in kept)
        spans = _markup_spans(current)
        if not spans:
            break
        removed += [current[start:end] for start, end in spans]
        dropped = {j for start, end in spans for j in range(start, end)}
        kept = [i for j, i in enumerate(kept) if j not in dropped]
    pieces: list[list[str]] = [[] for _ in parts]
    for i in kept:
        pieces[owner[i]].append(text[i])
    result = ["".join(piece) for piece in pieces]
    if _spells_markup("".join(result)):
        removed.append(whole)
        result = [""] * len(parts)
    return result, removed


# -- findings: what was removed, reported where the editor can fix it ------------


@dataclass(frozen=True)
class Finding:
    """Something the sanitizer removed from a field ("body" for the text), and
    strings whose first occurrence in the body tells the line to report."""

    field: str
    message: str
    needles: tuple[str, ...] = dataclass_field(default=(), compare=False)
    level: str = "warning"


class NothingLeft(ValueError):
    """A release's title is nothing but markup or invisible characters."""


def _shown(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _markup_finding(field: str, pieces: list[str]) -> Finding:
    shown = ", ".join(f'"{_shown(piece)}"' for piece in pieces[:3])
    more = f" and {len(pieces) - 3} more" if len(pieces) > 3 else ""
    name = _TAG_NAME.search(pieces[0])
    return Finding(
        field,
        f"text that spells markup removed from the {_field_name(field)}: {shown}{more}; "
        "a reader would get it as code: write it without < and >, or delete it",
        (pieces[0][:24], name[0] if name else "<"),
    )


def _invisible_finding(field: str, characters: list[str]) -> Finding:
    first = ord(characters[0])
    return Finding(
        field,
        f"invisible characters removed from the {_field_name(field)}: {describe(characters)}; "
        "delete them from the file",
        (characters[0], f"&#x{first:x};", f"&#{first};"),
    )


def _field_name(field: str) -> str:
    return field if field == "body" else field.capitalize()


def _visible_text(text: str, field: str, found: list[Finding]) -> str:
    """One plain-text value as a reader may get it (see the module's text rule)."""
    text, invisible = strip_invisible(text)
    if invisible:
        found.append(_invisible_finding(field, invisible))
    text = _LINE_SEPARATORS.sub(" ", text)
    (text,), removed = _without_markup([text])
    if removed:
        found.append(_markup_finding(field, removed))
        text = " ".join(text.split())
    return text


# -- HTML: the body and the Summary ------------------------------------------------

_TOKEN = re.compile(r"<[^>]*>|[^<]+|<")
_TAGS = re.compile(r"<[^>]*>")
# In serialized text (every "&" written "&amp;"): what decodes, once or more, to "<".
_MAY_SPELL_LT = re.compile(r"&lt;|&amp;(?:amp;?)*(?:lt|#0*60|#x0*3c)", re.IGNORECASE)
_TOKEN_TAG = re.compile(r"</?([a-zA-Z0-9]+)")


def _judge_attribute(element: str, attribute: str, value: str, field: str, found: list):
    written = value
    value, invisible = strip_invisible(value)
    if invisible:
        found.append(_invisible_finding(field, invisible))
    if attribute == "id" and not FOOTNOTE_ID.match(value):
        return None
    if attribute in ("alt", "title"):
        return _visible_text(value, field, found)
    if (element, attribute) in (("img", "src"), ("a", "href")):
        url = browser_url(value)
        scheme = url_scheme(url)
        if element == "img" and not (url and is_local_url(url)):
            # Loading it would tell another site who reads the archive.
            found.append(
                Finding(
                    field,
                    f'image from another site removed from the {_field_name(field)} ("{_shown(url)}"): '
                    "the archive loads nothing from elsewhere; save the image in the archive or "
                    "leave it out",
                    (written.strip()[:30],),
                )
            )
            return None
        if scheme is not None and scheme not in URL_SCHEMES:
            found.append(
                Finding(
                    field,
                    f'link removed from the {_field_name(field)} ("{_shown(url)}"): only http, '
                    "https, mailto and tel links are kept",
                    (written.strip()[:30],),
                )
            )
            return None
        return url
    return value


def _clean_text_runs(fragment: str, field: str, found: list[Finding]) -> str:
    """nh3's output with the text rule applied to every run of text."""
    if (
        not (
            ("&lt;" in fragment or "&amp;" in fragment)
            and _MAY_SPELL_LT.search(_TAGS.sub("", fragment))
        )
        and "\u2028" not in fragment
        and "\u2029" not in fragment
        and not has_invisible(fragment)
    ):
        return fragment  # no text of it decodes to "<", none is invisible: the common case
    tokens = _TOKEN.findall(fragment)
    run: list[int] = []  # indexes of the text tokens in the current run
    invisible: list[str] = []

    def finish():
        if not run:
            return
        parts = [html.unescape(tokens[i]) for i in run]
        cleaned, cut = _without_markup(parts)
        if cut:
            found.append(_markup_finding(field, cut))
            for i, text in zip(run, cleaned, strict=True):
                tokens[i] = html.escape(text, quote=False).replace("\xa0", "&nbsp;")
        run.clear()

    for index, token in enumerate(tokens):
        if token.startswith("<"):
            name = _TOKEN_TAG.match(token)
            if not (name and name[1].lower() in INLINE_TAGS):
                finish()
            continue
        token, characters = strip_invisible(token)
        invisible.extend(characters)
        tokens[index] = _LINE_SEPARATORS.sub(" ", token)
        run.append(index)
    finish()
    if invisible:
        found.append(_invisible_finding(field, list(dict.fromkeys(invisible))))
    return "".join(tokens)


_CELL_STYLE = re.compile(r'(<t[hd]\b[^>]*?)\s+style="([^"]*)"')
_ALIGNMENT = re.compile(r"text-align:\s*(left|center|right)\b")


def _cell_alignment(fragment: str) -> str:
    """Table cells' `style="text-align:right"` as `class="align-right"`; no other style."""

    def replace(match):
        alignment = _ALIGNMENT.search(match[2])
        tag = match[1]
        if alignment is None or " class=" in tag:
            return tag
        return f'{tag} class="align-{alignment[1]}"'

    return _CELL_STYLE.sub(replace, fragment) if "style=" in fragment else fragment


def _clean_html(fragment: str, field: str) -> tuple[str, tuple[Finding, ...]]:
    found: list[Finding] = []
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=lambda e, a, v: _judge_attribute(e, a, v, field, found),
        allowed_classes=ALLOWED_CLASSES,
        filter_style_properties=ALLOWED_STYLE_PROPERTIES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    cleaned = _cell_alignment(cleaned)
    return _clean_text_runs(cleaned, field, found), tuple(dict.fromkeys(found))


def clean_html(fragment: str) -> str:
    """`fragment` with only the allowed elements, attributes and URLs, and text
    that spells no markup."""
    return _clean_html(fragment, "body")[0]


# -- plain text: titles and the list fields --------------------------------------


@functools.lru_cache(maxsize=4096)
def _plain_text(value: str, field: str) -> tuple[str, tuple[Finding, ...]]:
    # Kept for the same text written again: releases repeat the same units,
    # officers, places and sources thousands of times.
    found: list[Finding] = []
    text = html.unescape(nh3.clean(value, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT))
    if "<" in value and text != html.unescape(value):
        found.append(
            Finding(
                field,
                f'markup removed from the {_field_name(field)} ("{_shown(value)}"): '
                "it holds text only; write it without < and >",
            )
        )
    text = _visible_text(text, field, found).strip()
    return text, tuple(dict.fromkeys(found))


def plain_text(value: str) -> str:
    """`value` without tags (and without script/style contents), entities
    decoded, and without text that spells markup or invisible characters."""
    return _plain_text(value, "title")[0]


# A character reference, whose ";" does not separate list items.
_LIST_TOKEN = re.compile(r"&(?:amp;)*(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|;")


def split_list(value: str) -> list[str]:
    """A list field's raw value split as `metadata_list` splits its text: on ";"
    (but not the ";" ending a character reference such as `&lt;`), else on ","."""
    cuts = [m.start() for m in _LIST_TOKEN.finditer(value) if m.group() == ";"]
    if not cuts:
        return metadata_list(value)
    bounds = [-1, *cuts, len(value)]
    return [value[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _plain_list(value, field: str) -> tuple[list[str], tuple[Finding, ...]]:
    if isinstance(value, Cleaned):  # final already, kept whole by another reader
        return [Cleaned(item) for item in metadata_list(value)], ()
    items = split_list(value) if isinstance(value, str) else list(value)
    cleaned, found = [], []
    for item in items:
        if isinstance(item, Cleaned):
            cleaned.append(item)
            continue
        text, item_found = _plain_text(str(item), field)
        found.extend(item_found)
        # What markup leaves of a malformed item (`">`) is no name or place.
        if text and not (item_found and not any(c.isalnum() for c in text)):
            cleaned.append(Cleaned(text))
    # (metadata_list strips each item, which would drop the mark)
    return [Cleaned(item) for item in metadata_list(cleaned)], tuple(found)


def header_findings(field: str, value: str) -> tuple[str, list[Finding]]:
    """What cleaning makes of a header value as written, and what it removes.

    arsip/rules.py reports these for `invoke check` and the build alike."""
    if field in SPLIT_FIELDS:
        items, found = _plain_list(value, field)
        return "; ".join(items), list(found)
    text, found = _plain_text(value, field)
    return text, list(found)


def spells_markup(text: str) -> bool:
    """Whether text a reader gets would hold a tag once its entities are decoded."""
    return _spells_markup(text)


class Cleaned(str):
    """A value that went through the second pass already: the final text."""

    __slots__ = ()


# -- where the passes run ------------------------------------------------------------


def _clean_reader_output(content, metadata):
    found: list[Finding] = []
    if isinstance(content, str):
        content, body_found = _clean_html(content, "body")
        found.extend(body_found)
    if isinstance(metadata.get("summary"), str):
        metadata["summary"], summary_found = _clean_html(metadata["summary"], "summary")
        found.extend(summary_found)
    for field in TEXT_FIELDS:
        value = metadata.get(field)
        if field in SPLIT_FIELDS and isinstance(value, str | list | tuple):
            metadata[field], list_found = _plain_list(value, field)
            found.extend(list_found)
        elif isinstance(value, str):
            # Still HTML for typogrify; sanitize() turns it into text afterwards.
            text, text_found = _plain_text(value, field)
            found.extend(text_found)
            metadata[field] = html.escape(text, quote=False)
    if metadata.get("title") == "" and found:
        empty = Finding(
            "title",
            "the Title is nothing but markup or invisible characters, so the release would "
            "have none: write its title as text",
            level="error",
        )
        raise NothingLeft(empty.message)  # arsip/rules.py stops the build on it first
    return content, metadata


_cleaning_readers: dict[type, type] = {}


def _cleaning_reader(reader_class: type) -> type:
    """`reader_class` with its output cleaned before Pelican post-processes it.

    A reader that typesets its own output (engine/readers.py) exposes its
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


def _final_text(value, field: str, found: list[Finding]):
    """A text field's final value: a marked list for list fields, else marked text."""
    if field in SPLIT_FIELDS and isinstance(value, str | list | tuple):
        items, item_found = _plain_list(value, field)
        found.extend(item_found)
        return items
    if isinstance(value, str) and not isinstance(value, Cleaned):
        text, text_found = _plain_text(value, field)
        found.extend(text_found)
        return Cleaned(text)
    return value


def _second_pass(content, metadata):
    """What sanitize() does to a content object, done to a typesetting reader's result."""
    found: list[Finding] = []
    if isinstance(content, str):
        content, body_found = _clean_html(content, "body")
        content = Cleaned(content)
        found.extend(body_found)
    if isinstance(metadata.get("summary"), str):
        summary, summary_found = _clean_html(metadata["summary"], "summary")
        metadata["summary"] = Cleaned(summary)
        found.extend(summary_found)
    for field in TEXT_FIELDS:
        if field in metadata:
            metadata[field] = _final_text(metadata[field], field, found)
    return content, metadata


def sanitize(content) -> None:
    found: list[Finding] = []
    text = contents.body(content)
    if isinstance(text, str) and not isinstance(text, Cleaned):
        cleaned, body_found = _clean_html(text, "body")
        contents.replace_body(content, cleaned)
        found.extend(body_found)
    metadata = content.metadata
    summary = metadata.get("summary")
    if isinstance(summary, str) and not isinstance(summary, Cleaned):
        cleaned, summary_found = _clean_html(summary, "summary")
        contents.replace_summary(content, cleaned)
        found.extend(summary_found)
    for field in TEXT_FIELDS:
        if field in metadata:
            value = _final_text(metadata[field], field, found)
            if value is not metadata[field]:
                metadata[field] = value
                setattr(content, field, value)


def register():
    signals.readers_init.connect(clean_readers)
    signals.content_object_init.connect(sanitize)
