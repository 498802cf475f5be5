"""Search index on rebuilds (issue 5): Pagefind runs only when what it reads changed.

Pagefind is started through a wrapper (PAGEFIND_BINARY_PATH) that logs each
call and then runs the real binary, so the tests see whether the index was
built again; a browser test then searches the rebuilt index in Chromium. The
builds are one sequence of edits on one output and cache (the `rebuilds`
fixture); each test reads what the steps it is about did.
"""

from __future__ import annotations

import hashlib
import re
import shlex
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import Build, copy_content, run_pelican, serve
from pagefind_bin import get_executable
from test_search import indexed_records, result_paths, wait_for_search

MENTENG_SOURCE = "rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
MENTENG_RELEASE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
TAWURAN_SOURCE = "rilis/2024/2024-11-20-cooling-system-bhabinkamtibmas-cegah-tawuran.md"
TAWURAN_RELEASE = "rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/"
NEW_SENTENCE = "\nUsai kegiatan, petugas berswafoto dengan warga.\n"


def indexed(calls: list[str]) -> int:
    """How many indexes Pagefind built in these calls (not `--version`): the
    runtime's and each shard's."""
    return sum(call.startswith("--site ") for call in calls)


def add_release_of_2023(content: Path) -> None:
    """A copy of the tawuran release dated 2023: the archive has two shards."""
    text = (content / TAWURAN_SOURCE).read_text(encoding="utf-8")
    text = re.sub(r"(?m)^Date: .*$", "Date: 2023-06-01 10:00", text)
    text = re.sub(r"(?m)^Slug: (.*)$", r"Slug: \1-2023", text)
    text = re.sub(r"(?m)^Title: (.*)$", r"Title: \1 (2023)", text)
    (content / "rilis" / "2023").mkdir()
    (content / "rilis" / "2023" / "2023-06-01-tawuran.md").write_text(text, encoding="utf-8")


