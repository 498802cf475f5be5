"""Measure the archive side by side with plain Pelican, Hugo + Pagefind and a publish.

    python bench/run.py --releases 10000 [--releases 50000] [--seed 1] [--skip preview,publish]
    invoke bench --releases 10000 --releases 50000

For each size, on one corpus (bench/generate.py), in one run, each step once:
- plain: plain Pelican (bench/baseline_settings.py) full build;
- archive: the archive's full build, cold (empty output, empty content cache),
  with Pagefind's own peak memory;
- hugo: the corpus as a Hugo site (bench/hugo.py, Debian's `hugo`), built;
- pagefind: the archive's `pagefind` binary over Hugo's release pages only;
- search: what a first search downloads and how long it takes to show results,
  for common and rare words, on a phone and a wide screen, in headless Chromium
  (bench/search_size.py; each measurement that fails is recorded as
  "failed: <reason>" and the run goes on);
- publish: a cold `invoke publish` to an empty folder (empty caches), then one
  after editing one release, caches warm (bench/publish.py);
- preview: a preview session (bench/preview.py) on the same corpus with the
  archive build's warm content cache: nothing changed, one release edited, one
  added.
Each timed step records wall time, CPU time (user + system of the process tree),
peak memory of the process tree (sampled from /proc) and the 1-minute load
average before it. `--skip` leaves steps out. The figures go to
bench/results/<time>-<releases>.json, and the table of issue 16's targets with
each figure, met or not, replaces the generated section of bench/README.md.
Benchmarks are not tests: nothing here fails on a target missed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
README = BENCH / "README.md"
SITE_SETTINGS = ROOT / "pelicanconf.py"
BASELINE_SETTINGS = BENCH / "baseline_settings.py"
RSS_SAMPLE_SECONDS = 0.05
PSS_SAMPLE_SECONDS = 0.5
STEPS = ("plain", "archive", "hugo", "pagefind", "search", "publish", "preview")
# Queries timed from opening the search page: the commonest words and rare ones.
TIMED_QUERIES = ("patroli", "warga", "lalu lintas", "ular sanca")
BEGIN, END = "<!-- bench:generated:begin -->", "<!-- bench:generated:end -->"
# Seconds per release of each step on the 2-core machine (issue 16's figures at
# 10,000), used to estimate a run when no earlier result file can be scaled.
SECONDS_PER_RELEASE = {
    "generate": 0.0015,
    "plain": 0.0052,
    "archive": 0.0125,
    "hugo": 0.0045,
    "pagefind": 0.004,
    "search": 0.002,
    "publish": 0.075,
    "preview": 0.015,
}
FIXED_SECONDS = {"search": 60, "publish": 20, "preview": 10}
# Build times grow a little faster than the corpus: 5.6 to 6.7 times from 10,000
# to 50,000 releases (bench/README.md), about size^1.1.
GROWTH_EXPONENT = 1.1

sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(ROOT))
import generate  # noqa: E402


@dataclass
class Run:
    """One command: how long it took and the most memory its process tree held.

    `cpu_seconds` (user + system, the process and its waited-for children) is
    the figure to trust when other work shares the machine; `load_before` is
    the 1-minute load average when it started (2.0 fills both cores);
    `pagefind_peak_rss_mb` the peak of the `pagefind` processes in the tree.
    """

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    load_before: float
    returncode: int
    pagefind_peak_rss_mb: float = 0.0


def _tree_rss_kb(pid: int, proportional: bool = True) -> tuple[int, int]:
    """Memory of a process and its descendants, and of the `pagefind` ones.

    `proportional`: each process counts its proportional set size (Pss), so a
    page shared by several processes (a forked worker's copy-on-write pages,
    shared libraries) counts once in the sum, as it takes memory once. Else, or
    where the kernel has no smaps_rollup, resident memory (VmRSS), which counts
    a shared page in each process: never less than the Pss sum.
    """
    total, pagefind, stack = 0, 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/comm") as comm:
                name = comm.read().strip()
            total_before = total
            try:
                if not proportional:
                    raise FileNotFoundError
                with open(f"/proc/{current}/smaps_rollup") as rollup:
                    for line in rollup:
                        if line.startswith("Pss:"):
                            total += int(line.split()[1])
                            break
            except (FileNotFoundError, PermissionError):
                with open(f"/proc/{current}/status") as status:
                    for line in status:
                        if line.startswith("VmRSS:"):
                            total += int(line.split()[1])
                            break
            pagefind += total - total_before if name == "pagefind" else 0
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total, pagefind


def measure(command: list[str], log: Path, cwd: Path = ROOT, env: dict | None = None) -> Run:
    """Run `command`, sampling the memory of its process tree until it ends.

    The peak is the sampled total of the process tree (worker processes
    counted together). The kernel's own maximum (ru_maxrss) is not used: Linux
    carries it over from the forking process, so it reports at least this
    script's own memory.
    """
    load_before = os.getloadavg()[0]
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak_kb = pagefind_kb = 0
        done = threading.Event()

        def sample():
            # Reading Pss walks every page of a process: in a large build, every
            # 50 ms it would take a third of a core from the build measured. The
            # cheap resident figure bounds it from above, so Pss is read only when
            # it could be a new peak, and at most every PSS_SAMPLE_SECONDS.
            nonlocal peak_kb, pagefind_kb
            proportional_at = 0.0
            while not done.is_set():
                total, pagefind = _tree_rss_kb(process.pid, proportional=False)
                now = time.perf_counter()
                if total > peak_kb and now - proportional_at >= PSS_SAMPLE_SECONDS:
                    total, pagefind = _tree_rss_kb(process.pid)
                    proportional_at = now
                    peak_kb, pagefind_kb = max(peak_kb, total), max(pagefind_kb, pagefind)
                done.wait(RSS_SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        print(f"  FAILED ({process.returncode}): see {log}", file=sys.stderr)
    return Run(
        round(seconds, 2),
        round(usage.ru_utime + usage.ru_stime, 2),
        round(peak_kb / 1024, 1),
        round(load_before, 2),
        process.returncode,
        round(pagefind_kb / 1024, 1),
    )


def pelican(content: Path, output: Path, settings: Path, *extra: str) -> list[str]:
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings)]
    return [*command, "-o", str(output), *extra]


def output_size(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def edit_one_release(content: Path) -> Path:
    """Change a sentence in the body of one release, as an editor would."""
    releases = sorted((content / "rilis").rglob("*.md"))
    target = releases[len(releases) // 2]
    text = target.read_text(encoding="utf-8")
    text = text.replace(
        "(Humas Polres", "Berita ini telah diperbarui oleh redaksi.\n\n(Humas Polres"
    )
    target.write_text(text, encoding="utf-8")
    return target


def add_one_release(content: Path) -> Path:
    """A new release: a copy of the newest one with a new title, slug and date."""
    newest = max((content / "rilis").rglob("*.md"))
    lines = newest.read_text(encoding="utf-8").split("\n")
    replaced = {
        "Title": "Title: Rilis Tambahan untuk Pengukuran Pembangunan Ulang",
        "Slug": "Slug: rilis-tambahan-pengukuran",
        "Date": f"Date: {generate.LAST_DAY:%Y-%m-%d} 23:00",
    }
    lines = [replaced.get(line.split(":", 1)[0], line) for line in lines]
    target = newest.parent / f"{generate.LAST_DAY:%Y-%m-%d}-rilis-tambahan-pengukuran.md"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def versions(site_root: Path) -> dict:
    """Package versions, and the commit of the archive checkout measured.

    A checkout exported with `git archive` has no .git: bench/snapshot.sh
    leaves its commit in a file named COMMIT.
    """
    packages = ["pelican", "markdown", "jinja2", "typogrify", "babel", "pyyaml"]
    found = {name: metadata.version(name) for name in packages}
    found["python"] = platform.python_version()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=site_root, capture_output=True, text=True
    )
    marker = site_root / "COMMIT"
    found["archive_commit"] = commit.stdout.strip() or (
        marker.read_text().strip() if marker.exists() else "unknown"
    )
    found["archive_dirty"] = (
        bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=site_root,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
        if commit.stdout.strip()
        else False
    )
    return found


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        memory_kb = int(info.readline().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024**2, 1),
        "platform": platform.platform(),
    }


def shown(path: Path) -> str:
    """A path as the results name it: in this checkout, relative to it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def failed(error: BaseException) -> str:
    return f"failed: {type(error).__name__}: {str(error).strip()[:300]}"


