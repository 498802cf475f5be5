"""Import raw releases, as pasted from outlets, into Markdown releases.

A raw release is plain text: maybe a headline and web-page debris, an outlet
line ("Jakarta,kabarmetro.co,"), then the body, with the date somewhere in its
first paragraph ("Jumat, (8/11/2024)"). `import_releases` reads each file,
proposes the metadata (date, title, units, officers, activity types, places,
summary, sources), resolves names against the registry and writes one release
per file. Names the registry lacks come back as suggested registry entries,
which `add_to_registry` appends to the registry's YAML files.

The same text scanning tells `arsip.check` which officers and units a body
names.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from arsip.content import (
    FIELD_ORDER,
    SMALL_WORDS,
    Problem,
    body_fingerprint,
    format_list,
    read_release,
    slugify,
)
from arsip.dates import (
    DateProblem,
    find_date,
    find_time,
    format_date,
    format_metadata_date,
    weekday_name,
    years_mentioned,
)
from arsip.registry import (
    DEGREE_RE,
    KINDS,
    REGISTRY_DIR,
    Entry,
    Registry,
    UnknownName,
    normalize,
)

RELEASES_DIR = "rilis"
DEFAULT_STATUS = "draft"  # an editor reviews an import before publishing it
SUMMARY_WORDS = 60
TITLE_WORDS = 12

# Whole lines that web pages add around a release: view counters, comment
# links, category labels, share buttons. Body lines are never matched.
DEBRIS = re.compile(
    r"""^(?:
        \S*?\d[\d.,]*\s*(?:kali\s+)?dilihat            # "Uncategorized432 Dilihat"
      | dilihat\s*:?\s*\d[\d.,]*(?:\s*kali)?           # "Dilihat: 432 kali"
      | (?:\d+\s+)?komentar|tinggalkan\s+(?:balasan|komentar)|no\s+comments?
      | uncategorized|berita(?:\s+\w+)?|headline|terkini|nasional|daerah|kriminal
      | megapolitan|metropolitan|polri|hukum|news
      | (?:bagikan|share)(?:\s+(?:ini|this))?\s*:?|like\s+this\s*:?|related|iklan|advertisement
      | baca\s+juga\s*:.*|(?:tags?|editor|penulis|reporter)\s*:.*
      | (?:home|beranda)\s*[»>/].*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Jakarta,kabarmetro.co," or "Jakarta, mabesbharindo com,"
OUTLET_LINE = re.compile(
    r"^(?P<city>[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})\s*,\s*(?P<outlets>.+?)[\s,]*$"
)
OUTLET_SEARCH_LINES = 4  # the outlet line comes before the body
DOMAIN_WITH_SPACE = re.compile(r"^(\S+)\s+(com|co|id|net|org|co\.id|news|info)$", re.IGNORECASE)
# "Jakarta Pusat- ", "Jakarta Pusat – ", "Jakarta Pusat, " at the start of a body.
DATELINE = re.compile(
    r"^(?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2}\s*[-\u2013\u2014]+|Jakarta(?:\s+[A-Z]\w*)?\s*,)\s*"
)
UNIT_HEADS = ("Polsek", "Polres", "Polda", "Polsubsektor", "Koramil", "Kodim")
UNIT_MENTION = re.compile(rf"\b(?:{'|'.join(UNIT_HEADS)})(?:\s+[A-Z0-9][\w/]*){{1,4}}")
# Capitalised words that follow a unit head without naming a unit: "Polsek Setempat".
NOT_A_PLACE = {"setempat", "jajaran", "terdekat", "tersebut", "wilayah"}
QUOTED = re.compile(r"[\u201c\"]([^\u201d\"\n]{3,120})[\u201d\"]")
PLACE_STOP = {"rt", "rw", "kelurahan", "kecamatan", "kel", "kec", "jakarta", "kota", "kabupaten"}
CITY = re.compile(r"\bJakarta\s+(?:Pusat|Utara|Selatan|Barat|Timur)\b")
TRAILING_PUNCTUATION = ",.;:)\u201d\"'\u2019"


class RawReleaseError(Exception):
    """A raw release that cannot be imported; `line` points at the cause."""

    def __init__(self, message: str, line: int = 1):
        self.line = line
        super().__init__(message)


@dataclass
class Found:
    """A unit, officer or activity type named in a text."""

    kind: str
    text: str  # as written; for officers the whole mention with post and degrees
    line: int
    entry: Entry | None  # None: the registry does not know it
    proposal: dict | None = None  # the registry entry to add when unknown

    @property
    def key(self) -> str:
        if self.entry:
            return self.entry.slug
        return normalize(self.proposal["name"] if self.proposal else self.text)


@dataclass
class Suggestion:
    """A registry entry the imported releases need."""

    kind: str
    entry: dict
    sources: list[str] = field(default_factory=list)  # "file:line" where it was named

    def yaml(self) -> str:
        return entry_yaml(self.entry)


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
        return f"{header}\n\n{body}\n"

    @property
    def body(self) -> str:
        return "\n".join(text for _, text in self.paragraphs)


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    added: bool = False  # the suggestions were added to the registry

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


# -- reading raw text ------------------------------------------------------------


def read_raw(path: Path) -> list[tuple[int, str]]:
    """The non-empty lines of a raw release with their numbers, debris removed."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RawReleaseError(f"cannot read the file: {error.strerror}") from None
    if not data.strip():
        raise RawReleaseError("empty file: paste the release's text into it")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise RawReleaseError("binary file, not text: import the release's text as .txt", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise RawReleaseError(
            f"not UTF-8 (byte 0x{byte:02X}): save the file as UTF-8 and import it again", line
        ) from None
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = " ".join(line.replace("\u00a0", " ").split())
        if line and not DEBRIS.match(line):
            lines.append((number, line))
    if not lines:
        raise RawReleaseError("no text left once web-page debris is removed")
    return lines


def split_outlet(lines: list[tuple[int, str]]):
    """(headline lines, outlets, body paragraphs) around the outlet line."""
    for index, (_, text) in enumerate(lines[:OUTLET_SEARCH_LINES]):
        match = OUTLET_LINE.match(text)
        if match and _looks_like_outlets(match["outlets"]):
            outlets = [_outlet_name(o) for o in re.split(r"[,;|]", match["outlets"]) if o.strip()]
            return lines[:index], outlets, lines[index + 1 :]
    return [], [], lines


def _looks_like_outlets(text: str) -> bool:
    """ "kabarmetro.co", "faktaberita online": domain-like or lowercase, a few words each."""
    parts = [p.strip() for p in re.split(r"[,;|]", text) if p.strip()]
    return len(text) <= 80 and all(
        len(part.split()) <= 3 and ("." in part or part == part.lower()) for part in parts
    )


def _outlet_name(text: str) -> str:
    return DOMAIN_WITH_SPACE.sub(r"\1.\2", text.strip())


# -- finding names in text ------------------------------------------------------------


def find_names(registry: Registry, paragraphs: list[tuple[int, str]]) -> dict[str, list[Found]]:
    """Units, officers and activity types a text names, in order of first mention."""
    found = {"units": [], "officers": [], "activities": []}
    officers = _find_officers(registry, paragraphs)
    found["officers"] = _first_of_each(officers, prefer=_mention_detail)
    normalized = [(line, normalize(text)) for line, text in paragraphs]
    units = _find_spellings(registry, "units", normalized, with_posts=True)
    units += _unknown_units(registry, paragraphs, officers)
    found["units"] = _first_of_each(units)
    activities = _find_spellings(registry, "activities", normalized)
    activities += _unknown_activities(registry, paragraphs)
    found["activities"] = _first_of_each(activities)
    return found


def _first_of_each(items: list[Found], prefer=None) -> list[Found]:
    """One Found per entry, in order of first mention (the most detailed mention wins)."""
    order: dict[str, Found] = {}
    for item in sorted(items, key=lambda f: f.line):
        kept = order.get(item.key)
        if kept is None:
            order[item.key] = item
        elif kept.proposal and item.proposal and "posts" in kept.proposal:
            posts = kept.proposal["posts"]  # "Kapolsek Gambir" named after "Polsek Gambir"
            posts += [p for p in item.proposal.get("posts", []) if p not in posts]
        elif prefer and prefer(item) > prefer(kept):
            order[item.key] = Found(item.kind, item.text, kept.line, item.entry, item.proposal)
    return list(order.values())


def _spelling_pattern(spellings) -> re.Pattern:
    ordered = sorted(spellings, key=len, reverse=True)
    return re.compile(r"(?<!\S)(" + "|".join(re.escape(s) for s in ordered) + r")(?!\S)")


def _find_spellings(registry, kind, normalized, with_posts=False) -> list[Found]:
    """Registry spellings in paragraphs already passed through `normalize`."""
    table = {normalize(s): e for e in registry.all(kind) for s in e.spellings}
    if with_posts:
        table.update({normalize(p): e for e in registry.all(kind) for p in e.posts})
    table.pop("", None)
    if not table:
        return []
    pattern = _spelling_pattern(table)
    found = []
    for line, text in normalized:
        for match in pattern.finditer(text):
            entry = table[match[1]]
            found.append(Found(kind, entry.name, line, entry))
    return found


def _unknown_units(registry, paragraphs, officers: list[Found]) -> list[Found]:
    found = []
    for line, text in paragraphs:
        for match in UNIT_MENTION.finditer(text):
            name = _unit_name(registry, match[0])
            if name and _resolves_as_prefix(registry, name) is None:
                proposal = {"name": name, "posts": []}
                found.append(Found("units", name, line, None, proposal))
    for officer in officers:  # "Kapolsek Gambir" implies Polsek Gambir
        post = registry.read_officer(officer.text).post
        name = registry.vocabulary.unit_named_by(post) if post else None
        if name and registry.unit_of_post(post) is None:
            entry = _resolves_as_prefix(registry, name)
            proposal = None if entry else {"name": name, "posts": [post]}
            found.append(Found("units", name, officer.line, entry, proposal))
    return found


def _unit_name(registry, text: str) -> str:
    words = []
    for word in text.split():
        core = word.strip(TRAILING_PUNCTUATION)
        if normalize(core) in NOT_A_PLACE or normalize(core) in registry.vocabulary.ranks:
            break
        words.append(core)
        if core != word:
            break
    return " ".join(words) if len(words) > 1 else ""


def _resolves_as_prefix(registry, name: str) -> Entry | None:
    """The unit the longest prefix of `name` names ("Koramil 08 Johar Baru) dipimpin")."""
    words = name.split()
    for size in range(len(words), 1, -1):
        entry = registry.lookup("units", " ".join(words[:size]))
        if entry:
            return entry
    return None


def _unknown_activities(registry, paragraphs) -> list[Found]:
    """Quoted names of two to four capitalised words: "Jumat Curhat"."""
    found = []
    for line, text in paragraphs:
        for match in QUOTED.finditer(text):
            name = match[1].strip(" .,")
            words = name.split()
            if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
                continue
            if any(_knows(registry, kind, name) for kind in KINDS):
                continue
            found.append(Found("activities", name, line, None, {"name": name}))
    return found


def _knows(registry, kind, name) -> bool:
    if kind == "officers":
        try:
            registry.resolve_officer(name)
        except UnknownName:
            return False
        return True
    return registry.lookup(kind, name) is not None


def _mention_detail(found: Found) -> int:
    return len(found.text)


def _post_heads(registry) -> set[str]:
    posts = [
        *registry.vocabulary.posts,
        *(normalize(p) for u in registry.all("units") for p in u.posts),
    ]
    return {p.split()[0] for p in posts if p}


def _find_officers(registry: Registry, paragraphs) -> list[Found]:
    """Every "[post] rank name[, degrees]" in the text, read by the registry."""
    heads = _post_heads(registry)
    # First words of the ranks: most words can be skipped without reading them.
    rank_heads = {rank.split()[0] for rank in registry.vocabulary.ranks}
    found = []
    for line, text in paragraphs:
        words = text.split()
        index = 0
        while index < len(words):
            if words[index].casefold() not in rank_heads:
                index += 1
                continue
            mention, end = _officer_at(registry, words, index, heads)
            if mention is None:
                index += 1
                continue
            try:
                entry, _ = registry.resolve_officer(mention)
                found.append(Found("officers", mention, line, entry))
            except UnknownName:
                found.append(
                    Found("officers", mention, line, None, _officer_proposal(registry, mention))
                )
            index = end
    return found


def _officer_at(registry, words, index, heads):
    """The officer mention whose rank starts at words[index], and where it ends."""
    if not words[index][:1].isupper() or words[index][-1] in TRAILING_PUNCTUATION:
        return None, index
    window = words[index : index + 6]
    rank, rest = registry.take_rank(window)
    if rank is None:
        return None, index
    position = index + len(window) - len(rest)
    rank_words = " ".join(words[index:position])
    if words[position - 1][-1] in TRAILING_PUNCTUATION:
        return None, index
    name, position = _name_at(registry, words, position, heads)
    if not name:
        return None, index
    degrees = []
    if words[position - 1].endswith(","):
        while position < len(words) and DEGREE_RE.match(words[position].rstrip(",")):
            degrees.append(words[position].rstrip(","))
            position += 1
            if not words[position - 1].endswith(","):
                break
    post = _post_before(words, index, heads)
    mention = " ".join(filter(None, (post, rank_words, " ".join(name))))
    if degrees:
        mention += ", " + ", ".join(degrees)
    return mention, position


def _name_at(registry, words, position, heads):
    name = []
    while position < len(words) and len(name) < 5:
        word = words[position]
        core = word.strip(TRAILING_PUNCTUATION + "\u201c(")
        if not core or not core[:1].isupper() or normalize(core) in heads:
            break
        if normalize(core) in registry.vocabulary.ranks:
            break
        name.append(core)
        position += 1
        if core != word.lstrip("\u201c("):
            break  # punctuation ends the name
    return name, position


def _post_before(words, index, heads) -> str:
    run = []
    position = index - 1
    while position >= 0 and len(run) < 6:
        word = words[position]
        if not word[:1].isupper() or word[-1] in TRAILING_PUNCTUATION:
            break
        run.insert(0, word)
        position -= 1
    for start in range(len(run)):
        if normalize(run[start]) in heads:
            return " ".join(run[start:])
    return ""


def _officer_proposal(registry, mention_text: str) -> dict:
    mention = registry.read_officer(mention_text)
    service = {"rank": mention.rank, "post": mention.post or ""}
    unit = mention.unit
    if unit is None and mention.post:
        named = registry.vocabulary.unit_named_by(mention.post)
        entry = _resolves_as_prefix(registry, named) if named else None
        unit = entry.slug if entry else (slugify(named, 12) if named else None)
    if unit:
        service["unit"] = unit
    proposal = {"name": mention.name}
    if mention.degrees:
        proposal["degrees"] = list(mention.degrees)
    if mention.rank and mention.post:
        proposal["service"] = [service]
    return proposal


# -- proposing metadata ------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """Split on ". " before a capital, not after abbreviations such as "Rw." or "S.H."."""
    parts, start = [], 0
    for match in re.finditer(r"[.!?]\s+(?=[A-Z\u201c\"])", text):
        before = text[start : match.start()].split()
        last = before[-1] if before else ""
        if len(last.strip('(\u201c"')) < 4 or "." in last:
            continue
        parts.append(text[start : match.start() + 1].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _without_date(text: str, date_text: str, dateline: bool = True) -> str:
    """The text without its dateline and date, sentence ends kept."""
    if date_text:
        pattern = r"(?:\b[Pp]ada\s+)?" + re.escape(date_text) + r"[\s,\u2013\u2014-]*"
        text = re.sub(pattern, "\0", text, count=1)
        text = re.sub(r"\.\s*\0\s*\.", ".", text)  # "Pilkada 2024. Kamis (28/11/2024)."
        text = re.sub(r"[\s,]*\0\s*\.", ".", text)  # "warga, Jumat (6/12/2024). Kegiatan"
        text = text.replace("\0", " ")
    if dateline:
        text = DATELINE.sub("", text, count=1)
    text = " ".join(text.split()).strip(" ,\u2013\u2014-")
    return text[:1].upper() + text[1:]


def lead_sentence(paragraphs: list[str], date_text: str) -> str:
    """The body's first sentence, without dateline and date ("" if there is none)."""
    for index, paragraph in enumerate(paragraphs):
        found = sentences(_without_date(paragraph, date_text, dateline=index == 0))
        if found and any(c.isalpha() for c in found[0]):
            return found[0]
    return ""


def propose_title(paragraphs: list[str], date_text: str) -> str:
    """A headline buried in the text ("Kegiatan “...”"), else a short first sentence."""
    for match in QUOTED.finditer(paragraphs[0]):
        if len(match[1].split()) >= 4:
            return match[1].strip(" .,")
    sentence = lead_sentence(paragraphs, date_text)
    # Asides in parentheses make long titles: "Pemilihan Kepala Daerah (Pilkada) Serentak".
    sentence = re.sub(r"\s*\([^)]*\)", "", sentence).rstrip(".").strip() or sentence
    clause = sentence.split(",")[0]
    words = (clause if len(clause.split()) >= 5 else sentence).split()[:TITLE_WORDS]
    while words and words[-1].lower() in SMALL_WORDS:
        words.pop()
    return " ".join(_title_case(w, first=i == 0) for i, w in enumerate(words)).strip(" ,")


def _title_case(word: str, first: bool) -> str:
    if not first and word.lower() in SMALL_WORDS:
        return word.lower()
    return word[:1].upper() + word[1:]


def propose_summary(paragraphs: list[str], date_text: str) -> str:
    sentence = lead_sentence(paragraphs, date_text)
    words = sentence.split()
    if len(words) > SUMMARY_WORDS:
        return " ".join(words[:SUMMARY_WORDS]).rstrip(",;:") + "\u2026"
    return sentence


def find_places(text: str) -> list[str]:
    """Venue, street, RT/RW, Kelurahan, Kecamatan and city, as the text names them."""
    places = []
    venue = re.search(r"\bbertempat\s+di\s+([^,.;\n]+)", text)
    if venue:
        places.append(venue[1].strip()[:1].upper() + venue[1].strip()[1:])
    street = _named_after(text, r"(?<![A-Za-z])(?:[Jj]alan|[Jj]ln?\.)\s+")
    if street:
        places.append(f"Jalan {street}")
    numbers = {}
    for match in re.finditer(r"(?<![A-Za-z])(RT|RW)\.?\s*(\d{1,3})(?!\d)", text, re.IGNORECASE):
        numbers.setdefault(match[1].upper(), match[2])
    neighbourhood = [f"{k} {numbers[k]}" for k in ("RT", "RW") if k in numbers]
    if neighbourhood:
        places.append("/".join(neighbourhood))
    for label, pattern in (
        ("Kelurahan", r"Kel(?:urahan|\.)\s*"),
        ("Kecamatan", r"Kec(?:amatan|\.)\s*"),
    ):
        name = _named_after(text, rf"(?<![a-z]){pattern}")
        if name:
            places.append(f"{label} {name}")
    city = CITY.search(text)
    if city:
        places.append(city[0])
    return places


def _named_after(text: str, keyword: str) -> str:
    """The capitalised words after `keyword`, up to punctuation or a place word."""
    match = re.search(keyword + r"(?=[A-Z0-9])", text)
    if not match:
        return ""
    words = []
    for word in text[match.end() :].split()[:4]:
        core = word.strip(TRAILING_PUNCTUATION)
        if not core[:1].isupper() and not core[:1].isdigit() or normalize(core) in PLACE_STOP:
            break
        words.append(core)
        if core != word:
            break
    return " ".join(words)


def read_draft(registry: Registry, path: Path, today: datetime.date | None = None) -> Draft:
    """Read one raw release into a Draft; RawReleaseError when it cannot be imported."""
    lines = read_raw(path)
    headline, outlets, paragraphs = split_outlet(lines)
    notes: list[Problem] = []
    if not paragraphs:
        raise RawReleaseError("no body after the outlet line", lines[-1][0])
    if not outlets:
        notes.append(
            Problem(
                path,
                lines[0][0],
                "warning",
                'no outlet line ("Jakarta,outlet.com,"): Sources is empty',
            )
        )
    found_date, date_line = _find_release_date(path, paragraphs, headline, today)
    notes += [Problem(path, date_line, "warning", note) for note in found_date.notes]
    when = datetime.datetime.combine(found_date.date, datetime.time())
    for line, text in paragraphs:
        try:
            found_time = find_time(text)
        except DateProblem as error:
            raise RawReleaseError(str(error), line) from None
        if found_time:
            when = datetime.datetime.combine(found_date.date, found_time.time)
            notes += [Problem(path, line, "warning", note) for note in found_time.notes]
            if found_time.weekday is not None and found_time.weekday != found_date.date.weekday():
                notes.append(_weekday_mismatch(path, line, found_time, found_date, when))
            break
    texts = [text for _, text in paragraphs]
    if not lead_sentence(texts, found_date.text):
        raise RawReleaseError(
            "the body has nothing but the date: paste the release's text", paragraphs[0][0]
        )
    first_line = paragraphs[0][0]
    if headline:
        title = headline[0][1]
        for line, text in headline[1:]:
            notes.append(
                Problem(path, line, "warning", f'left out (before the outlet line): "{text}"')
            )
    else:
        title = propose_title(texts, found_date.text)
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
        date=when,
        summary=propose_summary(texts, found_date.text),
        units=names["units"],
        officers=names["officers"],
        activities=names["activities"],
        places=find_places("\n".join(t for _, t in paragraphs)),
        sources=outlets,
        paragraphs=paragraphs,
        notes=notes,
    )


