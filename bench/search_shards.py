"""The sharded search index against one unsplit index, on the same built site.

    python bench/search_shards.py SITE [--label bench-10000] [--before OLD_SITE]
                                       [--shard-size 1000] [--skip-relevance]
    python bench/search_shards.py --build CORPUS [--before-code DIR] --work DIR
                                  [--judged-releases CORPUS] ...

SITE is a site built by this archive (its pagefind/ is sharded). With
`--build`, the content folder CORPUS is first built from scratch (empty output
and cache) by this checkout, with wall time, CPU time and the peak memory of
the whole process tree and of Pagefind; with `--before-code DIR` first also by
the code exported to DIR (bench/snapshot.sh: the code before the shards), one
build right after the other; the two sites are then SITE and OLD_SITE. In one
run:
- index: Pagefind over every release article at once (the unsplit index, as
  plugins/search.py wrote it before the shards), then the shards one after
  another (plugins/search.py's own post-build step, from scratch), each with
  its time and the peak memory of the Pagefind processes; then the same step
  again with nothing changed, and after one release is edited (the time a
  preview session needs before the edit is found);
- relevance: the judged queries of tests/fixtures/search-judged.json (their
  releases must be in SITE's content: `--judged-releases DIR` adds them to a
  content folder before the build) in Debian's headless Chromium: the top ten
  of the search page in the relevance order against the unsplit index's top
  ten (Pagefind's own scores; results with equal scores may come in either
  order), and the release that must come first;
- time to results and what a first search downloads, for common and rare
  words, on a phone and a wide screen; with `--before OLD_SITE` (the same
  content built by the code before the shards) for that site too, in the
  same run.
Figures are printed and written to bench/results/search-shards-<label>.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import re
import resource
import shutil
import sys
import tempfile
import threading
import time
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from arsip.settings import DEFAULTS  # noqa: E402
from plugins import search as plugin  # noqa: E402
from tests.conftest import CHROMIUM_ARGS  # noqa: E402

JUDGED = ROOT / "tests" / "fixtures" / "search-judged.json"
CHROMIUM = "/usr/bin/chromium"
UNSPLIT = "_unsplit"  # the unsplit index, written inside the site so the page can load it
TIMED_QUERIES = ("patroli", "warga", "lalu lintas", "ular sanca")
SAMPLE_SECONDS = 0.05
RELEASE_TIME = re.compile(r'<time datetime="([^"]+)"[^>]*data-pagefind-sort')


# --- the judged releases ------------------------------------------------------------


def judged() -> dict:
    return json.loads(JUDGED.read_text(encoding="utf-8"))


def add_judged_releases(content: Path) -> None:
    """Write the judged releases into a content folder (rilis/<year>/)."""
    for release in judged()["releases"]:
        folder = content / "rilis" / release["date"][:4]
        folder.mkdir(parents=True, exist_ok=True)
        text = (
            f"Title: {release['title']}\nDate: {release['date']}\nSlug: {release['slug']}\n"
            f"Summary: {release['body'].split(chr(10))[0]}\nUnits: {release['units']}\n"
            f"Activities: {release['activities']}\nSources: uji relevansi\nStatus: published\n\n"
            f"Jakarta Pusat - {release['body']}\n"
        )
        (folder / f"{release['date'][:10]}-{release['slug']}.md").write_text(text, encoding="utf-8")


# --- building the two indexes ------------------------------------------------------------


def releases_of(site: Path) -> list[tuple[str, datetime]]:
    """(page, date) of every indexed release of a built site."""
    found = []
    for page in sorted(site.glob("rilis/**/index.html")):
        html = page.read_text(encoding="utf-8")
        when = RELEASE_TIME.search(html)
        if when and plugin.MARKED_ARTICLE.search(html):
            found.append((page.relative_to(site).as_posix(), datetime.fromisoformat(when[1])))
    return found


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class PeakMemory:
    """Samples the memory of the Pagefind processes this process starts, and
    times the block: wall and CPU seconds (this process and its children)."""

    def __enter__(self):
        from run import _tree_rss_kb

        self.peak_kb, self._done = 0, threading.Event()

        def sample():
            while not self._done.is_set():
                self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid())[1])
                self._done.wait(SAMPLE_SECONDS)

        self._thread = threading.Thread(target=sample, daemon=True)
        self.started, self.cpu_started = time.perf_counter(), cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started
        self.cpu_seconds = cpu_seconds() - self.cpu_started
        self._done.set()
        self._thread.join()


def unsplit_index(site: Path, destination: Path, language: str = "id") -> dict:
    """One Pagefind index of every release article (what plugins/search.py
    wrote before the shards), its runtime patched as the plugin patches it,
    so that the judged queries can read Pagefind's scores."""
    shutil.rmtree(destination, ignore_errors=True)
    pages = [page for page, _ in releases_of(site)]
    with PeakMemory() as memory:
        releases = dict(plugin.indexed_releases(site, pages))
        with tempfile.TemporaryDirectory() as scratch:
            for relative, body in releases.items():
                page = Path(scratch, relative)
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(plugin._page_of(body), encoding="utf-8")
            plugin._write_index(Path(scratch), destination, {"force_language": language})
    script = destination / "pagefind.js"
    text = script.read_text(encoding="utf-8")
    for old, new in plugin.RUNTIME_PATCHES:
        text = text.replace(old, new)
    script.write_text(text, encoding="utf-8")
    return {
        "releases": len(pages),
        "seconds": round(memory.seconds, 1),
        "cpu_seconds": round(memory.cpu_seconds, 1),
        "pagefind_peak_mb": round(memory.peak_kb / 1024),
        "bytes": sum(p.stat().st_size for p in destination.rglob("*") if p.is_file()),
    }


