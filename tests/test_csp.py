"""The Content-Security-Policy every page carries as a <meta http-equiv>, so that a
host sending no headers (GitHub Pages, a storage bucket) still blocks off-site
loads. Checked in headless Chromium against the built site served by a plain
static server on 127.0.0.1 that sends no security header at all."""

from __future__ import annotations

import functools
import re
import shutil
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT, run_pelican

RELEASE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(event.effectiveDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


def meta_policy(soup: BeautifulSoup) -> list[str]:
    return [
        tag["content"]
        for tag in soup.find_all("meta")
        if tag.get("http-equiv", "").lower() == "content-security-policy"
    ]


def nginx_policy() -> str:
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    return re.search(r'add_header Content-Security-Policy "([^"]+)"', conf)[1]


def directives(policy: str) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Recording(SimpleHTTPRequestHandler):
    """The "other site": answers everything, remembers every path asked for."""

    requests: list[str]

    def do_GET(self):
        self.requests.append(self.path)
        body = b"document.title = 'ran';" if self.path.endswith(".js") else b"x"
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@contextmanager
def serve(handler, port: int = 0):
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def static_site(folder: Path, port: int = 0):
    """`folder` over plain HTTP: no Content-Security-Policy or other security header."""
    with serve(functools.partial(_Handler, directory=str(folder)), port) as port:
        yield f"http://127.0.0.1:{port}/"


def open_page(browser, url: str):
    page = browser.new_page()
    page.add_init_script(VIOLATIONS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(url, wait_until="networkidle")
    assert response.status == 200, url
    assert "content-security-policy" not in response.headers  # the meta alone must do it
    return page, errors


def test_every_page_carries_the_policy_of_the_nginx_header(site):
    expected = directives(nginx_policy())
    del expected["frame-ancestors"]  # ignored in a <meta>: only a header can carry it
    for path in site.pages():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        policies = meta_policy(soup)
        assert len(policies) == 1, path
        assert directives(policies[0]) == expected, path
        # Before anything the page loads, so that it governs all of it.
        head = soup.head.find_all(["meta", "link", "script", "style"])
        first_load = next(i for i, tag in enumerate(head) if tag.name != "meta")
        assert any(meta_policy(BeautifulSoup(str(tag), "html.parser")) for tag in head[:first_load])
    policy = directives(nginx_policy())
    assert policy["default-src"] == "'self'" and "'unsafe-inline'" not in nginx_policy()
    assert policy["img-src"] == "'self'" and policy["object-src"] == "'none'"


def hostile_page(output: Path, other: int) -> Path:
    """A release page of a copy of the site with what the sanitizer would never let
    through: off-site image, script, stylesheet and frame, an image whose URL has a
    tab (read as //host by the browser) and an inline script."""
    page = output / RELEASE / "index.html"
    off = f"http://127.0.0.1:{other}"
    injected = (
        f'<img src="{off}/foto.png" alt="x">'
        f'<img src="/&#9;/127.0.0.1:{other}/tab.png" alt="y">'
        f'<script src="{off}/skrip.js"></script>'
        f'<link rel="stylesheet" href="{off}/gaya.css">'
        f'<iframe src="{off}/bingkai"></iframe>'
        "<script>document.title = 'ran';</script>"
    )
    html = page.read_text(encoding="utf-8")
    page.write_text(
        html.replace('<div class="release-body">', '<div class="release-body">' + injected, 1)
    )
    return page


@pytest.mark.parametrize("with_policy", [True, False], ids=["meta", "control-without-meta"])
def test_off_site_loads_are_blocked_with_no_headers_sent(site, browser, tmp_path, with_policy):
    output = tmp_path / "site"
    shutil.copytree(site.output, output)
    requests: list[str] = []
    recording = type("Other", (_Recording,), {"requests": requests})
    with serve(recording) as other, static_site(output) as base:
        page_file = hostile_page(output, other)
        if not with_policy:  # the control: the same page without the policy loads it all
            soup_html = page_file.read_text(encoding="utf-8")
            page_file.write_text(
                re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", soup_html)
            )
        page, _ = open_page(browser, base + RELEASE)
        try:
            title = page.title()
            violations = page.evaluate("window.__violations")
        finally:
            page.close()
    if with_policy:
        assert requests == []
        assert title != "ran"
        assert {v.split()[0] for v in violations} >= {
            "img-src",
            "script-src-elem",
            "style-src-elem",
            "frame-src",
        }
    else:
        assert {"/foto.png", "/tab.png", "/skrip.js", "/gaya.css", "/bingkai"} <= set(requests)
        assert title == "ran"


def test_search_works_under_the_policy(site, browser):
    with static_site(site.output) as base:
        page, errors = open_page(browser, base + "cari/?q=ngopi")
        try:
            page.wait_for_function(
                "() => document.querySelectorAll('#hasil-cari li').length > 0", timeout=20000
            )
            results = page.eval_on_selector_all("#hasil-cari li h2 a", "a => a.map(x => x.href)")
            violations = page.evaluate("window.__violations")
        finally:
            page.close()
    assert any(RELEASE in href for href in results)
    assert violations == [] and errors == []


@pytest.mark.parametrize("path", ["", RELEASE, "statistik/", "kegiatan/ngopi-kamtibmas/"])
def test_pages_show_under_the_policy(site, browser, path):
    with static_site(site.output) as base:
        page, errors = open_page(browser, base + path)
        try:
            violations = page.evaluate("window.__violations")
            # The theme's stylesheet applied (it is the site's only styling).
            background = page.evaluate(
                "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
            )
            bars = page.evaluate(
                "[...document.querySelectorAll('main svg rect')]"
                ".filter(r => r.getBoundingClientRect().height > 0).length"
            )
        finally:
            page.close()
    assert violations == [] and errors == []
    assert background == "rgb(11, 61, 145)"
    if path == "statistik/":
        assert bars > 0  # the charts are drawn


def test_the_live_reload_preview_can_leave_the_policy_out(tmp_path):
    """`invoke livereload` injects an inline reload script that the policy would
    block: its preview session sets CONTENT_SECURITY_POLICY to "" (tasks.py)."""
    build = run_pelican(
        CONTENT, tmp_path / "out", "pelicanconf.py", "-e", 'CONTENT_SECURITY_POLICY=""'
    )
    assert build.returncode == 0, build.stderr
    for path in build.pages():
        assert meta_policy(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")) == []
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    assert '"CONTENT_SECURITY_POLICY": ""' in tasks
