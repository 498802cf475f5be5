"""The registry entries imported releases need, and adding them to the registry files.

Only names that pass the unit and officer patterns are added; a doubtful one
(a name with digits, a short form several people could have) is listed for
the editor instead.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from arsip.content import slugify
from arsip.importer.files import replace_file
from arsip.registry import KINDS, REGISTRY_DIR, Registry, normalize


@dataclass
class Suggestion:
    """A registry entry the imported releases need."""

    kind: str
    entry: dict
    sources: list[str] = field(default_factory=list)  # "file:line" where it was named
    doubt: str = ""  # why it is only listed, not added

    def yaml(self) -> str:
        return entry_yaml(self.entry)


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


def collect_suggestions(registry: Registry, drafts) -> list[Suggestion]:
    """The entries the drafts need, one per name, with slugs free in the registry."""
    suggestions: dict[tuple[str, str], Suggestion] = {}
    taken = {kind: {e.slug for e in registry.all(kind)} for kind in KINDS}
    for draft in drafts:
        for kind in KINDS:
            for found in getattr(draft, kind):
                if found.entry or not found.proposal:
                    continue
                key = (kind, _key(kind, found.proposal["name"]))
                if key not in suggestions:
                    slug = _free_slug(slugify(found.proposal["name"], 12), taken[kind])
                    entry = {"slug": slug, **{k: v for k, v in found.proposal.items() if v}}
                    suggestions[key] = Suggestion(kind, entry, doubt=found.doubt)
                elif kind == "units" and found.proposal.get("posts"):
                    posts = suggestions[key].entry.setdefault("posts", [])
                    posts += [p for p in found.proposal["posts"] if p not in posts]
                suggestions[key].sources.append(f"{draft.source}:{found.line}")
    _short_forms(suggestions)
    _point_service_at_units(registry, suggestions)
    return list(suggestions.values())


def _key(kind: str, name: str) -> str:
    """Spellings of one name: a unit with or without "Metro"."""
    words = normalize(name).split()
    if kind == "units":
        words = [w for w in words if w != "metro"]
    return " ".join(words)


def _short_forms(suggestions) -> None:
    """An officer named in full in one release and in short in another is one person."""
    officers = {k: s for k, s in suggestions.items() if s.kind == "officers"}
    for key, short in officers.items():
        tokens = set(key[1].split())
        fuller = [s for k, s in officers.items() if k != key and tokens < set(k[1].split())]
        if len(fuller) == 1:
            fuller[0].sources += short.sources
            del suggestions[key]
        elif fuller:
            short.doubt = "a short form of several people named in full: say which"


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
    by_words = {_without_metro(slug): slug for slug in proposed}
    for suggestion in suggestions.values():
        for item in suggestion.entry.get("service", []):
            unit = item.get("unit")
            if unit and unit not in known | proposed:
                if _without_metro(unit) in by_words:  # "Polsek Metro X" added as "Polsek X"
                    item["unit"] = by_words[_without_metro(unit)]
                else:
                    del item["unit"]


def _without_metro(slug: str) -> str:
    return "-".join(w for w in slug.split("-") if w != "metro")


def add_to_registry(content_dir: Path, suggestions: list[Suggestion]) -> None:
    """Append the suggested entries (not the doubtful ones) to the registry files.

    Every comment and entry is kept. The new files are checked with
    `Registry.load` in a scratch copy first, then each replaces its original by
    rename with the original's mode, so a failure leaves the registry as it was.
    """
    folder = Path(content_dir) / REGISTRY_DIR
    new_texts = {}
    for kind in KINDS.values():
        entries = [s.yaml() for s in suggestions if s.kind == kind.key and not s.doubt]
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
        replace_file(folder / name, text)
