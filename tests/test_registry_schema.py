"""The registry's schema: every malformed registry file is reported as located lines,
all at once, and never as a traceback (docs/errors.md, "The registry")."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arsip.registry import REGISTRY_MAX_BYTES, Registry, RegistryError
from arsip.rules import check_content
from arsip.settings import load as load_settings
from tests.conftest import ROOT, registry_module

PROBLEM = re.compile(r"[^:\n]+:\d+: error: [^\n]+")

UNITS = """\
# Units.
- slug: polsek-menteng
  name: Polsek Menteng
  aliases: [Polsek Metro Menteng]
  posts: [Kapolsek Menteng]
  description: Kepolisian Sektor Menteng.
"""
OFFICERS = """\
- slug: bayu-marfiando
  name: Bayu Marfiando
  degrees: [S.H.]
  service:
    - {rank: AKP, post: Wakapolsek Menteng, unit: polsek-menteng}
    - {rank: Kompol, post: Kapolsek Menteng, unit: polsek-menteng, from: 2024-11-08}
"""
ACTIVITIES = """\
- slug: ngopi-kamtibmas
  name: Ngopi Kamtibmas
"""
BASE = {"units": UNITS, "officers": OFFICERS, "activities": ACTIVITIES}


def write_registry(folder: Path, **files: str | bytes) -> Path:
    """A content folder whose registry is BASE with `files` (by kind) replaced."""
    registry = folder / "registry"
    registry.mkdir(parents=True, exist_ok=True)
    for kind, text in {**BASE, **files}.items():
        path = registry / f"{kind}.yaml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    """The problems of the registry in `folder`, with the folder left out of the paths."""
    with pytest.raises(RegistryError) as error:
        Registry.load(folder)
    assert error.value.problems
    for problem in error.value.problems:
        assert PROBLEM.fullmatch(problem), problem
    return [p.replace(f"{folder}/registry/", "") for p in error.value.problems]


# (file, its text, the problems): each file replaces one of BASE
CASES = {
    "name: yes": (
        "activities",
        "- slug: ya\n  name: yes\n",
        [
            "activities.yaml:2: error: `name: yes` is read by YAML as true/false, not as text: "
            'write `name: "yes"`'
        ],
    ),
    "aliases: [null]": (
        "activities",
        "- slug: ya\n  name: Ya\n  aliases: [null, ~, 2024]\n",
        [
            "activities.yaml:3: error: `aliases` item 1 is `null`, which YAML reads as no value: "
            "write a value or remove it",
            "activities.yaml:3: error: `aliases` item 2 is `~`, which YAML reads as no value: "
            "write a value or remove it",
            "activities.yaml:3: error: `aliases` item 3 (`2024`) is read by YAML as a number, not "
            'as text: write `"2024"`',
        ],
    ),
    "bare date and number as text": (
        "activities",
        "- slug: ya\n  name: 2024-11-08\n  description: 1.5\n",
        [
            "activities.yaml:2: error: `name: 2024-11-08` is read by YAML as a date, not as text: "
            'write `name: "2024-11-08"`',
            "activities.yaml:3: error: `description: 1.5` is read by YAML as a number, not as "
            'text: write `description: "1.5"`',
        ],
    ),
    "aliases: 5": (
        "activities",
        "- slug: ya\n  name: Ya\n  aliases: 5\n",
        [
            "activities.yaml:3: error: `aliases` must be a list, like "
            "`aliases: [Polsek Metro Menteng]`"
        ],
    ),
    "service: Kompol": (
        "officers",
        "- slug: ya\n  name: Ya\n  service: Kompol\n",
        [
            "officers.yaml:3: error: `service` must be a list, like `service: [{rank: Kompol, "
            "post: Kapolsek Menteng, unit: polsek-menteng}]`"
        ],
    ),
    "unit: [polsek-menteng]": (
        "officers",
        "- slug: ya\n  name: Ya\n  service:\n    - {rank: AKP, post: X, unit: [polsek-menteng]}\n",
        [
            "officers.yaml:4: error: `unit` of service item 1 must be one value, not a list: "
            "remove the brackets or the dashes"
        ],
    ),
    "service items that are not mappings, or lack rank": (
        "officers",
        "- slug: ya\n  name: Ya\n  service:\n    - Kompol\n    - post: X\n      frm: 2024-01-01\n",
        [
            "officers.yaml:4: error: service item 1 must be a mapping, like `{rank: Kompol, post: "
            "Kapolsek Menteng, unit: polsek-menteng, from: 2024-11-08}`",
            "officers.yaml:5: error: service item 2 has no `rank`: add `rank: ...`",
            "officers.yaml:6: error: unknown key `frm` (did you mean `from`?): a service item has "
            "rank, post, unit, from",
        ],
    ),
    "unit that is not in units.yaml": (
        "officers",
        "- slug: ya\n  name: Ya\n  service:\n    - {rank: AKP, post: X, unit: polsek-mentang}\n",
        [
            'officers.yaml:4: error: `unit` of service item 1: "polsek-mentang" is not a unit slug '
            'in units.yaml (did you mean "polsek-menteng"?): fix it or add the unit'
        ],
    ),
    "dates that are not dates": (
        "officers",
        "- slug: ya\n  name: Ya\n  service:\n"
        "    - {rank: AKP, post: X, from: 2024-02-30}\n"
        "    - {rank: AKP, post: Y, from: 2024-11-08 10:00}\n"
        "    - {rank: AKP, post: Z, from: }\n"
        "    - {rank: AKP, post: Z, from: yes}\n",
        [
            "officers.yaml:4: error: `from` of service item 1 is 2024-02-30, not a real date: "
            "write it like 2024-11-08",
            "officers.yaml:5: error: `from` of service item 2 must be a date like 2024-11-08",
            "officers.yaml:6: error: `from` of service item 3 is empty: write a date like "
            "2024-11-08, or remove the line",
            "officers.yaml:7: error: `from` of service item 4 must be a date like 2024-11-08",
        ],
    ),
    "two service items on the same day": (
        "officers",
        "- slug: ya\n  name: Ya\n  service:\n"
        "    - {rank: AKP, post: X, from: 2024-01-01}\n"
        "    - {rank: Kompol, post: Y, from: '2024-01-01'}\n",
        [
            "officers.yaml:5: error: service items 1 and 2 both start on 2024-01-01: keep one, or "
            "correct a `from`"
        ],
    ),
    "unknown and missing keys": (
        "units",
        UNITS + "- slug: ya\n  alias: [Y]\n  Name: Ya\n",
        [
            "units.yaml:7: error: this unit has no `name`: add `name: ...`",
            "units.yaml:8: error: unknown key `alias` (did you mean `aliases`?): an entry of "
            "units.yaml has slug, name, aliases, posts, description",
            "units.yaml:9: error: unknown key `Name` (did you mean `name`?): an entry of "
            "units.yaml has slug, name, aliases, posts, description",
        ],
    ),
    "a key twice": (
        "activities",
        "- slug: ya\n  name: Ya\n  name: Yb\n",
        ["activities.yaml:3: error: `name` appears twice here (first on line 2): keep one"],
    ),
    "slugs": (
        "activities",
        f"- slug: Ngopi Bareng\n  name: A\n- slug: {'a' * 101}\n  name: B\n",
        [
            'activities.yaml:1: error: `slug` is "Ngopi Bareng", not a slug: use lowercase '
            "letters, digits and hyphens, like polsek-menteng",
            "activities.yaml:3: error: `slug` is 101 characters long: keep it to 100",
        ],
    ),
    "a slug twice in a file": (
        "activities",
        ACTIVITIES + "- slug: ngopi-kamtibmas\n  name: Ngopi Bareng\n",
        [
            'activities.yaml:3: error: slug "ngopi-kamtibmas" is already used on line 1: give '
            "this entry another slug"
        ],
    ),
    "a slug in two files": (
        "activities",
        "- slug: polsek-menteng\n  name: Patroli\n",
        [
            'activities.yaml:1: error: slug "polsek-menteng" is already used on units.yaml:2 (a '
            "slug names one entry in the whole registry): give this entry another slug"
        ],
    ),
    "a spelling shared by two entries": (
        "units",
        UNITS + "- slug: polsek-gambir\n  name: Polsek Gambir\n  aliases: [POLSEK METRO MENTENG]\n",
        [
            'units.yaml:9: error: "POLSEK METRO MENTENG" already names polsek-menteng (line 4): '
            "a name, alias, post or slug may belong to one unit only; remove it from one of them"
        ],
    ),
    "text pages cannot show": (
        "activities",
        '- slug: ya\n  name: "Ya\\nTidak"\n  aliases: ["a\\x01", "\\t", "---", "\\ud800"]\n',
        [
            "activities.yaml:2: error: `name` must fit on one line: join the lines",
            "activities.yaml:3: error: `aliases` item 1 contains the character U+0001, which "
            "pages cannot show: remove it",
            "activities.yaml:3: error: `aliases` item 2 is empty: write a value or remove it",
            'activities.yaml:3: error: `aliases` item 3 is "---", without letters or digits: '
            "write a name",
            "activities.yaml:3: error: `aliases` item 4 contains the character U+D800, which "
            "pages cannot show: remove it",
        ],
    ),
    "anchors, aliases and merge keys": (
        "activities",
        "- &base\n  slug: ya\n  name: Ya\n- <<: *base\n  slug: yb\n",
        [
            "activities.yaml:1: error: YAML anchors and aliases (&name, *name) are not allowed in "
            "the registry: write each value out in full",
            "activities.yaml:4: error: YAML anchors and aliases (&name, *name) are not allowed in "
            "the registry: write each value out in full",
            "activities.yaml:4: error: this activity type has no `name`: add `name: ...`",
        ],
    ),
    "an alias cycle": (
        "activities",
        "- &a [*a]\n",
        [
            "activities.yaml:1: error: YAML anchors and aliases (&name, *name) are not allowed in "
            "the registry: write each value out in full",
            "activities.yaml:1: error: an entry must be a mapping (`slug: ...` and `name: ...` "
            "below `- `)",
        ],
    ),
    "tags": (
        "activities",
        "- slug: ya\n  name: !!python/object/apply:os.system [ls]\n  aliases: !!str 5\n",
        [
            "activities.yaml:2: error: YAML tags (!!python/object/apply:os.system) are not "
            "allowed in the registry: remove it (put the value in quotes to keep it as text)",
            "activities.yaml:3: error: YAML tags (!!str) are not allowed in the registry: remove "
            "it (put the value in quotes to keep it as text)",
        ],
    ),
    "an empty file": (
        "activities",
        "",
        [
            "activities.yaml:1: error: the file is empty: list the entries (each starting with "
            "`- slug:`, as in registry/activities.yaml's comments), or write `[]`"
        ],
    ),
    "only comments": (
        "activities",
        "# nothing yet\n",
        [
            "activities.yaml:1: error: the file is empty: list the entries (each starting with "
            "`- slug:`, as in registry/activities.yaml's comments), or write `[]`"
        ],
    ),
    "a mapping instead of a list": (
        "activities",
        "\nactivities:\n  - slug: ya\n    name: Ya\n",
        [
            "activities.yaml:2: error: expected a list of entries (each starting with `- slug:`, "
            "as in registry/activities.yaml's comments), found a mapping (`key: value`)"
        ],
    ),
    "a list of text instead of entries": (
        "activities",
        "- Ngopi Kamtibmas\n- [Patroli]\n",
        [
            "activities.yaml:1: error: an entry must be a mapping (`slug: ...` and `name: ...` "
            "below `- `)",
            "activities.yaml:2: error: an entry must be a mapping (`slug: ...` and `name: ...` "
            "below `- `)",
        ],
    ),
    "two documents": (
        "activities",
        ACTIVITIES + "---\n- slug: yb\n  name: Yb\n",
        [
            "activities.yaml:3: error: a second YAML document (after a `---` line): keep one list "
            "per file"
        ],
    ),
    "not UTF-8": (
        "activities",
        b"- slug: ya\n  name: Caf\xe9\n",
        ["activities.yaml:2: error: not UTF-8 (byte 0xe9): save the file as UTF-8"],
    ),
    "a control character in the file": (
        "activities",
        "- slug: ya\n  name: Y\x00a\n",
        ["activities.yaml:2: error: character U+0000 is not allowed: remove it"],
    ),
    "malformed YAML": (
        "activities",
        "- slug: ya\n  name: [Ya\n- slug: yb\n",
        [
            "activities.yaml:3: error: malformed YAML: expected ',' or ']', but got ':' (while "
            "parsing a flow sequence that starts on line 2): fix the quotes, brackets or "
            "indentation"
        ],
    ),
    "nested too deep": (
        "activities",
        "[" * 2000 + "]" * 2000,
        [
            "activities.yaml:1: error: nested more than 16 levels deep: an entry is a mapping of "
            "text, lists of text and service items"
        ],
    ),
}


@pytest.mark.parametrize("kind, text, expected", CASES.values(), ids=CASES.keys())
def test_each_malformed_registry_file_is_reported_on_its_lines(tmp_path, kind, text, expected):
    assert problems(write_registry(tmp_path, **{kind: text})) == expected


def test_every_problem_of_every_file_at_once(tmp_path):
    folder = write_registry(
        tmp_path,
        units="- slug: polsek-menteng\n  name: yes\n",
        officers=OFFICERS.replace("name: Bayu Marfiando", "name: [Bayu]"),
        activities="- slug: ngopi-kamtibmas\n  name: Ngopi\n  aliases: 5\n",
    )
    assert problems(folder) == [
        "units.yaml:2: error: `name: yes` is read by YAML as true/false, not as text: "
        'write `name: "yes"`',
        "officers.yaml:2: error: `name` must be one value, not a list: remove the brackets or "
        "the dashes",
        "activities.yaml:3: error: `aliases` must be a list, like "
        "`aliases: [Polsek Metro Menteng]`",
    ]


def test_quoted_values_are_text_and_the_entries_are_what_the_files_say(tmp_path):
    folder = write_registry(
        tmp_path,
        activities='\ufeff- slug: "2024"\n  name: "yes"\n  aliases: ["null", "5", \'2024-11-08\']\n'
        "  description: >\n    Dua\n    baris.\n",
    )
    registry = Registry.load(folder)
    entry = registry.get("activities", "2024")
    assert (entry.name, entry.aliases, entry.description) == (
        "yes",
        ("null", "5", "2024-11-08"),
        "Dua baris.",
    )
    assert entry.location == f"{folder}/registry/activities.yaml:1"
    officer = registry.get("officers", "bayu-marfiando")
    assert [(s.rank, s.unit, s.start) for s in officer.service] == [
        ("AKP", "polsek-menteng", None),
        ("Kompol", "polsek-menteng", datetime.date(2024, 11, 8)),
    ]
    assert officer.degrees == ("S.H.",)
    assert registry.get("units", "polsek-menteng").posts == ("Kapolsek Menteng",)


def test_an_empty_list_is_a_registry_without_entries(tmp_path):
    assert Registry.load(write_registry(tmp_path, activities="[]\n")).all("activities") == []


def test_missing_oversized_and_outside_files(tmp_path):
    folder = write_registry(tmp_path / "content")
    (folder / "registry" / "activities.yaml").unlink()
    (folder / "registry" / "units.yaml").write_bytes(b"#" * (REGISTRY_MAX_BYTES + 1))
    outside = tmp_path / "officers.yaml"
    outside.write_text(OFFICERS, encoding="utf-8")
    (folder / "registry" / "officers.yaml").unlink()
    (folder / "registry" / "officers.yaml").symlink_to(outside)
    assert problems(folder) == [
        "units.yaml:1: error: file is over 8 MB, the most a registry file may have: it is not a "
        "registry file, or something was pasted into it",
        f"officers.yaml:1: error: symbolic link to {outside}, outside the content folder: copy "
        "the file here",
        "activities.yaml:1: error: missing registry file: create it (a YAML list of entries)",
    ]


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for before, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + before] * 9)}]")
    bomb = "- " + "\n  ".join(lines) + "\n"  # 9^9 strings once expanded
    assert len(bomb.encode()) < 1024
    folder = write_registry(tmp_path, activities=bomb)
    tracemalloc.start()
    started = time.monotonic()
    try:
        found = problems(folder)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 2_000_000  # what reading a small file takes; expanded, gigabytes
    assert found[0] == (
        "activities.yaml:1: error: YAML anchors and aliases (&name, *name) are not allowed in the "
        "registry: write each value out in full"
    )
    assert len(found) == 9 * 2 + 2  # per line: the alias, the unknown key; no slug, no name


def test_the_python_parser_reads_the_registry_as_libyaml_does(tmp_path):
    folder = write_registry(tmp_path)
    fast = Registry.load(folder)
    python = registry_module(None).Registry.load(folder)
    assert repr(python.entries) == repr(fast.entries)


# -- any input at all ------------------------------------------------------------------

RANDOM = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = ["slug", "name", "aliases", "posts", "degrees", "service", "description", "rank", "post"]
KEYS += ["unit", "from", "<<", "Name", "? x", "- a", ""]
# Words that YAML 1.1 reads as something other than text, or that mean something to YAML.
TOKENS = ["yes", "No", "on", "OFF", "null", "~", "", "2024-11-08", "2024-13-45", "5", "0x1F"]
TOKENS += ["1:20", ".inf", "1e3", "polsek-menteng", "Polsek Menteng", "Kompol", "&a", "*a"]
TOKENS += ["&a x", "!!str", "!!python/object:os.system", "'q'", '"d\\x00"', '"\\ud800"', "[", "]"]
TOKENS += ["{", "}", "[a, b]", "{rank: X}", "- x", "|", ">", "#", ",", ": ", "%", "@", "`", "\t"]


def assert_located(folder: Path) -> None:
    """The registry loads, or every problem is one located line; nothing else is raised."""
    try:
        registry = Registry.load(folder)
    except RegistryError as error:
        assert error.problems
        for problem in error.problems:
            assert PROBLEM.fullmatch(problem), problem
            assert problem.startswith(f"{folder}/registry/"), problem
        return
    for kind in ("units", "officers", "activities"):
        for entry in registry.all(kind):
            assert all(isinstance(text, str) for text in (entry.name, *entry.spellings))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return write_registry(tmp_path_factory.mktemp("random"))


@RANDOM
@given(st.text(max_size=400) | st.binary(max_size=400))
def test_any_text_or_bytes(scratch, text):
    write_registry(scratch, activities=text)
    assert_located(scratch)


@st.composite
def yamlish(draw) -> str:
    """Lines that look like registry entries: keys, indents and tokens in any order."""
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 6, 1, 3]))
        dash = draw(st.sampled_from(["", "", "- "]))
        key = draw(st.sampled_from(KEYS))
        values = draw(st.lists(st.sampled_from(TOKENS), max_size=4))
        layout = draw(st.sampled_from(["{k}: {v}", "{k}: [{v}]", "{k}: {{{v}}}", "{v}", "{k}:"]))
        value = (", " if "[" in layout or "{{" in layout else " ").join(values)
        lines.append(indent + dash + layout.format(k=key, v=value))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))


@RANDOM
@given(yamlish(), st.sampled_from(["units", "officers", "activities"]))
def test_any_registry_like_yaml(scratch, text, kind):
    write_registry(scratch, **{kind: text})
    assert_located(scratch)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.text(max_size=20)
    | st.sampled_from(TOKENS)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=6)
    ),
    max_leaves=30,
)
entries = st.lists(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), max_size=5)


@RANDOM
@given(entries | values, st.sampled_from(["units", "officers", "activities"]), st.booleans())
def test_any_data_written_as_yaml(scratch, data, kind, flow):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    write_registry(scratch, **{kind: text})
    assert_located(scratch)


# -- the build and `invoke check` ----------------------------------------------------


def test_the_build_and_invoke_check_report_the_same_located_lines(content_copy, build_content):
    activities = content_copy / "registry" / "activities.yaml"
    officers = content_copy / "registry" / "officers.yaml"
    activities.write_text(
        activities.read_text(encoding="utf-8") + "\n- slug: x\n  name: yes\n  aliases: 5\n",
        encoding="utf-8",
    )
    officers.write_text(
        officers.read_text(encoding="utf-8").replace(
            "unit: polsek-menteng}", "unit: [polsek-menteng]}", 1
        ),
        encoding="utf-8",
    )
    expected = [
        f"{officers}:23: error: `unit` of service item 1 must be one value, not a list: remove "
        "the brackets or the dashes",
        f"{activities}:24: error: `name: yes` is read by YAML as true/false, not as text: write "
        '`name: "yes"`',
        f"{activities}:25: error: `aliases` must be a list, like `aliases: [Polsek Metro Menteng]`",
    ]
    build = build_content(content_copy)
    assert build.returncode != 0
    assert [line for line in build.stderr.splitlines() if line.startswith(str(content_copy))] == (
        sorted(expected)
    )
    # The build stops with its own error, never a Python error from reading the registry.
    assert not re.search(r"\b(Type|Attribute|Key|Index|Value|Recursion)Error\b", build.stdout)
    check = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode != 0
    assert "Traceback" not in check.stdout + check.stderr
    registry_lines = [
        line for line in check.stdout.splitlines() if line.startswith(f"{content_copy}/registry")
    ]
    assert sorted(registry_lines) == sorted(expected)
    found = [
        str(p) for p in check_content(content_copy, load_settings()) if "registry" in str(p.path)
    ]
    assert found == sorted(expected)  # `invoke check` sorts by file and line
