"""The registry of one content folder: its units, officers and activity types.

Editors keep the registry as YAML files in `<content>/registry/`. This module
loads and validates them against a schema (the `*Schema` models below, documented
in docs/content-format.md), and resolves the names written in releases
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
from typing import Annotated

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from arsip.kinds import KINDS, Kind  # noqa: F401  (Kind: part of the registry's API)

REGISTRY_DIR = "registry"
VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A slug is a folder name in the output: keep it well under the 255 bytes filesystems allow.
SLUG_MAX_LENGTH = 100
REGISTRY_MAX_BYTES = 8_000_000  # per file; 300 officers take 80 kB
# An academic degree as written after a name: "S.H.", "M.Si.", "S.I.K.", "Dr."
DEGREE_RE = re.compile(r"^(?:[A-Z][A-Za-z]{0,4}\.)+$")


def normalize(text: str) -> str:
    """Fold case, accents and punctuation so that spelling variants meet."""
    if not text.isascii():  # (ASCII text has no accents to fold)
        decomposed = unicodedata.normalize("NFKD", text)
        if decomposed != text:
            text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


_NOT_WORD = re.compile(r"[\W_]+")


class RegistryError(Exception):
    """The registry's files are malformed; `problems` are "path:line: error: message" lines."""

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


class Vocabulary:
    """Ranks, corps and unit-less posts: how officers' names are written."""

    def __init__(self, path: Path = VOCABULARY_FILE):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST_LOADER)
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
        """The registry of a content folder; RegistryError lists every problem of its files."""
        entries, problems = _load_entries(Path(content_dir) / REGISTRY_DIR)
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


# -- reading the registry files -------------------------------------------------------
#
# The files are read as YAML events, not as constructed data: anchors and aliases are
# refused before anything is expanded (an alias bomb costs its own size, no more), and
# every scalar keeps its text, its line and how YAML 1.1 would read it, so that
# `name: yes` is reported instead of becoming True. The schema (pydantic) then checks
# each entry; its errors are placed back on the lines they came from.

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
_PYTHON_LOADER = yaml.SafeLoader  # its error messages are the ones editors know
_RESOLVER = yaml.resolver.Resolver()
_MAX_DEPTH = 16  # an entry needs 4 levels; deeper nesting is a mistake, or an attack
_LINE_BREAKS = re.compile(r"[\n\r\x85\u2028\u2029]")
# Characters no page or feed may carry: C0/C1 controls (tab, newline and carriage
# return allowed where text may span lines), surrogates, U+FFFE and U+FFFF.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_READINGS = {  # how YAML 1.1 reads a plain scalar that is not text
    "bool": "true/false",
    "null": "no value (null)",
    "int": "a number",
    "float": "a number",
    "timestamp": "a date",
}


@dataclass(eq=False, slots=True)
class _Scalar:
    line: int
    text: str
    tag: str  # how YAML 1.1 reads it: "str", "bool", "null", "int", "float", "timestamp"...


@dataclass(eq=False, slots=True)
class _Seq:
    line: int
    items: list


@dataclass(eq=False, slots=True)
class _Map:
    line: int
    items: dict  # key text -> (line of the key, value node)
    pending: object  # while reading: _EXPECT_KEY, or the (key, line) waiting for its value


@dataclass(eq=False, slots=True)
class _Refused:
    """An alias or a tagged value: reported when read, then left out of the schema's messages."""

    line: int


_EXPECT_KEY = object()


