"""Every rule about a content folder, each written once with its severity.

The build (plugins/release_checks.py) and `invoke check` both call
`check_content`, so they report the same findings, line for line, for any
input; the build stops on any error. Each file under the content folder gets
a decision here: read and checked, skipped with a note (editors' lock files,
OS debris), or an error. docs/errors.md lists every case.
"""

from __future__ import annotations

import datetime
import difflib
import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from posixpath import normpath
from urllib.parse import urljoin, urlsplit

from arsip.content import (
    LIST_FIELDS,
    RELEASE_FIELDS,
    REQUIRED_FIELDS,
    STATUSES,
    Release,
    body_fingerprint,
    load_release,
    metadata_list,
)
from arsip.corrections import read_corrections
from arsip.dates import DateProblem, find_date, parse_metadata_date
from arsip.kinds import TAXONOMY_FIELDS
from arsip.problems import Problem, sort_key
from arsip.registry import (
    DEGREE_RE,
    KINDS,
    REGISTRY_DIR,
    SLUG_RE,
    Registry,
    RegistryError,
    UnknownName,
    normalize,
)
from arsip.text import describe, has_invisible, strip_invisible

# Fields through which a file would choose where or how Pelican writes it.
STEERING_FIELDS = frozenset({
    "save_as", "url", "template", "lang", "translation", "category", "author", "authors",
    "tags", "translation_id", "page_order", "override_save_as", "css", "js",
})  # fmt: skip
# What even a draft needs: the build places it by these.
DRAFT_REQUIRED = ("title", "date", "slug", "status")
PAGE_FIELDS = ("title", "slug", "summary", "status", "template", "save_as", "url")
PAGE_STATUSES = ("published", "hidden", "draft")
PAGE_TEMPLATES = ("page", "notfound")
MAX_SLUG_LENGTH = 100
# First URL segments the archive writes itself (besides those its URL settings
# name): the search page, open data, statistics, theme assets, the search index.
GENERATED_SEGMENTS = ("cari", "data", "statistik", "theme", "pagefind", "halaman", "feeds")
REGISTRY_FILES = tuple(kind.file for kind in KINDS.values())

