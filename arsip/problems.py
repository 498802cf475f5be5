"""Problems found in content, and how every tool reports them.

Each problem is one line, `path:line: level: message`, written straight to the
process's standard error (not through Rich's console, which wraps long lines
and draws tracebacks), so editors' tools can jump to the place.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LEVELS = ("error", "warning", "note")


@dataclass(frozen=True)
class Problem:
    """Something an editor must fix (error) or look at (warning), at a file's line.

    A note says why a file was skipped; it never fails anything.
    """

    path: Path
    line: int
    level: str  # one of LEVELS
    message: str

    def __str__(self) -> str:
        message = " ".join(self.message.split())  # one line, whatever the message holds
        return f"{self.path}:{self.line}: {self.level}: {message}"

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "line": self.line,
            "level": self.level,
            "message": self.message,
        }


def sort_key(problem: Problem):
    return (str(problem.path), problem.line, LEVELS.index(problem.level), problem.message)


def report(problems: Iterable[Problem | str]) -> None:
    """Write one line per problem to the real standard error."""
    stream = sys.__stderr__ or sys.stderr
    stream.write("".join(f"{problem}\n" for problem in problems))
    stream.flush()


def summary(problems: list[Problem]) -> str:
    counts = {level: sum(p.level == level for p in problems) for level in LEVELS}
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s)"


class ContentError(Exception):
    """The content cannot be built as it is; the problems were reported as lines.

    `pelican` exits with `exitcode`; plugins/strict.py keeps Pelican from
    logging the exception again, as a traceback, after its lines.
    """

    exitcode = 1

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s), listed above")
