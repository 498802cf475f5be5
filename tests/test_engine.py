"""The engine's speed-ups change how fast the site is built, never what is built.

ENGINE_SPEEDUPS = False (engine/speedups.py) builds with Pelican's own writer,
Typogrify pass, period archives and URLs, one parser per file, no parse pool
and one rendering process. The real content (development and publishing
settings) and a generated corpus (long paginated lists, releases in many
feeds) are built with the speed-ups off, then on from an empty content cache
(the corpus parsed in parallel, rendered by two processes), then on again from
the warm cache (rendered by three): every output file must be byte for byte
the same, and each file is logged once. And the content cache serves no stale
parse: not after an edit, not after a change to a setting a parse depends on.
"""

from __future__ import annotations

import filecmp
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

from tests.conftest import CONTENT, run_pelican  # noqa: E402

RELEASES = 150
OFF = "ENGINE_SPEEDUPS=false"


def differences(left: Path, right: Path) -> list[str]:
    """Files only in one folder or different in the two, recursively."""
    found = []

    def walk(comparison, prefix=""):
        found.extend(f"{prefix}{name}" for name in comparison.left_only + comparison.right_only)
        found.extend(f"{prefix}{name}" for name in comparison.diff_files)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=[]))
    return found


def build(content: Path, output: Path, cache: Path, *settings, config="pelicanconf.py"):
    result = run_pelican(
        content, output, config, "-e", f"CACHE_PATH={json.dumps(str(cache))}", *settings
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize(
    ("corpus", "config"),
    [
        ("content", "pelicanconf.py"),
        ("content", "publishconf.py"),
        ("generated", "pelicanconf.py"),
    ],
)
def test_speedups_on_and_off_build_the_same_site(corpus, config, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://arsip.example.id")  # for publishconf.py
    content = CONTENT
    if corpus == "generated":
        content = tmp_path / "content"
        generate.generate(RELEASES, content, seed=2)
    cache = tmp_path / "cache"

    def site(name, *settings):
        return build(content, tmp_path / name, cache, *settings, config=config)

    # Off first: were its parses (Typogrify not yet applied) served to the
    # speed-ups from the same cache, their pages would lack typography.
    off = site("off", OFF, "--verbose")
    cold = site("cold", "READ_WORKERS=2", "READ_PARALLEL_MIN=1", "RENDER_WORKERS=2", "--verbose")
    warm = site("warm", "RENDER_WORKERS=3", "--verbose")  # (engine/parallel.py)

    pages = sorted(off.output.rglob("*.html"))
    assert len(pages) > (3 * RELEASES if corpus == "generated" else 10)
    assert differences(off.output, cold.output) == []
    assert differences(off.output, warm.output) == []
    if corpus == "generated":
        assert f"Parsing {RELEASES} files with 2 processes" in cold.stdout + cold.stderr
    if config == "publishconf.py":
        # minify and compress work ahead on content_written and feed_written, on
        # the second core: one process renders (engine/parallel.py).
        assert "Rendering with" not in cold.stdout + cold.stderr + warm.stdout + warm.stderr
    else:
        assert "Rendering with 2 processes" in cold.stdout + cold.stderr
        assert "Rendering with 3 processes" in warm.stdout + warm.stderr
    # Each file written is logged once, whichever process wrote it.
    written = [len(re.findall(r"\bWriting\b", b.stdout + b.stderr)) for b in (off, cold, warm)]
    assert written == [written[0]] * 3 and written[0] > len(pages)


@pytest.fixture
def small_corpus(tmp_path):
    content = tmp_path / "content"
    generate.generate(30, content, seed=11)
    return content


def test_an_edited_release_is_parsed_again(small_corpus, tmp_path):
    build(small_corpus, tmp_path / "first", tmp_path / "cache")
    release = sorted((small_corpus / "rilis").rglob("*.md"))[5]
    text = release.read_text(encoding="utf-8")
    release.write_text(
        text.replace("(Humas Polres", 'Kalimat "baru" -- ditambahkan.\n\n(Humas Polres'),
        encoding="utf-8",
    )
    again = build(small_corpus, tmp_path / "again", tmp_path / "cache").output
    fresh = build(small_corpus, tmp_path / "fresh", tmp_path / "no-cache", OFF).output
    assert differences(fresh, again) == []
    # Markdown's smarty quotes and dashes, then Typogrify's widow control (the
    # sanitizer writes the quotes and dash as characters, not entities).
    expected = "Kalimat \u201cbaru\u201d \u2013&nbsp;ditambahkan."
    assert any(expected in p.read_text(encoding="utf-8") for p in (again / "rilis").rglob("*.html"))


def test_a_typogrify_setting_change_does_not_reuse_the_cache(small_corpus, tmp_path):
    first = build(small_corpus, tmp_path / "first", tmp_path / "cache").output
    no_widows = "TYPOGRIFY_OMIT_FILTERS=" + json.dumps(["caps", "widont"])
    again = build(small_corpus, tmp_path / "again", tmp_path / "cache", no_widows).output
    fresh = build(small_corpus, tmp_path / "fresh", tmp_path / "no-cache", OFF, no_widows).output
    assert differences(fresh, again) == []
    assert differences(first, again)  # the setting shows in the pages
