"""How well the importer reads real outlet text: `invoke eval-import --source DIR`.

DIR holds raw releases (`*.txt`) and `expected.json`, the gold metadata made by
hand (conventions under its `_conventions` key). The folder is imported, with
`--add-to-registry`, into a scratch copy of content/; the releases written and
the registry entries added are then scored against the gold:

- dates: the activity's day; where the gold date is null the file must be
  refused (an error naming it), never written with a guessed date;
- officers: precision, recall and F1 over persons (one per registry entry);
  a civilian listed as an officer is a false positive;
- units: precision and recall of police and TNI unit names ("Metro" ignored),
  the kinds the gold annotates; other units (Satpol PP, Dishub) are not scored;
- headlines: the title equals the text's headline, where it has one;
- clean titles: no title carries the outlet's name or page chrome;
- sources: the outlet's domain in `Sources`, over the files whose text names
  the outlet ("lenient" also accepts the outlet's bare name, as in
  "| Rasionews |", for a domain the text never spells out);
- pollution: registry entries added that are no unit, officer or activity of
  any release in the gold;
- syndication: copies of one release (same `syndicated_group`) end up as one
  release, and no two other files do.

Each miss is printed under its file; the totals come last. `--json PATH`
writes the figures and misses as JSON as well.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arsip.content import metadata_list, read_release  # noqa: E402
from arsip.importer import import_releases  # noqa: E402
from arsip.registry import KINDS, Registry, UnknownName, normalize  # noqa: E402

# Police and TNI unit kinds, the ones the gold annotates.
POLICE_TNI_UNIT = re.compile(
    r"^(?:polda|polres\w*|polsek|polsubsektor|subsektor|koramil|kodim|korem|kodam|"
    r"dit\w+|sat(?!pol)\w*|biro|bid\w+|subdit\w*|spkt|brimob\w*)\b"
)
# Page furniture that must never reach a title.
CHROME = re.compile(
    r"\bbanner\b|\b\d{2,4}\s*x\s*\d{2,4}\b|\bdilihat\b|\bkomentar\b|\badvertisement\b|"
    r"\biklan\b|\bbaca juga\b|\bbagikan\b|\|| date \d{4}-\d\d-\d\d|^\W*$",
    re.IGNORECASE,
)
# Second-level labels under which Indonesian domains are registered.
SECOND_LEVEL = {"co", "or", "go", "ac", "web", "my", "sch", "net", "biz", "mil", "ponpes", "desa"}


def registrable(host: str) -> str:
    """ "dki.rasionews.com" -> "rasionews.com", "x.co.id" -> "x.co.id"."""
    labels = host.casefold().strip().strip(".").split(".")
    size = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL else 2
    return ".".join(labels[-size:])


def domain_name(host: str) -> str:
    """The outlet's own label of a domain: "dki.rasionews.com" -> "rasionews"."""
    return registrable(host).split(".")[0]


def letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalize(text))


def unit_key(name: str) -> str:
    return " ".join(w for w in normalize(name).split() if w != "metro")


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    def __str__(self) -> str:
        return f"{self.hits}/{self.total}"

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class Scores:
    dates: Tally = field(default_factory=Tally)
    times: Tally = field(default_factory=Tally)
    headlines: Tally = field(default_factory=Tally)
    clean_titles: Tally = field(default_factory=Tally)
    sources: Tally = field(default_factory=Tally)
    sources_lenient: Tally = field(default_factory=Tally)
    officers: list[int] = field(default_factory=lambda: [0, 0, 0])  # tp, fp, fn
    units: list[int] = field(default_factory=lambda: [0, 0, 0])
    pollution: list[str] = field(default_factory=list)
    groups: Tally = field(default_factory=Tally)
    false_merges: list[str] = field(default_factory=list)
    misses: dict[str, list[str]] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)

    def miss(self, name: str, text: str) -> None:
        self.misses.setdefault(name, []).append(text)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def origins(report, written: list[Path], raw_files: list[Path]) -> dict[Path, Path]:
    """Raw file -> the release it became (written, or merged into as a copy)."""
    known = getattr(report, "origins", None)
    if known is not None:
        return {Path(raw): Path(release) for raw, release in known.items()}
    # An importer that does not say: the raw file holding most of the release's body lines.
    texts = {
        raw: " ".join(raw.read_text(encoding="utf-8", errors="replace").split())
        for raw in raw_files
    }
    found = {}
    for release_path in written:
        lines = [" ".join(x.split()) for x in read_release(release_path).body.splitlines()]
        lines = [x for x in lines if x]
        best = max(texts, key=lambda raw: sum(x in texts[raw] for x in lines))
        found[best] = release_path
    return found


