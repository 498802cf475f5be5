"""Problems found in content, and how every tool reports them.

Each problem is one line, `path:line: level: message`, written straight to the
process's standard error (not through Rich's console, which wraps long lines
and draws tracebacks), so editors' tools can jump to the place.
"""

from __future__ import annotations

import logging
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


class _OneLineFailure(logging.Filter):
    """Pelican's report of an unexpected exception, as one located line without a traceback.

    `pelican --debug` keeps the traceback for whoever debugs the archive itself.
    """

    def __init__(self, content_path: str):
        super().__init__()
        self.content_path = content_path

    def filter(self, record):
        error = record.args[0] if isinstance(record.args, tuple) and record.args else None
        if record.levelno == logging.WARNING and isinstance(error, ContentError):
            # `pelican --autoreload` goes on after a failed run: say so in one line.
            record.msg, record.args, record.exc_info = (
                "Caught exception: the build stopped on the problems above; fix them and save",
                (),
                None,
            )
            return True
        if record.levelno < logging.CRITICAL or logging.getLogger().level <= logging.DEBUG:
            return True
        failure = record.exc_info[1] if record.exc_info else None
        if not isinstance(failure, ContentError):  # its lines are printed already
            message = (
                f"the build stopped: {record.getMessage()} (run pelican with --debug for details)"
            )
            report([Problem(Path(self.content_path), 1, "error", message)])
        return False


def failures_as_lines(content_path: str) -> None:
    """Have the `pelican` command report a failed build as lines, never a traceback:
    a ContentError's problems are printed already, any other failure becomes one line."""
    command_logger = logging.getLogger("pelican")  # where pelican reports a failed run
    for old in [f for f in command_logger.filters if isinstance(f, _OneLineFailure)]:
        command_logger.removeFilter(old)
    command_logger.addFilter(_OneLineFailure(content_path))
