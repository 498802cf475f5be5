"""The engine still matches the Pelican installed, and only the engine reaches into Pelican.

engine/seams.py records, for every Pelican function the engine copies,
overrides or relies on, the hash of its source in the Pelican the engine was
written against; a Pelican upgrade that changes one fails here, naming it and
the engine module to review. The feature plugins use signals, settings and
Pelican's public API only: a private Pelican name in plugins/ fails here too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pelican

from engine import seams
from tests.conftest import ROOT

PELICAN_SOURCE = Path(pelican.__file__).resolve().parent


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def pelican_private_names() -> set[str]:
    """Names Pelican keeps private: its `_functions`, `_methods` and `_attributes`."""
    names = set()
    for path in PELICAN_SOURCE.rglob("*.py"):
        if "tests" in path.relative_to(PELICAN_SOURCE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                name = node.name
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                name = node.attr
            else:
                continue
            if _is_private(name):
                names.add(name)
    return names


def private_uses(path: Path, private: set[str]) -> list[tuple[int, str]]:
    """(line, name) for each private Pelican module, function or attribute `path` uses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pelican":
            for alias in node.names:
                if any(map(_is_private, node.module.split("."))) or _is_private(alias.name):
                    found.append((node.lineno, f"{node.module}.{alias.name}"))
        elif isinstance(node, ast.Attribute) and node.attr in private:
            found.append((node.lineno, node.attr))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in private
        ):
            found.append((node.lineno, node.args[1].value))
    return found


def test_pelican_is_the_one_the_engine_was_written_against():
    changed = seams.changed()
    assert not changed, (
        f"Pelican {seams.installed()} is installed; the engine was written against "
        f"Pelican {seams.PELICAN}, and these parts of Pelican it depends on differ:\n"
        + "\n".join(changed)
        + "\nRead each, change the engine module named if needed, then record the new "
        "hashes (`python -m engine.seams`) and version in engine/seams.py."
    )


def test_every_private_name_the_engine_uses_is_in_the_seams_table():
    private = pelican_private_names()
    recorded = " ".join(f"{seam.name} {seam.use}" for seam in seams.SEAMS)
    missing = [
        f"engine/{path.name}:{line}: {name}"
        for path in sorted((ROOT / "engine").glob("*.py"))
        for line, name in private_uses(path, private)
        if name.rsplit(".", 1)[-1] not in recorded
    ]
    assert missing == [], "add these to engine/seams.py: " + ", ".join(missing)


def test_feature_plugins_use_no_pelican_internals():
    private = pelican_private_names()
    assert {"_content", "_open_w", "_from_settings"} <= private  # the scan finds them
    found = [
        f"plugins/{path.name}:{line}: {name}"
        for path in sorted((ROOT / "plugins").glob("*.py"))
        for line, name in private_uses(path, private)
    ]
    assert found == [], "move these uses of Pelican's internals into engine/: " + ", ".join(found)
