"""Time the post-build steps of a public build and measure what they save.

    SITEURL=https://arsip.example.id python bench/publish.py [--content DIR]

Builds DIR (default content/) with publishconf.py minus the post-build
plugins, then runs each step (sitemap, minify, fingerprint, compress) on that
output in order, timing each; then compresses once more (what a publish of
unchanged pages costs with the Brotli cache) and times the pre-deploy check.
Prints the figures and writes them to bench/results/publish-<UTC time>.json.

`checkout_copy` and `publish_command` are what bench/run.py uses to time a
whole `invoke publish` to a folder, cold and after one edit: the publish runs
in a copy of this checkout (its files as they are now, tracked or new), so
that its caches (CACHE_PATH is `cache/` beside publishconf.py) start empty
without touching the checkout's own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "plugins"))

import assets  # noqa: E402
import compress  # noqa: E402
import minify  # noqa: E402
import seo  # noqa: E402

from arsip.publish import check_site  # noqa: E402
from arsip.settings import with_defaults  # noqa: E402

STEPS = [
    ("sitemap", seo.write_sitemap_and_robots),
    ("minify", minify.minify_output),
    ("fingerprint", assets.fingerprint_assets),
    ("compress", compress.compress_output),
]


def checkout_copy(destination: Path) -> Path:
    """Copy this checkout's files (tracked and new, not ignored) into
    `destination` (replaced), with a link to its virtualenv; returns it."""
    shutil.rmtree(destination, ignore_errors=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    (destination / ".venv").symlink_to((ROOT / ".venv").resolve())
    return destination


def publish_command(checkout: Path, content: Path, target: Path) -> list[str]:
    """`invoke publish` of `content` to the folder `target`, run in `checkout`."""
    invoke = [sys.executable, "-m", "invoke", "--search-root", str(checkout)]
    return [*invoke, "publish", "--target", str(target), "--content", str(content)]


def publish_environment() -> dict:
    """A public address, and no WebSub hub to tell (a benchmark needs no network)."""
    environment = {k: v for k, v in os.environ.items() if k != "WEBSUB_HUB"}
    environment["SITEURL"] = "https://arsip.example.id"
    return environment


def total(output: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in output.rglob(pattern) if p.is_file())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--work", default=str(ROOT / "bench" / "work" / "publish"))
    args = parser.parse_args()
    os.environ.setdefault("SITEURL", "https://arsip.example.id")
    output = Path(args.work)

    from pelican.settings import read_settings

    settings = with_defaults(read_settings(str(ROOT / "publishconf.py")))
    settings["CACHE_PATH"] = str(output.parent / "publish-cache")
    shutil.rmtree(settings["CACHE_PATH"], ignore_errors=True)
    post = ("seo", "minify", "assets", "compress")
    plain = [p for p in settings["PLUGINS"] if p not in post]
    plain_steps = [s for s in settings["POST_BUILD_STEPS"] if s not in post]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pelican", args.content, "-s", str(ROOT / "publishconf.py")]
        + ["-o", str(output), "-q", "-e", f"PLUGINS={json.dumps(plain)}"]
        + [f"POST_BUILD_STEPS={json.dumps(plain_steps)}"],
        cwd=ROOT,
        check=True,
    )
    figures = {
        "content": args.content,
        "pages": sum(1 for _ in output.rglob("*.html")),
        "build_without_post_steps_s": round(time.perf_counter() - started, 2),
        "html_bytes_before": total(output, "*.html"),
        "css_bytes_before": total(output, "*.css"),
        "cpus": os.cpu_count(),
        "brotli_quality": settings["COMPRESS_BROTLI_QUALITY"],
    }
    pelican = SimpleNamespace(output_path=str(output), settings=settings)
    for name, step in STEPS:
        started = time.perf_counter()
        step(pelican)
        figures[f"{name}_s"] = round(time.perf_counter() - started, 2)
    # A publish of the same pages again: Brotli output comes from the cache.
    started = time.perf_counter()
    compress.compress_output(pelican)
    figures["compress_again_cached_s"] = round(time.perf_counter() - started, 2)
    started = time.perf_counter()
    problems = check_site(output, settings["SITEURL"])
    figures["check_s"] = round(time.perf_counter() - started, 2)
    figures["check_problems"] = len(problems)
    figures["html_bytes_minified"] = total(output, "*.html")
    figures["css_bytes_minified"] = total(output, "*.css")
    figures["html_bytes_gzip"] = total(output, "*.html.gz")
    figures["html_bytes_brotli"] = total(output, "*.html.br")
    for key, value in figures.items():
        print(f"{key:28} {value}")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    path = results / f"publish-{datetime.now(UTC):%Y%m%dT%H%M}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
