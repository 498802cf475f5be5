"""Fail the build when Pelican logs an error, instead of skipping the file.

Pelican logs a release it cannot read ("Could not process", "Skipping ...:
could not find information about 'title'", an unknown status) and builds the
site without it. This plugin collects every such error during the build and,
when the build ends, fails it with all of them listed, so that no release is
lost silently. Unlike `pelican --fatal errors`, the build goes on to the end
first and reports every error at once; plugins/release_checks.py stops most
bad files earlier with a located message. An unexpected failure of the build
itself is reported as one line too, not as a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pelican import signals

from arsip.problems import ContentError, Problem, report


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        if record.levelno >= logging.CRITICAL:  # Pelican's own final report
            return
        message = record.getMessage()
        # "Could not process X" carries its reason only in --debug tracebacks;
        # the exception being handled is still the current one here.
        error = sys.exc_info()[1]
        if error is not None and str(error) not in message:
            message += f": {type(error).__name__}: {error}"
        self.messages.append(message)


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


collector = _ErrorCollector()


def start_collecting(pelican):
    collector.messages.clear()
    root = logging.getLogger()
    if collector not in root.handlers:
        root.addHandler(collector)
    # The logger pelican's command reports a failed run on.
    command_logger = logging.getLogger("pelican")
    for old in [f for f in command_logger.filters if isinstance(f, _OneLineFailure)]:
        command_logger.removeFilter(old)
    command_logger.addFilter(_OneLineFailure(pelican.settings["PATH"]))


def fail_on_errors(pelican):
    messages, collector.messages = collector.messages, []
    if messages:
        where = Path(pelican.settings["PATH"])
        problems = [Problem(where, 1, "error", message) for message in messages]
        report(problems)
        raise ContentError(problems)


def register():
    signals.initialized.connect(start_collecting)
    signals.finalized.connect(fail_on_errors)
