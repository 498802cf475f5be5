"""Runs a preview session through a plan of edits, for tests/test_preview.py.

`python tests/preview_driver.py PLAN.json`: the plan names a content folder,
an output folder, a folder for snapshots and a list of steps, each a set of
files to write and to delete. After each step the session builds; the driver
copies the content and the output into the step's snapshot folder and prints,
as JSON, what each build rendered and the error it stopped with, if any.
In its own process so that the session's Pelican leaves pytest's alone.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from arsip.problems import ContentError  # noqa: E402
from engine.preview import PreviewSession  # noqa: E402


def main(plan_file: str) -> None:
    plan = json.loads(Path(plan_file).read_text(encoding="utf-8"))
    session = PreviewSession(plan["content"], plan["output"], plan["settings"], plan["overrides"])
    report = []
    for number, step in enumerate(plan["steps"]):
        for path, text in step.get("write", {}).items():
            Path(path).write_text(text, encoding="utf-8")
        for path in step.get("delete", []):
            Path(path).unlink()
        error = None
        try:
            session.build()
            session.wait()
        except (Exception, ContentError) as failure:  # the report says what stopped the build
            error = f"{type(failure).__name__}: {failure}"
        snapshot = Path(plan["snapshots"]) / str(number)
        shutil.copytree(plan["content"], snapshot / "content")
        shutil.copytree(plan["output"], snapshot / "output")
        report.append(
            {"rendered": len(session.rendered), "pages": len(session.written), "error": error}
        )
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1])
