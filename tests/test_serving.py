"""The published site served by real nginx with deploy/nginx.conf, checked over HTTP
and in headless Chromium (Content-Security-Policy)."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import brotli
import pytest
from conftest import ROOT

from arsip import publish as deploy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
RELEASE = "/rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
TERM = "/kegiatan/ngopi-kamtibmas/"
SEARCH = "/cari/"


def server_block(root: Path, port: int) -> str:
    """deploy/nginx.conf with only its listen and root lines changed for the test."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    replacements = (
        (r"^\s*listen 80;$", f"    listen 127.0.0.1:{port};"),
        (r"^\s*listen \[::\]:80;$", ""),
        (r"^\s*root /srv/arsip/current;$", f"    root {root};"),
    )
    for pattern, replacement in replacements:
        conf, count = re.subn(pattern, replacement, conf, flags=re.MULTILINE)
        assert count == 1, f"deploy/nginx.conf no longer has exactly one line {pattern}"
    return conf


@pytest.fixture(scope="session")
def nginx(published, tmp_path_factory):
    """nginx in the foreground on published.port, serving TARGET/current."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: run scripts/test, which installs it")
    if not BROTLI_MODULE.exists():
        pytest.fail(f"{BROTLI_MODULE} missing: apt-get install libnginx-mod-http-brotli-static")
    prefix = tmp_path_factory.mktemp("nginx")
    temp_paths = "\n".join(
        f"  {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"load_module {BROTLI_MODULE};\n"
        # As root, nginx would run workers as nobody, who cannot read pytest's tmp folders.
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\nerror_log {prefix / 'error.log'};\npid {prefix / 'nginx.pid'};\n"
        "events { worker_connections 64; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {prefix / 'access.log'};\n{temp_paths}\n"
        f"{server_block(published.target / 'current', published.port)}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 10
    while True:
        if process.poll() is not None:
            log = process.stdout.read().decode()
            pytest.fail(f"nginx stopped: {log}")
        try:
            socket.create_connection(("127.0.0.1", published.port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("nginx did not start listening within 10 s")
            time.sleep(0.05)
    yield published
    process.terminate()
    process.wait(timeout=10)


def get(port: int, path: str, **headers) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def asset_paths(live: Path) -> list[str]:
    return ["/" + p.relative_to(live).as_posix() for p in sorted((live / "theme").rglob("*.css"))]


def test_pages_are_served_at_their_clean_urls(nginx):
    for path in ("/", RELEASE, TERM, "/arsip/", "/tentang/", "/sitemap.xml", "/robots.txt"):
        status, headers, body = get(nginx.port, path)
        assert status == 200, path
        file = nginx.live / path.lstrip("/")
        assert body == (file / "index.html" if path.endswith("/") else file).read_bytes()
    status, headers, _ = get(nginx.port, "/")
    assert headers["content-type"] == "text/html; charset=utf-8"
    status, headers, _ = get(nginx.port, RELEASE.rstrip("/"))
    assert status == 301 and headers["location"] == RELEASE


def test_unknown_paths_get_404_status_and_the_404_page(nginx):
    for path in (
        "/tidak-ada/",
        "/rilis/2024/11/tidak-ada/",
        "/theme/css/arsip.css",
        "/.git/config",
    ):
        status, headers, body = get(nginx.port, path)
        assert status == 404, path
        assert body == (nginx.live / "404.html").read_bytes()
        assert "Content-Security-Policy".lower() in headers
    status, headers, body = get(nginx.port, "/tidak-ada/", **{"Accept-Encoding": "br"})
    assert status == 404 and headers["content-encoding"] == "br"
    assert b"Halaman tidak" in brotli.decompress(body)


def test_security_headers_on_every_response(nginx):
    for path in ("/", RELEASE, asset_paths(nginx.live)[0], "/feeds/semua.atom.xml", "/tidak-ada/"):
        _, headers, _ = get(nginx.port, path)
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "server" not in headers or "/" not in headers["server"]  # no version


def test_html_is_cached_briefly_and_fingerprinted_assets_for_a_year(nginx):
    for path in ("/", RELEASE, "/404.html", "/feeds/semua.atom.xml"):
        _, headers, _ = get(nginx.port, path)
        assert headers["cache-control"] == "public, max-age=300", path
    for path in asset_paths(nginx.live):
        status, headers, _ = get(nginx.port, path)
        assert status == 200
        assert headers["content-type"].startswith("text/css")
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
    # The search index, when the build has one: hashed chunks long, its entry point short.
    chunks = sorted((nginx.live / "pagefind").rglob("*.pf_*"))
    entry = nginx.live / "pagefind" / "pagefind-entry.json"
    for file in chunks[:3] + ([entry] if entry.exists() else []):
        _, headers, _ = get(nginx.port, "/" + file.relative_to(nginx.live).as_posix())
        long = file.suffix.startswith(".pf_")
        assert headers["cache-control"] == (
            "public, max-age=31536000, immutable" if long else "public, max-age=300"
        ), file


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("br", "br", brotli.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
        ("identity", None, lambda body: body),
    ],
)
def test_precompressed_files_are_served_when_asked(nginx, accept, encoding, decode):
    for path in ("/", RELEASE, asset_paths(nginx.live)[0], "/sitemap.xml"):
        status, headers, body = get(nginx.port, path, **{"Accept-Encoding": accept})
        assert status == 200
        assert headers.get("content-encoding") == encoding, (path, accept)
        file = nginx.live / path.lstrip("/")
        original = (file / "index.html" if path.endswith("/") else file).read_bytes()
        assert decode(body) == original
        if encoding:
            assert "accept-encoding" in headers.get("vary", "").lower()
            suffix = ".gz" if encoding == "gzip" else ".br"
            assert (
                body
                == Path(
                    str(file / "index.html" if path.endswith("/") else file) + suffix
                ).read_bytes()
            )


def test_publishing_and_rolling_back_switch_what_nginx_serves(nginx, tmp_path):
    """The live folder changes only at the symlink switch; rollback restores it."""
    live = nginx.live
    staged = tmp_path / "site"
    shutil.copytree(live, staged)
    (staged / "tentang" / "index.html").write_text("<title>x</title>versi baru", encoding="utf-8")
    (staged / "tentang" / "index.html.gz").unlink()
    (staged / "tentang" / "index.html.br").unlink()
    name = deploy.release_name("test000")
    try:
        deploy.deploy_to_folder(staged, nginx.target, name)
        assert get(nginx.port, "/tentang/")[2] == b"<title>x</title>versi baru"
        deploy.rollback_folder(nginx.target)
        assert get(nginx.port, "/tentang/")[2] == (live / "tentang" / "index.html").read_bytes()
    finally:
        deploy.switch_current(nginx.target, live)
        shutil.rmtree(nginx.target / "releases" / name, ignore_errors=True)


# --- Content-Security-Policy in a real browser ------------------------------

VIOLATIONS_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""


class CspWatch:
    """A page opened on `url`, recording every CSP violation it causes from the start."""

    def __init__(self, browser, url: str):
        self.page = browser.new_page()
        self.page.add_init_script(VIOLATIONS_SCRIPT)
        self.console: list[str] = []
        self.page.on("console", self._record)
        response = self.page.goto(url, wait_until="networkidle")
        assert response.status == 200, url

    def _record(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def problems(self) -> list[str]:
        return self.console + self.page.evaluate("window.__cspViolations")


def browser_pages(live: Path) -> list[str]:
    pages = ["/", RELEASE, TERM]
    if (live / "cari" / "index.html").exists():
        pages.append(SEARCH)
    return pages


@pytest.mark.parametrize("path", ["/", RELEASE, TERM, SEARCH])
def test_pages_satisfy_the_content_security_policy(nginx, browser, path):
    if path not in browser_pages(nginx.live):
        pytest.skip("no search page in this build: /cari/ comes with the search feature")
    watch = CspWatch(browser, nginx.site_url + path)
    page = watch.page
    try:
        assert watch.problems() == []
        # The external stylesheet did load under the policy.
        background = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert background == "rgb(11, 61, 145)"
        if path == SEARCH:
            # Searching loads the index and runs its WebAssembly: under the policy too.
            for field in page.locator("input[type=search]").all():
                field.fill("ngopi")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            assert watch.problems() == []
    finally:
        page.close()


def test_the_csp_check_sees_violations(nginx, browser):
    """Control: a page with inline script and style is reported, so a clean
    report above means something."""
    probe = nginx.live / "csp-probe.html"
    probe.write_text(
        "<!doctype html><title>probe</title><style>body{color:red}</style>"
        "<script>document.title='ran'</script><p style='color:blue'>x",
        encoding="utf-8",
    )
    try:
        watch = CspWatch(browser, f"{nginx.site_url}/csp-probe.html")
        problems = watch.problems()
        assert watch.page.title() == "probe"  # the inline script did not run
        watch.page.close()
    finally:
        probe.unlink()
    assert any("script-src" in problem for problem in problems)
    assert any("style-src" in problem for problem in problems)