class _YAMLSyntax(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _events(text: str, loader_class):
    """The YAML events of `text`; any failure of the parser becomes _YAMLSyntax."""
    loader = None
    try:
        loader = loader_class(text)  # the pure-Python reader checks every character here
        while loader.check_event():
            yield loader.get_event()
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, max(error.position, 0)) + 1
        code = error.character if isinstance(error.character, int) else 0
        raise _YAMLSyntax(line, f"character U+{code:04X} is not allowed: remove it") from None
    except yaml.MarkedYAMLError as error:
        mark, context = error.problem_mark, error.context_mark
        message = f"malformed YAML: {_shown(error.problem or 'unreadable', 200)}"
        if error.context and context and mark and context.line != mark.line:
            message += f" ({error.context} that starts on line {context.line + 1})"
        line = mark.line + 1 if mark else 1
        raise _YAMLSyntax(line, f"{message}: fix the quotes, brackets or indentation") from None
    except (yaml.YAMLError, ValueError, OverflowError) as error:  # e.g. "\U7FFFFFFF"
        mark = loader.get_mark() if hasattr(loader, "get_mark") else None  # Python parser only
        line = mark.line + 1 if mark else 1
        raise _YAMLSyntax(line, f"malformed YAML: {_shown(str(error))}: fix this value") from None
    finally:
        if loader is not None:
            loader.dispose()


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml") else tag


def _compose(text: str, loader_class) -> tuple[list, list[tuple[int, str]]]:
    """The documents of `text` as nodes, and the problems found while reading them."""
    documents: list = []
    starts: list[int] = []  # the line each document starts on
    problems: list[tuple[int, str]] = []
    stack: list = []  # the collections being read, innermost last
    tagged_stack: list[bool] = []  # whether each carries a tag: refused whole when it ends
    anchor_lines: set[int] = set()

    def refuse_anchor(line: int) -> None:
        if line not in anchor_lines:  # one problem per line: a bomb has dozens on one
            anchor_lines.add(line)
            problems.append(
                (
                    line,
                    "YAML anchors and aliases (&name, *name) are not allowed in the registry: "
                    "write each value out in full",
                )
            )

    def place(node) -> None:
        if not stack:
            documents.append(node)
            return
        parent = stack[-1]
        if isinstance(parent, _Seq):
            parent.items.append(node)
        elif parent.pending is _EXPECT_KEY:
            if isinstance(node, _Scalar):
                parent.pending = (node.text, node.line)
            else:
                if not isinstance(node, _Refused):
                    problems.append(
                        (node.line, "a key must be a word like `name:`, not a list or mapping")
                    )
                parent.pending = (None, node.line)
        else:
            (key, key_line), parent.pending = parent.pending, _EXPECT_KEY
            if key is None:
                return
            if key in parent.items:
                problems.append(
                    (
                        key_line,
                        f"`{_shown(key)}` appears twice here (first on line "
                        f"{parent.items[key][0]}): keep one",
                    )
                )
                return
            parent.items[key] = (key_line, node)

    for event in _events(text, loader_class):
        kind = type(event)
        line = event.start_mark.line + 1
        if kind is yaml.DocumentStartEvent:
            starts.append(line)
            continue
        if kind in (yaml.SequenceEndEvent, yaml.MappingEndEvent):
            node = stack.pop()
            place(_Refused(node.line) if tagged_stack.pop() else node)
            continue
        if kind is yaml.AliasEvent:
            refuse_anchor(line)
            place(_Refused(line))
            continue
        if kind not in (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent):
            continue  # stream and document ends
        if event.anchor is not None:
            refuse_anchor(line)
        tagged = event.tag not in (None, "!")
        if tagged:
            problems.append(
                (
                    line,
                    f"YAML tags ({_shown(_short_tag(event.tag))}) are not allowed in the registry: "
                    "remove it (put the value in quotes to keep it as text)",
                )
            )
        if kind is yaml.ScalarEvent:
            if tagged:
                place(_Refused(line))
                continue
            tag = "str"
            if event.tag is None and event.implicit[0]:  # plain: YAML 1.1 may read it as not text
                tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
                tag = tag.rpartition(":")[2]
            place(_Scalar(line, event.value, tag))
            continue
        if len(stack) >= _MAX_DEPTH:
            raise _YAMLSyntax(
                line,
                f"nested more than {_MAX_DEPTH} levels deep: an entry is a mapping of "
                "text, lists of text and service items",
            )
        tagged_stack.append(tagged)
        if kind is yaml.SequenceStartEvent:
            stack.append(_Seq(line, []))
        else:
            stack.append(_Map(line, {}, _EXPECT_KEY))
    if len(documents) > 1:
        problems.append(
            (
                starts[1] if len(starts) > 1 else documents[1].line,
                "a second YAML document (after a `---` line): keep one list per file",
            )
        )
    return documents, problems


