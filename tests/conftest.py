"""Shared fixtures: build the real site from the real content, once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
RAW_RELEASES = ROOT.parent / "shared" / "raw-releases"


@dataclass
class Build:
    """The result of one `pelican` run."""

    returncode: int
    stdout: str
    stderr: str
    output: Path

    def html(self, path: str) -> BeautifulSoup:
        """Parse an output page: "satuan/" -> satuan/index.html."""
        target = self.output / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


def run_pelican(content: Path, output: Path, settings: str = "pelicanconf.py", *extra) -> Build:
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / settings), "-o", str(output), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(result.returncode, result.stdout, result.stderr, output)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """The archive built from content/ with the development settings."""
    build = run_pelican(CONTENT, tmp_path_factory.mktemp("site"))
    assert build.returncode == 0, build.stdout + build.stderr
    return build


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of content/ for tests that break or extend it."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


@pytest.fixture
def build_content(tmp_path):
    """Build any content folder into a fresh output folder."""

    def build(content: Path, *extra) -> Build:
        return run_pelican(content, tmp_path / f"output-{len(list(tmp_path.iterdir()))}", "pelicanconf.py", *extra)

    return build
