"""How fast the editors' tools are on a busy archive: `python bench/editors.py [N]`.

Makes N raw releases from the three real ones (each with its own date and a
numbered sentence, so none is a duplicate), imports them into a scratch copy of
content/ and then checks that folder. Prints the figures and writes them to
bench/work/editors.json.
"""

from __future__ import annotations

import datetime
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arsip.dates import month_name  # noqa: E402
from arsip.importer import import_releases  # noqa: E402
from arsip.rules import check_content  # noqa: E402
from arsip.settings import load as load_settings  # noqa: E402

RAW = ROOT / "tests" / "fixtures" / "raw-releases"
OUTPUT = ROOT / "bench" / "work" / "editors.json"
ORIGINAL_DATES = ("(8/11/2024)", "(28/11/2024)", "20 November 2024")


def make_raw(folder: Path, count: int) -> None:
    sources = [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    start = datetime.date(2020, 1, 1)
    for number in range(count):
        text = sources[number % len(sources)]
        day = start + datetime.timedelta(days=number)
        for written in ORIGINAL_DATES:
            if "(" in written:
                text = text.replace(written, f"({day.day}/{day.month}/{day.year})")
            else:
                text = text.replace(written, f"{day.day} {month_name(day.month)} {day.year}")
        text = text.replace("(Humas Polres", f"Rilis nomor {number}.\n(Humas Polres")
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")


def main(count: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        content, inbox = scratch / "content", scratch / "inbox"
        shutil.copytree(ROOT / "content", content)
        inbox.mkdir()
        make_raw(inbox, count)
        began = time.perf_counter()
        report = import_releases(inbox, content)
        imported = time.perf_counter() - began
        began = time.perf_counter()
        problems = check_content(content, load_settings())
        checked = time.perf_counter() - began
        releases = len(list((content / "rilis").rglob("*.md")))
    figures = {
        "raw_releases": count,
        "written": len(report.written),
        "import_errors": sum(p.level == "error" for p in report.problems),
        "import_seconds": round(imported, 2),
        "import_ms_per_release": round(1000 * imported / count, 1),
        "releases_checked": releases,
        "check_seconds": round(checked, 2),
        "check_ms_per_release": round(1000 * checked / releases, 1),
        "check_errors": sum(p.level == "error" for p in problems),
        "check_warnings": sum(p.level == "warning" for p in problems),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


if __name__ == "__main__":
    for name, value in main(int(sys.argv[1]) if len(sys.argv) > 1 else 500).items():
        print(f"{name:>24}: {value}")
