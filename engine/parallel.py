"""Seam: each shared generator's `generate_output`, overridden on the instance
(Pelican.run calls every generator's in turn with one writer, after the
context is complete); in the workers, blinker's Signal.muted on some of
Pelican's signals.

With the speed-ups on, a full build (not a preview session) renders its pages
and feeds in RENDER_WORKERS processes (arsip/settings.py; by default one per
usable core). When the first shared generator starts writing, the build forks
its workers (they share the finished context, copy-on-write). Every process
runs the shared generators' generate_output in the same order, so all make
the same calls to the writer, and each renders and writes only its own share
of them (engine/writer.py). Shared: the articles generator (release pages,
period archives, index, feeds) and a plugin's generator whose class sets
RENDER_SHARED = True, declaring that its generate_output does nothing but call
the writer (plugins/taxonomies.py: the term pages and feeds). Every other
generator (pages, open data, statistics, static files) runs in the main
process alone.

What the rest of the build sees is what one process gives it:
- The main process sends every signal as one process would. A worker sends
  those that complete what it renders (feed_generated), not those that tell
  of the output's progress (PROGRESS: a release about to be written, the
  articles generator's end, a file written). content_written and feed_written
  would tell the main process of a file another process writes, perhaps not
  yet on disk: when a plugin listens to them, the build renders in one process.
- Before article_writer_finalized (on which search indexes the release pages)
  and at the end of each shared generator, the main process waits until every
  worker has written its share of it.
- A worker's log records are logged by the main process (so strict counts its
  errors, and the console shows them once); an exception in a worker is raised
  again in the main process, where the build reports it as one line.
- The main process keeps Pelican's bookkeeping of every file (the writer's
  written and overridden files), as each worker does.
- A worker ends after the last shared generator; it is killed when the main
  process fails, exits or dies before (Linux's parent-death signal).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import logging
import os
import pickle
import signal
import sys

from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.log import FilteredMessage

from arsip.settings import DEFAULTS
from engine import speedups
from engine.preview import SESSION_SETTING
from engine.writer import ArchiveWriter

logger = logging.getLogger(__name__)

SETTING = "RENDER_WORKERS"
SHARED_ATTRIBUTE = "RENDER_SHARED"  # on a generator class: its output is only writer calls
# A receiver of these in the main process would be told of files another process writes.
ANNOUNCING = (signals.content_written, signals.feed_written)
# What tells of the shared output's progress: the main process alone sends it.
PROGRESS = (
    *ANNOUNCING,
    signals.article_generator_write_article,
    signals.article_writer_finalized,
)
PR_SET_PDEATHSIG = 1  # linux/prctl.h

_build: _SharedOutput | None = None  # this process's current build, while it shares


class WorkerError(RuntimeError):
    """A worker ended without saying why (killed, or out of memory)."""


def _shared(generator) -> bool:
    if isinstance(generator, ArticlesGenerator):
        return type(generator).generate_output is ArticlesGenerator.generate_output
    return getattr(type(generator), SHARED_ATTRIBUTE, False) is True


def share_output(generators):
    """`all_generators_finalized`: whether this build shares its rendering, and how."""
    global _build
    if _build is not None:  # the last run failed before its workers ended
        _build.stop()
        _build = None
    if not generators:
        return
    settings = generators[0].settings
    workers = settings.get(SETTING, DEFAULTS[SETTING])
    shared = [generator for generator in generators if _shared(generator)]
    if (
        workers < 2
        or not shared
        or not speedups.on(settings)
        or settings.get(SESSION_SETTING) is not None
        or not hasattr(os, "fork")
        or any(announcing.receivers for announcing in ANNOUNCING)
    ):
        return
    _build = _SharedOutput(shared, workers)
    for generator in shared:
        # An instance attribute: Pelican.run calls it instead of the class's.
        generator.generate_output = _build.generate_output_of(generator)


def release_pages_written(generator, writer):
    """`article_writer_finalized`, before search's receiver: every worker's release pages are on disk."""
    if _build is not None and generator in _build.shared:
        _build.wait_for(generator)


class _SharedOutput:
    def __init__(self, shared, workers: int):
        self.shared = shared
        self.workers = workers
        self.children: list[_Worker] = []
        self.finished = -1  # the last shared generator every worker has finished

    def generate_output_of(self, generator):
        def generate_output(writer):
            if not isinstance(writer, ArchiveWriter):
                return type(generator).generate_output(generator, writer)
            try:
                if not self.children:
                    self.start(writer)
                writer.share = (0, self.workers)
                type(generator).generate_output(generator, writer)
                self.wait_for(generator)
            except BaseException:
                self.stop()
                raise
            finally:
                writer.share = None
            if generator is self.shared[-1]:
                self.end()
            return None

        return generate_output

    def start(self, writer):
        logger.info("Rendering with %d processes", self.workers)
        sys.stdout.flush()
        sys.stderr.flush()
        # What the workers inherit stays out of their garbage collector's
        # sweeps, which would otherwise copy every page of it.
        gc.freeze()
        atexit.register(self.stop)
        parent = os.getpid()
        for index in range(1, self.workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                for child in self.children:
                    child.stream.close()
                _work(self.shared, writer, (index, self.workers), write, parent)  # never returns
            os.close(write)
            self.children.append(_Worker(pid, os.fdopen(read, "rb")))

    def wait_for(self, generator):
        """Wait until every worker has written its share of `generator`'s output."""
        position = self.shared.index(generator)
        while self.finished < position:
            for child in self.children:
                child.wait_for(self.finished + 1)
            self.finished += 1

    def end(self):
        global _build
        for child in self.children:
            child.reap()
        self.children = []
        gc.unfreeze()
        atexit.unregister(self.stop)
        _build = None

    def stop(self):
        for child in self.children:
            child.kill()
        self.children = []
        gc.unfreeze()