def index_files(output) -> dict[str, str]:
    bundle = output / "pagefind"
    return {
        str(path.relative_to(bundle)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


@dataclass
class Step:
    """One build of the sequence: whether Pagefind indexed, and what it left."""

    build: Build
    indexed: int  # indexes Pagefind built: the runtime's and each shard's
    index: dict[str, str] = field(default_factory=dict)  # file -> digest
    records: dict[str, dict] = field(default_factory=dict)  # page -> what Pagefind stored
    leftovers: list[str] = field(default_factory=list)  # Pagefind's staging folders


class Rebuilds:
    """content/ built again and again into one output with one cache, Pagefind run
    through a wrapper that logs its arguments (and, when FAKE_PAGEFIND_VERSION is
    set, answers `--version` with it)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.content = copy_content(folder / "content")
        self.output, self.cache = folder / "output", folder / "cache"
        self.log = folder / "pagefind-calls.log"
        self.log.touch()
        self.wrapper = folder / "pagefind-wrapper"
        self.wrapper.write_text(
            "#!/bin/sh\n"
            f'echo "$*" >> {shlex.quote(str(self.log))}\n'
            'if [ "$1" = --version ] && [ -n "$FAKE_PAGEFIND_VERSION" ]; then\n'
            '  echo "pagefind $FAKE_PAGEFIND_VERSION"; exit 0\n'
            "fi\n"
            f'exec {shlex.quote(str(get_executable()))} "$@"\n'
        )
        self.wrapper.chmod(self.wrapper.stat().st_mode | stat.S_IXUSR)
        self.steps: dict[str, Step] = {}

    def build(self, name: str, fails: bool = False, **environment) -> Step:
        seen = len(self.log.read_text().splitlines())
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PAGEFIND_BINARY_PATH", str(self.wrapper))
            patch.delenv("FAKE_PAGEFIND_VERSION", raising=False)
            for key, value in environment.items():
                patch.setenv(key, value)
            build = run_pelican(
                self.content, self.output, "pelicanconf.py", "-e", f'CACHE_PATH="{self.cache}"'
            )
        assert (build.returncode != 0) == fails, build.stdout + build.stderr
        calls = self.log.read_text().splitlines()[seen:]
        step = self.steps[name] = Step(build, indexed(calls))
        step.leftovers = [p.name for p in self.output.glob(".pagefind*")]
        if (self.output / "pagefind").exists():
            step.index, step.records = index_files(self.output), indexed_records(build)
        return step


@pytest.fixture(scope="module")
def rebuilds(tmp_path_factory) -> Rebuilds:
    """The whole sequence, each step named; tests read what each step did."""
    run = Rebuilds(tmp_path_factory.mktemp("rebuilds"))
    add_release_of_2023(run.content)
    run.build("first")
    run.build("unchanged")
    # A page outside the releases changes other pages, not what Pagefind reads.
    (run.content / "pages" / "uji.md").write_text(
        "Title: Halaman uji\nSlug: uji\n\nHalaman baru.\n", encoding="utf-8"
    )
    run.build("new page")
    source = run.content / MENTENG_SOURCE
    source.write_text(source.read_text(encoding="utf-8") + NEW_SENTENCE, encoding="utf-8")
    run.build("release edited")
    shutil.copytree(run.output, run.folder / "after-the-edit")  # for the browser
    # The same content from scratch: another output, another cache.
    run.fresh = run_pelican(
        run.content, run.folder / "fresh", "pelicanconf.py", "-e",
        f'CACHE_PATH="{run.folder / "fresh-cache"}"',
    )  # fmt: skip
    (run.content / TAWURAN_SOURCE).unlink()
    run.build("release removed")

    fragment = next((run.output / "pagefind" / "shards" / "2024" / "fragment").iterdir())
    run.touched = f"shards/2024/fragment/{fragment.name}"
    fragment.write_bytes(fragment.read_bytes() + b"x")
    run.build("index file changed")
    (run.output / "pagefind" / "pagefind.js").unlink()
    run.build("index file missing")
    # The same releases, but another version of Pagefind.
    run.build("another pagefind", FAKE_PAGEFIND_VERSION="1.5.3")
    (run.output / "pagefind" / "shards" / "2024" / "fragment" / "stale.pf_fragment").write_bytes(
        b"old"
    )
    run.build("stale file in the index")
    run.build("no pagefind", fails=True, PAGEFIND_BINARY_PATH=str(run.folder / "no-such-pagefind"))

    for release in (run.content / "rilis").rglob("*.md"):
        text = release.read_text(encoding="utf-8")
        release.write_text(text.replace("Status: published", "Status: draft"), encoding="utf-8")
    run.build("no release published")
    return run


def test_pagefind_runs_again_only_when_a_release_changed(rebuilds):
    steps = rebuilds.steps
    assert steps["first"].indexed == 3, "the runtime and the shards of 2023 and 2024"
    shards = {name.split("/")[1] for name in steps["first"].index if name.startswith("shards/")}
    assert shards == {"2023", "2024"}
    assert not steps["unchanged"].indexed, "nothing changed, yet Pagefind ran"
    assert steps["unchanged"].index == steps["first"].index
    assert not steps["new page"].indexed, "no release changed, yet Pagefind ran"
    assert steps["new page"].index == steps["first"].index
    assert steps["release edited"].indexed, "a release was edited, yet Pagefind did not run"
    assert "berswafoto" in steps["release edited"].records[MENTENG_RELEASE]["content"]
    assert steps["release edited"].indexed == 1, "only the shard of 2024 is indexed again"
    assert steps["release removed"].indexed, "a release was removed, yet Pagefind did not run"
    assert TAWURAN_RELEASE not in steps["release removed"].records
    assert MENTENG_RELEASE in steps["release removed"].records
    assert all(step.leftovers == [] for step in steps.values())


def test_a_touched_index_or_another_pagefind_builds_the_index_again(rebuilds):
    steps = rebuilds.steps
    changed = steps["index file changed"]
    assert changed.indexed, "an index file was changed, yet the index was kept"
    assert changed.index[rebuilds.touched] == steps["release removed"].index[rebuilds.touched]
    assert steps["index file missing"].indexed, "an index file was missing, yet the index was kept"
    assert "pagefind.js" in steps["index file missing"].index
    assert steps["another pagefind"].indexed, "Pagefind's version changed, yet the index was kept"


def test_after_an_edit_the_new_word_is_found_stemmed_and_filtered(page, rebuilds):
    with serve(rebuilds.folder / "after-the-edit") as edited_site:
        page.goto(f"{edited_site}cari/?q=swafoto")
        assert wait_for_search(page) == "1 rilis ditemukan untuk “swafoto”."
        assert result_paths(page, edited_site) == [MENTENG_RELEASE]
        marks = page.locator(".search-excerpt mark").all_inner_texts()
        assert [m.casefold() for m in marks] == ["berswafoto"]

        page.goto(f"{edited_site}cari/?q=swafoto&satuan=polsek-menteng")
        assert wait_for_search(page).startswith("1 rilis ditemukan untuk “swafoto” dengan saringan")
        page.goto(f"{edited_site}cari/?q=swafoto&satuan=polsek-johar-baru")
        assert wait_for_search(page).startswith("Tidak ada rilis yang cocok untuk “swafoto”")


def test_a_rebuild_replaces_the_index_whole(rebuilds):
    step = rebuilds.steps["stale file in the index"]
    assert step.indexed
    assert "shards/2024/fragment/stale.pf_fragment" not in step.index
    assert "pagefind.js" in step.index


def test_a_failed_indexing_stops_the_build_and_keeps_the_previous_index(rebuilds):
    failed = rebuilds.steps["no pagefind"]
    message = " ".join((failed.build.stdout + failed.build.stderr).split())
    assert "Pagefind is not installed" in message
    assert "pip install -r requirements.txt" in message
    assert failed.index == rebuilds.steps["stale file in the index"].index
    assert failed.leftovers == []


def test_an_archive_without_published_releases_has_no_index_and_says_so(rebuilds):
    assert "pagefind.js" in rebuilds.steps["no pagefind"].index  # there was one
    result = rebuilds.steps["no release published"].build
    assert not (rebuilds.output / "pagefind").exists()
    search_page = result.html("cari/")
    assert "Belum ada rilis yang terbit" in search_page.get_text()
    assert search_page.find("form", id="form-cari") is None
    assert not any("search.js" in (s.get("src") or "") for s in search_page.find_all("script"))


def test_an_edit_changes_only_its_shard_and_gives_what_a_fresh_build_gives(rebuilds):
    before, after = rebuilds.steps["new page"].index, rebuilds.steps["release edited"].index

    def shard(index, key):
        return {name: digest for name, digest in index.items() if name.startswith(f"shards/{key}/")}

    assert shard(after, "2023") == shard(before, "2023") != {}
    assert shard(after, "2024") != shard(before, "2024")
    assert index_files(rebuilds.fresh.output) == after
