"""Rendering in several processes (engine/parallel.py): each page written once,
by one process; Pelican's bookkeeping whole in the main process; a worker's
errors and log records surface in the main process; no worker outlives it.

Generators here are stand-ins that call the real writer (engine/writer.py);
tests/test_engine.py builds the site with and without workers and compares.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import weakref
from pathlib import Path

import pytest
from pelican.settings import DEFAULT_CONFIG

from arsip.settings import SettingsError, with_defaults
from engine import parallel
from engine.preview import SESSION_SETTING
from engine.writer import ArchiveWriter

PAGES = 9


@pytest.fixture(autouse=True)
def no_listeners_to_written_files():
    """Pelican's signals are process-wide: a public build earlier in this test
    process leaves minify's and compress's receivers connected, which makes a
    build render in one process (the test below checks that on purpose)."""
    removed = []
    for announcing in parallel.ANNOUNCING:
        for reference in list(announcing.receivers.values()):
            receiver = reference() if isinstance(reference, weakref.ref) else reference
            if receiver is not None:
                announcing.disconnect(receiver)
                removed.append((announcing, receiver))
    yield
    for announcing, receiver in removed:
        announcing.connect(receiver)


class Template:
    """Renders a page's name; notes which process rendered it; fails or logs on request."""

    def __init__(self, record: Path, fail=None, log=None, die=None):
        self.record, self.fail, self.log, self.die = record, fail, log, die
        self.main = os.getpid()

    def render(self, context):
        name = context["output_file"]
        (self.record / f"{name}.{os.getpid()}").touch()
        if name == self.fail:
            raise ValueError(f"cannot render {name}")
        if name == self.die and os.getpid() != self.main:  # (never the test's own process)
            os.kill(os.getpid(), signal.SIGKILL)
        if name == self.log:
            logging.getLogger("tests.parallel").error("odd page %s", name)
        return f"<p>{name}</p>"


class Pages:
    """A generator whose output is only writer calls."""

    RENDER_SHARED = True

    def __init__(self, settings, template, prefix):
        self.settings, self.template, self.prefix = settings, template, prefix

    def generate_output(self, writer):
        for number in range(PAGES):
            writer.write_file(f"{self.prefix}{number}.html", self.template, {"localsiteurl": ""})
        context = {
            "SITENAME": "s",
            "SITEURL": "https://example.id",
            "FEED_DOMAIN": "https://example.id",
        }
        writer.write_feed([], context, f"{self.prefix}feed.xml")


def settings(workers: int) -> dict:
    return with_defaults({**DEFAULT_CONFIG, "RENDER_WORKERS": workers, "FEED_MAX_ITEMS": 10})


def render(folder: Path, workers: int, **template_options):
    """The pages and feeds of two shared generators; which process rendered what."""
    output, record = folder / "output", folder / "rendered"
    output.mkdir(parents=True)
    record.mkdir()
    config = settings(workers)
    template = Template(record, **template_options)
    generators = [Pages(config, template, "a"), Pages(config, template, "b")]
    parallel.share_output(generators)
    writer = ArchiveWriter(str(output), settings=config)
    for generator in generators:
        generator.generate_output(writer)
    return output, record, writer


def files(folder: Path) -> dict[str, bytes]:
    # (a feed without entries is dated when it is written)
    return {
        p.name: re.sub(rb"<updated>.*</updated>", b"", p.read_bytes()) for p in folder.iterdir()
    }


def renderers(record: Path) -> dict[str, set[str]]:
    """The pids that rendered each page."""
    found: dict[str, set[str]] = {}
    for path in record.iterdir():
        name, pid = path.name.rsplit(".", 1)
        found.setdefault(name, set()).add(pid)
    return found


def children() -> set[int]:
    """This process's child processes, zombies included."""
    found = set()
    for task in Path("/proc/self/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


@pytest.fixture(autouse=True)
def earlier_children():
    """Children this test did not start (an earlier test's process pools)."""
    global _earlier_children
    _earlier_children = children()
    yield


_earlier_children: set[int] = set()


def no_children_left():
    assert children() <= _earlier_children


def test_two_processes_write_each_page_once_and_the_same_files_as_one(tmp_path):
    alone, alone_record, alone_writer = render(tmp_path / "one", 1)
    shared, record, writer = render(tmp_path / "two", 2)
    assert len(files(alone)) == 2 * (PAGES + 1)  # pages and a feed of each generator
    assert files(shared) == files(alone)
    by_page = renderers(record)
    assert by_page.keys() == renderers(alone_record).keys()
    assert all(len(pids) == 1 for pids in by_page.values())  # each page rendered once
    assert len(set().union(*by_page.values())) == 2  # by both processes
    # The main process's bookkeeping names every file, as one process's does.
    assert {os.path.relpath(p, shared) for p in writer._written_files} == {
        os.path.relpath(p, alone) for p in alone_writer._written_files
    }
    assert parallel._build is None
    no_children_left()


def test_a_workers_error_is_raised_in_the_main_process(tmp_path):
    # Write calls alternate: the second page of the first generator is the worker's.
    with pytest.raises(ValueError, match=r"^cannot render a1\.html$"):
        render(tmp_path, 2, fail="a1.html")
    no_children_left()


def test_a_workers_log_records_are_logged_once_by_the_main_process(tmp_path, caplog):
    with caplog.at_level(logging.INFO):
        render(tmp_path, 2, log="a1.html")
    logged = [r for r in caplog.records if r.name == "tests.parallel"]
    assert [(r.levelno, r.getMessage(), r.process) for r in logged] == [
        (logging.ERROR, "odd page a1.html", logged[0].process)
    ]
    assert logged[0].process != os.getpid()  # the worker's own record
    no_children_left()


def test_a_worker_that_dies_fails_the_build(tmp_path):
    with pytest.raises(parallel.WorkerError, match=r"ended unexpectedly \(signal SIGKILL\)"):
        render(tmp_path, 2, die="b0.html")  # the tenth page: the worker's
    no_children_left()


def test_a_failure_in_the_main_process_ends_the_worker(tmp_path):
    with pytest.raises(ValueError, match=r"^cannot render a0\.html$"):
        render(tmp_path, 2, fail="a0.html")
    no_children_left()


def test_one_worker_or_a_listener_to_written_files_renders_in_one_process(tmp_path):
    _, record, _ = render(tmp_path / "one", 1)
    assert set().union(*renderers(record).values()) == {str(os.getpid())}

    def listener(path, context):
        pass

    parallel.signals.content_written.connect(listener)
    try:
        _, record, _ = render(tmp_path / "listened", 2)
    finally:
        parallel.signals.content_written.disconnect(listener)
    assert set().union(*renderers(record).values()) == {str(os.getpid())}


@pytest.mark.parametrize("workers", [0, "2", 1.5, True])
def test_render_workers_must_be_a_positive_whole_number(workers):
    with pytest.raises(SettingsError, match="RENDER_WORKERS must be a positive whole number"):
        settings(workers)


@pytest.mark.parametrize(
    "setting", [{"ENGINE_SPEEDUPS": False}, {SESSION_SETTING: object()}, {"RENDER_WORKERS": 1}]
)
def test_no_workers_with_the_speedups_off_in_a_preview_session_or_with_one_process(
    tmp_path, setting
):
    config = {**settings(2), **setting}
    generator = Pages(config, Template(tmp_path), "a")
    parallel.share_output([generator])
    assert parallel._build is None
    assert "generate_output" not in vars(generator)  # Pelican calls the class's own
