"""The outlet a release was copied from, and the dateline around it.

Outlets name themselves in many shapes: a line of its own ("mabesbharindo com",
"Jakarta,kabarmetro.co,"), or at the start of the first paragraph, mixed with
the dateline ("Tempojakarta.id,Jakarta Pusat – ", "Jakarta Pusat – | Rasionews | ",
"Harmoninews.com (Jakarta Pusat) – ", "jpnn.com, JAKARTA - "). `scan_prefix`
reads such a start item by item (domains, names between bars, places, dates,
separators) so the body can start where the dateline ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from arsip.dates import DateProblem, find_date

TLDS = (
    r"co\.id|or\.id|go\.id|web\.id|my\.id|ac\.id|sch\.id|net\.id|biz\.id|com|co|id|net|org|"
    r"news|info|tv|online|site|xyz|media|asia|biz|today|live|press|club|top|pro|io|web"
)
DOMAIN = re.compile(
    rf"(?:https?://)?(?:www\.)?[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.(?:{TLDS})"
    r"(?!\w)(?!\.\w)",
    re.IGNORECASE,
)
# "mabesbharindo com", "jacktv news": a domain written with a space.
SPACED_DOMAIN = re.compile(
    r"(?P<name>[A-Za-z][\w-]{2,})\s+(?P<tld>com|co\.id|co|id|net|org|news|info)(?!\w)",
    re.IGNORECASE,
)
PIPED = re.compile(r"\|\s*(?P<name>[^|\s][^|]{0,40}?)\s*\|")
PARENS = re.compile(r"\(\s*(?P<name>[^()]{2,40}?)\s*\)")
PLACE = re.compile(
    r"[A-Z][A-Za-z'.]*(?:\s+(?:[A-Z][A-Za-z'.]*|pusat|utara|selatan|barat|timur|tengah|raya)){0,3}"
)
# Commas, dashes and bars between the items; a bar that opens "| Rasionews |" is an item.
SEPARATOR = re.compile(r"(?:\s*(?:,|\|(?![^|]{2,41}\|)|[-\u2013\u2014]+))+\s*")
PLACE_WORDS = 4  # in a line that names an outlet and nothing else
DASHES = "-\u2013\u2014"
PREFIX_ITEMS = 8
PREFIX_CHARS = 120
# "Jakarta,kabarmetro.co," or "Jakarta, faktaberita online,": a city, then outlets.
OUTLET_LINE = re.compile(
    r"^(?P<city>[A-Z][\w.]*(?:\s+[A-Za-z][\w.]*){0,2})\s*,\s*(?P<outlets>.+?)[\s,]*$"
)
# A page's own date stamp: " date 2025-09-13 ..." before the headline.
PAGE_STAMP = re.compile(r"^date\s+(?P<date>\d{4}-\d{2}-\d{2})\b\s*", re.IGNORECASE)
# Outlet names this close to an outlet known from the archive or the batch are that outlet.
SAME_OUTLET = 88


@dataclass
class Item:
    kind: str  # "outlet", "place", "date"
    text: str  # as written
    start: int
    end: int


@dataclass
class Prefix:
    """The dateline and outlets at the start of a paragraph, and where the body starts."""

    items: list[Item] = field(default_factory=list)
    end: int = 0  # offset of the body
    dash: str = "\u2013"  # the dash that closed the dateline

    @property
    def outlets(self) -> list[str]:
        return [item.text for item in self.items if item.kind == "outlet"]


def scan_prefix(text: str) -> Prefix | None:
    """The dateline at the start of `text` ("Jakarta Pusat – | Rasionews | "), or None.

    A dateline is a few places, dates and outlets closed by a dash or a bar, or
    an outlet's domain followed by the body ("Jurnalsembilan.com Suasana ...").
    """
    prefix = Prefix()
    items: list[Item] = []
    position = 0
    while len(items) < PREFIX_ITEMS and position < min(len(text), PREFIX_CHARS):
        item = _item_at(text, position)
        if item is None:
            break
        items.append(item)
        position = item.end
        if text[item.start] == "|":  # "| Rasionews |" closes itself
            prefix.end = _skip_spaces(text, position)
            continue
        separator = SEPARATOR.match(text, position)
        if separator and separator[0].strip():
            position = separator.end()
            mark = separator[0].strip()
            dashes = [c for c in mark if c in DASHES]
            if dashes or "|" in mark:
                prefix.end = position
                if dashes:
                    prefix.dash = dashes[-1]
            continue
        following = text[_skip_spaces(text, position) : _skip_spaces(text, position) + 1]
        if following in ("(", "|"):
            continue
        if item.kind == "outlet" and text[position : position + 1] == " ":
            prefix.end = position + 1  # "Jurnalsembilan.com Suasana Jumat sore"
        break
    if not prefix.end or not text[prefix.end :].strip():
        return None
    prefix.items = [item for item in items if item.end <= prefix.end]
    return prefix


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


def _item_at(text: str, position: int) -> Item | None:
    position = _skip_spaces(text, position)
    for pattern in (DOMAIN, SPACED_DOMAIN):
        match = pattern.match(text, position)
        if match:
            return Item("outlet", outlet_host(match[0]), match.start(), match.end())
    match = PIPED.match(text, position)
    if match:
        return Item("outlet", outlet_host(match["name"]), match.start(), match.end())
    match = PARENS.match(text, position)
    if match:
        inner = match["name"]
        kind = "outlet" if DOMAIN.fullmatch(inner) else "place"
        value = outlet_host(inner) if kind == "outlet" else inner
        return Item(kind, value, match.start(), match.end())
    date = _date_at(text, position)
    if date:
        return date
    match = PLACE.match(text, position)
    if match:
        return Item("place", match[0], match.start(), match.end())
    return None


def _date_at(text: str, position: int) -> Item | None:
    lead = re.match(r"(?:[Pp]ada\s+)?", text[position:])
    start = position + lead.end()
    try:
        found = find_date(text[start : start + 60])
    except DateProblem:
        return None
    if found is None or found.start != 0:
        return None
    return Item("date", found.text, position, start + len(found.text))


def outlet_host(text: str) -> str:
    """An outlet as Sources writes it: a lowercase domain where the text gives one."""
    text = text.strip().strip(",;")
    spaced = SPACED_DOMAIN.fullmatch(text)
    if spaced:
        return f"{spaced['name']}.{spaced['tld']}".lower()
    if DOMAIN.fullmatch(text):
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", text, flags=re.IGNORECASE)
        return host.lower()
    return text


def outlet_only_line(text: str) -> list[str]:
    """The outlets a line names when it names nothing else ("Jakarta,kabarmetro.co,")."""
    prefix = _whole_line_items(text)
    if prefix is not None:
        return [item.text for item in prefix if item.kind == "outlet"]
    match = OUTLET_LINE.match(text)
    if match and _looks_like_outlets(match["outlets"]):
        return [outlet_host(o) for o in re.split(r"[,;|]", match["outlets"]) if o.strip()]
    return []


def _whole_line_items(text: str) -> list[Item] | None:
    """The items of a line made only of places, outlets and separators."""
    items, position = [], 0
    while position < len(text):
        item = _item_at(text, position)
        if item is None:
            return None
        items.append(item)
        position = item.end
        separator = SEPARATOR.match(text, position)
        if separator:
            position = separator.end()
        elif position < len(text) and text[_skip_spaces(text, position)] not in ("(", "|"):
            return None  # items stand apart: "Jakarta,kabarmetro.co,", not a sentence
    places = sum(len(item.text.split()) for item in items if item.kind == "place")
    if not any(item.kind == "outlet" for item in items) or places > PLACE_WORDS:
        return None
    return items


def _looks_like_outlets(text: str) -> bool:
    """ "kabarmetro.co", "faktaberita online": domain-like or lowercase, a few words each."""
    parts = [p.strip() for p in re.split(r"[,;|]", text) if p.strip()]
    return len(text) <= 80 and all(
        len(part.split()) <= 3 and ("." in part or part == part.lower()) for part in parts
    )


def bare_name(text: str) -> bool:
    """A line that can only be an outlet's name: one word, no digits ("Mabesbharibdo")."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z-]{3,30}", text))


