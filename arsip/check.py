"""Check a content folder without building it: `invoke check`.

Finds what would break the build or embarrass the archive before anything is
published: missing or empty required fields, dates that cannot be read, names
the registry does not know (with "did you mean"), duplicate slugs, a release
imported twice, empty bodies, broken internal links, and (as warnings) officers
or units the text names but the metadata leaves out.

Every finding is an `arsip.content.Problem`: `file:line: level: message`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path
from posixpath import normpath
from urllib.parse import urljoin, urlsplit

from pelican.settings import read_settings

from arsip.content import (
    FIELD_ORDER,
    PELICAN_FIELDS,
    REQUIRED_FIELDS,
    STATUSES,
    Problem,
    Release,
    body_fingerprint,
    metadata_list,
    parse_release,
)
from arsip.dates import DateProblem, find_date, parse_metadata_date
from arsip.importer import RELEASES_DIR, find_names
from arsip.registry import (
    DEGREE_RE,
    KINDS,
    REGISTRY_DIR,
    SLUG_RE,
    Registry,
    RegistryError,
    UnknownName,
)

PAGES_DIR = "pages"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "pelicanconf.py"
KNOWN_FIELDS = (*FIELD_ORDER, *PELICAN_FIELDS)
# Pelican's link syntax for another source file: [teks]({filename}/rilis/2024/x.md)
FILE_LINK = re.compile(r"^\{(?:filename|static|attach)\}(?P<path>.*)$")
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
HTML_LINK = re.compile(r"\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']+)[\"']", re.IGNORECASE)
MARKUP = re.compile(r"(?<=\])\([^)]*\)|<[^>]+>")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Output that exists without a source file of its own: theme assets, the search index.
# Written by post-build plugins (assets, search, feeds, open data, statistics, search page).
GENERATED_PREFIXES = ("/theme/", "/pagefind/", "/feeds/", "/data/", "/statistik/", "/cari/")


def check_content(content_dir: str | Path = "content", settings_file: Path = SETTINGS_FILE):
    """Every problem in a content folder, sorted by file and line."""
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    try:
        registry = Registry.load(content_dir)
    except RegistryError as error:
        problems += [_registry_problem(text) for text in error.problems]
        registry = None
    releases = _read_all(content_dir / RELEASES_DIR, problems)
    pages = _read_all(content_dir / PAGES_DIR, problems)
    for release in releases:
        problems += check_release(release, registry)
    problems += _duplicates(releases)
    settings = read_settings(str(settings_file))
    urls = site_urls(releases, pages, registry, settings)
    for document in (*releases, *pages):
        problems += check_links(document, content_dir, urls, _own_url(document, settings))
    for page in pages:
        if not page.metadata.get("title"):
            problems.append(
                Problem(page.path, 1, "error", "missing `Title:`: add it to the header")
            )
    return sorted(problems, key=lambda p: (str(p.path), p.line, p.message))


def _registry_problem(text: str) -> Problem:
    match = re.match(r"^(?P<path>.+?):(?P<line>\d+): error: (?P<message>.*)$", text, re.DOTALL)
    if not match:
        return Problem(Path(REGISTRY_DIR), 1, "error", text)
    return Problem(Path(match["path"]), int(match["line"]), "error", match["message"])


def _read_all(folder: Path, problems: list[Problem]) -> list[Release]:
    documents = []
    for path in sorted(folder.rglob("*.md")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problems.append(Problem(path, line, "error", "not UTF-8: save the file as UTF-8"))
            continue
        documents.append(parse_release(path, text))
    return documents


class _Findings:
    """The problems of one release, placed at a field's line or at a given line."""

    def __init__(self, release: Release):
        self.release = release
        self.problems: list[Problem] = []

    def at_field(self, field_name: str, level: str, message: str) -> None:
        self.at(self.release.lines.get(field_name, 1), level, message)

    def at(self, line: int, level: str, message: str) -> None:
        self.problems.append(Problem(self.release.path, line, level, message))