def person_names(registry: Registry, mention: str) -> tuple[str, set[str]]:
    """(identity, spellings) of an officer as written in `Officers:`."""
    try:
        entry, _ = registry.resolve_officer(mention)
        return entry.slug, {normalize(s) for s in entry.spellings}
    except UnknownName:
        name = normalize(registry.read_officer(mention).name)
        return name, {name}


def unit_names(registry: Registry, name: str) -> tuple[str, set[str]]:
    entry = registry.lookup("units", name)
    if entry:
        return entry.slug, {unit_key(s) for s in entry.spellings}
    return unit_key(name), {unit_key(name)}


def score_names(scores: Scores, key: str, file: str, gold: list[str], predicted) -> None:
    """Match each predicted (identity, spellings) to at most one gold name."""
    tally = getattr(scores, key)
    left = list(gold)
    for identity, spellings in predicted:
        hit = next((g for g in left if g in spellings), None)
        if hit is None:
            tally[1] += 1
            scores.miss(file, f"{key}: extra {identity!r}")
        else:
            tally[0] += 1
            left.remove(hit)
    tally[2] += len(left)
    for name in left:
        scores.miss(file, f"{key}: missing {name!r}")


def evaluate(source: Path, keep: Path | None = None) -> Scores:
    expected = json.loads((source / "expected.json").read_text(encoding="utf-8"))
    gold = {name: item for name, item in expected.items() if not name.startswith("_")}
    raw_files = sorted(p for p in source.iterdir() if p.suffix.lower() == ".txt")
    with tempfile.TemporaryDirectory() as scratch:
        content = Path(scratch) / "content"
        shutil.copytree(ROOT / "content", content)
        before = Registry.load(content)
        old = {kind: {e.slug for e in before.all(kind)} for kind in KINDS}
        report = import_releases(source, content, add=True)
        registry = Registry.load(content)
        made = origins(report, report.written, raw_files)
        releases = {path: read_release(path) for path in set(made.values())}
        refused = {p.path.name for p in report.problems if p.level == "error"}
        scores = Scores()
        for name, item in sorted(gold.items()):
            release = releases.get(made.get(source / name))
            _score_file(scores, registry, name, item, release, name in refused)
        _score_titles(scores, gold, made, releases, source)
        _score_pollution(scores, registry, old, gold)
        _score_syndication(scores, gold, made, source)
        scores.similarity = _similarities(registry, gold, source)
        if keep:
            shutil.copytree(content, keep, dirs_exist_ok=True)
    return scores


