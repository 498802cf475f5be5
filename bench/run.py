"""Measure the archive's build against plain Pelican on the same synthetic corpus.

    python bench/run.py --releases 1000 [--releases 10000 ...] [--seed 1]
    invoke bench --releases 10000

For each size: generate the corpus (bench/generate.py), then in the same run
- build the real site from scratch (wall time, peak memory of the whole
  process tree), then rebuild with nothing changed, after editing one
  release and after adding one release;
- build the same corpus with plain Pelican (bench/baseline_settings.py:
  default theme, default settings, no plugins) from scratch;
- count output files and bytes.
Figures are printed and written to bench/results/<date>-<releases>.json with
the machine, the versions and the date. Benchmarks are not tests: nothing
here asserts a target, the figures are reported as measured.
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
SITE_SETTINGS = ROOT / "pelicanconf.py"
BASELINE_SETTINGS = BENCH / "baseline_settings.py"
SEARCH_PLUGIN = ROOT / "plugins" / "search.py"
RSS_SAMPLE_SECONDS = 0.05

sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(ROOT))
import generate  # noqa: E402


@dataclass
class Run:
    """One `pelican` process: how long it took and the most memory it held.

    `cpu_seconds` (user + system, the process and its workers) is the figure
    to trust when other work shares the machine; `load_before` is the 1-minute
    load average when the run started (2.0 fills both cores).
    """

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    load_before: float
    returncode: int


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def measure(command: list[str], log: Path) -> Run:
    """Run `command`, sampling the memory of its process tree until it ends.

    The peak is the sampled total of the process tree (worker processes
    counted together). The kernel's own maximum (ru_maxrss) is not used: Linux
    carries it over from the forking process, so it reports at least this
    script's own memory.
    """
    load_before = os.getloadavg()[0]
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        peak_kb = 0
        done = threading.Event()

        def sample():
            nonlocal peak_kb
            while not done.is_set():
                peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
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
    cpu = usage.ru_utime + usage.ru_stime
    return Run(
        round(seconds, 2),
        round(cpu, 2),
        round(peak_kb / 1024, 1),
        round(load_before, 2),
        process.returncode,
    )


def pelican(content: Path, output: Path, settings: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(settings),
        "-o",
        str(output),
        *extra,
    ]


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


def bench_size(
    releases: int, seed: int, work: Path, site_settings: Path, rebuilds: bool = True
) -> dict:
    content = work / f"content-{releases}"
    site_out, base_out = work / f"site-{releases}", work / f"baseline-{releases}"
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print(f"== {releases} releases (seed {seed})")
    generate.generate(releases, content, seed)
    for folder in (site_out, base_out, work / f"cache-{releases}"):
        shutil.rmtree(folder, ignore_errors=True)
    # The preview session edits a corpus of its own, as it was generated.
    preview_content = work / f"preview-content-{releases}"
    shutil.rmtree(preview_content, ignore_errors=True)
    shutil.copytree(content, preview_content)

    def step(name, command):
        run = measure(command, logs / f"{releases}-{name}.log")
        print(
            f"  {name:<24} {run.seconds:8.2f} s wall {run.cpu_seconds:8.2f} s CPU"
            f" {run.peak_rss_mb:8.1f} MB  (load {run.load_before})"
        )
        return run

    # The site's content cache lives with the corpus, so a cold build is really cold.
    baseline = {
        "full_build": step("plain Pelican build", pelican(content, base_out, BASELINE_SETTINGS))
    }
    baseline["output"] = output_size(base_out)

    site_command = pelican(
        content,
        site_out,
        site_settings,
        "-e",
        f"CACHE_PATH={json.dumps(str(work / f'cache-{releases}'))}",
    )
    site = {"full_build": step("site full build", site_command)}
    site["output"] = output_size(site_out)
    if rebuilds:
        site["rebuild_nothing_changed"] = step("site rebuild, no change", site_command)
        edit_one_release(content)
        site["rebuild_one_edited"] = step("site rebuild, 1 edited", site_command)
        add_one_release(content)
        site["rebuild_one_added"] = step("site rebuild, 1 added", site_command)
        site["preview_session"] = preview_session(preview_content, work, releases, step)

    ratio = site["full_build"].seconds / baseline["full_build"].seconds
    cpu_ratio = site["full_build"].cpu_seconds / baseline["full_build"].cpu_seconds
    print(f"  ratio site/plain        {ratio:8.2f} wall {cpu_ratio:8.2f} CPU")
    search = (
        measure_search(site_out)
        if SEARCH_PLUGIN.exists()
        else "not measured: search plugin absent (plugins/search.py)"
    )
    first_search = search.pop("first_search", search) if isinstance(search, dict) else search
    return {
        "releases": releases,
        "seed": seed,
        "site": {k: asdict(v) if isinstance(v, Run) else v for k, v in site.items()},
        "baseline": {k: asdict(v) if isinstance(v, Run) else v for k, v in baseline.items()},
        "ratio_full_build_site_to_plain": round(ratio, 3),
        "ratio_full_build_cpu_site_to_plain": round(cpu_ratio, 3),
        "search_index": search,
        "first_search_bytes": first_search,
    }


def preview_session(content: Path, work: Path, releases: int, step) -> dict:
    """Edit-to-preview in a preview session (bench/preview.py), on its own copy of the corpus."""
    output = work / f"preview-{releases}"
    shutil.rmtree(output, ignore_errors=True)
    cache = work / f"cache-{releases}"  # warm: the session starts like `invoke livereload`
    command = [sys.executable, str(BENCH / "preview.py"), str(content), str(output), str(cache)]
    run = step("preview session", command)
    log = (work / "logs" / f"{releases}-preview session.log").read_text(encoding="utf-8")
    figures = json.loads(log.strip().splitlines()[-1])
    for name, figure in figures.items():
        print(
            f"    {name:<22} pages {figure['pages_seconds']:7.2f} s, with search"
            f" {figure['all_seconds']:7.2f} s, {figure['rendered']:6} files rendered"
        )
    return {"process": asdict(run), **figures}


def measure_search(site: Path) -> dict:
    """Index time and Pagefind's peak memory (the shards indexed again from
    scratch, one after another, as plugins/search.py does: bench/search_shards.py),
    index size, and what a reader's first query downloads (bench/search_size.py)."""
    import search_shards
    import search_size

    figures = search_shards.sharded_index(
        site, search_shards.DEFAULTS["SEARCH_SHARD_SIZE"]
    )
    index = search_size.index_on_disk(site)
    first = search_size.downloads(site, "patroli", "tawuran")
    print(
        f"  search index            {figures['seconds']:8.1f} s {index['used_bytes'] / 1024:10,.0f} KiB"
        f" {figures['pagefind_peak_mb']:8,.0f} MB Pagefind peak, {figures['shards']} shards"
    )
    return {
        "index_seconds": figures["seconds"],
        "pagefind_peak_rss_mb": figures["pagefind_peak_mb"],
        "shards": figures["shards"],
        **index,
        "first_search": first,
    }


def _children_rss_kb() -> int:
    """Resident memory of this process's descendants (not its own)."""
    total = 0
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as children:
            total += sum(_tree_rss_kb(int(child)) for child in children.read().split())
    return total


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--releases",
        type=int,
        action="append",
        required=True,
        help="corpus size; repeat for several sizes",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--work",
        type=Path,
        default=BENCH / "work",
        help="where corpora and outputs go (not committed)",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--full-only",
        action="store_true",
        help="only the two full builds, no rebuilds (for the largest sizes)",
    )
    parser.add_argument(
        "--site-settings",
        type=Path,
        default=SITE_SETTINGS,
        help="the site's pelicanconf.py (another checkout's, to compare versions)",
    )
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    for releases in args.releases:
        when = datetime.datetime.now(datetime.UTC)
        result = {
            "date": when.isoformat(timespec="seconds"),
            "machine": machine(),
            "versions": versions(args.site_settings.resolve().parent),
            **bench_size(
                releases, args.seed, args.work, args.site_settings.resolve(), not args.full_only
            ),
        }
        path = args.results / f"{when:%Y%m%dT%H%M}-{releases}.json"
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"  written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
