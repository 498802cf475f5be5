"""A build that fails leaves the output folder as it was, whatever the command.

Adds to the build: each run of Pelican writes into a fresh folder beside the
output (arsip/output.py), and that folder replaces the output only after every
other step succeeded, search index and post-build steps included. Pelican's
DELETE_OUTPUT_DIRECTORY (publishconf.py) then empties only the fresh folder,
and a symlinked output is followed. Every build writes the whole site, so no
file of a removed release or an earlier build lingers; names in Pelican's
OUTPUT_RETENTION are carried over from the previous output.

- `initialized`: remembers the output and moves the swap to the end of the
  `finalized` receivers (plugins connect theirs when they register, and
  publishconf.py adds its post-build plugins after this one).
- `get_generators`, the first signal of each `Pelican.run()`, before the
  generators and the writer take the output path and before
  DELETE_OUTPUT_DIRECTORY: redirects this run into a fresh folder. Per run,
  not per process, so `pelican --autoreload` builds each run afresh.
- `finalized`, last: the fresh folder takes the output's place.

A failed run's folder is removed when the process ends, or by the next run.
A preview session (arsip/preview.py) builds in place and keeps its own
account of the pages; this plugin leaves it alone.
"""

from __future__ import annotations

import atexit
import sys

from pelican import signals

from arsip.output import FreshFolder, OutputError, real_folder
from arsip.preview import SESSION_SETTING

# The Pelican instances this plugin redirects, and the folder of each one's current run.
_builds: dict[int, tuple[object, str, FreshFolder | None]] = {}


def take_over(pelican):
    if pelican.settings.get(SESSION_SETTING) is not None:
        return
    try:
        real_folder(pelican.output_path)
    except OutputError as error:
        sys.exit(str(error))  # one line: Pelican would print a traceback
    _builds[id(pelican)] = (pelican, pelican.output_path, None)
    signals.finalized.disconnect(put_in_place)
    signals.finalized.connect(put_in_place)


def start_run(pelican):
    build = _builds.get(id(pelican))
    if build is None or build[0] is not pelican:
        return None
    _, output, previous = build
    if previous is not None:  # the last run failed
        previous.discard()
    try:
        fresh = FreshFolder(output)
    except OutputError as error:
        sys.exit(str(error))
    _builds[id(pelican)] = (pelican, output, fresh)
    pelican.output_path = str(fresh.path)
    return None  # no generator of its own


def put_in_place(pelican):
    build = _builds.get(id(pelican))
    if build is None or build[0] is not pelican or build[2] is None:
        return
    _, output, fresh = build
    _builds[id(pelican)] = (pelican, output, None)
    pelican.output_path = output
    try:
        fresh.put_in_place(pelican.settings.get("OUTPUT_RETENTION", ()))
    except OutputError as error:
        sys.exit(str(error))


@atexit.register
def _discard_failed_runs():
    for _, _, fresh in _builds.values():
        if fresh is not None:
            fresh.discard()


def register():
    signals.initialized.connect(take_over)
    signals.get_generators.connect(start_run)
