"""Where a publish spends its time: each phase and post-build step, wall and CPU.

    SITEURL=https://arsip.example.id python bench/publish_profile.py steps \
        --content DIR --work WORK [--cold] [--edit]

    SITEURL=... python bench/publish_profile.py compare --content DIR --work WORK \
        --before OTHER_CHECKOUT [--rounds 2]

`steps` runs what `invoke publish` runs, in this process where it can: the
public build (Pelican in-process, each post-build step timed), the pre-deploy
check and the deploy to the folder target WORK/target. `--cold` starts with
no cache (WORK/cache) and no target; `--edit` first appends a sentence to one
release of DIR (so give it a copy of a corpus).

`compare` times, side by side and alternating, for this checkout and the one
at OTHER_CHECKOUT: a development build, a cold `invoke publish` (empty cache,
empty target), a warm one with one release edited, and prints the two ratios
of issue 16 (cold publish / development build, warm-edit publish / cold
publish) for each. CPU is the user+system time of the process tree.
Writes bench/results/publish-profile-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds() -> float:
    """User+system CPU of this process and of its children waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Timer:
    def __init__(self):
        self.figures: dict[str, dict[str, float]] = {}

    def measure(self, name, function, *args):
        wall, cpu = time.perf_counter(), cpu_seconds()
        result = function(*args)
        self.figures[name] = {
            "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(cpu_seconds() - cpu, 2),
        }
        return result


def edit_one_release(content: Path) -> Path:
    """Append a sentence to the body of the first release (sorted by path)."""
    release = sorted((content / "rilis").rglob("*.md"))[0]
    with release.open("a", encoding="utf-8") as file:
        file.write(f"\nDiperbarui {datetime.now(UTC):%H%M%S%f}.\n")
    return release


def steps(args) -> dict:
    sys.path.insert(0, str(ROOT))
    import pelican

    from arsip import post_build, postprocess
    from arsip.publish import check_site, deploy_to_folder, release_name

    work = Path(args.work).resolve()
    cache, site, target = work / "cache", work / "site", work / "target"
    if args.cold:
        for folder in (cache, site, target):
            shutil.rmtree(folder, ignore_errors=True)
    if args.edit:
        edit_one_release(Path(args.content))
    timer = Timer()

    def run_and_stop(step, *args):
        step(*args)
        postprocess.stop()

    def timed_run(instance):
        timer.figures["pages_written"] = {
            "wall_s": round(time.perf_counter() - started[0], 2),
            "cpu_s": round(cpu_seconds() - started[1], 2),
        }
        for step in getattr(instance, "post_build_steps", ()):
            # The workers stopped after each step: their CPU counts once they are reaped.
            timer.measure(f"step {step.__module__}", run_and_stop, step, instance)

    post_build.run = timed_run  # connected by name when Pelican loads the plugins
    started = (time.perf_counter(), cpu_seconds())
    argv = [args.content, "-s", str(ROOT / "publishconf.py"), "-o", str(site), "-q"]
    argv += ["-e", f"CACHE_PATH={json.dumps(str(cache))}", "--fatal", "errors"]
    timer.measure("build", pelican.main, argv)
    timer.measure(
        "check",
        run_and_stop,
        partial(check_site, cache=cache / "check" / "site.json"),
        site,
        os.environ["SITEURL"],
    )
    timer.measure("deploy", deploy_to_folder, site, target, release_name("profile"), 5, True)
    for name, figure in timer.figures.items():
        print(f"{name:40} wall {figure['wall_s']:7.2f} s   cpu {figure['cpu_s']:7.2f} s")
    return timer.figures


def run_timed(command: list[str], cwd: Path, env: dict) -> dict:
    wall = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(time.perf_counter() - wall, 2), "cpu_s": round(cpu, 2)}


def compare(args) -> dict:
    work = Path(args.work).resolve()
    checkouts = {"this": ROOT, "before": Path(args.before).resolve()}
    results: dict[str, list[dict]] = {name: [] for name in checkouts}
    for round_number in range(args.rounds):
        order = list(checkouts.items())
        if round_number % 2:
            order.reverse()
        for name, checkout in order:
            folder = work / name
            content = folder / "content"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(args.content, content)
            env = dict(os.environ, TMPDIR=str(folder))
            python = str(checkout / ".venv" / "bin" / "python")
            invoke = str(checkout / ".venv" / "bin" / "invoke")
            figures = {}
            # The checkout's content cache (cache/) is emptied: a cold start each time.
            shutil.rmtree(checkout / "cache", ignore_errors=True)
            figures["dev_build"] = run_timed(
                [python, "-m", "pelican", str(content), "-s", "pelicanconf.py"]
                + ["-o", str(folder / "dev"), "-q", "-e", f'CACHE_PATH="{folder}/devcache"'],
                checkout,
                env,
            )
            shutil.rmtree(checkout / "cache", ignore_errors=True)
            publish = [invoke, "publish", "--target", str(folder / "target")]
            publish += ["--content", str(content)]
            figures["publish_cold"] = run_timed(publish, checkout, env)
            edit_one_release(content)
            figures["publish_warm_edit"] = run_timed(publish, checkout, env)
            for measure in ("wall_s", "cpu_s"):
                cold, warm = figures["publish_cold"][measure], figures["publish_warm_edit"][measure]
                figures[f"cold_over_dev_build_{measure}"] = round(
                    cold / figures["dev_build"][measure], 2
                )
                figures[f"warm_edit_over_cold_{measure}"] = round(warm / cold, 2)
            print(name, json.dumps(figures), flush=True)
            results[name].append(figures)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("steps", "compare"))
    parser.add_argument("--content", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--edit", action="store_true")
    parser.add_argument("--before", help="another checkout of the project (compare)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("SITEURL", "https://arsip.example.id")
    figures = steps(args) if args.mode == "steps" else compare(args)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"publish-profile-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    record = {"mode": args.mode, "content": args.content, "cpus": os.cpu_count(), **vars(args)}
    path.write_text(json.dumps({**record, "figures": figures}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
