"""Shared fixtures: build the real site from the real content, once per session."""

from __future__ import annotations

import datetime
import functools
import http.server
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import settings

from arsip.scaffold import new_release

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
    content: Path | None = None  # the folder built

    def html(self, path: str) -> BeautifulSoup:
        """Parse an output page: "satuan/" -> satuan/index.html."""
        target = self.output / path
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))


# A build given no CACHE_PATH keeps its cache in the session's temporary folder
# (set by `_cache_folder`), never in the project's cache/: every test's content
# folder would leave one there.
CACHE_FOLDER = "ARSIP_TEST_CACHE_PATH"


@pytest.fixture(scope="session", autouse=True)
def _cache_folder(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_FOLDER, str(tmp_path_factory.mktemp("cache")))
        yield


def _with_cache_path(extra) -> list[str]:
    extra = [str(argument) for argument in extra]
    folder = os.environ.get(CACHE_FOLDER)
    if folder is None or any(argument.startswith("CACHE_PATH=") for argument in extra):
        return extra
    setting = f"CACHE_PATH={json.dumps(folder)}"
    if "-e" in extra:  # one -e takes every setting: a second would replace the first
        extra.insert(extra.index("-e") + 1, setting)
        return extra
    return [*extra, "-e", setting]


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
            *_with_cache_path(extra),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return Build(result.returncode, result.stdout, result.stderr, output, content)


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


def registry_module(c_loader):
    """A fresh copy of arsip/registry.py, loaded as if PyYAML's libyaml loader
    (`yaml.CSafeLoader`) were `c_loader`; None: a PyYAML built without libyaml.
    The registry's own choice of loader stays its own business."""
    name = f"registry_with_{getattr(c_loader, '__name__', 'no_libyaml')}"
    spec = importlib.util.spec_from_file_location(name, ROOT / "arsip" / "registry.py")
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        if c_loader is None:
            patch.delattr(yaml, "CSafeLoader", raising=False)
        else:
            patch.setattr(yaml, "CSafeLoader", c_loader)
        patch.setitem(sys.modules, name, module)  # dataclasses look their module up
        spec.loader.exec_module(module)
    return module


# The real content stretched, for the tests that need more than three releases
# in one month (tests/test_statistics.py, test_opendata.py, test_site.py): the
# releases in tests/fixtures/extended/ are added to it.
# - 2024-12-05-patroli.md, 2025-02-10-ngopi.md: the archive spans four months,
#   January empty but for a draft; officers written other ways ("Kompol Bayu
#   Marfiando", "Kapolsek Johar Baru Kompol Saiful Anwar" without degrees).
# - 2024-12-02-rapat.md: quotes, commas, semicolons and an accent, that a CSV keeps.
# - 2024-12-04-rumus.md: fields a spreadsheet would run as formulas (OWASP "CSV Injection").
# - 2024-12-03-draf.md, 2025-01-15-draf.md: drafts, counted nowhere, in no data file.
EXTENDED = ROOT / "tests" / "fixtures" / "extended"
# The statistics page lists this many officers in the extended build.
EXTENDED_TOP_OFFICERS = 3
# And a draft as `invoke new` writes it, every field still empty (tests/test_scaffold.py).
SCAFFOLDED = (
    "Patroli Malam Tahun Baru di Monas",
    datetime.datetime(2024, 12, 31, 20, 15, tzinfo=datetime.UTC),
)


@pytest.fixture(scope="session")
def extended_site(tmp_path_factory) -> Build:
    """content/ plus the releases of EXTENDED and a scaffolded draft, built once;
    `.content` is its folder."""
    content = copy_content(tmp_path_factory.mktemp("extended") / "content")
    for release in EXTENDED.glob("*.md"):
        shutil.copy(release, content / "rilis" / release.name)
    title, now = SCAFFOLDED
    new_release(title, content, now=now)
    build = run_pelican(
        content,
        tmp_path_factory.mktemp("extended-out"),
        "pelicanconf.py",
        "-e",
        f"STATISTICS_TOP_OFFICERS={EXTENDED_TOP_OFFICERS}",
    )
    assert build.returncode == 0, build.stdout + build.stderr
    return build


# A generated archive (bench/generate.py): long enough for lists to paginate and
# for releases to share terms. Modules that only read a corpus build share this one.
CORPUS_RELEASES = 80
CORPUS_SEED = 3


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """The content folder of a generated archive: CORPUS_RELEASES releases."""
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    folder = tmp_path_factory.mktemp("corpus") / "content"
    generate.generate(CORPUS_RELEASES, folder, seed=CORPUS_SEED)
    return folder


@pytest.fixture(scope="session")
def corpus_site(corpus, tmp_path_factory) -> Build:
    """`corpus` built with the development settings; any error fails it."""
    output = tmp_path_factory.mktemp("corpus-out")
    build = run_pelican(corpus, output, "pelicanconf.py", "--fatal", "errors")
    assert build.returncode == 0, build.stdout + build.stderr
    return build


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


# --- In the browser ----------------------------------------------------------

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(folder: Path, port: int = 0):
    """Serve `folder` over plain HTTP on 127.0.0.1 (no security header at all);
    yields the base URL, ending in "/"."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(site):
    """The development build served over HTTP, for the browser: "http://127.0.0.1:PORT/"."""
    with serve(site.output) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh browser page (Indonesian locale); a JavaScript error fails the test."""
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


# --- Publishing (tests/test_publish.py, tests/test_serving.py) ---


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


# A draft of EXTENDED, in the published content: a public build leaves no trace
# of it (tests/test_publish.py), so the site is content/'s byte for byte.
PUBLISHED_DRAFT = EXTENDED / "2024-12-03-draf.md"


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    """content/ and one draft published with `invoke publish` to a fresh folder
    target, with SITEURL set to the address the serving tests give nginx."""
    port = free_port()
    target = tmp_path_factory.mktemp("target")
    content = copy_content(tmp_path_factory.mktemp("published") / "content")
    shutil.copy(PUBLISHED_DRAFT, content / "rilis" / PUBLISHED_DRAFT.name)
    site_url = f"http://127.0.0.1:{port}"
    result = run_invoke(
        "publish", "--target", str(target), "--content", str(content), site_url=site_url
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(target, site_url, port, result.stdout)


def stalled_pagefind(folder: Path) -> Path:
    """A Pagefind that answers `--version` and then never finishes indexing."""
    import stat

    slow = folder / "slow-pagefind"
    real = subprocess.run(
        [sys.executable, "-c", "from pagefind_bin import get_executable; print(get_executable())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    slow.write_text(f'#!/bin/sh\n[ "$1" = --version ] && exec {real} "$@"\nsleep 600\n')
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    return slow