def _find_release_date(path, paragraphs, headline, today):
    lines = [*paragraphs, *headline]
    # A year-less date takes the year the whole release mentions most ("Pilkada 2024").
    mentioned = years_mentioned("\n".join(text for _, text in lines))
    for line, text in lines:
        try:
            found = find_date(text, context_year=mentioned[0] if mentioned else None, today=today)
        except DateProblem as error:
            raise RawReleaseError(f"{error} (nothing was guessed)", line) from None
        if found:
            return found, line
    raise RawReleaseError(
        'no date found: add the date to the first paragraph, e.g. "Jumat (8/11/2024)" '
        'or "8 November 2024"',
        paragraphs[0][0],
    )


def _weekday_mismatch(path, line, found_time, found_date, when) -> Problem:
    return Problem(
        path,
        line,
        "warning",
        f'"{found_time.text}" says {found_time.text.split()[0]} but '
        f"{format_date(found_date.date, 'long')} is a {weekday_name(found_date.date)}: "
        f"kept {format_date(when, 'long')} {when:%H.%M}, check the date",
    )


# -- the registry entries the imports need ----------------------------------------------


def entry_yaml(entry: dict) -> str:
    """One registry entry as the registry files write it."""
    lines = []
    for key, value in entry.items():
        if key == "service":
            lines.append("  service:")
            lines += [f"    - {_flow(item)}" for item in value]
        else:
            lines.append(f"  {key}: {_flow(value)}")
    lines[0] = "- " + lines[0][2:]
    return "\n".join(lines) + "\n"


