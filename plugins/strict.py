"""Fail the build when Pelican or a step of the build logs an error, instead of skipping the file.

Pelican logs a release it cannot read ("Could not process", "Skipping ...:
could not find information about 'title'", an unknown status) and builds the
site without it. This plugin collects every such error during the build and,
as the last post-build step before the output is put in place
(POST_BUILD_STEPS, arsip/post_build.py), fails it with all of them listed, so
that no release is lost silently and no error a post-build step logged goes
unnoticed. Unlike `pelican --fatal errors`, the build goes on to the end
first and reports every error at once; plugins/release_checks.py stops most
bad files earlier with a located message. An unexpected failure of the build
itself is reported as one line too, not as a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from pelican import signals

from arsip import post_build
from arsip.problems import ContentError, Problem, failures_as_lines, report


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


collector = _ErrorCollector()


def start_collecting(pelican):
    collector.messages.clear()
    root = logging.getLogger()
    if collector not in root.handlers:
        root.addHandler(collector)
    failures_as_lines(pelican.settings["PATH"])


def fail_on_errors(pelican):
    messages, collector.messages = collector.messages, []
    if messages:
        where = Path(pelican.settings["PATH"])
        problems = [Problem(where, 1, "error", message) for message in messages]
        report(problems)
        raise ContentError(problems)


POST_BUILD_STEP = fail_on_errors


def register():
    post_build.connect()
    signals.initialized.connect(start_collecting)
