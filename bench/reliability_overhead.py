"""What the reliability plugins cost: build time with and without them.

Builds a content folder of COPIES copies of the real releases (each with its
own slug) with the full plugin list, then without release_checks, strict and
sanitize, and prints and writes the median times to bench/work/reliability.txt.
Run: .venv/bin/python bench/reliability_overhead.py [copies] [runs]
Times are CPU seconds of the pelican process (the machine may be busy).
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pelicanconf  # noqa: E402
from arsip.settings import DEFAULTS  # noqa: E402

RELIABILITY_PLUGINS = {"release_checks", "strict", "sanitize"}
STEPS = DEFAULTS["POST_BUILD_STEPS"]


def make_content(folder: Path, copies: int) -> Path:
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    originals = sorted((content / "rilis").rglob("*.md"))
    for number in range(1, copies):
        for original in originals:
            text = original.read_text(encoding="utf-8")
            text = re.sub(r"^Slug: (.*)$", rf"Slug: \1-{number}", text, count=1, flags=re.M)
            (original.parent / f"{original.stem}-{number}.md").write_text(text, encoding="utf-8")
    return content


def build_seconds(content: Path, output: Path, plugins: list[str]) -> float:
    """CPU seconds (user + system) of one build: steadier than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(content),
            "-s",
            str(ROOT / "pelicanconf.py"),
            "-o",
            str(output),
            "-q",
            "-e",
            f"PLUGINS={json.dumps(plugins)}",
            # The post-build steps of the plugins that are loaded (arsip/post_build.py).
            f"POST_BUILD_STEPS={json.dumps([s for s in STEPS if s in plugins])}",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(copies: int = 100, runs: int = 3) -> None:
    full = list(pelicanconf.PLUGINS)
    without = [p for p in full if p not in RELIABILITY_PLUGINS]
    with tempfile.TemporaryDirectory() as folder:
        content = make_content(Path(folder), copies)
        releases = len(list((content / "rilis").rglob("*.md")))
        times = {"with": [], "without": []}
        for run in range(runs):
            for name, plugins in (("with", full), ("without", without)):
                output = Path(folder, f"out-{name}-{run}")
                times[name].append(build_seconds(content, output, plugins))
    median = {name: statistics.median(values) for name, values in times.items()}
    lines = [
        f"releases: {releases}, runs: {runs}",
        f"build with release_checks, strict, sanitize: {median['with']:.2f} s CPU (median)",
        f"build without them:                          {median['without']:.2f} s CPU (median)",
        f"overhead: {median['with'] - median['without']:+.2f} s "
        f"({(median['with'] / median['without'] - 1) * 100:+.1f} %)",
    ]
    report = "\n".join(lines)
    print(report)
    out = ROOT / "bench" / "work" / "reliability.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