def _flow(value) -> str:
    return (
        yaml.safe_dump(
            value, default_flow_style=True, allow_unicode=True, width=10_000, sort_keys=False
        )
        .strip()
        .removesuffix("...")
        .strip()
    )


def collect_suggestions(registry: Registry, drafts: list[Draft]) -> list[Suggestion]:
    """The entries the drafts need, one per name, with slugs free in the registry."""
    suggestions: dict[tuple[str, str], Suggestion] = {}
    taken = {kind: {e.slug for e in registry.all(kind)} for kind in KINDS}
    for draft in drafts:
        for kind in KINDS:
            for found in getattr(draft, kind):
                if found.entry or not found.proposal:
                    continue
                key = (kind, normalize(found.proposal["name"]))
                if key not in suggestions:
                    slug = _free_slug(slugify(found.proposal["name"], 12), taken[kind])
                    entry = {"slug": slug, **{k: v for k, v in found.proposal.items() if v}}
                    suggestions[key] = Suggestion(kind, entry)
                elif kind == "units":
                    posts = suggestions[key].entry.setdefault("posts", [])
                    posts += [p for p in found.proposal.get("posts", []) if p not in posts]
                suggestions[key].sources.append(f"{draft.source}:{found.line}")
    _point_service_at_units(registry, suggestions)
    return list(suggestions.values())


