"""The GitHub Actions workflow and the pre-commit hook run the project's own tasks."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT, run_invoke

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _task_commands(runs: list[str]) -> list[str]:
    return [line.strip() for run in runs for line in run.splitlines() if "invoke " in line]


def test_every_push_checks_tests_and_builds_in_that_order():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "push" in workflow[True]  # YAML 1.1 reads the key `on` as True
    verify = workflow["jobs"]["verify"]
    assert "if" not in verify
    runs = _runs(verify)
    order = [
        next(i for i, run in enumerate(runs) if marker in run)
        for marker in (
            ".venv/bin/invoke check",
            "bash scripts/test",
            "invoke publish --gh-pages --dry-run",
        )
    ]
    assert order == sorted(order)


def test_main_publishes_to_github_pages_after_the_checks():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "verify"
    assert publish["if"] == "github.ref == 'refs/heads/main'"
    assert publish["permissions"] == {"contents": "write"}
    assert _task_commands(_runs(publish)) == [".venv/bin/invoke publish --gh-pages"]
    assert "SITEURL" in workflow["env"]


def test_the_workflow_uses_only_the_project_tasks():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    used = {
        re.search(r"invoke (\S+)", command)[1]
        for job in workflow["jobs"].values()
        for command in _task_commands(_runs(job))
    }
    assert used == {"check", "publish"}
    listed = run_invoke("--list", site_url=None).stdout
    tasks = set(re.findall(r"^\s+([\w-]+)", listed, flags=re.MULTILINE))
    # `check` is the editors' content check (its own module and tests).
    assert {"publish", "rollback"} <= tasks


def test_pre_commit_runs_invoke_check_when_content_changes():
    config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
    (hook,) = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert hook["entry"] == ".venv/bin/invoke check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("content/rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md")
    assert files.search("content/registry/officers.yaml")
    assert not files.search("theme/templates/base.html")
    assert not files.search("tasks.py")