# --- the run ------------------------------------------------------------------


class Bench:
    """One size: the corpus, the work folders, and each step's figures."""

    def __init__(self, releases: int, seed: int, work: Path, site_settings: Path, skip):
        self.releases, self.seed, self.skip = releases, seed, set(skip)
        self.site_settings = site_settings
        self.content = work / f"content-{releases}"
        self.work = work
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.cache = work / f"cache-{releases}"
        self.site = work / f"site-{releases}"
        self.steps: dict = {}

    def folder(self, name: str) -> Path:
        """This size's work folder `name`, removed if it exists (each step starts empty)."""
        path = self.work / f"{name}-{self.releases}"
        shutil.rmtree(path, ignore_errors=True)
        return path

    def timed(self, name: str, command, cwd: Path = ROOT, env=None) -> dict:
        run = measure(command, self.logs / f"{self.releases}-{name}.log", cwd, env)
        pagefind = (
            f", Pagefind {run.pagefind_peak_rss_mb:,.0f} MB" if run.pagefind_peak_rss_mb else ""
        )
        print(
            f"  {name:<26} {run.seconds:8.2f} s wall {run.cpu_seconds:8.2f} s CPU"
            f" {run.peak_rss_mb:8,.0f} MB peak{pagefind}  (load {run.load_before})",
            flush=True,
        )
        return asdict(run)

    def step(self, name: str, work) -> None:
        """Run one step unless skipped; a step that raises is recorded as failed."""
        if name in self.skip:
            self.steps[name] = "skipped"
            return
        try:
            self.steps[name] = work()
        except Exception as error:  # one broken step must not lose the others' figures
            self.steps[name] = failed(error)
            print(f"  {name}: {self.steps[name]}", file=sys.stderr, flush=True)

    def run(self) -> dict:
        print(f"== {self.releases} releases (seed {self.seed})", flush=True)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        generate.generate(self.releases, self.content, self.seed)
        self.steps["generate"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "load_before": round(load, 2),
        }
        self.step("plain", self.plain)
        self.step("archive", self.archive)
        self.step("hugo", self.hugo)  # also runs "pagefind" on Hugo's output
        self.step("search", self.search)
        self.step("publish", self.publish)  # edits one release
        self.step("preview", self.preview)  # edits it again, adds one
        return self.steps

    def plain(self) -> dict:
        output = self.folder("baseline")
        figures = self.timed(
            "plain Pelican build", pelican(self.content, output, BASELINE_SETTINGS)
        )
        figures["output"] = output_size(output)
        shutil.rmtree(output, ignore_errors=True)
        return figures

    def archive(self) -> dict:
        self.folder("cache")
        self.folder("site")
        cache = f"CACHE_PATH={json.dumps(str(self.cache))}"
        command = pelican(self.content, self.site, self.site_settings, "-e", cache)
        figures = self.timed("archive full build (cold)", command)
        figures["output"] = output_size(self.site)
        return figures

    def hugo(self) -> dict:
        import hugo

        binary = hugo.ensure_hugo()
        source, public = self.folder("hugo-site"), self.folder("hugo-public")
        from pelican.settings import read_settings

        settings = read_settings(str(self.site_settings))
        load = os.getloadavg()[0]
        started = time.perf_counter()
        pages = hugo.convert(self.content, source, settings["FEED_MAX_ITEMS"], settings["TIMEZONE"])
        figures = {
            "version": hugo.hugo_version(binary),
            "convert": {
                "releases": pages,
                "seconds": round(time.perf_counter() - started, 2),
                "load_before": round(load, 2),
            },
            **self.timed("Hugo build", hugo.hugo_command(binary, source, public)),
        }
        figures["output"] = output_size(public)
        self.step("pagefind", lambda: self.pagefind(hugo, public))
        for folder in (source, public):  # Hugo's output is not kept
            shutil.rmtree(folder, ignore_errors=True)
        return figures

    def pagefind(self, hugo, public: Path) -> dict:
        from pagefind.service import get_executable

        bundle = self.folder("hugo-pagefind")
        command = hugo.pagefind_command(str(get_executable()), public, bundle)
        figures = self.timed("Pagefind over Hugo", command)
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        figures["indexed_pages"] = sum(lang["page_count"] for lang in entry["languages"].values())
        figures["version"] = subprocess.run(
            [str(get_executable()), "--version"], capture_output=True, text=True
        ).stdout.strip()
        shutil.rmtree(bundle, ignore_errors=True)
        return figures

    def search(self) -> dict:
        if not (self.site / "pagefind").is_dir():
            return "not measured: the archive build wrote no pagefind/ folder"
        return search_figures(self.site)

    def publish(self) -> dict:
        import publish

        checkout = publish.checkout_copy(self.folder("publish-checkout"))
        target = self.folder("publish-target")
        command = publish.publish_command(checkout, self.content, target)
        environment = publish.publish_environment()
        figures = {"cold": self.timed("publish, cold", command, checkout, environment)}
        edited = edit_one_release(self.content)
        figures["edited_release"] = str(edited.relative_to(self.content))
        figures["warm_one_edited"] = self.timed(
            "publish, 1 edited, warm", command, checkout, environment
        )
        deployed = target / "releases"
        figures["releases_deployed"] = sorted(
            p.name for p in deployed.glob("*") if not p.name.startswith(".")
        )
        for folder in (checkout, target):
            shutil.rmtree(folder, ignore_errors=True)
        return figures

    def preview(self) -> dict:
        """The session runs on the corpus itself (so the archive build's content
        cache, keyed by the content folder, is warm for its first build)."""
        output = self.folder("preview")
        command = [sys.executable, str(BENCH / "preview.py"), str(self.content)]
        run = self.timed("preview session", [*command, str(output), str(self.cache)])
        if run["returncode"] != 0:
            return run  # its log says why
        log = (self.logs / f"{self.releases}-preview session.log").read_text(encoding="utf-8")
        figures = json.loads(log.strip().splitlines()[-1])
        for name, figure in figures.items():
            print(
                f"    {name:<22} pages {figure['pages_seconds']:7.2f} s"
                f" ({figure['pages_cpu_seconds']:.2f} s CPU), with search"
                f" {figure['all_seconds']:7.2f} s, {figure['rendered']:6} files rendered"
            )
        shutil.rmtree(output, ignore_errors=True)
        return {"process": run, "content_cache": "warm, from the archive build", **figures}