def _free_slug(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _point_service_at_units(registry, suggestions) -> None:
    """An officer's service unit must be a unit slug: known or added with it."""
    known = {e.slug for e in registry.all("units")}
    proposed = {s.entry["slug"] for s in suggestions.values() if s.kind == "units"}
    for suggestion in suggestions.values():
        for item in suggestion.entry.get("service", []):
            if item.get("unit") and item["unit"] not in known | proposed:
                del item["unit"]


def add_to_registry(content_dir: Path, suggestions: list[Suggestion]) -> None:
    """Append the suggested entries to the registry files, keeping every comment.

    The new files are checked with `Registry.load` in a scratch copy first, then
    each replaces its original by rename, so a failure leaves the registry as it was.
    """
    folder = Path(content_dir) / REGISTRY_DIR
    new_texts = {}
    for kind in KINDS.values():
        entries = [s.yaml() for s in suggestions if s.kind == kind.key]
        if entries:
            old = (folder / kind.file).read_text(encoding="utf-8")
            new_texts[kind.file] = old.rstrip("\n") + "\n\n" + "\n".join(entries)
    if not new_texts:
        return
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(folder, Path(scratch) / REGISTRY_DIR)
        for name, text in new_texts.items():
            (Path(scratch) / REGISTRY_DIR / name).write_text(text, encoding="utf-8")
        Registry.load(scratch)  # raises RegistryError: nothing written
    for name, text in new_texts.items():
        _replace(folder / name, text)


def _replace(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_new(path: Path, text: str) -> None:
    """Write `path` whole, or not at all; FileExistsError if it exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.link(temporary, path)  # fails, atomically, when the file exists
    finally:
        Path(temporary).unlink(missing_ok=True)


# -- the task ------------------------------------------------------------------------


def raw_files(source: Path) -> list[Path]:
    source = Path(source)
    if source.is_dir():
        return sorted(p for p in source.glob("*.txt") if p.is_file())
    return [source]


def existing_releases(content_dir: Path) -> dict[str, dict[str, Path]]:
    """Slugs and body fingerprints of the releases already in the content folder."""
    known = {"slugs": {}, "bodies": {}}
    for path in sorted((Path(content_dir) / RELEASES_DIR).rglob("*.md")):
        release = read_release(path)
        known["slugs"].setdefault(release.metadata.get("slug", ""), path)
        if release.body.strip():
            known["bodies"].setdefault(body_fingerprint(release.body), path)
    return known


def import_releases(
    source: str | Path,
    content_dir: str | Path = "content",
    dest: str | Path | None = None,
    add: bool = False,
    today: datetime.date | None = None,
) -> ImportReport:
    """Import a raw release or a folder of them; see docs/editors.md."""
    content_dir = Path(content_dir)
    report = ImportReport()
    files = raw_files(Path(source))
    if not files:
        report.problems.append(Problem(Path(source), 1, "error", "no raw releases (*.txt) here"))
        return report
    registry = Registry.load(content_dir)
    drafts = _read_all(registry, files, report, today)
    report.suggestions = collect_suggestions(registry, drafts)
    if add and report.suggestions:
        add_to_registry(content_dir, report.suggestions)
        report.added = True
        registry = Registry.load(content_dir)
        report.problems = [p for p in report.problems if p.level == "error"]
        drafts = _read_all(registry, [d.source for d in drafts], report, today)
    known = existing_releases(content_dir)
    for draft in drafts:
        target = _place(draft, content_dir, dest, known, report)
        if target is None:
            continue  # already imported: its notes would only repeat
        report.problems += draft.notes
        try:
            write_new(target, draft.markdown())
        except FileExistsError:
            report.problems.append(
                Problem(
                    draft.source,
                    1,
                    "error",
                    f"{target} already exists: not overwritten; move it or import with --dest",
                )
            )
            continue
        known["bodies"][body_fingerprint(draft.body)] = target
        known["slugs"][draft.slug] = target
        report.written.append(target)
    return report


def _read_all(registry, files, report, today) -> list[Draft]:
    drafts = []
    for path in files:
        try:
            drafts.append(read_draft(registry, path, today))
        except RawReleaseError as error:
            report.problems.append(Problem(path, error.line, "error", str(error)))
    return drafts


def _place(draft: Draft, content_dir, dest, known, report) -> Path | None:
    """Where the draft goes, with a slug no other release has; None if already imported."""
    twin = known["bodies"].get(body_fingerprint(draft.body))
    if twin:
        report.problems.append(
            Problem(
                draft.source,
                draft.paragraphs[0][0],
                "error",
                f"same text as {twin}: already imported, not written again",
            )
        )
        return None
    base = slugify(draft.title)
    slug, number = base, 2
    while slug in known["slugs"]:
        slug, number = f"{base}-{number}", number + 1
    draft.slug = slug
    folder = Path(dest) if dest else content_dir / RELEASES_DIR / f"{draft.date:%Y}"
    return folder / f"{draft.date:%Y-%m-%d}-{slug}.md"


def suggestions_text(report: ImportReport) -> str:
    """The suggested registry additions, for the end of the task's output."""
    if not report.suggestions:
        return ""
    verb = (
        "Added to the registry"
        if report.added
        else "Suggested registry additions (import again with --add-to-registry to add them)"
    )
    parts = [f"{verb}:"]
    for kind in KINDS.values():
        items = [s for s in report.suggestions if s.kind == kind.key]
        if items:
            parts.append(f"\n# {REGISTRY_DIR}/{kind.file}")
            for item in items:
                parts.append(f"# named in {', '.join(item.sources)}")
                parts.append(item.yaml().rstrip())
    return "\n".join(parts) + "\n"
