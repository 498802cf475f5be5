"""The patches for Pelican in docs/upstream/ apply to the installed Pelican and
pass their own tests and Pelican's tests of the steps they change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pelican
from conftest import ROOT
from pelican import __version__ as pelican_version

PATCHES = sorted((ROOT / "docs" / "upstream").glob("*.patch"))
WRITTEN_AGAINST = "4.12.0"
NEW_TESTS = (
    "test_period_archives_do_not_compare_every_article_with_every_other",
    "test_process_translations_does_not_compare_every_item_with_every_other",
)


def test_the_patches_apply_to_the_installed_pelican_and_pass_its_tests(tmp_path):
    assert pelican_version == WRITTEN_AGAINST, (
        f"docs/upstream/ patches Pelican {WRITTEN_AGAINST}, but {pelican_version} is "
        "installed: see whether it has the fixes, else rebase the patches "
        "(docs/upstream/README.md)"
    )
    assert len(PATCHES) == 2
    copy = tmp_path / "pelican"
    source = Path(pelican.__file__).parent
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for patch in PATCHES:
        applied = subprocess.run(
            ["git", "apply", "--verbose", str(patch)], cwd=tmp_path, capture_output=True, text=True
        )
        assert applied.returncode == 0, f"{patch.name} does not apply: {applied.stderr}"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)]
        + [str(copy / "tests" / "test_generators.py"), str(copy / "tests" / "test_utils.py")]
        + ["-k", "period_archives or process_translations"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The new tests ran, against the patched copy: unpatched, they fail.
    for name in NEW_TESTS:
        assert f"{name} PASSED" in result.stdout