def page_stamp(text: str) -> tuple[str, str]:
    """(date of the page's " date 2025-09-13" stamp, the rest of the line)."""
    match = PAGE_STAMP.match(text)
    if not match:
        return "", text
    return match["date"], text[match.end() :]


def is_date_line(text: str) -> bool:
    """A line with nothing but a date and time ("Sabtu, 13 September 2025 – 22:52 WIB")."""
    try:
        found = find_date(text)
    except DateProblem:
        return False
    if found is None:
        return False
    rest = text[: found.start] + text[found.start + len(found.text) :]
    rest = re.sub(
        r"\b\d{1,2}[.:]\d{2}\b|\b(?:WIB|WITA|WIT|pukul|jam)\b|[^\w]", " ", rest, flags=re.I
    )
    return not rest.split()


def resolve_outlet(name: str, known: dict[str, int]) -> str | None:
    """The better-known outlet `name` misspells or leaves the domain off, if any.

    `known` counts how often each outlet is named in the archive and the batch:
    "mabesbhsrindo.com", named once, is the "mabesbharindo.com" named often;
    "Rasionews" is "rasionews.com" when that domain is known.
    """
    own = _label(name)
    if len(own) < 6:
        return None
    scored = []
    for other, count in known.items():
        if other == name or "." not in other:
            continue
        if _label(other) == own:
            score = 100 if "." not in name else 0  # the same name: only a bare one gains
        else:
            score = fuzz.ratio(own, _label(other))
        if score >= SAME_OUTLET and ("." not in name or count > known.get(name, 0)):
            scored.append((score, count, other))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[1][:2] == scored[0][:2]:
        return None  # two outlets fit as well: leave it to the editor
    return scored[0][2]


def _label(outlet: str) -> str:
    """The outlet's own name in a domain: "dki.rasionews.com" -> "rasionews"."""
    labels = outlet.lower().split(".")
    if len(labels) == 1:
        return re.sub(r"[^a-z0-9]", "", labels[0])
    second_level = len(labels) >= 3 and labels[-2] in {"co", "or", "go", "ac", "web", "my"}
    return labels[-3] if second_level else labels[-2]
