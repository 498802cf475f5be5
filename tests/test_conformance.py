"""The outside checkers reviewers use, on the real content.

- The Nu Html Checker (vnu-jar from npm, run with Debian's Java) on every
  HTML page of the development and the published build, and on the theme's
  CSS and SVG, in one run of the checker: no error.
- axe-core in headless Chromium on one page of every kind, as a reader gets
  it (scripts run, search answered): no violation, and no console error or
  failed request on the way (a missing icon is one).

scripts/test installs both (package.json). Lighthouse, slower and noisier,
is a benchmark: bench/lighthouse.py, with its own bench/package.json.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

NODE_MODULES = ROOT / "node_modules"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
INSTALL = "run scripts/test, which installs the checkers (package.json, npm ci)"


def installed(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: {INSTALL}")
    return path


# --- the Nu Html Checker ------------------------------------------------------


def vnu_messages(files: list[Path]) -> list[dict]:
    """The checker's messages for `files`, from one run of it (one JVM start)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(f"java is not installed: {INSTALL}")
    result = subprocess.run(
        [java, "-jar", str(installed(VNU)), "--format", "json", "--also-check-css",
         "--also-check-svg", *map(str, files)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    report = json.loads(result.stderr)  # the checker writes its report there
    return report["messages"]


def located(message: dict, roots: dict[str, Path]) -> str:
    """ "published/cari/index.html:12: error: ..." """
    path = message.get("url", "").removeprefix("file:")
    for name, root in roots.items():
        folder = f"{root.resolve()}/"
        if path.startswith(folder):
            path = f"{name}/{path.removeprefix(folder)}"
            break
    return f"{path}:{message.get('lastLine', 0)}: {message['type']}: {message['message']}"


# A page with the two errors the archive once had: the run must report them.
BAD_PAGE = (
    '<!DOCTYPE html><html lang="id"><head><title>x</title></head>'
    "<body><h1>a</h1><h3>b</h3><form action=''></form></body></html>"
)


def test_every_page_stylesheet_and_icon_passes_the_nu_html_checker(site, published, tmp_path):
    builds = {"dev": site.output, "published": published.live}
    files = [page for root in builds.values() for page in sorted(root.rglob("*.html"))]
    theme = [*published.live.glob("theme/**/*.css"), *published.live.glob("theme/**/*.svg")]
    assert len(files) > 40 and theme
    (tmp_path / "bad.html").write_text(BAD_PAGE, encoding="utf-8")
    messages = vnu_messages([*files, *theme, tmp_path / "bad.html"])
    errors = [
        located(m, {**builds, "known-bad": tmp_path})
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    # The checker ran and reports: a silent run is not taken for a pass.
    known = [e for e in errors if e.startswith("known-bad")]
    assert any("skipping 1 heading level" in e for e in known), errors
    assert any("Bad value “” for attribute “action”" in e for e in known), errors
    site_errors = [e for e in errors if not e.startswith("known-bad")]
    assert site_errors == [], "\n".join(site_errors)


# --- axe-core in Chromium -----------------------------------------------------------


def first(site, pattern: str) -> str:
    """The site path of the first page matching `pattern`: "satuan/x/"."""
    page = sorted(site.output.glob(pattern))[0]
    return page.parent.relative_to(site.output).as_posix() + "/"


def search_word(site) -> str:
    """A word of a release title: a query that finds something."""
    title = site.html("").select_one(".release-card__title a").get_text()
    return max(re.findall(r"\w+", title), key=len).lower()


def pages(site) -> dict[str, str]:
    """One page of every kind the archive has, by name."""
    unit = first(site, "satuan/*/index.html")
    return {
        "home": "",
        "release": first(site, "rilis/*/*/*/index.html"),
        "unit": unit,
        "officer": first(site, "personel/*/index.html"),
        "activity": first(site, "kegiatan/*/index.html"),
        "units": "satuan/",
        "officers": "personel/",
        "activities": "kegiatan/",
        "archives": "arsip/",
        "year": first(site, "arsip/[0-9][0-9][0-9][0-9]/index.html"),
        "month": first(site, "arsip/*/[0-9][0-9]/index.html"),
        "search": "cari/",
        "search with results": f"cari/?q={search_word(site)}",
        "search without results": "cari/?q=zzqxjvw",
        "search with one filter": f"cari/?satuan={unit.split('/')[1]}",
        "statistics": "statistik/",
        "about": "tentang/",
        "404": "404.html",
    }


PAGE_NAMES = [
    "home", "release", "unit", "officer", "activity", "units", "officers", "activities",
    "archives", "year", "month", "search", "search with results", "search without results",
    "search with one filter", "statistics", "about", "404",
]  # fmt: skip


@pytest.fixture(scope="module")
def axe_context(browser):
    # The pages' Content-Security-Policy would refuse the injected axe script.
    context = browser.new_context(bypass_csp=True, locale="id-ID")
    yield context
    context.close()


class AxeCheck:
    """axe started on the page at `url`; `result()` waits for its verdict. Pages
    are opened one after another while earlier ones are still being checked."""

    def __init__(self, context, url: str):
        self.page = page = context.new_page()
        self.problems = problems = []  # what loading the page caused
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
        page.goto(url, wait_until="load")
        if "/cari/" in url:  # wait for the search to answer
            page.wait_for_function(
                "() => { const s = document.getElementById('status-cari').textContent;"
                " return s && s !== 'Mencari…'; }"
            )
        page.add_script_tag(path=str(installed(AXE)))
        page.evaluate("() => { window.axeRun = axe.run(document, {resultTypes: ['violations']}); }")

    def result(self) -> tuple[list[str], list[str]]:
        """axe's violations on the page, and the errors loading it caused."""
        try:
            result = self.page.evaluate("() => window.axeRun")
        finally:
            self.page.close()
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']}: "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        return violations, self.problems


@pytest.fixture(scope="module")
def axe_results(site, site_url, axe_context) -> dict[str, tuple[list[str], list[str]]]:
    """Every page of PAGE_NAMES checked by axe, the checks running side by side."""
    checks = {
        name: AxeCheck(axe_context, f"{site_url}{path}") for name, path in pages(site).items()
    }
    return {name: check.result() for name, check in checks.items()}


def test_every_kind_of_page_is_checked(site):
    assert list(pages(site)) == PAGE_NAMES


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_axe_finds_no_violation(site, axe_results, name):
    path = pages(site)[name]
    violations, problems = axe_results[name]
    assert violations == [], f"{path}:\n" + "\n".join(violations)
    assert problems == [], path
