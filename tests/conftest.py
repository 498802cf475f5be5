"""Shared fixtures: build the real site from the real content, once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

# Property tests try 100 examples each in the suite; `HYPOTHESIS_PROFILE=thorough`
# tries 2,000 (a test that names its own number keeps it).
settings.register_profile("suite", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
# The three seed releases as the office received them: the project's own material.
RAW_RELEASES = ROOT / "tests" / "fixtures" / "raw-releases"


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
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(ROOT / settings),
            "-o",
            str(output),
            *extra,
        ],
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


def copy_content(folder: Path) -> Path:
    """A writable copy of content/ at `folder`."""
    shutil.copytree(CONTENT, folder)
    return folder


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of content/ for tests that break or extend it."""
    return copy_content(tmp_path / "content")


@pytest.fixture
def build_content(tmp_path):
    """Build any content folder into a fresh output folder."""

    def build(content: Path, *extra) -> Build:
        return run_pelican(
            content, tmp_path / f"output-{len(list(tmp_path.iterdir()))}", "pelicanconf.py", *extra
        )

    return build


# --- Publishing (tests/test_publish.py, tests/test_serving.py) ---

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, one for the whole session: Playwright's sync API
    allows one running instance per thread, so every browser test shares this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Published:
    """A target folder after `invoke publish --target`, built for `site_url`."""

    target: Path
    site_url: str
    port: int
    stdout: str  # what `invoke publish` printed

    @property
    def live(self) -> Path:
        return (self.target / "current").resolve()


def run_invoke(*args, site_url: str | None, env: dict | None = None):
    """`invoke ARGS` in the project, with SITEURL set to `site_url` or unset."""
    import os

    environment = {**os.environ, **(env or {})}
    environment.pop("SITEURL", None)
    if site_url is not None:
        environment["SITEURL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    """content/ published with `invoke publish` to a fresh folder target, with
    SITEURL set to the address the serving tests give nginx."""
    port = free_port()
    target = tmp_path_factory.mktemp("target")
    site_url = f"http://127.0.0.1:{port}"
    result = run_invoke("publish", "--target", str(target), site_url=site_url)
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(target, site_url, port, result.stdout)