def search_figures(site: Path) -> dict:
    """The index on disk and each timed query's first search, through
    bench/search_size.py; each measurement that fails is recorded as failed."""
    figures: dict = {"first_searches": {}}
    try:
        import search_size
    except Exception as error:
        return {"first_searches": failed(error), "index": failed(error)}
    try:
        figures["index"] = search_size.index_on_disk(site)
    except (Exception, SystemExit) as error:
        figures["index"] = failed(error)
    for query in TIMED_QUERIES:
        load = os.getloadavg()[0]
        try:
            found = search_size.downloads(site, query, None)
            for key, value in found.items():
                screen = key.removeprefix("first_query_")
                value["load_before"] = round(load, 2)
                figures["first_searches"][f"{query} ({screen})"] = value
                print(
                    f"  search {query + ' (' + screen + ')':<26}"
                    f" {value['seconds_to_results_local']:6.2f} s to results,"
                    f" {value['gzip_bytes'] / 1000:7.1f} kB gzip  (load {round(load, 2)})",
                    flush=True,
                )
        except (Exception, SystemExit) as error:
            figures["first_searches"][query] = failed(error)
            print(f"  search {query}: {figures['first_searches'][query]}", file=sys.stderr)
    return figures


# --- figures across steps, sizes and runs --------------------------------------


