"""Edit-to-preview: how long a preview session takes to show a change.

`python bench/preview.py CONTENT OUTPUT CACHE` starts a preview session
(engine/preview.py, what `invoke livereload` runs) on a content folder, builds
it once, then measures three rebuilds: nothing changed, one release edited,
one release added. For each: seconds until the pages are written (what the
browser reloads) and the CPU seconds spent on them (this process and the
processes it started and waited for meanwhile: render or parse workers), seconds until
the post-build steps (open data, search index) are done too, and how many files
were rendered. Prints the figures as JSON on
its last line; bench/run.py runs it and records them.

Edits are made the way bench/run.py makes them, on the folder given: use a
copy you can spare.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from engine.preview import PreviewSession  # noqa: E402


def _cpu() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(session: PreviewSession) -> dict:
    started, cpu = time.perf_counter(), _cpu()
    session.build()
    pages, pages_cpu = time.perf_counter() - started, _cpu() - cpu
    session.wait()
    return {
        "pages_seconds": round(pages, 2),
        "pages_cpu_seconds": round(pages_cpu, 2),
        "all_seconds": round(time.perf_counter() - started, 2),
        "rendered": len(session.rendered),
    }


def main(content: str, output: str, cache: str) -> None:
    from run import add_one_release, edit_one_release

    site = BENCH.parent / "pelicanconf.py"
    session = PreviewSession(content, output, site, {"CACHE_PATH": cache})
    figures = {"first_build": timed(session)}
    figures["nothing_changed"] = timed(session)
    edit_one_release(Path(content))
    figures["one_edited"] = timed(session)
    add_one_release(Path(content))
    figures["one_added"] = timed(session)
    print(json.dumps(figures))


if __name__ == "__main__":
    main(*sys.argv[1:4])
