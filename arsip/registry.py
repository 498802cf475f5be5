"""The registry of one content folder: its units, officers and activity types.

Editors keep the registry as YAML files in `<content>/registry/`. This module
loads and validates them, and resolves the names written in releases
("Kapolsek Metro Menteng", "Kompol Saiful Anwar, S.E., S.H., M.M.") to
registry entries. The build and the editors' tools share it.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

REGISTRY_DIR = "registry"
VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An academic degree as written after a name: "S.H.", "M.Si.", "S.I.K.", "Dr."
DEGREE_RE = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.)+$")


@dataclass(frozen=True)
class Kind:
    """One taxonomy: its registry file and its Indonesian names."""

    key: str  # metadata field
    file: str
    singular: str  # used in error messages: unknown officer "X"
    label: str  # Indonesian UI label, also the URL segment
    setting: str  # settings prefix, Pelican's URLWrapper pattern: UNIT_URL, UNIT_SAVE_AS

    def url_setting(self, suffix: str, settings=None) -> str:
        """A term URL pattern ("URL", "SAVE_AS", "FEED_ATOM"): from `settings`, else the default."""
        default = {
            "URL": f"{self.label}/{{slug}}/",
            "SAVE_AS": f"{self.label}/{{slug}}/index.html",
            "FEED_ATOM": f"{self.label}/{{slug}}/atom.xml",
        }[suffix]
        return (settings or {}).get(f"{self.setting}_{suffix}", default)


KINDS = {
    "units": Kind("units", "units.yaml", "unit", "satuan", "UNIT"),
    "officers": Kind("officers", "officers.yaml", "officer", "personel", "OFFICER"),
    "activities": Kind("activities", "activities.yaml", "activity type", "kegiatan", "ACTIVITY"),
}


def normalize(text: str) -> str:
    """Fold case, accents and punctuation so that spelling variants meet."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


class RegistryError(Exception):
    """A registry file is malformed; `problems` are "path:line: message"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class UnknownName(LookupError):
    """A release names something the registry does not know."""

    def __init__(self, kind: Kind, value: str, suggestion: str | None):
        self.kind, self.value, self.suggestion = kind, value, suggestion
        hint = f' (did you mean "{suggestion}"?)' if suggestion else ""
        super().__init__(
            f'unknown {kind.singular} "{value}"{hint}: '
            f"fix the name or add it to {REGISTRY_DIR}/{kind.file}"
        )


@dataclass(frozen=True)
class Service:
    """A rank and post an officer held from a date on (None: since always)."""

    rank: str
    post: str
    unit: str | None
    start: datetime.date | None


@dataclass(frozen=True)
class Entry:
    kind: str
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    location: str = ""  # "path:line" of the entry, for error messages
    posts: tuple[str, ...] = ()  # units: posts that imply this unit
    degrees: tuple[str, ...] = ()  # officers
    service: tuple[Service, ...] = ()  # officers, oldest first

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def service_at(self, when: datetime.date | datetime.datetime) -> Service | None:
        """The rank and post in force on `when` (an officer's)."""
        if isinstance(when, datetime.datetime):
            when = when.date()
        current = None
        for item in self.service:
            if item.start is None or item.start <= when:
                current = item
        return current or (self.service[0] if self.service else None)


@dataclass(frozen=True)
class OfficerMention:
    """An officer as written in a release, taken apart."""

    text: str
    name: str
    rank: str | None = None
    post: str | None = None
    unit: str | None = None  # slug of the unit the post implies
    degrees: tuple[str, ...] = ()


class _LineMarks:
    """Records the line of every mapping so errors can point at an entry."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


# PyYAML's C parser (libyaml), when PyYAML was built with it, reads a large
# registry many times faster; its nodes carry the same line marks.
_FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_LineMarks, yaml.SafeLoader):
    pass


class _FastLineLoader(_LineMarks, _FastSafeLoader):
    pass


def _load_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RegistryError([f"{path}:1: not UTF-8 ({error.reason}): save it as UTF-8"]) from None
    try:
        return yaml.load(text, Loader=_FastLineLoader)
    except yaml.YAMLError:
        pass  # read again below: the pure-Python parser's messages are the ones editors know
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise RegistryError([f"{path}:{line}: malformed YAML: {problem}"]) from None


def _strings(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    return tuple(str(v).strip() for v in value if str(v).strip())


class Vocabulary:
    """Ranks, corps and unit-less posts: how officers' names are written."""

    def __init__(self, path: Path = VOCABULARY_FILE):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FastSafeLoader)
        self.ranks = {}
        for rank in data["ranks"]:
            for spelling in (rank["name"], *rank.get("aliases", ())):
                self.ranks[normalize(spelling)] = rank["name"]
        self.corps = {normalize(c): c for c in data["corps"]}
        self.posts = {normalize(p): p for p in data["posts"]}
        self.post_units = {normalize(p): u for p, u in data.get("post_units", {}).items()}

    def unit_named_by(self, post: str) -> str | None:
        """The unit a post names, by its first word: "Kapolsek Gambir" -> "Polsek Gambir"."""
        head, _, place = post.partition(" ")
        kind = self.post_units.get(normalize(head))
        return f"{kind} {place.strip()}" if kind and place.strip() else None