def run_of(steps: dict, name: str) -> dict | None:
    """A step's figures, or None if it was skipped, failed or exited non-zero."""
    figure = steps.get(name)
    if isinstance(figure, dict) and figure.get("returncode", 0) == 0:
        return figure
    return None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def archive_build(result: dict) -> dict | None:
    """The archive's full build in a result file, this format or the one before."""
    if "steps" in result:
        return run_of(result["steps"], "archive")
    return (result.get("site") or {}).get("full_build")


def ratios(steps: dict) -> dict:
    archive, plain = run_of(steps, "archive"), run_of(steps, "plain")
    hugo, pagefind = run_of(steps, "hugo"), run_of(steps, "pagefind")
    publish = steps.get("publish") if isinstance(steps.get("publish"), dict) else {}
    cold, warm = publish.get("cold"), publish.get("warm_one_edited")
    figures = {}
    if archive and hugo and pagefind:
        for key, field in (("wall", "seconds"), ("cpu", "cpu_seconds")):
            figures[f"archive_to_hugo_pagefind_{key}"] = ratio(
                archive[field], hugo[field] + pagefind[field]
            )
    if archive and plain:
        figures["archive_to_plain_wall"] = ratio(archive["seconds"], plain["seconds"])
        figures["archive_to_plain_cpu"] = ratio(archive["cpu_seconds"], plain["cpu_seconds"])
    if archive and cold and cold["returncode"] == 0:
        figures["publish_cold_to_archive_wall"] = ratio(cold["seconds"], archive["seconds"])
        figures["publish_cold_to_archive_cpu"] = ratio(cold["cpu_seconds"], archive["cpu_seconds"])
    if cold and warm and cold["returncode"] == 0 and warm["returncode"] == 0:
        figures["publish_warm_edit_to_cold_wall"] = ratio(warm["seconds"], cold["seconds"])
        figures["publish_warm_edit_to_cold_cpu"] = ratio(warm["cpu_seconds"], cold["cpu_seconds"])
    return figures


def growth(small: dict, large: dict, source: str) -> dict | None:
    """50,000 against 10,000: the archive's full build, time and memory."""
    a, b = archive_build(small), archive_build(large)
    if not a or not b:
        return None
    return {
        "from": source,
        "wall": ratio(b["seconds"], a["seconds"]),
        "cpu": ratio(b["cpu_seconds"], a["cpu_seconds"]),
        "peak_memory": ratio(b["peak_rss_mb"], a["peak_rss_mb"]),
    }


GROWTH_PAIR = (10_000, 50_000)


def latest_result(results: Path, releases: int) -> Path | None:
    found = sorted(results.glob(f"*-{releases}.json"))
    return found[-1] if found else None


def growth_for(result: dict, others: dict[int, dict], results: Path) -> dict | None:
    """Growth 50,000/10,000 when `result` is one of the two sizes: against the
    other size given (this run's, or --report's), else against the latest result
    file of that size."""
    size = result["releases"]
    if size not in GROWTH_PAIR:
        return None
    other = GROWTH_PAIR[1] if size == GROWTH_PAIR[0] else GROWTH_PAIR[0]
    if other in others:
        pair = others[other]
        source = pair.get("file", "this run")
    else:
        path = latest_result(results, other)
        if path is None:
            return None
        pair, source = json.loads(path.read_text(encoding="utf-8")), shown(path)
    small, large = (result, pair) if size == GROWTH_PAIR[0] else (pair, result)
    return growth(small, large, source)


