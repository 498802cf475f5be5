"""Stop the build on release files Pelican would skip or misread silently.

Before Pelican reads the releases (ARTICLE_PATHS), every file there is
checked with arsip.checks: size (RELEASE_MAX_BYTES, default 1 MB), UTF-8,
empty files, header lines Markdown would read as body text, repeated fields,
dates that are not ISO dates, unknown statuses, duplicate slugs and symbolic
link loops. Any problem stops the build with every problem listed as
`path:line: message`. Files with an extension no reader handles are skipped
with a warning. docs/errors.md lists each case and why it stops or skips.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from arsip.checks import MAX_RELEASE_BYTES, check_release, duplicate_slugs, walk_files
from arsip.preview import SESSION_SETTING

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = {"RELEASE_MAX_BYTES": MAX_RELEASE_BYTES}


class ReleaseCheckError(Exception):
    """Release files the build must not read as they are."""

    exitcode = 1

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in release files:\n" + "\n".join(problems))


def set_defaults(pelican):
    for key, value in DEFAULT_SETTINGS.items():
        pelican.settings.setdefault(key, value)


def check_releases(generator):
    settings = generator.settings
    extensions = tuple(f".{ext}" for ext in generator.readers.extensions)
    problems: list[str] = []
    releases = []
    session = settings.get(SESSION_SETTING)
    check = check_release
    if session is not None:  # a preview session checks again only the files that changed

        def check(path, max_bytes):
            return session.per_file("check", path, lambda: check_release(path, max_bytes))

    for folder in settings["ARTICLE_PATHS"]:
        root = os.path.join(generator.path, folder)
        if not os.path.isdir(root):
            continue
        for path in walk_files(root, problems):
            if path.name.startswith("."):
                continue  # editors' swap and lock files; Pelican ignores them too
            if not path.name.endswith(extensions):
                logger.warning("%s: not a release (no reader for it), skipped", path)
                continue
            release = check(path, settings["RELEASE_MAX_BYTES"])
            problems.extend(release.problems)
            releases.append(release)
    problems.extend(duplicate_slugs(releases, settings))
    if problems:
        raise ReleaseCheckError(problems)


def register():
    signals.initialized.connect(set_defaults)
    signals.article_generator_init.connect(check_releases)
