"""`invoke import`: read a folder of raw releases, write the new ones, report the rest."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from arsip.content import (
    Problem,
    body_fingerprint,
    format_list,
    metadata_list,
    read_release,
    slugify,
)
from arsip.importer.additions import Suggestion, add_to_registry, collect_suggestions
from arsip.importer.cleanup import RawReleaseError
from arsip.importer.drafts import Draft, read_draft
from arsip.importer.files import RELEASES_DIR, existing_releases, raw_files, replace_file, write_new
from arsip.importer.outlets import resolve_outlet
from arsip.importer.syndication import Copies
from arsip.registry import KINDS, REGISTRY_DIR, Registry

FALLBACK_SLUG = "rilis"  # for a title with no letters or digits


@dataclass
class ImportReport:
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    added: bool = False  # the suggestions were added to the registry
    origins: dict[Path, Path] = field(default_factory=dict)  # raw file -> its release
    updated: list[Path] = field(default_factory=list)  # releases that gained a source

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)


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
    known = existing_releases(content_dir)
    drafts = _read_all(registry, files, report, today, known)
    report.suggestions = collect_suggestions(registry, drafts)
    if add and any(not s.doubt for s in report.suggestions):
        add_to_registry(content_dir, report.suggestions)
        report.added = True
        registry = Registry.load(content_dir)
        report.problems = [p for p in report.problems if p.level == "error"]
        drafts = _read_all(registry, [d.source for d in drafts], report, today, known)
    kept, updates = _copies(drafts, known, report)
    for draft in kept:
        report.problems += draft.notes
        target = _place(draft, content_dir, dest, known)
        try:
            write_new(target, draft.markdown())
        except RawReleaseError as error:
            report.problems.append(Problem(draft.source, error.line, "error", str(error)))
            continue
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
        for raw in [draft.source, *draft.copies]:
            report.origins[raw] = target
    for path, outlets in updates.items():
        _add_sources(path, outlets)
        report.updated.append(path)
    report.problems.sort(key=lambda p: str(p.path))  # stable: each file's in the order found
    return report


def _read_all(registry, files, report, today, known) -> list[Draft]:
    drafts = []
    for path in files:
        try:
            drafts.append(read_draft(registry, path, today))
        except RawReleaseError as error:
            report.problems.append(Problem(path, error.line, "error", str(error)))
    _resolve_outlets(drafts, known["outlets"])
    return drafts


def _resolve_outlets(drafts: list[Draft], archive: dict[str, int]) -> None:
    """A misspelt outlet, or one without its domain, is the better-known outlet it names."""
    counts = dict(archive)
    for draft in drafts:
        for outlet in draft.sources:
            counts[outlet] = counts.get(outlet, 0) + 1
    for draft in drafts:
        for index, outlet in enumerate(draft.sources):
            better = resolve_outlet(outlet, counts)
            if better:
                draft.sources[index] = better
                draft.notes.append(
                    Problem(
                        draft.source,
                        draft.outlet_line,
                        "warning",
                        f'outlet "{outlet}" read as {better}, named so elsewhere: check it',
                    )
                )
        draft.sources = list(dict.fromkeys(draft.sources))


def _copies(drafts, known, report) -> tuple[list[Draft], dict[Path, list[str]]]:
    """The drafts to write, and the outlets to add to releases already there.

    A draft with the words of a release already imported, from the outlets that
    release names, is refused; one that copies a release of the same day (from
    another outlet, or another edition) adds its outlets to that release instead
    of being written.
    """
    copies = Copies(known["days"])
    kept, updates = [], {}
    for draft in drafts:
        twin = known["bodies"].get(body_fingerprint(draft.body))
        if twin and _new_outlets(twin, draft, updates):
            owner = twin  # the same words from another outlet: a copy
        elif twin:
            report.problems.append(
                Problem(
                    draft.source,
                    draft.paragraphs[0][0],
                    "error",
                    f"same text as {twin}: already imported, not written again",
                )
            )
            continue
        else:
            owner = copies.find(f"{draft.date:%Y-%m-%d}", draft.comparable)
        if owner is None:
            kept.append(draft)
            copies.add(f"{draft.date:%Y-%m-%d}", draft, draft.comparable)
            continue
        if isinstance(owner, Draft):
            new = [o for o in draft.sources if o not in owner.sources]
            owner.sources += new
            owner.copies.append(draft.source)
            if draft.headline and not owner.headline:  # a copy that has the headline gives it
                owner.title, owner.headline = draft.title, True
                owner.notes = [n for n in owner.notes if not n.message.startswith("no headline")]
            where = owner.source
        else:
            new = _new_outlets(owner, draft, updates)
            updates.setdefault(owner, []).extend(new)
            report.origins[draft.source] = owner
            where = owner
        added = f"added {', '.join(new)} to its Sources" if new else "its outlet is there already"
        report.problems.append(
            Problem(
                draft.source,
                draft.paragraphs[0][0],
                "warning",
                f"same release as {where} (near word for word, same day): {added}, "
                "not written again",
            )
        )
    return kept, {path: outlets for path, outlets in updates.items() if outlets}


def _new_outlets(path: Path, draft: Draft, updates: dict[Path, list[str]]) -> list[str]:
    """The draft's outlets that the release at `path` does not name yet."""
    present = metadata_list(read_release(path).metadata.get("sources", ""))
    present += updates.get(path, [])
    return [o for o in draft.sources if o not in present]


