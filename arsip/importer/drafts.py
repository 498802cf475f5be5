"""One raw release read: headline, outlets, body, date, names, places, summary.

The lines before the first paragraph are the page's head: the headline, the
outlet's own line ("mabesbharindo com") and the page's date stamps. The first
paragraph starts at a dateline ("Jakarta Pusat – ") or at the first sentence.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from arsip.content import FIELD_ORDER, Problem, format_list, parse_release
from arsip.dates import find_date, format_metadata_date
from arsip.importer.cleanup import RawReleaseError, join_wrapped, read_raw
from arsip.importer.names import Found, find_names, title_cased
from arsip.importer.outlets import (
    bare_name,
    is_date_line,
    outlet_only_line,
    page_stamp,
    scan_prefix,
)
from arsip.importer.places import find_places
from arsip.importer.syndication import comparable
from arsip.importer.titles import clean_headline, lead_sentence, propose_summary, propose_title
from arsip.importer.when import release_when
from arsip.registry import KINDS, Registry

DEFAULT_STATUS = "draft"  # an editor reviews an import before publishing it
SENTENCE_END = '.!?"\u201d'
LEAD_WORDS = 8  # a sentence this long after the head starts the body
LONG_LINE = 30  # a line this long is body, whatever it ends with


@dataclass
class Draft:
    """A raw release read: the metadata proposed for it and its body."""

    source: Path
    title: str
    date: datetime.datetime
    summary: str
    units: list[Found]
    officers: list[Found]
    activities: list[Found]
    places: list[str]
    sources: list[str]
    paragraphs: list[tuple[int, str]]
    notes: list[Problem]
    slug: str = ""
    outlet_line: int = 1  # where the outlet is named, for notes about it
    copies: list[Path] = field(default_factory=list)  # other raw files of the same release
    headline: bool = True  # the title is the text's headline, not a proposal

    def metadata(self) -> dict[str, str]:
        def names(found):
            return [f.entry.name for f in found if f.entry]

        officers = [f.text for f in self.officers if f.entry]
        return {
            "title": self.title,
            "date": format_metadata_date(self.date),
            "slug": self.slug,
            "summary": self.summary,
            "units": format_list(names(self.units)),
            "officers": format_list(officers),
            "activities": format_list(names(self.activities)),
            "places": format_list(self.places),
            "sources": format_list(self.sources),
            "status": DEFAULT_STATUS,
        }

    def markdown(self) -> str:
        metadata = self.metadata()
        header = "\n".join(
            f"{name.capitalize()}: {metadata[name]}".rstrip() for name in FIELD_ORDER
        )
        body = "\n\n".join(text for _, text in self.paragraphs)
        text = f"{header}\n\n{body}\n"
        # Read back by the build's own parser: what is written must say what was meant.
        written = parse_release(self.source, text)
        if written.metadata != {name: metadata[name].strip() for name in FIELD_ORDER} or (
            written.body.strip() != body.strip()
        ):
            raise RawReleaseError(
                "the release would not read back as written (a value spans lines or looks "
                "like a header): check the raw text's first lines"
            )
        return text

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.paragraphs)

    @property
    def comparable(self) -> str:
        return comparable(self.body)


@dataclass
class Head:
    """The lines before the first paragraph, sorted out."""

    headlines: list[tuple[int, str]] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    outlet_line: int = 0
    years: list[int] = field(default_factory=list)  # of the page's date stamps
    lead: int = 0  # index of the first body line


def split_head(lines: list[tuple[int, str]]) -> Head:
    head = Head()
    for index, (number, text) in enumerate(lines):
        stamp, text = page_stamp(text)
        if stamp:
            head.years.append(int(stamp[:4]))
        if not text:
            continue
        if is_date_line(text):
            head.years.append(find_date(text).date.year)
            continue
        outlets = outlet_only_line(text)
        if outlets:
            head.outlets += outlets
            head.outlet_line = head.outlet_line or number
            continue
        if _starts_body(lines, index, text):
            head.lead = index
            break
        head.headlines.append((number, text))
    else:  # no line looks like a paragraph: the first one that is not the head's is
        head.lead = len(lines)
        if head.headlines:
            head.lead = next(i for i, (n, _) in enumerate(lines) if n == head.headlines[0][0])
            head.headlines = []
    if head.headlines and not head.outlets and bare_name(head.headlines[-1][1]):
        number, name = head.headlines.pop()  # "Mabesbharibdo" on its own line
        head.outlets.append(name)
        head.outlet_line = number
    return head


def _starts_body(lines, index, text) -> bool:
    words = text.split()
    prefix = scan_prefix(text)
    if prefix and len(text[prefix.end :].split()) >= 3:
        return not title_cased(text[prefix.end :])  # else a headline after the outlet's name
    if len(words) >= LONG_LINE or len(words) >= LEAD_WORDS and text[-1] in SENTENCE_END:
        return True
    if index + 1 < len(lines):  # a paragraph wrapped by hand: "Hal" / "ini terlihat ..."
        number, following = lines[index + 1]
        return (
            number == lines[index][0] + 1
            and following[:1].islower()
            and scan_prefix(following) is None
            and text[-1] not in SENTENCE_END
        )
    return False


def _body(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], list[str]]:
    """The body's paragraphs, the first one without the outlets in its dateline."""
    paragraphs = join_wrapped(lines)
    prefix = scan_prefix(paragraphs[0][1])
    if not prefix or not prefix.outlets:
        return paragraphs, []
    line, text = paragraphs[0]
    kept = [item.text for item in prefix.items if item.kind != "outlet"]
    rest = text[prefix.end :]
    paragraphs[0] = (line, f"{', '.join(kept)} {prefix.dash} {rest}" if kept else rest)
    return paragraphs, prefix.outlets