def check_release(release: Release, registry: Registry | None) -> list[Problem]:
    findings = _Findings(release)
    for name, written in release.names.items():
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, KNOWN_FIELDS, n=1)
            hint = f" (did you mean `{close[0].capitalize()}:`?)" if close else ""
            findings.at_field(name, "warning", f"unknown field `{written}:`{hint}: it is ignored")
    for name in REQUIRED_FIELDS:
        if name not in release.metadata:
            findings.at_field(
                name, "error", f"missing `{name.capitalize()}:`: add it to the header"
            )
        elif not release.metadata[name].strip():
            findings.at_field(name, "error", f"`{name.capitalize()}:` is empty: fill it in")
    _check_values(release, findings)
    if registry is not None:
        _check_names(release, registry, findings)
    if not release.body.strip():
        findings.at(
            release.body_line, "error", "empty body: add the release's text below the header"
        )
    return findings.problems


def _check_values(release: Release, findings: _Findings) -> None:
    metadata = release.metadata
    if metadata.get("date"):
        try:
            when = parse_metadata_date(metadata["date"])
        except DateProblem as error:
            findings.at_field("date", "error", str(error))
        else:
            _check_date_in_text(release, when.date(), findings)
    status = metadata.get("status", "").strip().lower()
    if status and status not in STATUSES:
        findings.at_field(
            "status",
            "error",
            f'status "{metadata["status"]}" must be one of: {", ".join(STATUSES)}',
        )
    slug = metadata.get("slug", "").strip()
    if slug and not SLUG_RE.match(slug):
        findings.at_field(
            "slug", "error", f'slug "{slug}" must be lowercase letters, digits and hyphens'
        )


def _check_date_in_text(release: Release, when: datetime.date, findings: _Findings) -> None:
    """The date the text gives first should be the `Date:` field's (same parser as import)."""
    for line, text in _paragraphs(release):
        try:
            found = find_date(text, context_year=when.year)
        except DateProblem as error:
            findings.at(line, "warning", f"{error} (in the text)")
            return
        if found:
            if found.date != when:
                findings.at(
                    line,
                    "warning",
                    f'the text says "{found.text}" but `Date:` is {when:%Y-%m-%d}: '
                    "check which is right",
                )
            return


def _check_names(release: Release, registry: Registry, findings: _Findings) -> None:
    named: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for kind in KINDS:
        value = release.metadata.get(kind, "")
        if kind == "officers" and "," in value and ";" not in value:
            pieces = metadata_list(value)
            if any(DEGREE_RE.match(p.replace(" ", "")) for p in pieces):
                findings.at_field(
                    kind,
                    "error",
                    "separate officers with ';': with commas only, degrees are read as officers",
                )
                continue
        for item in metadata_list(value):
            try:
                named[kind].add(registry.resolve(kind, item).slug)
            except UnknownName as error:
                findings.at_field(kind, "error", str(error))
    found = find_names(registry, _paragraphs(release))
    for kind in ("units", "officers"):
        for item in found[kind]:
            field_name = kind.capitalize()
            if item.entry and item.entry.slug not in named[kind]:
                message = (
                    f'{KINDS[kind].singular} "{item.text}" is named in the text '
                    f"but not in `{field_name}:`"
                )
            elif item.entry is None and kind == "officers":
                message = (
                    f'officer "{item.text}" is named in the text but not in the registry: '
                    f"add them to {REGISTRY_DIR}/{KINDS[kind].file} and to `{field_name}:`"
                )
            else:
                continue
            findings.at(item.line, "warning", message)


def _paragraphs(release: Release) -> list[tuple[int, str]]:
    """Body paragraphs (consecutive non-blank lines) with their first line's number.

    Link targets and HTML tags are left out: "/satuan/polsek-menteng/" names no one.
    """
    paragraphs, current, start = [], [], 0
    for number, line in release.body_lines():
        line = MARKUP.sub(" ", line)
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            paragraphs.append((start, " ".join(current)))
            current = []
    if current:
        paragraphs.append((start, " ".join(current)))
    return paragraphs


