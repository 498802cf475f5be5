"""A preview session's rebuilds give the site a full build gives, and render little.

One session (engine/preview.py) builds a generated corpus, then rebuilds after
each step of edits: a body edit, a new title, a release moved to another
year, another officer, a new release and a deleted one, a broken release and
its fix, no change at all, one letter changed (the file keeps its size).
After every step the session's output must be byte for byte the output of a
full `pelican` build of the same content in a fresh folder; a failed step
must leave the previous output as it was.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

from tests.conftest import ROOT, run_pelican  # noqa: E402
from tests.test_engine import differences  # noqa: E402

RELEASES = 40


def same_size_edit(text: str) -> str:
    """One letter of the body changed: the file keeps its size."""
    header, body = text.split("\n\n", 1)
    at = next(i for i, letter in enumerate(body) if letter == "a")
    return f"{header}\n\n{body[:at]}o{body[at + 1 :]}"


def field(text: str, name: str, value: str) -> str:
    return re.sub(rf"^{name}: .*$", f"{name}: {value}", text, count=1, flags=re.M)


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    """Run the session through the plan; returns (report, snapshots folder)."""
    base = tmp_path_factory.mktemp("preview")
    content = base / "content"
    generate.generate(RELEASES, content, seed=5)
    releases = sorted((content / "rilis").rglob("*.md"))
    text = {path: path.read_text(encoding="utf-8") for path in releases}
    edited, retitled, moved, reassigned, removed = (
        releases[3],
        releases[10],
        releases[20],
        releases[25],
        releases[30],
    )
    added = content / "rilis" / "2026" / "2026-10-30-rilis-baru-hari-ini.md"
    new_release = text[edited]
    for name, value in (("Title", "Rilis Baru Hari Ini"), ("Slug", "rilis-baru-hari-ini")):
        new_release = field(new_release, name, value)
    new_release = field(new_release, "Date", "2026-10-30 10:00")
    new_release = new_release.replace("\n\n", "\n\nRilis ini ditulis hari ini.\n\n", 1)
    officers = re.search(r"^Officers: (.*)$", text[releases[1]], re.M).group(1)
    plan_steps = [
        {},
        {
            "write": {
                str(edited): text[edited].replace("\n\n", "\n\nKalimat baru dari editor.\n\n", 1)
            }
        },
        {"write": {str(retitled): field(text[retitled], "Title", "Judul Baru dari Editor")}},
        {"write": {str(moved): field(text[moved], "Date", "2019-02-03 09:15")}},
        {"write": {str(reassigned): field(text[reassigned], "Officers", officers)}},
        {"write": {str(added): new_release}, "delete": [str(removed)]},
        {"write": {str(edited): field(text[edited], "Officers", "Kompol Tidak Dikenal Siapapun")}},
        {"write": {str(edited): text[edited]}},
        {},
        {"write": {str(edited): same_size_edit(text[edited])}},
    ]
    plan = {
        "content": str(content),
        "output": str(base / "output"),
        "snapshots": str(base / "snapshots"),
        "settings": str(ROOT / "pelicanconf.py"),
        "overrides": {"CACHE_PATH": str(base / "cache")},
        "steps": plan_steps,
    }
    plan_file = base / "plan.json"
    plan_file.write_text(json.dumps(plan), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "preview_driver.py"), str(plan_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return report, base / "snapshots"


STEPS = {
    0: "first build",
    1: "body edited",
    2: "title changed",
    3: "date moved to another year",
    4: "officers changed",
    5: "release added, another deleted",
    7: "broken release fixed",
    8: "nothing changed",
    9: "a letter changed, same size",
}
BROKEN = 6


@pytest.mark.parametrize("step", STEPS, ids=STEPS.values())
def test_session_output_equals_a_full_build(steps, step, tmp_path):
    report, snapshots = steps
    assert report[step]["error"] is None
    full = run_pelican(
        snapshots / str(step) / "content",
        tmp_path / "full",
        "pelicanconf.py",
        "-e",
        f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}",
    )
    assert full.returncode == 0, full.stdout + full.stderr
    assert differences(snapshots / str(step) / "output", full.output) == []


def test_a_failed_rebuild_leaves_the_output_as_it_was(steps):
    report, snapshots = steps
    assert report[BROKEN]["error"].startswith("ContentError")
    assert (
        differences(snapshots / str(BROKEN - 1) / "output", snapshots / str(BROKEN) / "output")
        == []
    )


def test_a_rebuild_renders_only_what_changed(steps):
    report, _ = steps
    first = report[0]
    assert first["rendered"] > 3 * RELEASES  # every page and feed
    # A body edit: the release's page, its neighbours' and related releases'
    # pages, the lists and feeds it is on; not the rest of the site.
    assert 0 < report[1]["rendered"] < first["rendered"] / 3
    assert report[BROKEN + 1]["rendered"] < first["rendered"] / 3
    assert report[8]["rendered"] == 0  # the build was skipped: nothing to read or render
    assert report[9]["rendered"] > 0  # same size, written within the file system's clock tick
