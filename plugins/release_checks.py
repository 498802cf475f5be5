"""Check the whole content folder before Pelican reads any of it.

Runs arsip.rules.check_content, the very function `invoke check` runs, and
reports every finding as one `path:line: level: message` line. Any error stops
the build before a file is read or written, so the build never publishes a
file `invoke check` rejects. A preview session checks again only the files
that changed. docs/errors.md lists every case.
"""

from __future__ import annotations

from pelican import signals

from arsip import rules
from arsip import settings as archive_settings
from arsip.problems import ContentError, report
from arsip.registry import Registry, RegistryError
from engine.preview import SESSION_SETTING


def _load_registry(path):
    try:
        return Registry.load(path)
    except RegistryError:
        return None  # check_content loads it again and reports its problems


def check_content(generator):
    settings = generator.settings
    session = settings.get(SESSION_SETTING)
    registry, per_file = None, None
    if session is not None:
        registry = session.constant("checked-registry", lambda: _load_registry(generator.path))

        def per_file(path, compute):
            return session.per_file("check", path, compute)

    problems = rules.check_content(generator.path, settings, registry, per_file)
    report(problems)
    errors = [problem for problem in problems if problem.level == "error"]
    if errors:
        raise ContentError(errors)


def register():
    archive_settings.connect()  # RELEASE_MAX_BYTES, RELEASE_YEARS, the term URLs
    signals.article_generator_init.connect(check_content)
