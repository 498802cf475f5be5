"""Edit-to-preview: how long a preview session takes to show a change.

`python bench/preview.py CONTENT OUTPUT CACHE` starts a preview session
(engine/preview.py, what `invoke livereload` runs) on a content folder, builds
it once, then measures three rebuilds: nothing changed, one release edited,
one release added. For each: seconds until the pages are written (what the
browser reloads) and the CPU seconds of this process until then, seconds
until the post-build steps (open data, search index) are done too, and how
many files were rendered. Prints the figures as JSON on its last line;
bench/run.py runs it and records them.

Edits are made the way bench/run.py makes them, on the folder given: use a
copy you can spare.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from engine.preview import PreviewSession  # noqa: E402


def timed(session: PreviewSession) -> dict:
    started, cpu = time.perf_counter(), time.process_time()
    session.build()
    pages = time.perf_counter() - started
    pages_cpu = time.process_time() - cpu  # a rebuild parses in this process alone
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