def sharded_index(site: Path, shard_size: int, language: str = "id", edit: bool = False) -> dict:
    """The shards of the site's releases, indexed from scratch one after
    another by plugins/search.py's own post-build step (into a bundle folder
    of its own in the site, removed afterwards). With `edit`, then indexed
    again with nothing changed, and again after one sentence is added to the
    newest release (its page restored afterwards), as a preview session does
    after an edit: the seconds of each, and the shards indexed."""
    releases = releases_of(site)
    shards = plugin.plan_shards(releases, shard_size)
    bundle_dir = "_bench_shards"
    figures = {"shards": len(shards), "largest_shard": max(len(s.pages) for s in shards)}
    with tempfile.TemporaryDirectory() as cache:
        settings = {
            "SEARCH_BUNDLE_DIR": bundle_dir,
            "SEARCH_LANGUAGE": language,
            "SEARCH_SHARD_SIZE": shard_size,
            "OUTPUT_PATH": str(site),
            "CACHE_PATH": cache,
        }
        plugin._published["releases"] = releases
        try:
            with PeakMemory() as memory:
                plugin._index_site(settings, site)
            figures.update(
                seconds=round(memory.seconds, 1),
                cpu_seconds=round(memory.cpu_seconds, 1),
                pagefind_peak_mb=round(memory.peak_kb / 1024),
                bytes=sum(p.stat().st_size for p in (site / bundle_dir).rglob("*") if p.is_file()),
            )
            if edit:
                figures["reindex"] = _reindex_after_edit(site, settings, shards)
        finally:
            shutil.rmtree(site / bundle_dir, ignore_errors=True)
    return figures


EDIT = "<p>Usai kegiatan, petugas berswafoto dengan warga.</p>"


def _reindex_after_edit(site: Path, settings: dict, shards) -> dict:
    def indexed_shards() -> list[str]:
        record = plugin._read_record(plugin._record_path(settings, bundle))
        return sorted(
            key for key, entry in record["shards"].items() if entry["index"] != before[key]
        )

    load = os.getloadavg()[0]
    bundle = site / settings["SEARCH_BUNDLE_DIR"]
    before = {
        key: entry["index"]
        for key, entry in plugin._read_record(plugin._record_path(settings, bundle))[
            "shards"
        ].items()
    }
    with PeakMemory() as unchanged:
        plugin._index_site(settings, site)
    assert indexed_shards() == [], "nothing changed, yet a shard was indexed again"
    newest = site / shards[-1].pages[-1]
    original = newest.read_bytes()
    html = original.decode("utf-8")
    body = plugin._marked_element(html)
    closing = body.rindex("</")  # the marked element's own </article>
    newest.write_text(
        html.replace(body, body[:closing] + EDIT + body[closing:], 1), encoding="utf-8"
    )
    try:
        with PeakMemory() as edited:
            plugin._index_site(settings, site)
    finally:
        newest.write_bytes(original)
    return {
        "release_edited": shards[-1].pages[-1],
        "seconds_nothing_changed": round(unchanged.seconds, 2),
        "cpu_seconds_nothing_changed": round(unchanged.cpu_seconds, 2),
        "seconds_after_one_edit": round(edited.seconds, 2),
        "cpu_seconds_after_one_edit": round(edited.cpu_seconds, 2),
        "load_before": round(load, 2),
        "shards_indexed_after_the_edit": indexed_shards(),
        "releases_in_that_shard": len(shards[-1].pages),
    }


