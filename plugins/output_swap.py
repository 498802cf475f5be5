"""A build that fails leaves the output folder as it was, whatever the command.

Adds to the build: each run of Pelican writes into a fresh folder beside the
output (arsip/output.py), and that folder replaces the output only after every
other step succeeded, search index and post-build steps included: the swap is
the last of POST_BUILD_STEPS (arsip/post_build.py checks it). Pelican's
DELETE_OUTPUT_DIRECTORY (publishconf.py) then empties only the fresh folder,
and a symlinked output is followed. Every build writes the whole site, so no
file of a removed release or an earlier build lingers; names in Pelican's
OUTPUT_RETENTION are carried over from the previous output.

- `initialized`: remembers the output.
- `get_generators`, the first signal of each `Pelican.run()`, before the
  generators and the writer take the output path and before
  DELETE_OUTPUT_DIRECTORY: redirects this run into a fresh folder. Per run,
  not per process, so `pelican --autoreload` builds each run afresh.
- its post-build step, the last: the fresh folder takes the output's place.

A failed run's folder is removed when the process ends, or by the next run.
A preview session (engine/preview.py) builds in place and keeps its own
account of the pages; this plugin leaves it alone.
"""

from __future__ import annotations

import atexit
import sys

from pelican import signals

from arsip import post_build
from arsip.output import FreshFolder, OutputError, real_folder
from engine.preview import SESSION_SETTING

# Runs started and not put in place: removed when the process ends.
_unfinished: set[FreshFolder] = set()


class _Output:
    """What the plugin keeps on a Pelican instance: the real output and this run's folder."""

    def __init__(self, output: str):
        self.output = output
        self.fresh: FreshFolder | None = None


def take_over(pelican):
    if pelican.settings.get(SESSION_SETTING) is not None:
        return
    try:
        real_folder(pelican.output_path)
    except OutputError as error:
        sys.exit(str(error))  # one line: Pelican would print a traceback
    pelican.swapped_output = _Output(pelican.output_path)


def start_run(pelican):
    state = getattr(pelican, "swapped_output", None)
    if state is None:
        return None
    if state.fresh is not None:  # the last run failed
        state.fresh.discard()
        _unfinished.discard(state.fresh)
    try:
        state.fresh = FreshFolder(state.output)
    except OutputError as error:
        sys.exit(str(error))
    _unfinished.add(state.fresh)
    pelican.output_path = str(state.fresh.path)
    return None  # no generator of its own


def put_in_place(pelican):
    state = getattr(pelican, "swapped_output", None)
    if state is None or state.fresh is None:
        return
    fresh, state.fresh = state.fresh, None
    _unfinished.discard(fresh)
    pelican.output_path = state.output
    try:
        fresh.put_in_place(pelican.settings.get("OUTPUT_RETENTION", ()))
    except OutputError as error:
        sys.exit(str(error))


@atexit.register
def _discard_unfinished():
    for fresh in _unfinished:
        fresh.discard()


POST_BUILD_STEP = put_in_place


def register():
    post_build.connect()
    signals.initialized.connect(take_over)
    signals.get_generators.connect(start_run)