class Registry:
    """All entries of one content folder, indexed by slug and by spelling."""

    def __init__(self, entries: dict[str, dict[str, Entry]], vocabulary: Vocabulary):
        self.entries = entries
        self.vocabulary = vocabulary

    @classmethod
    def load(cls, content_dir: str | Path) -> Registry:
        folder = Path(content_dir) / REGISTRY_DIR
        problems: list[str] = []
        entries: dict[str, dict[str, Entry]] = {}
        for kind in KINDS.values():
            path = folder / kind.file
            if not path.is_file():
                problems.append(f"{path}:1: missing registry file: create it (a YAML list)")
                continue
            try:
                data = _load_yaml(path) or []
            except RegistryError as error:
                problems.extend(error.problems)
                continue
            entries[kind.key] = _parse_entries(kind, path, data, problems)
        if not problems:
            _check_units_of_service(entries, problems)
        if problems:
            raise RegistryError(problems)
        return cls(entries, Vocabulary())

    # -- lookups ---------------------------------------------------------

    def get(self, kind: str, slug: str) -> Entry:
        return self.entries[kind][slug]

    def all(self, kind: str) -> list[Entry]:
        return list(self.entries[kind].values())

    @cached_property
    def _spellings(self) -> dict[str, dict[str, Entry]]:
        index = {}
        for kind, entries in self.entries.items():
            index[kind] = {normalize(s): e for e in entries.values() for s in e.spellings}
            index[kind].update({normalize(e.slug): e for e in entries.values()})
        return index

    @cached_property
    def _unit_posts(self) -> dict[str, tuple[str, Entry]]:
        return {normalize(p): (p, u) for u in self.all("units") for p in u.posts}

    def suggest(self, kind: str, text: str) -> str | None:
        """The display name closest to `text`, for "did you mean"."""
        spellings = self._spellings[kind]
        close = difflib.get_close_matches(normalize(text), spellings, n=1, cutoff=0.6)
        return spellings[close[0]].name if close else None

    def lookup(self, kind: str, text: str) -> Entry | None:
        """The entry `text` spells exactly (up to case and punctuation), or None."""
        return self._spellings[kind].get(normalize(text))

    def resolve(self, kind: str, text: str) -> Entry:
        """The entry `text` names, or UnknownName with a suggestion."""
        if kind == "officers":
            return self.resolve_officer(text)[0]
        entry = self._spellings[kind].get(normalize(text))
        if entry is None:
            raise UnknownName(KINDS[kind], text, self.suggest(kind, text))
        return entry

    def resolve_officer(self, text: str) -> tuple[Entry, OfficerMention]:
        mention = self.read_officer(text)
        spellings = self._spellings["officers"]
        entry = spellings.get(normalize(mention.name)) or spellings.get(normalize(text))
        if entry is None:
            suggestion = self.suggest("officers", mention.name)
            raise UnknownName(KINDS["officers"], text, suggestion)
        return entry, mention

    def unit_of_post(self, post: str) -> Entry | None:
        found = self._unit_posts.get(normalize(post))
        return found[1] if found else None

    # -- reading officers' names -------------------------------------------

    def read_officer(self, text: str) -> OfficerMention:
        """Split "Kapolsek X Kompol Nama, S.H., M.H." into its parts."""
        parts = [p.strip() for p in text.split(",")]
        degrees: list[str] = []
        while len(parts) > 1 and DEGREE_RE.match(parts[-1].replace(" ", "")):
            degrees.insert(0, parts.pop().replace(" ", ""))
        words = ", ".join(parts).split()
        while len(words) > 1 and DEGREE_RE.match(words[-1].rstrip(",")):
            degrees.insert(0, words.pop().rstrip(","))
        post, unit, words = self._take_post(words)
        rank, words = self.take_rank(words)
        if post is None:  # "Kompol Nama" may follow or precede the post
            post, unit, words = self._take_post(words)
        if rank is None:  # a post the registry does not know: "Kapolsek Gambir AKP Nama"
            post, unit, rank, words = self._split_at_rank(post, unit, words)
        return OfficerMention(
            text=text,
            name=" ".join(words).strip(" ,"),
            rank=rank,
            post=post,
            unit=unit.slug if unit else None,
            degrees=tuple(degrees),
        )

    def _take_post(self, words: list[str]):
        for size in range(len(words) - 1, 0, -1):
            key = normalize(" ".join(words[:size]))
            if key in self._unit_posts:
                post, unit = self._unit_posts[key]
                return post, unit, words[size:]
            if key in self.vocabulary.posts:
                return self.vocabulary.posts[key], None, words[size:]
        return None, None, words

    def _split_at_rank(self, post, unit, words: list[str]):
        for start in range(1, len(words) - 1):
            rank, rest = self.take_rank(words[start:])
            if rank:
                post = " ".join(filter(None, (post, *words[:start])))
                unit = self.unit_of_post(post) or unit
                return post, unit, rank, rest
        return post, unit, None, words

    def take_rank(self, words: list[str]):
        """The rank `words` start with ("Kombes Pol", "Mayor Inf") and the words after it."""
        for size in range(min(4, len(words) - 1), 0, -1):
            key = normalize(" ".join(words[:size]))
            if key in self.vocabulary.ranks:
                rank, rest = self.vocabulary.ranks[key], words[size:]
                if rest and normalize(rest[0]) in self.vocabulary.corps:
                    rank = f"{rank} {self.vocabulary.corps[normalize(rest[0])]}"
                    rest = rest[1:]
                return rank, rest
        return None, words


