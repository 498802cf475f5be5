"""Publish and rollback killed (SIGKILL) at every step leave a working target.

A forked child runs arsip/publish.py with every file-system change it makes
(mkdir, link, copy, rename, replace, symlink, unlink, rmdir) counted, and
kills itself just before change number N. For every N, the target must then
hold: `current` naming a complete release, only complete releases under
release names (so rollback can pick nothing else), and after the next publish
or rollback starts, no leftovers. A fork costs no interpreter start, so every
step is tried, not a sample.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, run_invoke, stalled_pagefind

from arsip import publish as deploy

CHANGES = ("mkdir", "link", "rename", "replace", "symlink", "unlink", "rmdir")


def run_child(stop: int, action: str, target: Path, *args) -> tuple[int, int]:
    """Run `action` ("deploy" SITE NAME KEEP, or "rollback") on `target` in a forked
    child that counts its file-system changes and kills itself (SIGKILL) just
    before change number `stop` (0: never). Returns how the child ended (a
    negative signal number, or its exit status) and how many changes it made."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(reader)
            steps = 0

            def counted(change):
                def run(*a, **kw):
                    nonlocal steps
                    steps += 1
                    if steps == stop:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return change(*a, **kw)

                return run

            for name in CHANGES:
                setattr(os, name, counted(getattr(os, name)))
            shutil.copy2 = counted(shutil.copy2)
            if action == "deploy":
                site, name, keep = args
                deploy.deploy_to_folder(site, target, name, keep=keep)
            else:
                deploy.rollback_folder(target)
            os.write(writer, str(steps).encode())
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader) as report:
        steps = report.read()
    _, status = os.waitpid(pid, 0)
    ended = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return ended, int(steps or 0)


OLD_NAMES = ["20260101T000000Z-aaaaaaa", "20260102T000000Z-bbbbbbb", "20260103T000000Z-ccccccc"]
NEW_NAME = "20260104T000000Z-ddddddd"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def make_site(folder: Path, version: str) -> Path:
    """A small site: some files the same in both versions (hard-linked on
    deploy), some different, some only in one."""
    for relative, text in {
        "index.html": f"beranda {version}",
        "theme/css/arsip.css": "body{}",
        "theme/js/search.js": "// sama",
        "rilis/2024/11/a/index.html": "rilis a",
        f"rilis/2024/11/{version}/index.html": f"rilis {version}",
        "pagefind/pagefind-entry.json": f'{{"v":"{version}"}}',
    }.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def sites(tmp_path):
    return {
        "lama": make_site(tmp_path / "site-lama", "lama"),
        "baru": make_site(tmp_path / "site-baru", "baru"),
    }


def fresh_target(tmp_path: Path, sites, number: int) -> Path:
    target = tmp_path / f"target-{number}"
    for name in OLD_NAMES:
        deploy.deploy_to_folder(sites["lama"], target, name, keep=5)
    return target


def steps_of(action: str, target: Path, *args) -> int:
    """How many changes the action makes when nothing kills it."""
    ended, steps = run_child(0, action, target, *args)
    assert ended == 0
    return steps


def assert_working(target: Path, sites, allowed_live: set[str]) -> None:
    complete = [tree(site) for site in sites.values()]
    live = deploy.current_release(target)
    assert live is not None and live.name in allowed_live, live
    assert tree(live) in complete, f"current names an incomplete release: {live.name}"
    for release in deploy.releases(target):
        assert tree(release) in complete, f"incomplete release under a release name: {release}"


def leftovers(target: Path) -> list[str]:
    found = [p.name for p in target.iterdir() if p.name.startswith(".current")]
    found += [p.name for p in (target / "releases").iterdir() if p.name.startswith(".")]
    return found


def test_a_publish_killed_at_every_step_leaves_a_working_target(sites, tmp_path):
    keep = 2  # the deploy also prunes two old releases
    total = steps_of("deploy", fresh_target(tmp_path, sites, 0), sites["baru"], NEW_NAME, keep)
    assert total > 20
    for stop in range(1, total + 1):
        target = fresh_target(tmp_path, sites, stop)
        ended, _ = run_child(stop, "deploy", target, sites["baru"], NEW_NAME, keep)
        assert ended == -signal.SIGKILL, stop
        assert_working(target, sites, {OLD_NAMES[-1], NEW_NAME})

        # Rollback picks a complete release, and removes what the kill left.
        before = deploy.current_release(target)
        if before != deploy.releases(target)[0]:
            _, previous = deploy.rollback_folder(target)
            assert tree(previous) in map(tree, sites.values())
        assert leftovers(target) == [], stop
        # The next publish goes through and the target is as if nothing happened.
        deploy.deploy_to_folder(sites["baru"], target, "20260105T000000Z-eeeeeee", keep=keep)
        assert_working(target, sites, {"20260105T000000Z-eeeeeee"})
        assert len(deploy.releases(target)) == keep
        assert leftovers(target) == []


def test_a_rollback_killed_at_every_step_leaves_a_working_target(sites, tmp_path):
    total = steps_of("rollback", fresh_target(tmp_path, sites, 0))
    assert total >= 3
    for stop in range(1, total + 1):
        target = fresh_target(tmp_path, sites, stop)
        ended, _ = run_child(stop, "rollback", target)
        assert ended == -signal.SIGKILL, stop
        assert_working(target, sites, {OLD_NAMES[-1], OLD_NAMES[-2]})
        deploy.rollback_folder(target)
        assert leftovers(target) == []