def _read_file(path: Path, folder: Path) -> tuple[object, list[tuple[int, str]]]:
    """The root node of one registry file (None when there is none) and its problems."""
    if not path.exists() and not path.is_symlink():
        return None, [(1, "missing registry file: create it (a YAML list of entries)")]
    try:
        real = path.resolve(strict=True)
        if not real.is_relative_to(folder.resolve().parent):
            return None, [
                (1, f"symbolic link to {real}, outside the content folder: copy the file here")
            ]
        if not real.is_file():
            return None, [(1, "not a regular file: replace it with the YAML list of entries")]
        data = _read_at_most(real, REGISTRY_MAX_BYTES + 1)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symbolic link loop
        reason = getattr(error, "strerror", None) or str(error)
        return None, [(1, f"cannot read the file ({reason}): fix or replace it")]
    if len(data) > REGISTRY_MAX_BYTES:
        return None, [
            (
                1,
                f"file is over {REGISTRY_MAX_BYTES // 1_000_000} MB, the most a registry file "
                "may have: it is not a registry file, or something was pasted into it",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [(line, f"not UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8")]
    text = text.removeprefix("\ufeff")
    try:
        try:
            documents, problems = _compose(text, _FAST_LOADER)
        except _YAMLSyntax:  # read again: the pure-Python parser's messages
            documents, problems = _compose(text, _PYTHON_LOADER)
    except _YAMLSyntax as error:
        return None, [(error.line, error.message)]
    return (documents[0] if documents else None), problems


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's bytes, up to `limit`: read in pieces, so a small file takes little memory."""
    chunks, size = [], 0
    with path.open("rb") as stream:
        while size < limit and (chunk := stream.read(min(65536, limit - size))):
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _entry_nodes(kind: Kind, root, problems: list[tuple[int, str]]) -> list | None:
    """The entries of a file's root node, or None when the file has no list of them."""
    example = f"each starting with `- slug:`, as in {REGISTRY_DIR}/{kind.file}'s comments"
    if root is None or (isinstance(root, _Scalar) and root.tag == "null" and not root.text):
        problems.append((1, f"the file is empty: list the entries ({example}), or write `[]`"))
        return None
    if isinstance(root, _Refused):
        return None  # an alias or a tag, reported when read
    if not isinstance(root, _Seq):
        found = "a mapping (`key: value`)" if isinstance(root, _Map) else "a single value"
        problems.append((root.line, f"expected a list of entries ({example}), found {found}"))
        return None
    entries = []
    for item in root.items:
        if isinstance(item, _Map):
            entries.append(item)
        elif not isinstance(item, _Refused):
            problems.append(
                (item.line, "an entry must be a mapping (`slug: ...` and `name: ...` below `- `)")
            )
    return entries


def _shown(text: str, limit: int = 80) -> str:
    """User text fit for a one-line message: shortened, with line breaks and controls escaped."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m[0]):04x}", _LINE_BREAKS.sub(lambda m: repr(m[0])[1:-1], text)
    )


# -- the schema ---------------------------------------------------------------------


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("registry", "{message}", {"message": message})


def _one_line(value: str) -> str:
    value = _text(value)
    if _LINE_BREAKS.search(value):
        raise _fail("must fit on one line: join the lines")
    if "\t" in value:
        raise _fail("contains a tab: use a space")
    if not _LETTER_OR_DIGIT.search(value):  # else `normalize` leaves nothing to match
        raise _fail(f'is "{_shown(value)}", without letters or digits: write a name')
    return value


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise _fail("is empty: write a value or remove it")
    bad = _UNPRINTABLE.search(value)
    if bad:
        code = ord(bad[0])
        raise _fail(f"contains the character U+{code:04X}, which pages cannot show: remove it")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.fullmatch(value):
        raise _fail(
            f'is "{_shown(value)}", not a slug: use lowercase letters, digits and hyphens, '
            "like polsek-menteng"
        )
    if len(value) > SLUG_MAX_LENGTH:
        raise _fail(f"is {len(value)} characters long: keep it to {SLUG_MAX_LENGTH}")
    return value


def _date(value) -> datetime.date:
    if isinstance(value, _Scalar) and value.tag == "null" and not value.text:
        raise _fail("is empty: write a date like 2024-11-08, or remove the line")
    text = value.text if isinstance(value, _Scalar) and value.tag == "timestamp" else value
    if isinstance(text, str) and _DATE.fullmatch(text.strip()):
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise _fail(f"is {text.strip()}, not a real date: write it like 2024-11-08") from None
    raise _fail("must be a date like 2024-11-08")


Line = Annotated[str, AfterValidator(_one_line)]  # names, aliases, posts, ranks, degrees
Text = Annotated[str, AfterValidator(_text)]  # descriptions: may span lines
Slug = Annotated[str, AfterValidator(_slug)]
Date = Annotated[datetime.date, BeforeValidator(_date)]


class _Schema(BaseModel):
    # strict: no coercion of any kind (a number is not a name, a string is not a list)
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ServiceSchema(_Schema):
    """One item of an officer's `service`."""

    rank: Line
    post: Line
    unit: Slug | None = None
    start: Date | None = Field(None, alias="from")


class UnitSchema(_Schema):
    slug: Slug
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    posts: list[Line] = Field(default_factory=list)
    description: Text = ""


class OfficerSchema(_Schema):
    slug: Slug
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    degrees: list[Line] = Field(default_factory=list)
    service: list[ServiceSchema] = Field(default_factory=list)
    description: Text = ""


class ActivitySchema(_Schema):
    slug: Slug
    name: Line
    aliases: list[Line] = Field(default_factory=list)
    description: Text = ""


SCHEMAS: dict[str, type[_Schema]] = {
    "units": UnitSchema,
    "officers": OfficerSchema,
    "activities": ActivitySchema,
}
# What a list field looks like, for "must be a list" messages.
_LIST_EXAMPLES = {
    "aliases": "aliases: [Polsek Metro Menteng]",
    "posts": "posts: [Kapolsek Menteng, Wakapolsek Menteng]",
    "degrees": "degrees: [S.H., M.Si.]",
    "service": "service: [{rank: Kompol, post: Kapolsek Menteng, unit: polsek-menteng}]",
}
_SERVICE_EXAMPLE = "{rank: Kompol, post: Kapolsek Menteng, unit: polsek-menteng, from: 2024-11-08}"


def _keys(schema: type[_Schema]) -> list[str]:
    return [field.alias or name for name, field in schema.model_fields.items()]


def _data(node):
    """A node as the schema validates it: text as str, any other scalar kept as its node."""
    if isinstance(node, _Scalar):
        return node.text if node.tag == "str" else node
    if isinstance(node, _Seq):
        return [_data(item) for item in node.items]
    if isinstance(node, _Map):
        return {key: _data(value) for key, (_, value) in node.items.items()}
    return node


def _walk(node, loc) -> tuple[object, int]:
    """The node at `loc` (as far as it exists) and its line: a key's line for a mapping's value."""
    line = node.line
    for part in loc:
        if isinstance(node, _Map) and part in node.items:
            line, node = node.items[part]
        elif isinstance(node, _Seq) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
            line = node.line
        else:
            break
    return node, line


def _label(loc: tuple, kind: Kind) -> str:
    """Where in an entry: `name`, `aliases` item 2, `unit` of service item 1."""
    if not loc:
        return f"this {kind.singular}"
    if len(loc) == 1:
        return f"`{loc[0]}`"
    name = "service" if loc[0] == "service" else f"`{loc[0]}`"
    item = f"{name} item {loc[1] + 1}" if isinstance(loc[1], int) else f"`{loc[0]}`"
    return item if len(loc) == 2 else f"`{loc[2]}` of {item}"


def _schema_problems(error: ValidationError, kind: Kind, node: _Map) -> list[tuple[int, str]]:
    problems = []
    for item in error.errors(include_url=False):
        loc, value = item["loc"], item["input"]
        target, line = _walk(node, loc)
        if isinstance(target, _Refused) or isinstance(value, _Refused):
            continue  # an alias or a tag, reported when read
        problems.append((line, _schema_message(item["type"], loc, value, item["msg"], kind)))
    return problems


def _schema_message(error_type: str, loc: tuple, value, message: str, kind: Kind) -> str:
    if error_type == "missing":
        return f"{_label(loc[:-1], kind)} has no `{loc[-1]}`: add `{loc[-1]}: ...`"
    if error_type == "extra_forbidden":
        known = _keys(ServiceSchema if len(loc) > 1 else SCHEMAS[kind.key])
        close = difflib.get_close_matches(str(loc[-1]).lower(), known, n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        owner = "a service item" if len(loc) > 1 else f"an entry of {kind.file}"
        return f"unknown key `{_shown(str(loc[-1]))}`{hint}: {owner} has " + ", ".join(known)
    label = _label(loc, kind)
    if error_type == "registry":
        return f"{label} {message}"
    if isinstance(value, _Scalar) and value.tag == "null":
        empty = (
            f"is `{_shown(value.text)}`, which YAML reads as no value" if value.text else "is empty"
        )
        return f"{label} {empty}: write a value or remove it"
    if error_type == "list_type":
        return f"{label} must be a list, like `{_LIST_EXAMPLES.get(loc[-1], '[A, B]')}`"
    if error_type in ("model_type", "dict_type", "model_attributes_type"):
        return f"{label} must be a mapping, like `{_SERVICE_EXAMPLE}`"
    if error_type == "string_type":
        if isinstance(value, _Scalar):  # `name: yes`, `aliases: [2024]`
            shown = _shown(value.text)
            reading = _READINGS.get(value.tag, "special YAML syntax")
            if len(loc) == 1:
                written, quoted = f"`{loc[0]}: {shown}`", f'{loc[0]}: "{shown}"'
            else:
                written, quoted = f"{label} (`{shown}`)", f'"{shown}"'
            return f"{written} is read by YAML as {reading}, not as text: write `{quoted}`"
        if isinstance(value, list):
            return f"{label} must be one value, not a list: remove the brackets or the dashes"
        if isinstance(value, dict):
            return f"{label} must be text, not a mapping: quote the text if it holds `: `"
    return f"{label}: {message}"


# -- the whole registry ---------------------------------------------------------------


def _load_entries(folder: Path) -> tuple[dict[str, dict[str, Entry]], list[str]]:
    """Every entry of the registry in `folder`, and every problem of its files."""
    found: dict[str, tuple[Path, list | None, list[tuple[int, str]]]] = {}
    for kind in KINDS.values():
        path = folder / kind.file
        root, problems = _read_file(path, folder)
        nodes = None if root is None and problems else _entry_nodes(kind, root, problems)
        found[kind.key] = (path, nodes, problems)

    unit_nodes = found["units"][1]
    unit_slugs = None if unit_nodes is None else {_raw_slug(n) for n in unit_nodes} - {None}
    slugs: dict[str, tuple[Path, int]] = {}  # a slug names one entry in the whole registry
    entries: dict[str, dict[str, Entry]] = {}
    for kind in KINDS.values():
        path, nodes, problems = found[kind.key]
        entries[kind.key] = {}
        spellings: dict[str, tuple[str, int]] = {}  # normalized -> (slug, line)
        for node in nodes or ():
            slug = _raw_slug(node)
            schema = None
            try:
                schema = SCHEMAS[kind.key].model_validate(_data(node))
            except ValidationError as error:
                problems.extend(_schema_problems(error, kind, node))
            if slug is not None:
                taken = _claim_slug(slugs, slug, path, _walk(node, ("slug",))[1])
                if taken:
                    problems.append(taken)
                    continue
            if schema is None:
                continue
            problems += _check_spellings(kind, schema, node, spellings)
            if isinstance(schema, OfficerSchema):
                problems += _check_service(schema, node, unit_slugs)
            entries[kind.key][schema.slug] = _entry(kind, schema, f"{path}:{node.line}")
    lines = [
        f"{path}:{line}: error: {message}"
        for path, _, problems in found.values()
        for line, message in sorted(problems, key=lambda problem: problem[0])
    ]
    return entries, lines


def _claim_slug(slugs: dict, slug: str, path: Path, line: int) -> tuple[int, str] | None:
    """Record where `slug` is used, or the problem of its second use."""
    if slug not in slugs:
        slugs[slug] = (path, line)
        return None
    first_path, first_line = slugs[slug]
    where = f"line {first_line}"
    if first_path != path:
        where = f"{first_path.name}:{first_line} (a slug names one entry in the whole registry)"
    return line, f'slug "{slug}" is already used on {where}: give this entry another slug'


def _raw_slug(node: _Map) -> str | None:
    """The entry's slug if it is a valid one, whatever else is wrong with the entry."""
    value = node.items.get("slug", (0, None))[1]
    if isinstance(value, _Scalar) and value.tag == "str":
        try:
            return _slug(value.text)
        except PydanticCustomError:
            return None
    return None


def _check_spellings(kind: Kind, schema, node: _Map, spellings: dict) -> list[tuple[int, str]]:
    """A name, alias, post or slug resolves to one entry: two entries may not share it."""
    problems = []
    written = [(schema.name, ("name",)), (schema.slug, ("slug",))]
    written += [(alias, ("aliases", i)) for i, alias in enumerate(schema.aliases)]
    written += [(post, ("posts", i)) for i, post in enumerate(getattr(schema, "posts", ()))]
    for spelling, loc in written:
        line = _walk(node, loc)[1]
        owner = spellings.setdefault(normalize(spelling), (schema.slug, line))
        if owner[0] != schema.slug:
            problems.append(
                (
                    line,
                    f'"{_shown(spelling)}" already names {owner[0]} (line {owner[1]}): a name, '
                    f"alias, post or slug may belong to one {kind.singular} only; remove it "
                    "from one of them",
                )
            )
    return problems


def _check_service(schema: OfficerSchema, node: _Map, unit_slugs) -> list[tuple[int, str]]:
    """Service units are units of the registry; no two items start on the same day."""
    problems = []
    starts: dict[datetime.date, int] = {}
    for index, item in enumerate(schema.service):
        if item.unit and unit_slugs is not None and item.unit not in unit_slugs:
            close = difflib.get_close_matches(item.unit, sorted(unit_slugs), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            problems.append(
                (
                    _walk(node, ("service", index, "unit"))[1],
                    f'`unit` of service item {index + 1}: "{item.unit}" is not a unit slug in '
                    f"units.yaml{hint}: fix it or add the unit",
                )
            )
        if item.start is not None:
            if item.start in starts:
                problems.append(
                    (
                        _walk(node, ("service", index, "from"))[1],
                        f"service items {starts[item.start] + 1} and {index + 1} both start on "
                        f"{item.start}: keep one, or correct a `from`",
                    )
                )
            starts.setdefault(item.start, index)
    return problems


def _entry(kind: Kind, schema, location: str) -> Entry:
    service = (
        Service(item.rank, item.post, item.unit, item.start)
        for item in getattr(schema, "service", ())
    )
    return Entry(
        kind=kind.key,
        slug=schema.slug,
        name=schema.name,
        aliases=tuple(schema.aliases),
        description=schema.description,
        location=location,
        posts=tuple(getattr(schema, "posts", ())),
        degrees=tuple(getattr(schema, "degrees", ())),
        service=tuple(sorted(service, key=lambda s: s.start or datetime.date.min)),
    )
