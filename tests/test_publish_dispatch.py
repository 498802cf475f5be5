"""Where `invoke publish` and `invoke rollback` send a build (arsip/publish.py):
a folder, `user@host:path`, or a GitHub Pages branch, chosen in one place."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from arsip import publish as deploy


def test_each_form_of_target_gets_its_destination(tmp_path):
    assert deploy.destination("deploy@web1:/srv/arsip") == deploy.RemoteTarget(
        "deploy@web1", "/srv/arsip"
    )
    assert deploy.destination(str(tmp_path)) == deploy.FolderTarget(tmp_path)
    assert deploy.destination(gh_pages=True, branch="situs", root=tmp_path) == (
        deploy.PagesBranch("situs", tmp_path)
    )
    for target, gh_pages in (("", False), ("out", True)):
        with pytest.raises(deploy.UsageError, match="either --target TARGET or --gh-pages"):
            deploy.destination(target, gh_pages)


def make_site(folder: Path, text: str) -> Path:
    (folder / "rilis").mkdir(parents=True)
    (folder / "index.html").write_text(text)
    (folder / "rilis" / "index.html").write_text("rilis")
    return folder


def test_a_remote_target_runs_prepare_upload_switch_and_rolls_back_over_ssh(tmp_path):
    """The commands a remote publish runs, each run here: ssh's scripts by sh on a
    local folder, rsync's upload as the copy it makes."""
    server = tmp_path / "srv"
    where = deploy.destination(f"deploy@web1:{server}")
    ran = []

    def run(command):
        ran.append(command[0])
        if command[0] == "ssh":
            assert command[1] == "deploy@web1"
            subprocess.run(["sh", "-c", command[2]], check=True)
        else:
            source, destination = command[-2], command[-1]
            assert destination.startswith(f"deploy@web1:{server}/releases/.")
            shutil.copytree(source, destination.split(":", 1)[1])

    for commit, text in (("aaaaaaa", "lama"), ("bbbbbbb", "baru")):
        report = where.put_live(make_site(tmp_path / text, text), commit, 5, run)
        assert report == f"Published to deploy@web1:{server}/current."
    assert ran == ["ssh", "rsync", "ssh"] * 2
    live = deploy.current_release(server)
    assert live.name.endswith("-bbbbbbb") and (live / "index.html").read_text() == "baru"

    deploy.rollback(f"deploy@web1:{server}", run=run)
    assert deploy.current_release(server).name.endswith("-aaaaaaa")


def test_a_folder_target_says_what_it_did(tmp_path):
    target = tmp_path / "target"
    said = []
    where = deploy.destination(str(target))
    where.check()
    first = where.put_live(make_site(tmp_path / "lama", "lama"), "aaaaaaa", 5, None)
    second = where.put_live(make_site(tmp_path / "baru", "baru"), "bbbbbbb", 5, None)
    assert first.startswith("Published ") and second.endswith(str(deploy.current_release(target)))
    deploy.rollback(str(target), say=said.append)
    (line,) = said
    assert line.startswith(f"Rolled back {target / 'current'}: ") and line.endswith("-aaaaaaa")


def test_a_failed_deploy_command_is_one_line():
    with pytest.raises(deploy.PublishError) as failed:
        deploy.run_command(["sh", "-c", "exit 3"])
    assert str(failed.value) == "sh -c failed with exit status 3 (its message is above)"
