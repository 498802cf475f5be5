"""Resolve each release's units, officers and activity types against the registry.

Adds to the build: `article.units`, `article.activities` (lists of term
objects with `url`/`save_as`), `article.officers` (list of OfficerRole: the
person, with the rank and post in force on the release's date), and
`article.places`/`article.sources` as lists. The registry of the content
folder is in the context as `registry`.

Names the registry does not know never get here: plugins/release_checks.py
stops the build on them first, with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.urlwrappers import URLWrapper

from arsip import settings as archive_settings
from arsip.content import LIST_FIELDS, metadata_list, read_release
from arsip.kinds import TAXONOMY_FIELDS
from arsip.problems import ContentError, Problem, report
from arsip.registry import KINDS, Entry, Registry, RegistryError, UnknownName
from engine.preview import SESSION_SETTING

# Set on a release resolved without problems: the _Terms it was resolved against.
RESOLVED_BY = "_resolved_by"


class Term(URLWrapper):
    """A registry entry as a page of the site."""

    def __init__(self, entry: Entry, settings):
        super().__init__(entry.name, settings)
        self.entry = entry
        self.slug = entry.slug

    @property
    def feed_url(self):
        # As URLWrapper's own url and save_as read UNIT_URL, ...: by the class's name.
        return self.settings[f"{type(self).__name__.upper()}_FEED_ATOM"].format(**self.as_dict())

    @property
    def term(self) -> Term:
        """What a release's list item links to: the term itself (see OfficerRole.term)."""
        return self


def _term_class(kind) -> type[Term]:
    # Pelican's URLWrapper finds UNIT_URL, OFFICER_SAVE_AS, ... by the class's name.
    return type(kind.setting.capitalize(), (Term,), {"kind": kind, "__module__": __name__})


TERM_CLASSES = {key: _term_class(kind) for key, kind in KINDS.items()}


@dataclass(frozen=True)
class OfficerRole:
    """An officer as a release names them, with rank and post on that date."""

    officer: Term
    rank: str
    post: str
    unit: Term | None
    as_written: str

    @property
    def term(self) -> Term:
        return self.officer

    @property
    def title(self) -> str:
        return " ".join(p for p in (self.rank, self.officer.name) if p)


class _Terms:
    """One Term object per registry entry, shared by every release."""

    def __init__(self, registry: Registry, settings):
        self.registry = registry
        self.settings = settings
        self._made: dict[tuple[str, str], Term] = {}
        # The same spellings recur across thousands of releases: read each once.
        self._read: dict[tuple[str, str], object] = {}

    def resolve(self, kind: str, text: str):
        """registry.resolve (resolve_officer for officers), once per spelling."""
        key = (kind, text)
        if key not in self._read:
            if kind == "officers":
                self._read[key] = self.registry.resolve_officer(text)
            else:
                self._read[key] = self.registry.resolve(kind, text)
        return self._read[key]

    def __call__(self, kind: str, entry: Entry) -> Term:
        key = (kind, entry.slug)
        if key not in self._made:
            self._made[key] = TERM_CLASSES[kind](entry, self.settings)
        return self._made[key]


def resolve_releases(generator):
    session = generator.settings.get(SESSION_SETTING)
    try:
        if session is None:
            terms = _load_terms(generator.settings)
        else:  # a preview session holds the registry fixed (engine/preview.py)
            terms = session.constant("registry", lambda: _load_terms(generator.settings))
    except RegistryError as error:  # plugins/release_checks.py has reported it
        raise ContentError(error.problems) from None
    registry = terms.registry
    problems: list[str] = []
    for article in (*generator.articles, *generator.drafts):
        # A release a preview session reuses was resolved against the same terms.
        if getattr(article, RESOLVED_BY, None) is terms:
            continue
        found = _resolve(article, terms)
        if not found:
            setattr(article, RESOLVED_BY, terms)
        problems.extend(found)
    if problems:  # only if the registry changed since the check, in a preview session
        report(problems)
        raise ContentError(problems)
    generator.context["registry"] = registry
    generator.context["terms"] = terms


def _load_terms(settings) -> _Terms:
    return _Terms(Registry.load(settings["PATH"]), settings)


def _resolve(article, terms: _Terms) -> list[str]:
    problems = []
    lines = None  # the header's line numbers, read from the file only to report a problem
    when = article.date
    for field in TAXONOMY_FIELDS:
        resolved = []
        for value in metadata_list(article.metadata.get(field)):
            try:
                if field == "officers":
                    resolved.append(_officer_role(terms, value, when))
                else:
                    resolved.append(terms(field, terms.resolve(field, value)))
            except UnknownName as error:
                if lines is None:
                    lines = read_release(article.source_path).lines
                problems.append(
                    Problem(Path(article.source_path), lines.get(field, 1), "error", str(error))
                )
        setattr(article, field, _unique(resolved))
    for field in LIST_FIELDS:
        setattr(article, field, metadata_list(article.metadata.get(field)))
    return problems


def _officer_role(terms: _Terms, value: str, when) -> OfficerRole:
    entry, mention = terms.resolve("officers", value)
    service = entry.service_at(when)
    unit_slug = service.unit if service else mention.unit
    unit = terms("units", terms.registry.get("units", unit_slug)) if unit_slug else None
    return OfficerRole(
        officer=terms("officers", entry),
        rank=service.rank if service else (mention.rank or ""),
        post=service.post if service else (mention.post or ""),
        unit=unit,
        as_written=value,
    )


def _unique(items: list) -> list:
    seen, unique = set(), []
    for item in items:
        if item.term not in seen:
            seen.add(item.term)
            unique.append(item)
    return unique


def register():
    archive_settings.connect()  # the term pages' URL settings
    signals.article_generator_pretaxonomy.connect(resolve_releases)