# --- in the browser ---------------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def wait_for_results(page, timeout=120_000) -> str:
    page.wait_for_function(
        "() => { const s = document.getElementById('status-cari').textContent;"
        " return s && s !== 'Mencari…'; }",
        timeout=timeout,
    )
    return page.inner_text("#status-cari")


def page_results(page, base: str, url: str, count: int = 10) -> list[str]:
    """Site paths of the first `count` results the search page shows for `url`."""
    page.goto(base + url)
    wait_for_results(page)
    more = page.locator("#lebih-banyak")
    while page.locator("#hasil-cari li").count() < count and more.is_visible():
        shown = page.locator("#hasil-cari li").count()
        more.click()
        page.wait_for_function(
            f"() => document.querySelectorAll('#hasil-cari li').length > {shown}"
            " || document.getElementById('lebih-banyak').hidden"
        )
    hrefs = page.eval_on_selector_all(
        "#hasil-cari li h2 a", "links => links.map(a => new URL(a.href).pathname)"
    )
    return [href.lstrip("/") for href in hrefs[:count]]


UNSPLIT_SEARCH = """async ({bundle, q, sort, count}) => {
  const pagefind = await import(bundle + "pagefind.js");
  if (!window.unsplitReady) {
    await pagefind.options({ noWorker: true });
    await pagefind.init();
    await pagefind.enterPlaygroundMode();
    window.unsplitReady = true;
  }
  const search = await pagefind.search(q, sort ? { sort } : {});
  const top = search.results.slice(0, count + 10);
  const urls = await Promise.all(top.map(async (r) => (await r.data()).url));
  return top.map((r, i) => [urls[i].replace(/^\\//, ""), r.score]);
}"""


def unsplit_results(page, base: str, q: str, sort=None, count: int = 10) -> list[tuple[str, float]]:
    """(site path, Pagefind's score) of the unsplit index's results, ten past `count`."""
    return [
        tuple(item)
        for item in page.evaluate(
            UNSPLIT_SEARCH, {"bundle": f"{base}{UNSPLIT}/", "q": q, "sort": sort, "count": count}
        )
    ]


def same_ranking(shown: list[str], reference: list[tuple[str, float]], count: int = 10) -> bool:
    """Whether `shown` is the reference's first `count` results, where results
    of equal score may come in any order (Pagefind sorts them unstably)."""
    if len(shown) != min(count, len(reference)):
        return False
    scores = dict(reference)
    position = 0
    while position < len(shown):
        score = reference[position][1]
        group = {path for path, s in reference if s == score}
        width = sum(1 for _, s in reference[position:] if s == score)
        taken = shown[position : position + width]
        if not set(taken) <= group or any(scores.get(p) != score for p in taken):
            return False
        position += width
    return True


def judge(browser, base: str) -> dict:
    """The judged queries, relevance order: sharded page against unsplit index."""
    context = browser.new_context()
    page = context.new_page()
    reference_page = context.new_page()
    reference_page.goto(f"{base}404.html")
    slugs = {}
    figures = []
    try:
        for query in judged()["queries"]:
            q, first = query["q"], query["first"]
            shown = page_results(page, base, f"cari/?q={quote(q)}&urut=relevan")
            reference = unsplit_results(reference_page, base, q)
            if first and first not in slugs:
                slugs[first] = next(
                    (p for p, _ in reference if p.rstrip("/").endswith(first)), None
                )
            figures.append(
                {
                    "q": q,
                    "same_top_ten": same_ranking(shown, reference),
                    "first_expected": first,
                    "first_sharded_ok": first is None or shown[:1] == [slugs.get(first)],
                    "first_unsplit_ok": first is None
                    or reference[:1]
                    and reference[0][0] == slugs.get(first),
                    "sharded": shown,
                    "unsplit": reference[:10],
                }
            )
    finally:
        context.close()
    return {
        "queries": len(figures),
        "same_top_ten": sum(f["same_top_ten"] for f in figures),
        "first_as_judged_sharded": sum(f["first_sharded_ok"] for f in figures),
        "first_as_judged_unsplit": sum(bool(f["first_unsplit_ok"]) for f in figures),
        "details": figures,
    }


def timed_first_searches(browser, base: str, queries=TIMED_QUERIES) -> dict:
    """Seconds from opening /cari/?q=... to the results, and what was downloaded
    (bench/search_size.py's accounting), each in a fresh browser context."""
    import search_size

    figures = {}
    for q in queries:
        for screen, viewport in search_size.VIEWPORTS.items():
            figures[f"{q} ({screen})"] = search_size._first_and_second(
                browser, base.rstrip("/"), screen, viewport, q, None
            )[f"first_query_{screen}"]
    return figures