# Files nobody means to publish: editors' lock and backup files, OS debris.
DEBRIS = re.compile(
    r"^(?:\.#.*|.*~|\..*\.sw[a-p]|~\$.*|\.~lock\..*#|\.DS_Store|\._.*|Thumbs\.db|desktop\.ini"
    r"|\.directory|\.gitkeep|\.keep)$",
    re.IGNORECASE,
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".mdwn", ".txt", ".html", ".htm")
# C0 and C1 control characters other than tab and line feed: invisible, and
# some end the text early in other programs.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Pelican's link syntax for another source file: [teks]({filename}/rilis/2024/x.md)
FILE_LINK = re.compile(r"^\{(?:filename|static|attach)\}(?P<path>.*)$")
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")
HTML_LINK = re.compile(r"\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']+)[\"']", re.IGNORECASE)
MARKUP = re.compile(r"(?<=\])\([^)]*\)|<[^>]+>")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
HTML_URL = re.compile(
    r"\b(?P<attribute>href|src)\s*=\s*(?:(?P<q>[\"'])(?P<target>.*?)(?P=q)|(?P<bare>[^\s>]+))",
    re.IGNORECASE,
)
ATTRIBUTE_TEXT = re.compile(r"\b(alt|title)\s*=\s*([\"'])(.*?)\2", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
RAW_TAG = re.compile(r"<[^>]*>")
TAG_START = re.compile(r"<[A-Za-z/!?]")


@dataclass
class Document:
    """A release or page that could be read, with its kind and the problems found in it."""

    release: Release
    is_release: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.release.path

    # Facts of the file alone, kept with the document: a preview session keeps
    # an unchanged file's document from one run to the next.
    @cached_property
    def body_fingerprint(self) -> str:
        return body_fingerprint(self.release.body)

    @cached_property
    def links(self) -> list[tuple[int, str]]:
        return link_targets(self.release)


class Findings:
    """The problems of one file, placed at a field's line or at a given line."""

    def __init__(self, release: Release):
        self.release = release
        self.problems: list[Problem] = []

    def at_field(self, name: str, level: str, message: str) -> None:
        self.at(self.release.lines.get(name, 1), level, message)

    def at(self, line: int, level: str, message: str) -> None:
        self.problems.append(Problem(self.release.path, line, level, message))


# -- the folder ----------------------------------------------------------------------


def check_content(
    content_dir: str | Path,
    settings: dict,
    registry: Registry | None = None,
    per_file: Callable | None = None,
) -> list[Problem]:
    """Every problem in a content folder, sorted by file and line.

    `per_file(path, compute)` may return a remembered result of `compute()` for
    a file that has not changed (the preview session's).
    """
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    if registry is None:
        try:
            registry = Registry.load(content_dir)
        except RegistryError as error:
            problems += [registry_problem(text) for text in error.problems]
    release_roots = [content_dir / folder for folder in settings["ARTICLE_PATHS"]]
    page_roots = [content_dir / folder for folder in settings["PAGE_PATHS"]]
    documents: list[Document] = []
    for path, is_release in _decide_files(content_dir, release_roots, page_roots, problems):

        def compute(path=path, is_release=is_release):
            return _check_file(path, is_release, settings, registry)

        document = per_file(path, compute) if per_file else compute()
        if isinstance(document, Document):
            problems += document.problems
            documents.append(document)
        else:
            problems += document
    releases = [d.release for d in documents if d.is_release]
    pages = [d.release for d in documents if not d.is_release]
    problems += _duplicates(releases, "slug")
    problems += _duplicates(pages, "slug")
    problems += _same_text([d for d in documents if d.is_release])
    urls = site_urls(releases, pages, registry, settings)
    for document in documents:
        url = own_url(document, settings)
        problems += check_links(document.release, content_dir, urls, url, document.links)
    return sorted(problems, key=sort_key)


def registry_problem(text) -> Problem:
    if isinstance(text, Problem):
        return text
    match = re.match(r"^(?P<path>.+?):(?P<line>\d+): (?:error: )?(?P<message>.*)$", text, re.S)
    if not match:
        return Problem(Path(REGISTRY_DIR), 1, "error", text)
    return Problem(Path(match["path"]), int(match["line"]), "error", match["message"])


def _decide_files(content_dir: Path, release_roots, page_roots, problems):
    """(path, is_release) of every file to read; a problem or note for every other file."""
    content_real = os.path.realpath(content_dir)
    for path in walk_files(content_dir, problems):
        real = os.path.realpath(path) if os.path.islink(path) else None
        if real is not None and not (real + os.sep).startswith(content_real + os.sep):
            problems.append(
                Problem(
                    path,
                    1,
                    "error",
                    f"symbolic link to {real}, outside the content folder: "
                    "copy the file into the folder instead",
                )
            )
            continue
        name = path.name
        if DEBRIS.match(name):
            problems.append(Problem(path, 1, "note", "skipped: an editor's or the system's file"))
            continue
        release_root = next((r for r in release_roots if _below(path, r)), None)
        page_root = next((r for r in page_roots if _below(path, r)), None)
        if release_root is None and page_root is None:
            if path.parent == content_dir / REGISTRY_DIR:
                if name not in REGISTRY_FILES:
                    problems.append(
                        Problem(
                            path,
                            1,
                            "warning",
                            f"not read: the registry is {', '.join(REGISTRY_FILES)}; "
                            "move the entries into one of them",
                        )
                    )
                continue
            problems.append(
                Problem(
                    path,
                    1,
                    "note",
                    "skipped: outside the folders the archive reads "
                    f"({', '.join(str(r.relative_to(content_dir)) for r in (*release_roots, *page_roots))}"
                    f", {REGISTRY_DIR})",
                )
            )
            continue
        what = "release" if release_root else "page"
        if name.startswith("."):
            problems.append(
                Problem(
                    path,
                    1,
                    "error",
                    f"hidden {what} file: rename it without the leading dot, or delete it",
                )
            )
        elif path.suffix == ".md":
            yield path, release_root is not None
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            hint = (
                "raw text is imported with `invoke import`"
                if path.suffix.lower() == ".txt"
                else f"rename it to {path.stem}.md"
            )
            problems.append(
                Problem(path, 1, "error", f"a {what} must be a .md file: {hint}, or move it out")
            )
        else:
            problems.append(
                Problem(
                    path,
                    1,
                    "error",
                    f"not a {what} (only .md files are read here): move it out of "
                    f"{(release_root or page_root).relative_to(content_dir)}/",
                )
            )


def _below(path: Path, folder: Path) -> bool:
    """`folder in path.parents`, by their text (both are pathlib's normal form): cheaper."""
    return str(path).startswith(os.path.join(str(folder), ""))


def walk_files(root: str | Path, problems: list[Problem]) -> list[Path]:
    """Every file under `root`, following links but never reading a folder twice.

    A link loop (`rilis/x -> ..`) would otherwise make Pelican read every
    release again at each level, and a second link to a folder reads it twice.
    """
    files = []
    seen = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames.sort()
        for name in list(dirnames):
            if name.startswith("."):  # Pelican skips hidden folders (IGNORE_FILES)
                problems.append(Problem(Path(dirpath, name), 1, "note", "skipped: hidden folder"))
                dirnames.remove(name)
                continue
            target = os.path.realpath(os.path.join(dirpath, name))
            if target in seen or os.path.realpath(dirpath).startswith(target + os.sep):
                problems.append(
                    Problem(
                        Path(dirpath, name),
                        1,
                        "error",
                        f"symbolic link to {target}, which is already read "
                        "(a link loop or a second path to it): remove the link",
                    )
                )
                dirnames.remove(name)
            else:
                seen.add(target)
        files.extend(Path(dirpath, name) for name in filenames)
    return sorted(files)


def _check_file(path: Path, is_release: bool, settings, registry) -> Document | list[Problem]:
    release, problems = load_release(path, settings["RELEASE_MAX_BYTES"])
    if release is None:
        return problems
    findings = Findings(release)
    if not release.header and not release.body.strip():
        findings.at(1, "error", "empty file: write the release or delete the file")
        return Document(release, is_release, findings.problems)
    _check_shape(release, findings, RELEASE_FIELDS if is_release else PAGE_FIELDS)
    if is_release:
        check_release(release, settings, registry, findings)
    else:
        _check_page(release, settings, findings)
    return Document(release, is_release, findings.problems)


# -- one file ------------------------------------------------------------------------


def _check_shape(release: Release, findings: Findings, known: tuple[str, ...]) -> None:
    """The header as Markdown reads it: fields, repeats, where it ends; control characters."""
    if not release.header:
        findings.at(
            1,
            "error",
            "a file starts with header lines like `Title: ...`, then a blank line, then the text",
        )
    if release.stray_line:
        line = release.body.split("\n", 1)[0].strip()
        findings.at(
            release.stray_line,
            "error",
            f"not a header line: {line[:60]!r}: write it as `Name: value`, "
            "or leave a blank line between the header and the text",
        )
    first: dict[str, int] = {}
    for item in release.header:
        if item.key in first:
            findings.at(
                item.line,
                "error",
                f"field `{item.name}` appears again (first on line {first[item.key]}): keep one",
            )
            continue
        first[item.key] = item.line
        if item.key in known:
            continue
        if item.key in STEERING_FIELDS:
            findings.at(
                item.line,
                "error",
                f"`{item.name}:` is not allowed here: the archive decides where and how a file "
                "is written; remove the line",
            )
        else:
            close = difflib.get_close_matches(item.key, known, n=1)
            hint = f" (did you mean `{close[0].capitalize()}:`?)" if close else ""
            findings.at(
                item.line,
                "error",
                f"unknown field `{item.name}:`{hint}: fix its name or remove the line",
            )
    for number, text in enumerate(release_text_lines(release), start=1):
        found = CONTROL.search(text)
        if found:
            findings.at(
                number,
                "error",
                f"control character U+{ord(found.group()):04X} in the text: delete it",
            )


def release_text_lines(release: Release) -> list[str]:
    """The file's lines as parsed, header and body, numbered from 1."""
    header = {item.line: f"{item.name}: {item.value}" for item in release.header}
    lines = [header.get(number, "") for number in range(1, release.body_line)]
    return lines + release.body.split("\n")


def check_release(release: Release, settings, registry, findings: Findings) -> None:
    metadata = release.metadata
    # A draft is previewed while it is written; it must be complete to be published.
    draft = metadata.get("status", "").strip().lower() == "draft"
    for name in REQUIRED_FIELDS:
        level = "warning" if draft and name not in DRAFT_REQUIRED else "error"
        if name not in metadata:
            findings.at(1, level, f"missing `{name.capitalize()}:`: add it to the header")
        elif not metadata[name].strip():
            findings.at_field(name, level, f"`{name.capitalize()}:` is empty: fill it in")
    when = _checked_date(release, "date", settings, findings)
    if "modified" in metadata or "correction" in metadata:
        modified, _, problems = read_corrections(
            metadata.get("modified"), metadata.get("correction"), metadata.get("date")
        )
        for name, message in problems:
            findings.at_field(name, "error", message)
        first, last = settings["RELEASE_YEARS"]
        if modified and not first <= modified.year <= last:
            findings.at_field(
                "modified",
                "error",
                f"`Modified:` {modified:%Y-%m-%d} is outside {first}-{last}, the years this "
                "archive holds: check the year",
            )
    status = metadata.get("status", "").strip()
    if status and status.lower() not in STATUSES:
        findings.at_field(
            "status", "error", f'unknown status "{status}": use one of {", ".join(STATUSES)}'
        )
    _check_slug(release, findings)
    _check_text(release, findings)
    if registry is not None:
        _check_names(release, registry, findings)
    if metadata and not release.body.strip():
        findings.at(
            release.body_line,
            "warning" if draft else "error",
            "empty body: add the release's text below the header",
        )
    if when:
        _check_date_in_text(release, when.date(), findings)


def _check_text(release: Release, findings: Findings) -> None:
    """What the build's cleaning will remove from text a reader gets, said before it does."""
    from plugins.sanitize import (
        TEXT_FIELDS,
        URL_SCHEMES,
        browser_url,
        header_findings,
        is_local_url,
        spells_markup,
        url_scheme,
    )

    for name in TEXT_FIELDS:
        value = release.metadata.get(name)
        if value is None:
            continue
        text, removed = header_findings(name, value)
        for finding in removed:
            findings.at_field(name, finding.level, finding.message)
        if name == "title" and value.strip() and not text.strip():
            findings.at_field(
                name,
                "error",
                "the Title is nothing but markup or invisible characters, so the release would "
                "have none: write its title as text",
            )
    lines = list(release.body_lines())
    if release.metadata.get("summary"):
        lines.append((release.lines["summary"], release.metadata["summary"]))
    in_code = False
    for number, line in lines:
        fence = line.lstrip().startswith(("```", "~~~"))
        in_code = in_code != fence
        if in_code or fence or line.startswith("    "):  # a code block: all of it is text
            if TAG_START.search(html.unescape(line)) or invisible_in(line):
                findings.at(
                    number,
                    "warning",
                    "text that spells markup or invisible characters are removed from the "
                    "code block: write it without < and >, or delete it",
                )
            continue
        for image, target in _link_targets(line):
            url = browser_url(strip_invisible(html.unescape(target))[0])
            if image and not (url and is_local_url(url)):
                findings.at(
                    number,
                    "warning",
                    f'image from another site removed ("{url[:60]}"): the archive loads nothing '
                    "from elsewhere; save the image in the archive or leave it out",
                )
            elif not image and url_scheme(url) not in (None, *URL_SCHEMES):
                findings.at(
                    number,
                    "warning",
                    f'link removed ("{url[:60]}"): only http, https, mailto and tel links are kept',
                )
        _, invisible = strip_invisible(html.unescape(line))
        if invisible:
            findings.at(
                number,
                "warning",
                f"invisible characters removed from the text: {describe(invisible)}; "
                "delete them from the file",
            )
        spelled = [m[2] for m in CODE_SPAN.finditer(line) if TAG_START.search(html.unescape(m[2]))]
        spelled += [m[3] for m in ATTRIBUTE_TEXT.finditer(line) if spells_markup(m[3])]
        outside = RAW_TAG.sub("", CODE_SPAN.sub("", line))
        if spelled or spells_markup(outside):
            findings.at(
                number,
                "warning",
                "text that spells markup (like &lt;script&gt; or `<img ...>`) is removed from "
                "the page: write it without < and >, or delete it",
            )


def invisible_in(text: str) -> bool:
    return has_invisible(html.unescape(text))


def _link_targets(line: str):
    """(is an image, target) of every Markdown or HTML link and image on a line."""
    for match in MARKDOWN_LINK.finditer(line):
        yield match[0].startswith("!"), match["target"]
    for match in HTML_URL.finditer(line):
        target = match["target"] if match["target"] is not None else match["bare"]
        yield match["attribute"].lower() == "src", target


def _checked_date(release: Release, name: str, settings, findings) -> datetime.datetime | None:
    value = release.metadata.get(name, "").strip()
    if not value:
        return None
    try:
        when = parse_metadata_date(value)
    except DateProblem as error:
        findings.at_field(name, "error", str(error))
        return None
    first, last = settings["RELEASE_YEARS"]
    if not first <= when.year <= last:
        findings.at_field(
            name,
            "error",
            f'date "{value}" is outside {first}-{last}, the years this archive holds: '
            "check the year",
        )
        return None
    return when


def _check_slug(release: Release, findings: Findings) -> None:
    slug = release.metadata.get("slug", "").strip()
    if not slug:
        return
    if has_invisible(slug):
        findings.at_field(
            "slug",
            "error",
            f"slug holds invisible characters ({describe(strip_invisible(slug)[1])}), which "
            "make two slugs look alike: type it again",
        )
    elif not SLUG_RE.match(slug):
        findings.at_field(
            "slug",
            "error",
            f'slug "{slug}" must be lowercase letters a-z, digits and single hyphens '
            "(like patroli-malam-menteng)",
        )
    elif len(slug) > MAX_SLUG_LENGTH:
        findings.at_field(
            "slug",
            "error",
            f"slug is {len(slug)} characters, more than {MAX_SLUG_LENGTH}: shorten it",
        )


def _check_page(release: Release, settings, findings: Findings) -> None:
    metadata = release.metadata
    if not metadata.get("title", "").strip():
        findings.at_field("title", "error", "missing `Title:`: add it to the header")
    status = metadata.get("status", "published").strip().lower()
    if status not in PAGE_STATUSES:
        findings.at_field(
            "status", "error", f'unknown status "{status}": use one of {", ".join(PAGE_STATUSES)}'
        )
    _check_slug(release, findings)
    slug = metadata.get("slug", "").strip()
    if slug in reserved_segments(settings):
        findings.at_field(
            "slug", "error", f'slug "{slug}" is a section of the archive: choose another'
        )
    template = metadata.get("template")
    if template is not None and template.strip() not in PAGE_TEMPLATES:
        findings.at_field(
            "template",
            "error",
            f'unknown page template "{template}": use one of {", ".join(PAGE_TEMPLATES)}',
        )
    for name in ("save_as", "url"):
        value = metadata.get(name)
        if value is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*\.html", value.strip()):
            findings.at_field(
                name,
                "error",
                f"`{release.names[name]}:` must be a file name at the top of the site, "
                "like 404.html",
            )
        elif value is not None and value.strip() == "index.html":
            findings.at_field(name, "error", "index.html is the home page: choose another name")


def reserved_segments(settings) -> set[str]:
    """First path segments of every page the archive writes itself."""
    patterns = [settings.get(name) or "" for name in settings if name.endswith("_SAVE_AS")]
    patterns += [settings.get("FEED_ALL_ATOM") or ""]
    patterns += [kind.url_setting("SAVE_AS", settings) for kind in KINDS.values()]
    found = {pattern.split("/", 1)[0] for pattern in patterns if "/" in pattern}
    return (found | set(GENERATED_SEGMENTS)) - {"{slug}"}


def _check_date_in_text(release: Release, when: datetime.date, findings: Findings) -> None:
    """The date the text gives first should be the `Date:` field's (same parser as import)."""
    for line, text in paragraphs(release):
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


def _check_names(release: Release, registry: Registry, findings: Findings) -> None:
    named: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for kind in TAXONOMY_FIELDS:
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
            item = strip_invisible(item)[0]  # the build resolves the cleaned name
            try:
                named[kind].add(registry.resolve(kind, item).slug)
            except UnknownName as error:
                findings.at_field(kind, "error", str(error))
    for name in (*TAXONOMY_FIELDS, *LIST_FIELDS):
        value = release.metadata.get(name, "")
        if value.strip() and not metadata_list(value):
            findings.at_field(name, "error", f"`{name.capitalize()}:` lists nothing: fill it in")
    for line, kind, entry in mentions(registry, paragraphs(release)):
        if entry.slug not in named[kind]:
            findings.at(
                line,
                "warning",
                f'{KINDS[kind].singular} "{entry.name}" is named in the text '
                f"but not in `{kind.capitalize()}:`",
            )


_SPELLINGS: dict[int, tuple] = {}


def mentions(registry: Registry, found_paragraphs) -> list[tuple[int, str, object]]:
    """(line, kind, entry) of each unit and officer a text names by a registry spelling.

    Words are folded as the registry folds names and looked up a few at a time,
    longest first: cheap enough for every build of a large archive.
    """
    key = id(registry)
    if key not in _SPELLINGS:
        spellings: dict[str, tuple[str, object]] = {}
        for kind in ("units", "officers"):
            for entry in registry.all(kind):
                for spelling in (*entry.spellings, *entry.posts):
                    folded = normalize(spelling)
                    if len(folded) > 3:  # a bare initial or word names no one
                        spellings.setdefault(folded, (kind, entry))
        # The lengths, in words, of the spellings that start with each word.
        sizes: dict[str, list[int]] = {}
        for folded in spellings:
            first, *rest = folded.split()
            sizes.setdefault(first, []).append(len(rest) + 1)
        sizes = {word: sorted(set(found), reverse=True) for word, found in sizes.items()}
        _SPELLINGS.clear()  # one registry at a time: a preview session's
        _SPELLINGS[key] = (registry, spellings, sizes)
    _, spellings, sizes = _SPELLINGS[key]
    found, seen = [], set()
    for line, text in found_paragraphs:
        words = normalize(text).split()
        start = 0
        while start < len(words):
            step = 1
            for size in sizes.get(words[start], ()):
                named = spellings.get(" ".join(words[start : start + size]))
                if named:
                    kind, entry = named
                    if (kind, entry.slug) not in seen:
                        seen.add((kind, entry.slug))
                        found.append((line, kind, entry))
                    step = size
                    break
            start += step
    return found


def paragraphs(release: Release) -> list[tuple[int, str]]:
    """Body paragraphs (consecutive non-blank lines) with their first line's number.

    Link targets and HTML tags are left out: "/satuan/polsek-menteng/" names no one.
    """
    found, current, start = [], [], 0
    for number, line in release.body_lines():
        line = MARKUP.sub(" ", line)
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            found.append((start, " ".join(current)))
            current = []
    if current:
        found.append((start, " ".join(current)))
    return found


# -- across files --------------------------------------------------------------------


def _duplicates(documents: list[Release], name: str) -> list[Problem]:
    problems = []
    owners: dict[str, Release] = {}
    for document in documents:
        value = document.metadata.get(name, "").strip()
        if not value:
            continue
        first = owners.setdefault(value, document)
        if first is not document:
            problems.append(
                Problem(
                    document.path,
                    document.lines[name],
                    "error",
                    f'{name} "{value}" is already used by {first.path}:{first.lines[name]}: '
                    f"give one of them another {name}",
                )
            )
    return problems


def _same_text(documents: list[Document]) -> list[Problem]:
    problems = []
    bodies: dict[str, Release] = {}
    for document in documents:
        release = document.release
        if not release.body.strip():
            continue
        first = bodies.setdefault(document.body_fingerprint, release)
        if first is not release:
            problems.append(
                Problem(
                    release.path,
                    release.body_line,
                    "warning",
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
        url = _release_url(release, settings)
        if url:
            urls.add(url)
        when = _date(release)
        if when and release.metadata.get("status", "").strip().lower() == "published":
            urls.add("/" + settings["YEAR_ARCHIVE_URL"].format(date=when))
            urls.add("/" + settings["MONTH_ARCHIVE_URL"].format(date=when))
    for page in pages:
        url = _page_url(page, settings)
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


def own_url(document: Document, settings) -> str | None:
    if document.is_release:
        return _release_url(document.release, settings)
    return _page_url(document.release, settings)


def _release_url(release: Release, settings) -> str | None:
    slug = release.metadata.get("slug", "").strip()
    if not slug:
        return None
    if release.metadata.get("status", "").strip().lower() == "draft":
        return "/" + settings["DRAFT_URL"].format(slug=slug)
    when = _date(release)
    return "/" + settings["ARTICLE_URL"].format(slug=slug, date=when) if when else None


def _page_url(page: Release, settings) -> str | None:
    if page.metadata.get("url"):
        return "/" + page.metadata["url"].strip().lstrip("/")
    slug = page.metadata.get("slug", "").strip()
    return "/" + settings["PAGE_URL"].format(slug=slug) if slug else None


def check_links(
    document: Release, content_dir: Path, urls: set[str], url, targets=None
) -> list[Problem]:
    """The broken links of `document`; `targets` as link_targets gives them, if known."""
    problems = []
    for number, target in link_targets(document) if targets is None else targets:
        reason = _broken(target, document.path, content_dir, urls, url)
        if reason:
            problems.append(
                Problem(document.path, number, "warning", f'broken link "{target}": {reason}')
            )
    return problems


def link_targets(document: Release) -> list[tuple[int, str]]:
    """(line, target) of every link in the body, outside code."""
    found = []
    in_code = False
    for number, line in document.body_lines():
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code or line.startswith("    "):
            continue
        text = re.sub(r"`[^`]*`", "", line)
        targets = [m["target"] for m in MARKDOWN_LINK.finditer(text)]
        targets += [m["target"] for m in HTML_LINK.finditer(text)]
        reference = REFERENCE_LINK.match(text)
        if reference:
            targets.append(reference["target"])
        found += [(number, target) for target in targets]
    return found


def _broken(target: str, source: Path, content_dir: Path, urls: set[str], url) -> str | None:
    from plugins.sanitize import browser_url

    target = browser_url(strip_invisible(html.unescape(target))[0])  # as the page holds it
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
    path = urlsplit(urljoin(url or "/", target)).path
    path = normpath(path) + ("/" if path.endswith("/") else "")
    path = re.sub(r"index\.html$", "", path)
    path = re.sub(r"halaman/\d+/$", "", path)  # a listing's later pages
    if path.startswith(tuple(f"/{segment}/" for segment in GENERATED_SEGMENTS)):
        return None
    if path in urls or path + "/" in urls:
        return None
    return (
        f"no page {path} in the archive: fix the address or link the source file with {{filename}}"
    )