def _score_file(scores, registry, name, item, release, refused) -> None:
    if item["date"] is None:
        scores.dates.total += 1
        if release is None and refused:
            scores.dates.hits += 1
        else:
            scores.miss(name, "date: the text has no date, but a release was written")
        return
    scores.dates.total += 1
    if release is None:
        scores.miss(name, "not imported" + (" (refused)" if refused else ""))
        for key, values in (("officers", item["officers"]), ("units", item["units"])):
            getattr(scores, key)[2] += len(values)
        if item["outlet"] is not None:
            scores.sources.total += 1
            scores.sources_lenient.total += 1
        return
    date, _, time = release.metadata.get("date", "").partition(" ")
    if date == item["date"]:
        scores.dates.hits += 1
    else:
        scores.miss(name, f"date: {date} instead of {item['date']}")
    if item["time"]:
        scores.times.total += 1
        wanted = "00:00" if item["time"] == "24:00" else item["time"]
        if time == wanted:
            scores.times.hits += 1
        else:
            scores.miss(name, f"time: {time} instead of {item['time']}")
    officers = {}
    for mention in metadata_list(release.metadata.get("officers", "")):
        identity, spellings = person_names(registry, mention)
        officers.setdefault(identity, set()).update(spellings)
    gold_officers = [normalize(o["name"]) for o in item["officers"]]
    score_names(scores, "officers", name, gold_officers, officers.items())
    units = {}
    for unit in metadata_list(release.metadata.get("units", "")):
        if POLICE_TNI_UNIT.match(normalize(unit)):
            identity, spellings = unit_names(registry, unit)
            units.setdefault(identity, set()).update(spellings)
    score_names(scores, "units", name, [unit_key(u) for u in item["units"]], units.items())
    outlet_named = item["outlet"] is not None
    if outlet_named:
        sources = metadata_list(release.metadata.get("sources", ""))
        domains = {registrable(item["outlet_domain"])}
        if "." in item["outlet"]:
            domains.add(registrable(item["outlet"]))
        strict = any("." in s and registrable(s) in domains for s in sources)
        lenient = strict or any(letters(s) in {domain_name(d) for d in domains} for s in sources)
        scores.sources.total += 1
        scores.sources_lenient.total += 1
        scores.sources.hits += strict
        scores.sources_lenient.hits += lenient
        if not strict:
            scores.miss(name, f"sources: {sources} lacks {item['outlet_domain']}")


def _score_titles(scores, gold, made, releases, source) -> None:
    by_release: dict[Path, list[str]] = {}
    for name in gold:
        if made.get(source / name):
            by_release.setdefault(made[source / name], []).append(name)
    for path, names in sorted(by_release.items()):
        title = releases[path].metadata.get("title", "")
        first = names[0]
        outlets = set()
        for name in names:
            outlets.add(domain_name(gold[name]["outlet_domain"]))
            if gold[name]["outlet"]:
                outlets.add(letters(gold[name]["outlet"]))
        dirty = [o for o in outlets if o and o in letters(title)]
        scores.clean_titles.total += 1
        if dirty or CHROME.search(title):
            scores.miss(first, f"title not clean: {title!r}")
        else:
            scores.clean_titles.hits += 1
        headlines = [gold[n]["title"] for n in names if gold[n]["title_in_text"]]
        for headline in headlines:
            scores.headlines.total += 1
            if title == headline:
                scores.headlines.hits += 1
            else:
                scores.miss(first, f"headline: {title!r} instead of {headline!r}")
    for name, item in gold.items():  # a text with a headline that was never imported
        if item["title_in_text"] and not made.get(source / name):
            scores.headlines.total += 1
            scores.miss(name, "headline: not imported")


def _score_pollution(scores, registry, old, gold) -> None:
    units, officers, activities = set(), set(), set()
    for item in gold.values():
        units |= {unit_key(u) for u in item["units"]}
        officers |= {normalize(o["name"]) for o in item["officers"]}
        activities |= {normalize(a) for a in item["activity_types"]}
        activities |= {normalize(a) for a in item["activity_terms_in_text"]}
    for kind, wanted, key in (
        ("units", units, unit_key),
        ("officers", officers, normalize),
        ("activities", activities, normalize),
    ):
        for entry in registry.all(kind):
            if entry.slug in old[kind]:
                continue
            if not {key(s) for s in entry.spellings} & wanted:
                scores.pollution.append(f"{kind}: {entry.name}")


def _score_syndication(scores, gold, made, source) -> None:
    groups: dict[str, list[str]] = {}
    for name, item in gold.items():
        if item["syndicated_group"]:
            groups.setdefault(item["syndicated_group"], []).append(name)
    for _, names in sorted(groups.items()):
        scores.groups.total += 1
        targets = {made.get(source / n) for n in names}
        if len(targets) == 1 and None not in targets:
            scores.groups.hits += 1
        else:
            scores.miss(names[0], f"syndication: {', '.join(names)} are not one release")
    owner: dict[Path, list[str]] = {}
    for name in gold:
        if made.get(source / name):
            owner.setdefault(made[source / name], []).append(name)
    for names in owner.values():
        kinds = {gold[n]["syndicated_group"] for n in names}
        if len(names) > 1 and (len(kinds) > 1 or None in kinds):
            scores.false_merges.append(", ".join(sorted(names)))


