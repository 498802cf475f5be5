"""Lighthouse's mobile profile on a published build of the real content.

    python bench/lighthouse.py [--content content] [--runs 3] [--query patroli]
                               [--json bench/results/lighthouse-<time>.json]

Builds CONTENT with publishconf.py (SITEURL http://127.0.0.1:<port>), serves
it as deployed (nginx with deploy/nginx.conf: precompressed files, cache and
security headers; Python's static server without them when nginx is missing),
and runs Lighthouse (npm, bench/package.json: install it with
`npm ci --prefix bench --ignore-scripts`; Debian's Chromium, headless) on the
home page, a release and a search with results, RUNS times each. Prints each
category's score (the median of the runs) and every audit that lost points,
and exits 1 when a target is missed: accessibility, best practices and SEO
1.00, performance at least 0.95.

A benchmark, not a test: a Lighthouse run takes about 10 s a page, and its
performance score moves with the machine's load (it simulates a slow phone
from timings taken on this one). Quote figures from a quiet machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS  # noqa: E402  (the tests' browser flags, one list)

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(content: Path, output: Path, site_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", "publishconf.py", "-o", str(output)],
        cwd=ROOT, env={**os.environ, "SITEURL": site_url}, check=True, capture_output=True,
    )  # fmt: skip


@contextmanager
def nginx(site: Path, port: int, work: Path):
    """deploy/nginx.conf with its listen and root lines set for this run."""
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    conf = re.sub(r"^\s*listen 80;$", f"    listen 127.0.0.1:{port};", conf, flags=re.M)
    conf = re.sub(r"^\s*listen \[::\]:80;$", "", conf, flags=re.M)
    conf = re.sub(r"^\s*root /srv/arsip/current;$", f"    root {site};", conf, flags=re.M)
    temp = "\n".join(f"  {k}_temp_path {work / k};" for k in ("client_body", "proxy", "fastcgi"))
    main = work / "nginx.conf"
    main.write_text(
        f"load_module {BROTLI_MODULE};\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1;\nerror_log {work / 'error.log'};\npid {work / 'nginx.pid'};\n"
        "events { worker_connections 64; }\nhttp {\n  include /etc/nginx/mime.types;\n"
        f"  access_log off;\n{temp}\n  uwsgi_temp_path {work / 'uwsgi'};\n"
        f"  scgi_temp_path {work / 'scgi'};\n{conf}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-p", str(work), "-c", str(main), "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield "nginx with deploy/nginx.conf"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def static_server(site: Path, port: int):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "Python's static server (nginx missing: no compression, no headers)"
    finally:
        server.shutdown()
        server.server_close()


def lighthouse(url: str, report: Path) -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", f"--chrome-flags={flags}",
         f"--only-categories={','.join(CATEGORIES)}", "--output=json",
         f"--output-path={report}"],
        env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(report.read_text(encoding="utf-8"))


def lost_points(result: dict) -> list[str]:
    """Audits that count in a category's score and did not pass."""
    lost = []
    for key, category in result["categories"].items():
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lost.append(f"{key}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default="patroli")
    parser.add_argument("--json", help="where to write the figures")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci --prefix bench --ignore-scripts`")

    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="arsip-lighthouse-") as work:
        work = Path(work)
        site = work / "site"
        build(Path(args.content), site, site_url)
        release = sorted(site.glob("rilis/*/*/*/index.html"))[0].parent.relative_to(site)
        pages = {
            "home": "/",
            "release": f"/{release.as_posix()}/",
            "search": f"/cari/?q={args.query}",
        }
        use_nginx = Path(NGINX).exists() and BROTLI_MODULE.exists()
        server = nginx(site, port, work) if use_nginx else static_server(site, port)
        figures = {}
        with server as served_by:
            print(f"Served by {served_by}; {args.runs} run(s) per page, median scores.")
            for name, path in pages.items():
                runs = [
                    lighthouse(site_url + path, work / f"{name}-{n}.json") for n in range(args.runs)
                ]
                scores = {
                    c: statistics.median(r["categories"][c]["score"] for r in runs)
                    for c in CATEGORIES
                }
                lost = sorted({line for r in runs for line in lost_points(r)})
                figures[name] = {"path": path, "scores": scores, "lost": lost,
                                 "runs": [{c: r["categories"][c]["score"] for c in CATEGORIES} for r in runs]}  # fmt: skip
    missed = []
    print(f"{'page':<10}" + "".join(f"{c:>16}" for c in CATEGORIES))
    for name, page in figures.items():
        print(f"{name:<10}" + "".join(f"{page['scores'][c]:>16.2f}" for c in CATEGORIES))
        for line in page["lost"]:
            print(f"    {line}")
        missed += [f"{name} {c}" for c in CATEGORIES if page["scores"][c] < TARGETS[c]]
    print("Targets met." if not missed else f"Targets missed: {', '.join(missed)}.")
    if args.json:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        record = {"commit": commit, "when": datetime.now().isoformat(timespec="seconds"),
                  "load_average": os.getloadavg(), "served_by": served_by, "pages": figures}  # fmt: skip
        Path(args.json).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
