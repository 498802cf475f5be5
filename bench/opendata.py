"""How the open data and the statistics page grow with the archive.

Builds the real content plus N synthetic releases spread over M months (names
taken from the real registry), then prints and writes to bench/work/opendata.txt:
build time, sizes of releases.json/.csv, of the statistics page and of its
largest chart, and of the largest sparkline.

    .venv/bin/python bench/opendata.py [N] [MONTHS]
"""

from __future__ import annotations

import json
import random
import resource
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arsip.registry import Registry  # noqa: E402

WORK = ROOT / "bench" / "work"
SETTINGS = ROOT / "pelicanconf.py"
REPEATS = 3
PLUGINS = runpy.run_path(str(SETTINGS))["PLUGINS"]


def synthetic_release(number: int, month_index: int, registry: Registry, rng: random.Random) -> str:
    year, month = 2020 + month_index // 12, month_index % 12 + 1
    units = rng.sample(registry.all("units"), k=rng.randint(1, 3))
    officers = rng.sample(registry.all("officers"), k=rng.randint(1, 3))
    activities = rng.sample(registry.all("activities"), k=rng.randint(1, 2))
    return "\n".join(
        [
            f"Title: Rilis uji nomor {number}",
            f"Date: {year}-{month:02d}-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:00",
            f"Slug: rilis-uji-{number}",
            f"Summary: Ringkasan rilis uji nomor {number}, dengan koma; dan titik koma.",
            "Units: " + "; ".join(u.name for u in units),
            "Officers: " + "; ".join(o.name for o in officers),
            "Activities: " + "; ".join(a.name for a in activities),
            "Places: Jakarta Pusat",
            "Sources: contoh.id",
            "Status: published",
            "",
            "Isi rilis uji.",
            "",
        ]
    )


def build(content: Path, output: Path, *extra: str) -> float:
    """CPU seconds (user + system) of a clean build, the best of REPEATS.

    CPU time rather than wall time: other work on the machine barely moves it.
    """
    return min(clean_build(content, output, *extra) for _ in range(REPEATS))


def clean_build(content: Path, output: Path, *extra: str) -> float:
    shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-s",
        str(SETTINGS),
        "-o",
        str(output),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([*command, *extra], cwd=ROOT, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(count: int = 1000, months: int = 60) -> None:
    rng = random.Random(7)
    shutil.rmtree(WORK / "content", ignore_errors=True)
    content = WORK / "content"
    shutil.copytree(ROOT / "content", content)
    registry = Registry.load(content)
    folder = content / "rilis" / "uji"
    folder.mkdir(parents=True)
    for number in range(count):
        text = synthetic_release(number, rng.randrange(months), registry, rng)
        (folder / f"rilis-uji-{number}.md").write_text(text, encoding="utf-8")

    output = WORK / "output"
    without = [name for name in PLUGINS if name not in ("opendata", "archive_statistics")]
    baseline = build(content, WORK / "output-without", "-e", f"PLUGINS={json.dumps(without)}")
    seconds = build(content, output)

    statistics = output / "statistik" / "index.html"
    term_json = list(output.glob("*/*/index.json"))
    page = BeautifulSoup(statistics.read_text(encoding="utf-8"), "html.parser")
    charts = {svg["data-chart"]: len(str(svg).encode()) for svg in page.find_all("svg")}
    sparklines = [
        len(str(BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").find(class_="spark")))
        for p in output.glob("*/*/index.html")
        if p.parent.parent.name in ("satuan", "personel", "kegiatan")
    ]
    published = json.loads((output / "data" / "releases.json").read_text(encoding="utf-8"))["count"]
    term_bytes = sum(p.stat().st_size for p in term_json)
    lines = [
        f"published releases: {published} ({count} synthetic over {months} months)",
        f"build CPU time: {seconds:.1f} s; without opendata and statistics: {baseline:.1f} s",
        f"data/releases.json: {(output / 'data/releases.json').stat().st_size / 1024:.0f} KiB",
        f"data/releases.csv: {(output / 'data/releases.csv').stat().st_size / 1024:.0f} KiB",
        f"term JSON documents: {len(term_json)}, {term_bytes / 1024:.0f} KiB in all",
        f"statistik/index.html: {statistics.stat().st_size / 1024:.1f} KiB",
        "charts (bytes): " + ", ".join(f"{k} {v}" for k, v in charts.items()),
        f"largest sparkline: {max(sparklines)} bytes",
    ]
    report = "\n".join(lines)
    print(report)
    (WORK / "opendata.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