def _similarities(registry, gold, source) -> dict[str, float]:
    """How alike copies are, and how alike the closest texts that are not copies are."""
    try:
        from arsip.importer.drafts import read_draft
        from arsip.importer.syndication import similarity
    except ImportError:  # an importer without copy detection
        return {}
    texts = {}
    for name in gold:
        try:
            draft = read_draft(registry, source / name)
        except Exception:  # refused files have no body to compare
            continue
        texts[name] = (draft.comparable, draft.date.date())
    copies, others, same_day = [], [], []
    names = sorted(texts)
    for index, first in enumerate(names):
        for second in names[index + 1 :]:
            score = similarity(texts[first][0], texts[second][0])
            group = gold[first]["syndicated_group"]
            if group and group == gold[second]["syndicated_group"]:
                copies.append(score)
            else:
                others.append(score)
                if texts[first][1] == texts[second][1]:
                    same_day.append(score)
    return {
        "copies_lowest": round(min(copies), 1) if copies else None,
        "others_highest": round(max(others), 1) if others else None,
        "others_same_day_highest": round(max(same_day), 1) if same_day else None,
    }


def summary(scores: Scores) -> dict:
    op, orec, of1 = prf(*scores.officers)
    up, urec, _ = prf(*scores.units)
    return {
        "dates": str(scores.dates),
        "times": str(scores.times),
        "officers": {"precision": round(op, 2), "recall": round(orec, 2), "f1": round(of1, 2)},
        "units": {"precision": round(up, 2), "recall": round(urec, 2)},
        "headlines": str(scores.headlines),
        "clean_titles": str(scores.clean_titles),
        "sources": str(scores.sources),
        "sources_lenient": str(scores.sources_lenient),
        "pollution": len(scores.pollution),
        "syndicated_groups": str(scores.groups),
        "false_merges": len(scores.false_merges),
        "similarity": scores.similarity,
    }


def print_report(scores: Scores) -> None:
    for name, misses in sorted(scores.misses.items()):
        print(name)
        for text in misses:
            print(f"  {text}")
    if scores.pollution:
        print("registry pollution")
        for text in scores.pollution:
            print(f"  {text}")
    for names in scores.false_merges:
        print(f"merged but not copies: {names}")
    figures = summary(scores)
    officers, units = figures["officers"], figures["units"]
    print()
    print(f"dates          {figures['dates']}  (times {figures['times']})")
    print(
        f"officers       F1 {officers['f1']:.2f} "
        f"(P {officers['precision']:.2f} R {officers['recall']:.2f})"
    )
    print(f"units          P {units['precision']:.2f} R {units['recall']:.2f}")
    print(f"headlines      {figures['headlines']}")
    print(f"clean titles   {figures['clean_titles']}")
    print(f"sources        {figures['sources']}  (lenient {figures['sources_lenient']})")
    print(f"pollution      {figures['pollution']}")
    print(
        f"syndication    {figures['syndicated_groups']} groups as one release, "
        f"{figures['false_merges']} false merges"
    )
    if scores.similarity:
        similar = scores.similarity
        print(
            f"similarity     copies {similar['copies_lowest']} at the least; other texts "
            f"{similar['others_highest']} at the most "
            f"({similar['others_same_day_highest']} on the same day)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="raw releases and expected.json")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="copy the imported content folder here")
    args = parser.parse_args(argv)
    if not (args.source / "expected.json").is_file():
        print(f"{args.source}: no expected.json here", file=sys.stderr)
        return 2
    scores = evaluate(args.source, args.keep)
    print_report(scores)
    if args.json:
        data = {"figures": summary(scores), "misses": scores.misses, "pollution": scores.pollution}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