def _outlets_before(headline: str) -> list[str]:
    """ "refubliknews.com, || Jakarta – Polres ... Gelar ...": the outlet before a headline."""
    prefix = scan_prefix(headline)
    return prefix.outlets if prefix else []


def read_draft(registry: Registry, path: Path, today: datetime.date | None = None) -> Draft:
    """Read one raw release into a Draft; RawReleaseError when it cannot be imported."""
    lines = read_raw(path)
    head = split_head(lines)
    if head.lead >= len(lines):
        raise RawReleaseError("no body after the outlet line", lines[-1][0])
    paragraphs, inline = _body(lines[head.lead :])
    in_headlines = [o for _, text in head.headlines for o in _outlets_before(text)]
    outlets = list(dict.fromkeys(head.outlets + in_headlines + inline))
    notes: list[Problem] = []
    first_line = paragraphs[0][0]
    if not outlets:
        notes.append(
            Problem(
                path,
                lines[0][0],
                "warning",
                'no outlet named (a line such as "Jakarta,outlet.com," or a dateline such as '
                '"Jakarta – outlet.com –"): Sources is empty, fill it by hand',
            )
        )
    context = [text for _, text in head.headlines]
    when = release_when(paragraphs, scan_prefix(paragraphs[0][1]), context, head.years, today)
    notes += [Problem(path, line, "warning", note) for line, note in when.notes]
    texts = [text for _, text in paragraphs]
    if not lead_sentence(texts, when.text):
        raise RawReleaseError(
            "the body has nothing but the date: paste the release's text", first_line
        )
    title = ""
    for line, text in head.headlines:
        if not title and clean_headline(text):
            title = clean_headline(text)
        else:
            notes.append(Problem(path, line, "warning", f'left out (before the body): "{text}"'))
    title_proposed = not title
    if title_proposed:
        title = propose_title(texts, when.text)
        notes.append(
            Problem(
                path,
                first_line,
                "warning",
                f'no headline: proposed "{title}" from the first paragraph, review it',
            )
        )
    names = find_names(registry, paragraphs)
    for kind in ("units", "activities"):  # required fields the editor must fill
        if not any(found.entry for found in names[kind]):
            notes.append(
                Problem(
                    path,
                    first_line,
                    "warning",
                    f"no known {KINDS[kind].singular} found: "
                    f"fill `{kind.capitalize()}:` by hand or add it to the registry",
                )
            )
    return Draft(
        source=path,
        title=title,
        date=when.value,
        summary=propose_summary(texts, when.text),
        units=names["units"],
        officers=names["officers"],
        activities=names["activities"],
        places=find_places("\n".join(texts)),
        sources=outlets,
        paragraphs=paragraphs,
        notes=notes,
        outlet_line=head.outlet_line or first_line,
        headline=bool(head.headlines) and not title_proposed,
    )
