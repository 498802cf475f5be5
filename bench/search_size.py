"""Measure the search index and what a reader downloads for a first query.

    python bench/search_size.py OUTPUT [--query patroli] [--second-query tawuran]
                                      [--label real] [--json bench/results/search-size-real.json]

OUTPUT is any built site (the real content or a benchmark corpus from
bench/generate.py) with the `search` plugin's `pagefind/` folder in it.

Figures:
- the index on disk: every file under pagefind/, grouped into what the search
  page loads (runtime, index chunks, filter chunks, fragments) and what it never
  loads (Pagefind's prebuilt UIs and the WebAssembly of other languages);
- a first query: a fresh headless Chromium (empty cache) opens
  /cari/?q=QUERY and every response it receives until the results are shown
  is counted, as served (a plain static server, no compression) and gzipped
  (what a host that compresses text would send; Pagefind's own chunks are
  already compressed). Measured on a phone screen (filters folded) and on a
  wide screen (filters shown); on both the filter counts are fetched only
  once the reader uses the filters, so neither first query loads them;
- a second query typed on the same page (wide screen): the extra bytes it costs.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import sys
import threading
import time
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import CHROMIUM_ARGS  # noqa: E402  (the tests' browser, one list)

CHROMIUM = "/usr/bin/chromium"
BUNDLE = "pagefind"
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.")
UNUSED_FILES = ("pagefind-highlight.js",)


def kind_of(relative: str) -> str:
    """What a file of the site is, for the tables. The index's shards
    (pagefind/shards/<key>/) count with the kind of file they hold."""
    if not relative.startswith(f"{BUNDLE}/"):
        return "page (HTML, CSS, search.js)"
    name = relative.removeprefix(f"{BUNDLE}/")
    if name.startswith("shards/"):
        name = name.split("/", 2)[-1]
    folder = name.split("/", 1)[0] if "/" in name else ""
    if folder == "index":
        return "index chunks"
    if folder == "filter":
        return "filter chunks"
    if folder == "fragment":
        return "fragments"
    if folder == "words":
        return "word lists (which shards hold a word)"
    if name.endswith(".pf_meta") or name in ("pagefind-entry.json", "shards.json"):
        return "index metadata"
    return "runtime (pagefind.js, worker, wasm)"


def index_on_disk(site: Path) -> dict:
    bundle = site / BUNDLE
    if not (bundle / "pagefind.js").is_file():
        sys.exit(f"{bundle}/pagefind.js not found: build the site with the search plugin first")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    used = defaultdict(lambda: {"files": 0, "bytes": 0})
    unused = {"files": 0, "bytes": 0}
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        name = str(path.relative_to(bundle))
        size = path.stat().st_size
        wasm_of_other_language = name.startswith("wasm.") and name not in {
            f"wasm.{lang['wasm']}.pagefind" for lang in entry["languages"].values()
        }
        if name.startswith(UNUSED_PREFIXES) or name in UNUSED_FILES or wasm_of_other_language:
            unused["files"] += 1
            unused["bytes"] += size
        else:
            group = used[kind_of(f"{BUNDLE}/{name}")]
            group["files"] += 1
            group["bytes"] += size
    pages = sum(lang["page_count"] for lang in entry["languages"].values())
    manifest = bundle / "shards.json"
    if manifest.is_file():  # the sharded index: pagefind/ holds no release itself
        pages = sum(
            s["releases"] for s in json.loads(manifest.read_text(encoding="utf-8"))["shards"]
        )
    return {
        "indexed_pages": pages,
        "languages": sorted(entry["languages"]),
        "used_by_search": dict(sorted(used.items())),
        "used_bytes": sum(g["bytes"] for g in used.values()),
        "never_loaded": unused,
        "total_bytes": sum(g["bytes"] for g in used.values()) + unused["bytes"],
    }


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def _wait_for_results(page) -> str:
    page.wait_for_function(
        "() => { const s = document.getElementById('status-cari').textContent;"
        " return s && s !== 'Mencari…'; }",
        timeout=60_000,
    )
    return page.inner_text("#status-cari")


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


def downloads(site: Path, query: str, second_query: str | None) -> dict:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for screen, viewport in VIEWPORTS.items():
                figures.update(
                    _first_and_second(browser, base, screen, viewport, query, second_query)
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


def _first_and_second(browser, base, screen, viewport, query, second_query) -> dict:
    """A first query in a fresh context (empty cache), then on a wide screen a second one."""
    responses: list[tuple[str, bytes]] = []

    def record(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            body = b""
        responses.append((urlsplit(response.url).path.lstrip("/"), body))

    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.on("response", record)
        started = time.perf_counter()
        page.goto(f"{base}/cari/?q={quote(query)}")
        status = _wait_for_results(page)
        seconds = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        figures = {
            f"first_query_{screen}": {
                "query": query,
                "status": status,
                "seconds_to_results_local": round(seconds, 3),
                **_totals(responses),
            }
        }
        if second_query and screen == "desktop":
            responses.clear()
            page.fill("#kata-kunci", second_query)
            page.press("#kata-kunci", "Enter")
            page.wait_for_function(
                "q => document.getElementById('status-cari').textContent.includes(q)",
                arg=second_query,
                timeout=60_000,
            )
            page.wait_for_load_state("networkidle")
            figures["second_query"] = {
                "query": second_query,
                "status": page.inner_text("#status-cari"),
                **_totals(responses),
            }
    finally:
        context.close()
    return figures


def _totals(responses: list[tuple[str, bytes]]) -> dict:
    groups = defaultdict(lambda: {"requests": 0, "bytes": 0, "gzip_bytes": 0})
    for path, body in responses:
        if path == "favicon.ico":
            continue  # the theme has no favicon; the browser asks anyway
        group = groups[kind_of(path)]
        group["requests"] += 1
        group["bytes"] += len(body)
        # Pagefind's chunks and wasm are gzip already; hosts send them as they are.
        compressible = path.endswith((".html", ".css", ".js", ".json", "/")) or path == ""
        group["gzip_bytes"] += _gzipped(body) if compressible else len(body)
    return {
        "requests": sum(g["requests"] for g in groups.values()),
        "bytes": sum(g["bytes"] for g in groups.values()),
        "gzip_bytes": sum(g["gzip_bytes"] for g in groups.values()),
        "by_kind": dict(sorted(groups.items())),
    }


def kib(count: int) -> str:
    return f"{count / 1024:,.1f} KiB"


def report(figures: dict) -> str:
    index = figures["index"]
    lines = [
        f"Search figures for {figures['site']} ({figures['label']}): "
        f"{index['indexed_pages']} releases indexed, languages {', '.join(index['languages'])}",
        "",
        f"Index on disk: {kib(index['used_bytes'])} used by the search page, "
        f"{kib(index['never_loaded']['bytes'])} never loaded "
        f"(prebuilt UIs, other wasm), {kib(index['total_bytes'])} in all",
    ]
    for kind, group in index["used_by_search"].items():
        lines.append(f"  {kind:38} {group['files']:6} files {kib(group['bytes']):>14}")
    for name, query in figures["downloads"].items():
        lines += [
            "",
            f"{name.replace('_', ' ').capitalize()} “{query['query']}”: {query['status']}",
            f"  {query['requests']} requests, {kib(query['bytes'])} as served, "
            f"{kib(query['gzip_bytes'])} with gzip on text",
        ]
        for kind, group in query["by_kind"].items():
            lines.append(
                f"  {kind:38} {group['requests']:4} req {kib(group['bytes']):>12}"
                f" {kib(group['gzip_bytes']):>12} gz"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="a built site folder (with pagefind/)")
    parser.add_argument("--query", default="patroli", help="the first query (default: patroli)")
    parser.add_argument(
        "--second-query", default="tawuran", help="a second query typed on the same page"
    )
    parser.add_argument("--label", default=None, help="name of the corpus, for the JSON file")
    parser.add_argument("--json", type=Path, default=None, help="where to write the figures")
    args = parser.parse_args(argv)
    site = args.output.resolve()
    label = args.label or site.name
    figures = {
        "site": str(site),
        "label": label,
        "index": index_on_disk(site),
        "downloads": downloads(site, args.query, args.second_query or None),
    }
    print(report(figures))
    target = args.json or ROOT / "bench" / "results" / f"search-size-{label}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWritten to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