class _Worker:
    """The main process's end of one worker."""

    def __init__(self, pid: int, stream):
        self.pid, self.stream = pid, stream

    def wait_for(self, position: int):
        try:
            message = pickle.load(self.stream)
        except (EOFError, pickle.UnpicklingError):
            status = self.reap()
            raise WorkerError(f"a render worker ended unexpectedly ({status})") from None
        kind, records, detail = message
        _log(records)
        if kind == "failed":
            self.reap()
            raise detail
        if detail != position:  # cannot happen: both run the same generators in order
            raise WorkerError(f"a render worker finished generator {detail}, not {position}")

    def reap(self) -> str:
        self.stream.close()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if os.WIFSIGNALED(status):
            return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"

    def kill(self):
        if self.pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.reap()


def _log(records):
    for record, error in records:
        log = logging.getLogger(record.name)
        # Pelican's loggers raise this for a record their filters drop (pelican.log).
        with contextlib.suppress(FilteredMessage):
            if error is None:
                log.handle(record)
                continue
            try:  # handlers that look at the error being handled see it, as in the worker
                raise error
            except BaseException:
                log.handle(record)


class _Capture(logging.Handler):
    """A worker's log records, kept for the main process."""

    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        error = sys.exc_info()[1]
        fields = {key: value for key, value in vars(record).items() if _can_pickle(value)}
        fields.update(msg=record.getMessage(), args=None, exc_info=None, exc_text=None)
        self.records.append((logging.makeLogRecord(fields), _picklable(error)))

    def take(self):
        records, self.records = self.records, []
        return records


def _can_pickle(value) -> bool:
    try:
        pickle.loads(pickle.dumps(value))
    except Exception:
        return False
    return True


def _picklable(error):
    """The error, or one with its message when it cannot be sent whole."""
    if error is None or _can_pickle(error):
        return error
    return RuntimeError(f"{type(error).__name__}: {error}")


def _work(shared, writer, share, pipe: int, parent: int):
    """A worker: its share of the shared generators' output, then its end."""
    status = 1
    try:
        _die_with(parent)
        stream = os.fdopen(pipe, "wb")
        capture = _Capture()
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        root.addHandler(capture)
        writer.share = share
        with contextlib.ExitStack() as muted:
            for progress in PROGRESS:
                muted.enter_context(progress.muted())
            try:
                for position, generator in enumerate(shared):
                    type(generator).generate_output(generator, writer)
                    _send(stream, ("done", capture.take(), position))
            except BaseException as error:
                _send(stream, ("failed", capture.take(), _picklable(error)))
                return
        status = 0
    finally:
        # Never the main process's exit: its atexit handlers (the output swap's)
        # and buffered output are the main process's alone.
        os._exit(status)


def _send(stream, message):
    pickle.dump(message, stream)
    stream.flush()


def _die_with(parent: int):
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the main process died before that
        os._exit(1)


def register():
    signals.all_generators_finalized.connect(share_output)
    signals.article_writer_finalized.connect(release_pages_written)