def _add_sources(path: Path, outlets: list[str]) -> None:
    """Add outlets to a release's `Sources:`, changing no other line."""
    release = read_release(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    values = metadata_list(release.metadata.get("sources", "")) + outlets
    number = release.lines.get("sources")
    line = f"{release.names.get('sources', 'Sources')}: {format_list(values)}\n"
    if number is None:
        lines.insert(max(release.body_line - 2, 0), line)
    else:
        end = number  # continuation lines belong to the field
        while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].strip():
            end += 1
        lines[number - 1 : end] = [line]
    replace_file(path, "".join(lines))


def _place(draft: Draft, content_dir, dest, known) -> Path:
    """Where the draft goes, with a slug no other release has."""
    base = slugify(draft.title) or FALLBACK_SLUG
    slug, number = base, 2
    while slug in known["slugs"]:
        slug, number = f"{base}-{number}", number + 1
    draft.slug = slug
    folder = Path(dest) if dest else content_dir / RELEASES_DIR / f"{draft.date:%Y}"
    return folder / f"{draft.date:%Y-%m-%d}-{slug}.md"


def suggestions_text(report: ImportReport) -> str:
    """The registry additions, for the end of the task's output; doubtful ones apart."""
    if not report.suggestions:
        return ""
    sure = [s for s in report.suggestions if not s.doubt]
    doubtful = [s for s in report.suggestions if s.doubt]
    parts = []
    if sure:
        verb = (
            "Added to the registry"
            if report.added
            else "Suggested registry additions (import again with --add-to-registry to add them)"
        )
        parts.append(f"{verb}:")
        parts += _entries(sure)
    if doubtful:
        if parts:
            parts.append("")
        parts.append("Not added: check these names and add them by hand if they are right:")
        parts += _entries(doubtful)
    return "\n".join(parts) + "\n"


def _entries(suggestions: list[Suggestion]) -> list[str]:
    parts = []
    for kind in KINDS.values():
        items = [s for s in suggestions if s.kind == kind.key]
        if items:
            parts.append(f"\n# {REGISTRY_DIR}/{kind.file}")
            for item in items:
                reason = f" ({item.doubt})" if item.doubt else ""
                parts.append(f"# named in {', '.join(item.sources)}{reason}")
                parts.append(item.yaml().rstrip())
    return parts
