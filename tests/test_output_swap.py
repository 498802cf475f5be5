"""A failed or killed build never changes the output folder, whatever the command
(plugins/output_swap.py, arsip/output.py)."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, stalled_pagefind

from arsip import output as swap

RELEASE_SOURCE = "rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
RELEASE_PAGE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/index.html"
SITE_URL = "https://arsip.example.id"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def beside(output: Path) -> list[str]:
    """What else is in the output's parent folder: leftovers of builds. The
    previous output (`.NAME.del-*`) is removed in the background: waited for."""
    deadline = time.monotonic() + 60
    while True:
        found = sorted(p.name for p in output.parent.iterdir() if p.name.startswith("."))
        if not any(".del-" in name for name in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def command(kind: str, content: Path, out: Path, cache: Path) -> list[str]:
    if kind == "invoke build":
        return [sys.executable, "-m", "invoke", "build", "--content", str(content)] + [
            "--output",
            str(out),
        ]
    settings = "publishconf.py" if kind == "pelican publishconf" else "pelicanconf.py"
    return [sys.executable, "-m", "pelican", str(content), "-s", settings, "-o", str(out)] + [
        "-e",
        f'CACHE_PATH="{cache}"',
    ]


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SITEURL": SITE_URL, **(env or {})}
    return subprocess.run(
        args, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )


# --- how a build can fail ---------------------------------------------------


def unknown_unit(content: Path, tmp_path: Path):
    """Stops before anything is written (the registry)."""
    source = content / RELEASE_SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("Units: ", "Units: Polsek Antah; ", 1),
        encoding="utf-8",
    )
    return [], {}


def unreadable_page(content: Path, tmp_path: Path):
    """Pelican logs it and writes the rest; plugins/strict.py fails the build at the end."""
    source = content / RELEASE_SOURCE
    source.write_text(
        source.read_text(encoding="utf-8").replace("Title: Ngopi", "Title: Diubah: Ngopi"),
        encoding="utf-8",
    )
    (content / "pages" / "rusak.md").write_bytes(b"Title: Caf\xe9\n\nIsi.\n")
    return [], {}


def failing_template(content: Path, tmp_path: Path):
    """The release template fails while the pages are being written."""
    theme = tmp_path / "theme-rusak"
    if not theme.exists():
        shutil.copytree(ROOT / "theme", theme)
        article = theme / "templates" / "article.html"
        article.write_text(
            article.read_text(encoding="utf-8").replace(
                "{% block content %}", "{% block content %}{{ article.tidak_ada() }}", 1
            ),
            encoding="utf-8",
        )
    return ["-e", f'THEME="{theme}"'], {}


def no_pagefind(content: Path, tmp_path: Path):
    """The search index fails: the last step before the post-build plugins."""
    return [], {"PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-pagefind")}


FAILURES = {
    "pelican publishconf": [unknown_unit, unreadable_page, failing_template, no_pagefind],
    # The development settings fail at the other two points in
    # tests/test_build_task.py (an unreadable page, through `invoke build`) and in
    # the symlink and autoreload tests below (an unknown unit).
    "pelican pelicanconf": [failing_template, no_pagefind],
}


# `invoke build` runs `pelican` with pelicanconf.py (tasks.py): its failures are
# the development settings'; tests/test_build_task.py checks one through invoke.
@pytest.mark.parametrize("kind", FAILURES)
def test_a_failed_build_changes_nothing_in_the_output(kind, content_copy, tmp_path):
    """publishconf.py empties the output first (DELETE_OUTPUT_DIRECTORY): a
    failing build used to leave 0 files of 243."""
    out = tmp_path / "situs" / "output"
    cache = tmp_path / "cache"
    first = run(command(kind, content_copy, out, cache))
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(out)
    assert RELEASE_PAGE in before and any(
        k.startswith("pagefind/shards/") and "/filter/" in k for k in before
    )
    # A rebuild of unchanged content (Pagefind skipped) is whole and the same.
    again = run(command(kind, content_copy, out, cache))
    assert again.returncode == 0, again.stdout + again.stderr
    assert snapshot(out) == before
    pristine = tmp_path / "pristine"
    shutil.copytree(content_copy, pristine)

    for failure in FAILURES[kind]:
        extra, env = failure(content_copy, tmp_path)
        result = run(command(kind, content_copy, out, cache) + extra, env)
        assert result.returncode != 0, failure.__name__
        assert snapshot(out) == before, f"{kind}: {failure.__name__} changed the output"
        assert beside(out) == [], f"{kind}: {failure.__name__} left {beside(out)}"
        shutil.rmtree(content_copy)
        shutil.copytree(pristine, content_copy)


def test_a_symlinked_output_is_followed_and_kept(content_copy, tmp_path):
    web_root = tmp_path / "srv" / "www"
    web_root.mkdir(parents=True)
    (web_root / "lama.html").write_text("situs lama")
    link = tmp_path / "output"
    link.symlink_to(web_root, target_is_directory=True)

    result = run(command("invoke build", content_copy, link, tmp_path / "cache"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert link.is_symlink() and link.readlink() == web_root
    assert (web_root / RELEASE_PAGE).is_file()
    assert not (web_root / "lama.html").exists(), "the new build replaces the old site whole"
    assert beside(web_root) == [] and beside(link) == []

    before = snapshot(web_root)
    unknown_unit(content_copy, tmp_path)
    failed = run(command("invoke build", content_copy, link, tmp_path / "cache"))
    assert failed.returncode != 0
    assert link.is_symlink() and snapshot(web_root) == before


@pytest.mark.parametrize("kind", ["pelican pelicanconf", "invoke build"])
def test_an_output_that_is_a_file_gets_one_clear_line(kind, content_copy, tmp_path):
    out = tmp_path / "output"
    out.write_text("bukan folder")
    result = run(command(kind, content_copy, out, tmp_path / "cache"))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{out}: error: the output is a file, not a folder" in result.stderr
    assert out.read_text() == "bukan folder"
    assert beside(out) == []


def test_a_killed_build_leaves_the_output_and_the_next_build_clears_its_folder(
    content_copy, tmp_path
):
    out = tmp_path / "output"
    cache = tmp_path / "cache"
    first = run(command("pelican pelicanconf", content_copy, out, cache))
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(out)
    source = content_copy / RELEASE_SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nKalimattambahan.\n", encoding="utf-8")

    # Pagefind that never finishes: the build waits for it with every page written.
    slow = stalled_pagefind(tmp_path)
    build = subprocess.Popen(
        command("pelican pelicanconf", content_copy, out, cache),
        cwd=ROOT,
        env={**os.environ, "PAGEFIND_BINARY_PATH": str(slow)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any((p / RELEASE_PAGE).exists() for p in tmp_path.glob(".output.new-*")):
            assert time.monotonic() < deadline and build.poll() is None
            time.sleep(0.05)
        time.sleep(0.5)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    assert snapshot(out) == before
    assert len(beside(out)) == 1, "the killed build's folder is still there"

    second = run(command("pelican pelicanconf", content_copy, out, cache))
    assert second.returncode == 0, second.stdout + second.stderr
    assert b"Kalimattambahan" in (out / RELEASE_PAGE).read_bytes()
    assert beside(out) == []


def test_a_folder_a_running_build_holds_is_not_taken_for_a_leftover(content_copy, tmp_path):
    out = tmp_path / "output"
    held = tmp_path / ".output.new-berjalan"
    (held / "sebagian").mkdir(parents=True)
    descriptor = os.open(held, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        result = run(command("pelican pelicanconf", content_copy, out, tmp_path / "cache"))
        assert result.returncode == 0, result.stdout + result.stderr
        assert (held / "sebagian").is_dir()
    finally:
        os.close(descriptor)
    swap.clean_leftovers(out)
    assert not held.exists()


def test_autoreload_keeps_the_output_through_a_failed_run(content_copy, tmp_path):
    out = tmp_path / "output"
    log = tmp_path / "autoreload.log"
    args = command("pelican pelicanconf", content_copy, out, tmp_path / "cache")
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [*args, "--autoreload"],
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_for(condition, what, write=None):
        """Pelican watches for changes only between runs: one made while a run
        is finishing is missed, so the change is written again now and then."""
        deadline = time.monotonic() + 120
        written = 0.0
        while not condition():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"{what}:\n{log.read_text()}"
            if write and time.monotonic() - written > 3:
                write()
                written = time.monotonic()
            time.sleep(0.2)

    try:
        wait_for(lambda: (out / RELEASE_PAGE).is_file() and beside(out) == [], "first build")
        before = snapshot(out)
        source = content_copy / RELEASE_SOURCE
        text = source.read_text(encoding="utf-8")
        broken = text.replace("Units: ", "Units: Polsek Antah; ", 1)
        wait_for(
            lambda: "Caught exception" in log.read_text(),
            "the failed run",
            lambda: source.write_text(broken, encoding="utf-8"),
        )
        assert snapshot(out) == before
        wait_for(
            lambda: b"Kalimattambahan" in (out / RELEASE_PAGE).read_bytes(),
            "the next run",
            lambda: source.write_text(text + "\nKalimattambahan.\n", encoding="utf-8"),
        )
        wait_for(lambda: beside(out) == [], "the failed run's folder removed")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- arsip/output.py in-process ---------------------------------------------


def test_without_an_atomic_exchange_two_renames_do_it(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "_exchange", lambda first, second: False)
    out = tmp_path / "output"
    out.mkdir()
    (out / "lama.html").write_text("lama")
    fresh = swap.FreshFolder(out)
    (fresh.path / "baru.html").write_text("baru")
    fresh.put_in_place()
    assert sorted(p.name for p in out.iterdir()) == ["baru.html"]
    assert beside(out) == []


def test_a_previous_output_caught_between_two_renames_is_put_back(tmp_path):
    """A kill after `output` was renamed aside and before the new folder took its name."""
    out = tmp_path / "output"
    aside = tmp_path / ".output.old-1a2b3c4d"
    aside.mkdir()
    (aside / "index.html").write_text("situs utuh")
    (tmp_path / ".output.new-x1y2z3").mkdir()  # the new build, never put in place
    swap.clean_leftovers(out)
    assert (out / "index.html").read_text() == "situs utuh"
    assert beside(out) == []


def test_names_in_output_retention_are_carried_over(tmp_path):
    out = tmp_path / "output"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "basi.html").write_text("halaman lama")
    fresh = swap.FreshFolder(out)
    (fresh.path / "index.html").write_text("baru")
    fresh.put_in_place(retain=[".git", "tidak-ada"])
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert not (out / "basi.html").exists()


def test_a_fresh_folder_is_readable_like_a_plain_folder(tmp_path):
    fresh = swap.FreshFolder(tmp_path / "output")
    try:
        assert stat.S_IMODE(fresh.path.stat().st_mode) == 0o777 & ~_umask()
    finally:
        fresh.discard()
    assert list(tmp_path.iterdir()) == []


def test_clean_removes_the_folder_a_link_names_and_keeps_the_link(tmp_path):
    target = tmp_path / "www"
    (target / "sub").mkdir(parents=True)
    link = tmp_path / "output"
    link.symlink_to(target)
    (tmp_path / ".www.new-sisa").mkdir()
    swap.remove(link)
    assert link.is_symlink() and not target.exists()
    assert beside(target) == []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_swap_is_the_last_step_of_a_public_build(tmp_path):
    """publishconf.py adds post-build steps to pelicanconf.py's: the swap must
    still come after them, or they would change the live output."""
    script = (
        "from pelican import Pelican\n"
        "from pelican.plugins import signals\n"
        "from pelican.settings import read_settings\n"
        f"settings = read_settings('publishconf.py', override={{'OUTPUT_PATH': {str(tmp_path)!r}}})\n"
        "pelican = Pelican(settings)\n"
        "*_, last = signals.finalized.receivers_for(pelican)\n"
        "print(last.__module__ + '.' + last.__name__)\n"
        "for step in pelican.post_build_steps:\n"
        "    print(step.__module__ + '.' + step.__name__)\n"
    )
    result = run([sys.executable, "-c", script])
    assert result.returncode == 0, result.stderr
    runner, *steps = result.stdout.split()
    assert runner == "arsip.post_build.run"
    assert steps[-1] == "output_swap.put_in_place"
    assert {"search.index_site", "compress.compress_output"} < set(steps[:-1])


def test_a_mount_point_output_gets_the_build_copied_in(tmp_path, monkeypatch):
    """A folder mounted as the output (a container volume) cannot be renamed."""
    out = tmp_path / "output"
    (out / "basi" / "lama").mkdir(parents=True)
    (out / "basi" / "lama" / "index.html").write_text("halaman lama")
    (out / "index.html").write_text("lama")
    (out / ".git").mkdir()
    mounted = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == out or mounted(path))
    fresh = swap.FreshFolder(out)
    (fresh.path / "rilis").mkdir()
    (fresh.path / "rilis" / "index.html").write_text("baru")
    (fresh.path / "index.html").write_text("baru")
    fresh.put_in_place(retain=[".git"])
    assert snapshot(out) == {"index.html": b"baru", "rilis/index.html": b"baru"}
    assert (out / ".git").is_dir()
    assert beside(out) == []


def test_the_new_output_keeps_the_old_ones_permissions(tmp_path):
    out = tmp_path / "output"
    out.mkdir()
    out.chmod(0o750)
    fresh = swap.FreshFolder(out)
    fresh.put_in_place()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750


def test_the_previous_output_is_removed_apart_from_the_build(tmp_path):
    out = tmp_path / "output"
    (out / "lama").mkdir(parents=True)
    (out / "lama" / "index.html").write_text("lama")
    fresh = swap.FreshFolder(out)
    (fresh.path / "index.html").write_text("baru")
    fresh.put_in_place()
    assert snapshot(out) == {"index.html": b"baru"}
    assert beside(out) == []