def _duplicates(releases: list[Release]) -> list[Problem]:
    problems = []
    slugs: dict[str, Release] = {}
    bodies: dict[str, Release] = {}
    for release in releases:
        slug = release.metadata.get("slug", "").strip()
        first = slugs.setdefault(slug, release) if slug else release
        if first is not release:
            problems.append(
                Problem(
                    release.path,
                    release.lines["slug"],
                    "error",
                    f'slug "{slug}" is also used by {first.path}:{first.lines["slug"]}: '
                    "give one of them another slug",
                )
            )
        if release.body.strip():
            first = bodies.setdefault(body_fingerprint(release.body), release)
            if first is not release:
                problems.append(
                    Problem(
                        release.path,
                        release.body_line,
                        "error",
                        f"same text as {first.path}: the release was imported twice; "
                        "delete one of them",
                    )
                )
    return problems


# -- links ---------------------------------------------------------------------------


def site_urls(releases, pages, registry, settings) -> set[str]:
    """The paths of the pages a build would write, as "/rilis/2024/11/slug/"."""
    urls = {"/", "/" + settings["ARCHIVES_URL"]}
    for release in releases:
        url = _own_url(release, settings)
        if url:
            urls.add(url)
        when = _date(release)
        if when and release.metadata.get("status", "draft") == "published":
            urls.add("/" + settings["YEAR_ARCHIVE_URL"].format(date=when))
            urls.add("/" + settings["MONTH_ARCHIVE_URL"].format(date=when))
    for page in pages:
        url = _own_url(page, settings)
        if url:
            urls.add(url)
    if registry is not None:
        for kind in KINDS.values():
            pattern = kind.url_setting("URL", settings)
            urls.add(f"/{kind.label}/")
            feed = kind.url_setting("FEED_ATOM", settings)
            for entry in registry.all(kind.key):
                urls.update(
                    {"/" + pattern.format(slug=entry.slug), "/" + feed.format(slug=entry.slug)}
                )
    return urls


def _date(release: Release) -> datetime.datetime | None:
    try:
        return parse_metadata_date(release.metadata.get("date", ""))
    except DateProblem:
        return None


def _own_url(document: Release, settings) -> str | None:
    metadata = document.metadata
    slug = metadata.get("slug", "").strip()
    if metadata.get("url"):
        return "/" + metadata["url"].lstrip("/")
    if RELEASES_DIR in document.path.parts:
        when = _date(document)
        if metadata.get("status", "draft").lower() == "draft":
            return "/" + settings["DRAFT_URL"].format(slug=slug)
        return "/" + settings["ARTICLE_URL"].format(slug=slug, date=when) if when and slug else None
    return "/" + settings["PAGE_URL"].format(slug=slug) if slug else None


def check_links(document: Release, content_dir: Path, urls: set[str], own_url) -> list[Problem]:
    problems = []
    in_code = False
    for number, line in document.body_lines():
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code or line.startswith(("    ", "\t")):
            continue
        text = re.sub(r"`[^`]*`", "", line)
        targets = [m["target"] for m in MARKDOWN_LINK.finditer(text)]
        targets += [m["target"] for m in HTML_LINK.finditer(text)]
        reference = REFERENCE_LINK.match(text)
        if reference:
            targets.append(reference["target"])
        for target in targets:
            reason = _broken(target, document.path, content_dir, urls, own_url)
            if reason:
                problems.append(
                    Problem(document.path, number, "error", f'broken link "{target}": {reason}')
                )
    return problems


def _broken(target: str, source: Path, content_dir: Path, urls: set[str], own_url) -> str | None:
    if SCHEME.match(target) or target.startswith(("#", "//")):
        return None
    if target.startswith("{index}"):
        return None
    file_link = FILE_LINK.match(target)
    if file_link:
        path = urlsplit(file_link["path"]).path
        resolved = content_dir / path.lstrip("/") if path.startswith("/") else source.parent / path
        if not resolved.is_file():
            return (
                f"no file {resolved}: fix the path "
                "(from the content folder, e.g. {filename}/rilis/2024/x.md)"
            )
        return None
    if target.startswith("{"):
        return (
            "this archive has no tag, category or author pages: link to a unit, officer or activity"
        )
    path = urlsplit(urljoin(own_url or "/", target)).path
    path = normpath(path) + ("/" if path.endswith("/") else "")
    path = re.sub(r"index\.html$", "", path)
    if path.startswith(GENERATED_PREFIXES) or path in urls or path + "/" in urls:
        return None
    return (
        f"no page {path} in the archive: fix the address or link the source file with {{filename}}"
    )
