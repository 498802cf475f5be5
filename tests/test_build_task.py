"""`invoke build` swaps in a complete site or keeps the old one; builds are reproducible."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, run_pelican


def invoke_build(content: Path, output: Path, task: str = "build", env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "invoke", task, "--content", str(content), "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_keeps_the_previous_site(content_copy, tmp_path):
    site = tmp_path / "public" / "output"
    # The new site is renamed into place, so it is made beside the output, on the
    # same file system, never in TMPDIR.
    first = invoke_build(content_copy, site, env={**os.environ, "TMPDIR": "/nonexistent"})
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(site)
    assert "index.html" in before and oct(site.stat().st_mode & 0o777) == "0o755"

    # An edited release, and a page Pelican cannot read: it logs an error and
    # writes the rest, so building in place would change the site.
    release = content_copy / "rilis" / "2024" / "2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("Title: Ngopi", "Title: Diubah: Ngopi"), encoding="utf-8")
    (content_copy / "pages" / "rusak.md").write_bytes(b"Title: Caf\xe9\n\nIsi.\n")
    failed = invoke_build(content_copy, site)
    assert failed.returncode != 0
    assert failed.stderr.splitlines() == [
        f"{content_copy / 'pages' / 'rusak.md'}:1: error: not valid UTF-8 (byte 0xe9 at offset 10): "
        "save the file as UTF-8"
    ]
    assert snapshot(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["output"], "no temporary folder left"


def test_successful_build_replaces_the_whole_site(content_copy, tmp_path):
    site = tmp_path / "output"
    assert invoke_build(content_copy, site, "rebuild").returncode == 0
    removed = content_copy / "rilis" / "2024" / "2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
    page = site / "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/index.html"
    assert page.is_file()
    removed.unlink()
    result = invoke_build(content_copy, site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not page.exists(), "a page of a deleted release must not linger"
    assert (site / "index.html").is_file()
    # The previous site is removed by a process of its own, then nothing is left.
    deadline = time.monotonic() + 60
    while [p for p in tmp_path.iterdir() if p.name.startswith(".output.del-")]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_same_content_gives_byte_identical_output(content_copy, tmp_path, monkeypatch):
    # Releases sharing a date and time test the ordering of ties.
    for number in range(1, 6):
        (content_copy / "rilis" / "2024" / f"kembar-{number}.md").write_text(
            f"Title: Rilis kembar {number}\nDate: 2024-11-29 10:00\nSlug: kembar-{number}\n"
            "Summary: Ringkasan.\nUnits: Polsek Menteng; Koramil 08 Johar Baru\n"
            "Activities: Ngopi Kamtibmas\nSources: kabarmetro.co\nStatus: published\n\nIsi.\n",
            encoding="utf-8",
        )
    builds = []
    for seed, name in (("1", "satu"), ("2", "dua")):
        monkeypatch.setenv("PYTHONHASHSEED", seed)  # set and dict order of strings differ
        build = run_pelican(content_copy, tmp_path / name)
        assert build.returncode == 0, build.stdout + build.stderr
        builds.append(snapshot(build.output))
    # Every file, the whole search index included (plugins/search.py: stable_index).
    first, second = builds
    assert len(first) > 40 and any(k.startswith("pagefind/shards/2024/fragment/") for k in first)
    assert any(k.startswith("pagefind/shards/2024/filter/") for k in first)
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
    machine_paths = (str(tmp_path).encode(), str(ROOT).encode())
    assert not [name for name, data in first.items() if any(p in data for p in machine_paths)]


def test_output_carries_no_build_time(site):
    today = datetime.date.today()
    assert today.year > 2024, "the releases are from 2024; this test needs a later build date"
    for path in site.output.rglob("*"):
        if path.suffix in {".html", ".xml"}:
            text = path.read_text(encoding="utf-8")
            assert str(today.year) not in text, path