def plant_leftovers(target: Path) -> None:
    """A half-written release, a half-removed one, and a link never put in place."""
    releases = target / "releases"
    (releases / f".{NEW_NAME}.partial" / "rilis").mkdir(parents=True)
    (releases / f".{NEW_NAME}.partial" / "rilis" / "index.html").write_text("sebagian")
    (releases / f".{OLD_NAMES[0]}.deleting" / "theme").mkdir(parents=True)
    (target / ".current.4242.tmp").symlink_to("releases/tidak-ada")


def test_what_killed_publishes_left_is_removed_and_never_rolled_back_to(sites, tmp_path):
    target = fresh_target(tmp_path, sites, 0)
    plant_leftovers(target)
    assert [p.name for p in deploy.releases(target)] == OLD_NAMES
    total = steps_of("deploy", target, sites["baru"], NEW_NAME, 5)
    for stop in range(1, total + 1):  # killed while removing them, too
        target = fresh_target(tmp_path, sites, stop)
        plant_leftovers(target)
        run_child(stop, "deploy", target, sites["baru"], NEW_NAME, 5)
        assert_working(target, sites, {OLD_NAMES[-1], NEW_NAME})
        deploy.rollback_folder(target)
        assert_working(target, sites, set(OLD_NAMES) | {NEW_NAME})
        assert leftovers(target) == []


@pytest.mark.parametrize("place", ["target", "releases", "current", "parent"])
def test_a_target_that_is_a_file_gets_one_clear_line(place, sites, tmp_path):
    target = tmp_path / "target"
    if place == "parent":
        (tmp_path / "berkas").write_text("x")
        target = tmp_path / "berkas" / "target"
    elif place == "target":
        target.write_text("x")
    else:
        target.mkdir()
        (target / place).write_text("x")
    for attempt in (
        lambda: deploy.deploy_to_folder(sites["baru"], target, NEW_NAME),
        lambda: deploy.rollback_folder(target),
    ):
        with pytest.raises(deploy.PublishError) as raised:
            attempt()
        message = str(raised.value)
        assert "\n" not in message and "is a file" in message, message
    if place != "parent":
        result = run_invoke("rollback", "--target", str(target), site_url=None)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr and "is a file" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_publish_refuses_a_file_target_before_building(tmp_path):
    target = tmp_path / "target"
    target.write_text("x")
    started = time.monotonic()
    result = run_invoke("publish", "--target", str(target), site_url="https://arsip.example.id")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{target} is a file, not a folder: give a folder as the target "
        "(it is made if missing) or user@host:path."
    )
    assert time.monotonic() - started < 20, "no build was needed to say so"
    assert target.read_text() == "x"


def test_a_killed_publish_leaves_the_target_and_the_next_one_removes_its_folder(tmp_path):
    """`invoke publish` killed while it builds: the target is untouched; its
    scratch folder goes with the next publish."""
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    target = tmp_path / "target"
    slow = stalled_pagefind(tmp_path)
    environment = {
        **os.environ,
        "SITEURL": "https://arsip.example.id",
        "TMPDIR": str(scratch_root),
        "PAGEFIND_BINARY_PATH": str(slow),
    }
    command = [sys.executable, "-m", "invoke", "publish", "--target", str(target)]
    command += ["--content", str(CONTENT)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while not list(scratch_root.glob("arsip-publish-*/.site.new-*/index.html")):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert not target.exists() or deploy.current_release(target) is None
    assert len(list(scratch_root.glob("arsip-publish-*"))) == 1

    del environment["PAGEFIND_BINARY_PATH"]
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert deploy.current_release(target) is not None
    assert list(scratch_root.iterdir()) == []


def test_remote_scripts_never_switch_to_or_roll_back_to_an_incomplete_release(tmp_path):
    """What ssh would run, run here: an upload goes to a partial folder, a pruned
    release is renamed aside first, and the next publish clears both."""
    path = tmp_path / "srv"
    remote = deploy.RemoteTarget("deploy@web1", str(path))

    def sh(script):
        return subprocess.run(["sh", "-c", script], capture_output=True, text=True)

    assert sh(remote.prepare_script()).returncode == 0
    names = [f"2026112{n}T000000Z-abc" for n in range(4)]
    for name in names:
        upload = path / "releases" / f".{name}.partial"
        upload.mkdir()
        (upload / "index.html").write_text(name)
        result = sh(remote.switch_script(name, keep=2))
        assert result.returncode == 0, result.stderr
    assert [p.name for p in deploy.releases(path)] == names[-2:]
    # An upload cut off midway, and a prune killed midway.
    (path / "releases" / ".20261129T000000Z-abc.partial").mkdir()
    (path / "releases" / f".{names[0]}.deleting").mkdir()
    assert sh(remote.rollback_script()).returncode == 0
    assert deploy.current_release(path).name == names[-2]
    assert sh(remote.rollback_script()).returncode != 0  # nothing older that is complete
    assert sh(remote.prepare_script()).returncode == 0
    assert sorted(p.name for p in (path / "releases").iterdir()) == names[-2:]