def relevance(results: Path, releases: int) -> dict | None:
    """The judged queries' figures of the search helper's latest result file
    (bench/search_shards.py), for this size when there is one."""
    files = sorted(results.glob(f"search-shards-*{releases}*.json")) or sorted(
        results.glob("search-shards-*.json")
    )
    for path in reversed(files):
        try:
            figures = json.loads(path.read_text(encoding="utf-8"))["relevance"]
            return {
                "queries": int(figures["queries"]),
                "same_top_ten": int(figures["same_top_ten"]),
                "from": shown(path),
            }
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


# --- targets (issue 16) --------------------------------------------------------

NOT_MEASURED = "not measured"


def verdict(*checks: bool | None) -> str:
    if any(check is None for check in checks):
        return NOT_MEASURED
    return "yes" if all(checks) else "**no**"


def _at_most(value, limit) -> bool | None:
    return None if value is None else value <= limit


def _s(seconds) -> str:
    return f"{seconds:,.2f} s"


def _mb(mb) -> str:
    return f"{mb:,.0f} MB"


def targets(result: dict) -> list[dict]:
    """Issue 16's targets for one size, each with its figure and whether it is met."""
    steps, size = result["steps"], result["releases"]
    found = result.get("ratios", {})
    rows = []

    def row(target, figure, met):
        rows.append({"target": target, "figure": figure, "met": met})

    def why_missing(*names):
        for name in names:
            value = steps.get(name)
            if isinstance(value, str):
                return f"{name}: {value}"
            if isinstance(value, dict) and value.get("returncode", 0) != 0:
                return f"{name}: exited with {value['returncode']}"
        return NOT_MEASURED

    archive, hugo, pagefind = (run_of(steps, n) for n in ("archive", "hugo", "pagefind"))
    wall, cpu = (
        found.get("archive_to_hugo_pagefind_wall"),
        found.get("archive_to_hugo_pagefind_cpu"),
    )
    if wall is not None:
        figure = (
            f"archive {_s(archive['seconds'])} wall, {_s(archive['cpu_seconds'])} CPU; Hugo + "
            f"Pagefind {_s(hugo['seconds'] + pagefind['seconds'])} wall, "
            f"{_s(hugo['cpu_seconds'] + pagefind['cpu_seconds'])} CPU: "
            f"{wall:.2f}× by wall, {cpu:.2f}× by CPU"
        )
        met = {
            (True, True): "yes",
            (True, False): "by wall only",
            (False, True): "by CPU only",
        }.get((wall <= 1, cpu <= 1), "**no**")
    else:
        figure, met = why_missing("archive", "hugo", "pagefind"), NOT_MEASURED
    row("full build ≤ Hugo + Pagefind (by wall and by CPU)", figure, met)

    limit = 1024 if size <= 10_000 else 2048
    if archive:
        figure = f"{_mb(archive['peak_rss_mb'])} (Pagefind {_mb(archive['pagefind_peak_rss_mb'])})"
        met = verdict(archive["peak_rss_mb"] <= limit)
    else:
        figure, met = why_missing("archive"), NOT_MEASURED
    row(f"peak memory ≤ {limit // 1024} GB, whole process tree", figure, met)

    grown = result.get("growth")
    if grown:
        figure = (
            f"{grown['wall']}× wall, {grown['cpu']}× CPU, {grown['peak_memory']}× peak memory "
            f"({'this run' if grown['from'] == 'this run' else 'against ' + grown['from']})"
        )
        met = verdict(*(_at_most(grown[k], 5.5) for k in ("wall", "cpu", "peak_memory")))
    else:
        figure, met = "needs a 10,000 and a 50,000 result", NOT_MEASURED
    row("growth 50,000 / 10,000 ≤ 5.5× (time and memory)", figure, met)

    search = steps.get("search")
    searches = search.get("first_searches") if isinstance(search, dict) else None
    if isinstance(searches, str):  # the measuring module itself failed
        searches, reason = None, searches
    else:
        reason = why_missing("search")
    measured = {k: v for k, v in (searches or {}).items() if isinstance(v, dict)}
    broken = [f"{k}: {v}" for k, v in (searches or {}).items() if isinstance(v, str)]
    size_target = "first search ≤ 150 kB transferred (gzip), phone and wide screen"
    time_target = "time to results ≤ 1 s, any query (page load included)"
    if measured:
        heaviest = max(measured.items(), key=lambda kv: kv[1]["gzip_bytes"])
        slowest = max(measured.items(), key=lambda kv: kv[1]["seconds_to_results_local"])
        note = f"; {len(broken)} failed: {broken[0]}" if broken else ""
        missed = "**no**: some failed" if broken else None
        figure = f"largest {heaviest[1]['gzip_bytes'] / 1000:,.1f} kB ({heaviest[0]}){note}"
        row(size_target, figure, missed or verdict(heaviest[1]["gzip_bytes"] <= 150_000))
        seconds = slowest[1]["seconds_to_results_local"]
        figure = f"slowest {_s(seconds)} ({slowest[0]}){note}"
        row(time_target, figure, missed or verdict(seconds <= 1.0))
    else:
        reason = broken[0] if broken else reason
        row(size_target, reason, NOT_MEASURED)
        row(time_target, reason, NOT_MEASURED)

    publish = steps.get("publish")
    cold_ratio = found.get("publish_cold_to_archive_wall")
    warm_ratio = found.get("publish_warm_edit_to_cold_wall")
    if cold_ratio is not None:
        cold = publish["cold"]
        row(
            "publish cold ≤ 1.5 × full build",
            f"{_s(cold['seconds'])} wall: {cold_ratio:.2f}× by wall, "
            f"{found['publish_cold_to_archive_cpu']:.2f}× by CPU",
            verdict(cold_ratio <= 1.5),
        )
    else:
        row("publish cold ≤ 1.5 × full build", why_missing("publish", "archive"), NOT_MEASURED)
    if warm_ratio is not None:
        warm = publish["warm_one_edited"]
        row(
            "publish after one edit, cache warm ≤ 1/4 of cold",
            f"{_s(warm['seconds'])} wall: {warm_ratio:.2f} of cold by wall, "
            f"{found['publish_warm_edit_to_cold_cpu']:.2f} by CPU",
            verdict(warm_ratio <= 0.25),
        )
    else:
        row(
            "publish after one edit, cache warm ≤ 1/4 of cold", why_missing("publish"), NOT_MEASURED
        )

    preview = run_of(steps, "preview")
    plain = run_of(steps, "plain")
    for name, target, limit, field in (
        ("one_edited", "preview: one release edited shows ≤ 1 s", 1.0, "pages_seconds"),
        ("nothing_changed", "preview: nothing changed ≤ 0.5 s", 0.5, "pages_seconds"),
        ("one_added", "preview: one release added ≤ 3 s", 3.0, "pages_seconds"),
        ("one_edited", "preview: search reflects an edit ≤ 10 s", 10.0, "all_seconds"),
    ):
        if preview and name in preview:
            row(target, _s(preview[name][field]), verdict(preview[name][field] <= limit))
        else:
            row(target, why_missing("preview"), NOT_MEASURED)
    if preview and plain and "one_edited" in preview:
        edit = preview["one_edited"]
        by_wall = edit["pages_seconds"] / plain["seconds"]
        by_cpu = edit["pages_cpu_seconds"] / plain["cpu_seconds"]
        row(
            "preview: one edit ≤ 1/100 of plain Pelican's full build (CPU and wall)",
            f"{edit['pages_cpu_seconds']:.2f} s CPU / {edit['pages_seconds']:.2f} s wall against "
            f"{plain['cpu_seconds']:.1f} s / {plain['seconds']:.1f} s: 1/{1 / by_cpu:,.0f} by CPU, "
            f"1/{1 / by_wall:,.0f} by wall"
            if by_cpu and by_wall
            else "zero",
            verdict(by_cpu <= 0.01, by_wall <= 0.01),
        )
    else:
        row(
            "preview: one edit ≤ 1/100 of plain Pelican's full build (CPU and wall)",
            why_missing("preview", "plain"),
            NOT_MEASURED,
        )

    judged = result.get("relevance")
    if judged:
        row(
            "relevance: judged queries' top ten equal the unsplit index's",
            f"{judged['same_top_ten']} of {judged['queries']} queries ({judged['from']})",
            verdict(judged["queries"] >= 30 and judged["same_top_ten"] == judged["queries"]),
        )
    else:
        row(
            "relevance: judged queries' top ten equal the unsplit index's",
            NOT_MEASURED,
            NOT_MEASURED,
        )
    return rows