def measure_build(command: list[str], cwd: Path, log: Path) -> dict:
    """One `pelican` build: wall and CPU seconds, and the peak memory of its
    whole process tree and of its Pagefind processes (bench/run.py's sampler)."""
    from run import measure

    run = measure(command, log, cwd)
    if run.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: see {log}")
    return {
        "seconds": round(run.seconds, 1),
        "cpu_seconds": round(run.cpu_seconds, 1),
        "peak_mb": round(run.peak_rss_mb),
        "pagefind_peak_mb": round(run.pagefind_peak_rss_mb),
        "load_before": run.load_before,
    }


def build_both(corpus: Path, before_code: Path | None, work: Path):
    """CORPUS built by the code in `before_code` (if given), then by this checkout;
    returns the two sites (None for the one not built) and the figures."""
    figures = {}
    sites = {"before": None}
    builds = (("before", before_code), ("after", ROOT)) if before_code else (("after", ROOT),)
    for name, code in builds:
        output, cache = work / f"site-{name}", work / f"cache-{name}"
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        command = [sys.executable, "-m", "pelican", str(corpus), "-s", str(code / "pelicanconf.py")]
        command += ["-o", str(output), "-e", f'CACHE_PATH="{cache}"']
        print(f"Build {name} ({code}) …", flush=True)
        figures[name] = measure_build(command, code, work / f"build-{name}.log")
        print(" ", figures[name], flush=True)
        sites[name] = output
    return sites["after"], sites["before"], figures


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, nargs="?", help="a site built by this archive")
    parser.add_argument("--before", type=Path, help="the same content built before the shards")
    parser.add_argument("--build", type=Path, help="a content folder to build before and after")
    parser.add_argument(
        "--before-code", type=Path, help="with --build: the code before, built first if given"
    )
    parser.add_argument(
        "--judged-releases", type=Path, help="add the judged releases to this content folder first"
    )
    parser.add_argument("--work", type=Path, help="with --build: where the sites go")
    parser.add_argument("--label", default=None)
    parser.add_argument("--shard-size", type=int, default=DEFAULTS["SEARCH_SHARD_SIZE"])
    parser.add_argument(
        "--skip-index",
        action="store_true",
        help="build no index (the judged queries use the unsplit one in SITE)",
    )
    parser.add_argument(
        "--skip-relevance", action="store_true", help="no unsplit index, no judged queries"
    )
    args = parser.parse_args(argv)
    figures = {}
    if args.judged_releases:
        add_judged_releases(args.judged_releases)
    if args.build:
        args.work.mkdir(parents=True, exist_ok=True)
        before_code = args.before_code.resolve() if args.before_code else None
        args.site, args.before, figures["builds"] = build_both(
            args.build.resolve(), before_code, args.work.resolve()
        )
    site = args.site.resolve()
    label = args.label or site.name
    load = os.getloadavg()[0]
    figures.update(site=str(site), label=label, load_before=round(load, 2))
    if not args.skip_index and not args.skip_relevance:
        print("Unsplit index …", flush=True)
        figures["unsplit_index"] = unsplit_index(site, site / UNSPLIT)
        print(" ", figures["unsplit_index"], flush=True)
    if not args.skip_index:
        print("Shards, from scratch …", flush=True)
        figures["sharded_index"] = sharded_index(site, args.shard_size, edit=True)
        print(" ", figures["sharded_index"], flush=True)
    server, base = serve(site)
    servers = [server]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if not args.skip_relevance:
                print("Judged queries …", flush=True)
                figures["relevance"] = judge(browser, base)
                r = figures["relevance"]
                print(
                    f"  same top ten {r['same_top_ten']}/{r['queries']}, first as judged: "
                    f"sharded {r['first_as_judged_sharded']}, "
                    f"unsplit {r['first_as_judged_unsplit']}"
                )
            print("First searches, after …", flush=True)
            figures["first_searches_after"] = timed_first_searches(browser, base)
            if args.before:
                before, before_base = serve(args.before.resolve())
                servers.append(before)
                print("First searches, before …", flush=True)
                figures["first_searches_before"] = timed_first_searches(browser, before_base)
            browser.close()
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    for key in ("first_searches_before", "first_searches_after"):
        for name, figure in figures.get(key, {}).items():
            print(
                f"  {key[15:]:6} {name:28} {figure['seconds_to_results_local']:6.2f} s "
                f"{figure['gzip_bytes'] / 1000:8.1f} kB gzip, {figure['requests']} requests"
            )
    target = ROOT / "bench" / "results" / f"search-shards-{label}.json"
    target.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