def _parse_entries(kind: Kind, path: Path, data, problems: list[str]) -> dict[str, Entry]:
    if not isinstance(data, list):
        problems.append(f"{path}:1: expected a YAML list of entries (lines starting with '- ')")
        return {}
    entries: dict[str, Entry] = {}
    seen_spellings: dict[str, str] = {}
    for item in data:
        if not isinstance(item, dict):
            problems.append(f"{path}:1: every entry must be a mapping with slug and name")
            continue
        line = item.pop("__line__", 1)
        where = f"{path}:{line}"
        slug, name = str(item.get("slug") or ""), str(item.get("name") or "").strip()
        if not SLUG_RE.match(slug):
            problems.append(f'{where}: slug "{slug}" must be lowercase letters, digits and hyphens')
            continue
        if not name:
            problems.append(f"{where}: {kind.singular} {slug} has no name: add `name:`")
            continue
        if slug in entries:
            problems.append(f'{where}: duplicate slug "{slug}" (first at {entries[slug].location})')
            continue
        entry = Entry(
            kind=kind.key,
            slug=slug,
            name=name,
            aliases=_strings(item.get("aliases")),
            description=str(item.get("description") or "").strip(),
            location=where,
            posts=_strings(item.get("posts")),
            degrees=_strings(item.get("degrees")),
            service=_parse_service(item.get("service"), where, problems),
        )
        for spelling in (*entry.spellings, *entry.posts):
            key = normalize(spelling)
            owner = seen_spellings.setdefault(key, slug)
            if owner != slug:
                problems.append(
                    f'{where}: "{spelling}" already names {owner}: keep it on one entry'
                )
        entries[slug] = entry
    return entries


def _parse_service(items, where: str, problems: list[str]) -> tuple[Service, ...]:
    service = []
    for item in items or ():
        item.pop("__line__", None)
        start = item.get("from")
        if start is not None and not isinstance(start, datetime.date):
            problems.append(f"{where}: service `from: {start}` must be a date like 2024-11-08")
            continue
        if not item.get("rank") or not item.get("post"):
            problems.append(f"{where}: every service item needs `rank:` and `post:`")
            continue
        service.append(Service(str(item["rank"]), str(item["post"]), item.get("unit"), start))
    return tuple(sorted(service, key=lambda s: s.start or datetime.date.min))


def _check_units_of_service(entries: dict[str, dict[str, Entry]], problems: list[str]) -> None:
    for officer in entries["officers"].values():
        for item in officer.service:
            if item.unit and item.unit not in entries["units"]:
                problems.append(
                    f'{officer.location}: service unit "{item.unit}" is not a unit slug in units.yaml'
                )