# --- the README's generated section ----------------------------------------------


def _cell(run: dict | None) -> list[str]:
    if not run:
        return ["–"] * 4
    return [
        _s(run["seconds"]),
        _s(run["cpu_seconds"]),
        _mb(run["peak_rss_mb"]),
        f"{run['load_before']:.2f}",
    ]


def size_section(result: dict) -> str:
    steps, size = result["steps"], result["releases"]
    publish = steps.get("publish") if isinstance(steps.get("publish"), dict) else {}
    lines = [
        f"### {size:,} releases (`{result['file']}`)",
        "",
        f"{result['date']}, commit {result['versions']['archive_commit']}"
        f"{' (with uncommitted changes)' if result['versions'].get('archive_dirty') else ''}, "
        f"seed {result['seed']}, {result['machine']['cores']} cores; "
        f"{' and '.join(tools(steps)) or 'no Hugo or Pagefind run'}. The run took "
        f"{result.get('seconds', 0) / 60:,.0f} min (estimated {result['estimate_seconds'] / 60:,.0f})."
        + (f" Skipped: {', '.join(sorted(result['skipped']))}." if result["skipped"] else ""),
        "",
        "| step | wall | CPU | peak memory | load before |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, run in (
        ("plain Pelican, full build", run_of(steps, "plain")),
        ("the archive, full build (cold)", run_of(steps, "archive")),
        ("Hugo (3 taxonomies, term feeds)", run_of(steps, "hugo")),
        ("Pagefind over Hugo's release pages", run_of(steps, "pagefind")),
        ("`invoke publish`, cold", publish.get("cold")),
        ("`invoke publish`, one release edited, warm", publish.get("warm_one_edited")),
    ):
        lines.append(f"| {label} | " + " | ".join(_cell(run)) + " |")
    archive = run_of(steps, "archive")
    if archive and archive.get("pagefind_peak_rss_mb"):
        lines += [
            "",
            f"Pagefind's own peak within the archive build: {_mb(archive['pagefind_peak_rss_mb'])}.",
        ]
    search = steps.get("search")
    searches = search.get("first_searches") if isinstance(search, dict) else None
    if isinstance(searches, dict) and searches:
        lines += [
            "",
            "First searches in headless Chromium, each in a fresh browser (empty cache):",
            "",
            "| query (screen) | to results | transferred (gzip) | load before |",
            "|---|---:|---:|---:|",
        ]
        for name, figure in searches.items():
            if isinstance(figure, dict):
                lines.append(
                    f"| {name} | {_s(figure['seconds_to_results_local'])} | "
                    f"{figure['gzip_bytes'] / 1000:,.1f} kB | {figure.get('load_before', '–')} |"
                )
            else:
                lines.append(f"| {name} | {figure} | | |")
    preview = run_of(steps, "preview")
    if preview:
        lines += [
            "",
            "Preview session on the same corpus, first build on the archive build's warm content cache:",
            "",
            "| preview | pages written | CPU | with search and post-build steps | files rendered |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in ("first_build", "nothing_changed", "one_edited", "one_added"):
            figure = preview[name]
            lines.append(
                f"| {name.replace('_', ' ')} | {_s(figure['pages_seconds'])} | "
                f"{_s(figure['pages_cpu_seconds'])} | {_s(figure['all_seconds'])} | "
                f"{figure['rendered']:,} |"
            )
    missing = [
        f"{name}: {value}"
        if isinstance(value, str)
        else f"{name}: exited with {value['returncode']}"
        for name, value in steps.items()
        if (isinstance(value, str) and value != "skipped")
        or (isinstance(value, dict) and value.get("returncode", 0) != 0)
    ]
    if missing:
        lines += ["", "Not measured: " + "; ".join(missing) + " (logs in the work folder)."]
    lines += ["", "| target | figure | met? |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['figure']} | {t['met']} |" for t in result["targets"]]
    return "\n".join(lines)


def tools(steps: dict) -> list[str]:
    """The Hugo and Pagefind versions a run used."""
    found = []
    for name in ("hugo", "pagefind"):
        version = (run_of(steps, name) or {}).get("version", "")
        if version:
            found.append(" ".join(version.split()[:2]))
    return found


def generated_section(results: list[dict]) -> str:
    body = "\n\n".join(size_section(result) for result in results)
    return (
        f"{BEGIN}\n<!-- Written by bench/run.py on each run; edit it there, not here. -->\n\n"
        "A load average above 2 before a step means other work shared the 2 cores: wall times "
        "then say more about the neighbours than the code, CPU times less so.\n\n"
        f"{body}\n\n{END}"
    )


def replace_section(text: str, section: str) -> str:
    """`text` with its generated section replaced, or with one added at the end."""
    start, end = text.find(BEGIN), text.find(END)
    if start != -1 and end > start:
        return text[:start] + section + text[end + len(END) :]
    heading = "\n## Issue 16's targets, the latest `invoke bench` run (generated)\n\n"
    return text.rstrip("\n") + "\n" + heading + section + "\n"


# --- estimate ---------------------------------------------------------------------


def estimate(releases: int, skip, results: Path) -> tuple[float, str]:
    """Seconds a run of this size will take, and what the estimate is based on:
    the latest result file of the nearest size, scaled as size^GROWTH_EXPONENT; otherwise
    SECONDS_PER_RELEASE."""
    per_step = {
        name: SECONDS_PER_RELEASE[name] * releases + FIXED_SECONDS.get(name, 0)
        for name in SECONDS_PER_RELEASE
    }
    basis = "built-in per-release figures"
    newest_first = sorted(results.glob("*-*.json"), reverse=True)
    earlier = sorted(
        (p for p in newest_first if p.stem.split("-")[-1].isdigit()),
        key=lambda p: abs(int(p.stem.split("-")[-1]) - releases),
    )
    for path in earlier:
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
            steps = previous["steps"]
            scale = (releases / previous["releases"]) ** GROWTH_EXPONENT
        except (OSError, ValueError, KeyError):
            continue
        for name in per_step:
            figure = steps.get(name)
            if name == "publish" and isinstance(figure, dict) and "cold" in figure:
                seconds = figure["cold"]["seconds"] + figure["warm_one_edited"]["seconds"]
            elif name == "search" and isinstance(figure, dict):
                seconds = None  # mostly Chromium's start-up: not proportional
            elif name == "preview" and isinstance(figure, dict):
                seconds = figure["process"]["seconds"]
            else:
                seconds = figure.get("seconds") if isinstance(figure, dict) else None
            if seconds:
                per_step[name] = seconds * scale
        basis = f"{shown(path)} scaled to {releases:,} releases"
        break
    skipped = set(skip) | ({"pagefind"} if "hugo" in skip else set())
    return sum(s for name, s in per_step.items() if name not in skipped), basis


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--releases",
        type=int,
        action="append",
        help="corpus size; repeat for several",
    )
    parser.add_argument(
        "--report",
        type=Path,
        nargs="+",
        metavar="RESULT",
        help="run nothing: write the targets and the README section from these result"
        " files (sizes measured in separate runs, e.g. 10,000 then 50,000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--skip",
        default="",
        help=f"steps to leave out, comma-separated: {','.join(STEPS)}",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=BENCH / "work",
        help="where corpora and outputs go (not committed)",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument("--readme", type=Path, default=README, help="where the table goes")
    parser.add_argument(
        "--site-settings",
        type=Path,
        default=SITE_SETTINGS,
        help="the site's pelicanconf.py (another checkout's, to compare versions)",
    )
    args = parser.parse_args(argv)
    if args.report:
        done = {}
        for path in args.report:
            result = json.loads(path.read_text(encoding="utf-8"))
            done[result["releases"]] = result
        report(done, args.results, args.readme)
        return
    if not args.releases:
        parser.error("--releases is required (or --report RESULT ...)")
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    if skip - set(STEPS):
        parser.error(
            f"--skip: unknown steps {', '.join(sorted(skip - set(STEPS)))}; know {', '.join(STEPS)}"
        )
    if "archive" in skip:
        skip |= {"search", "preview"}  # they need the archive's build and cache
    if "hugo" in skip:
        skip.add("pagefind")
    args.results.mkdir(parents=True, exist_ok=True)
    args.work = args.work.resolve()
    total = 0.0
    for releases in args.releases:
        seconds, basis = estimate(releases, skip, args.results)
        total += seconds
        print(f"estimate for {releases:,} releases: {seconds / 60:,.0f} min ({basis})")
    print(f"estimated total: {total / 60:,.0f} min", flush=True)

    done: dict[int, dict] = {}
    for releases in args.releases:
        when = datetime.datetime.now(datetime.UTC)
        bench = Bench(releases, args.seed, args.work, args.site_settings.resolve(), skip)
        path = args.results / f"{when:%Y%m%dT%H%M}-{releases}.json"
        result = {
            "date": when.isoformat(timespec="seconds"),
            "file": shown(path),
            "machine": machine(),
            "versions": versions(args.site_settings.resolve().parent),
            "releases": releases,
            "seed": args.seed,
            "skipped": sorted(skip),
            "estimate_seconds": round(estimate(releases, skip, args.results)[0]),
            "steps": bench.run(),
        }
        result["seconds"] = round((datetime.datetime.now(datetime.UTC) - when).total_seconds())
        result["ratios"] = ratios(result["steps"])
        result["relevance"] = relevance(args.results, releases)
        done[releases] = result
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"  written to {result['file']} ({result['seconds'] / 60:.1f} min)", flush=True)
    report(done, args.results, args.readme)


def report(done: dict[int, dict], results: Path, readme: Path) -> None:
    """Growth and targets for each size's result, saved with it, and the README's section."""
    for releases, result in sorted(done.items()):
        result["growth"] = growth_for(
            result, {k: v for k, v in done.items() if k != releases}, results
        )
        result["targets"] = targets(result)
        path = results / Path(result["file"]).name
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        for row in result["targets"]:
            print(f"  {row['target']:<70} {row['met']:<14} {row['figure']}")
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    section = generated_section([done[releases] for releases in sorted(done)])
    readme.write_text(replace_section(text, section), encoding="utf-8")
    print(f"table written to {readme}")


if __name__ == "__main__":
    main()
