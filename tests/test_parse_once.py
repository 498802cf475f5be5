"""Parsing on a process pool and from the content cache gives the same site.

The same generated corpus is built by Pelican alone (no cache, no pool, its
own Typogrify pass), then with the archive's settings cold (pool), warm
(cache) and after an edit: every output file must be byte for byte the same.
"""

from __future__ import annotations

import filecmp
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

from tests.conftest import ROOT, run_pelican  # noqa: E402

RELEASES = 30


def pelican_alone(tmp_path) -> list[str]:
    namespace = {"__file__": str(ROOT / "pelicanconf.py")}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), namespace)
    plugins = [p for p in namespace["PLUGINS"] if p not in ("parse_once", "content_cache")]
    assert len(plugins) == len(namespace["PLUGINS"]) - 2
    return [
        "-e",
        f"PLUGINS={json.dumps(plugins)}",
        "CACHE_CONTENT=false",
        "LOAD_CONTENT_CACHE=false",
        f"CACHE_PATH={json.dumps(str(tmp_path / 'no-cache'))}",
    ]


def archive(tmp_path) -> list[str]:
    # READ_PARALLEL_MIN=1: use the pool even for this small corpus.
    return [
        "-e",
        "READ_PARALLEL_MIN=1",
        "READ_WORKERS=2",
        f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}",
    ]


def differences(left: Path, right: Path) -> list[str]:
    found = []

    def walk(comparison, prefix=""):
        found.extend(f"{prefix}{name}" for name in comparison.left_only + comparison.right_only)
        found.extend(f"{prefix}{name}" for name in comparison.diff_files)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=[]))
    return found


@pytest.fixture
def corpus(tmp_path):
    content = tmp_path / "content"
    generate.generate(RELEASES, content, seed=11)
    return content


def build(content, output, extra):
    result = run_pelican(content, output, "pelicanconf.py", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_pool_and_cache_build_what_pelican_alone_builds(corpus, tmp_path):
    alone = build(corpus, tmp_path / "alone", pelican_alone(tmp_path))
    cold = build(corpus, tmp_path / "cold", archive(tmp_path))
    assert list((tmp_path / "cache").rglob("ArticlesGenerator-Readers"))
    assert differences(alone, cold) == []
    warm = build(corpus, tmp_path / "warm", archive(tmp_path))
    assert differences(alone, warm) == []
    assert len(list(alone.rglob("*.html"))) > RELEASES


def test_an_edited_release_is_parsed_again(corpus, tmp_path):
    build(corpus, tmp_path / "first", archive(tmp_path))
    release = sorted((corpus / "rilis").rglob("*.md"))[5]
    text = release.read_text(encoding="utf-8")
    release.write_text(
        text.replace("(Humas Polres", 'Kalimat "baru" -- ditambahkan.\n\n(Humas Polres'),
        encoding="utf-8",
    )
    again = build(corpus, tmp_path / "again", archive(tmp_path))
    fresh = build(corpus, tmp_path / "fresh", pelican_alone(tmp_path))
    assert differences(fresh, again) == []
    # Markdown's smarty quotes and dashes, then Typogrify's widow control (the
    # sanitizer writes the quotes and dash as characters, not entities).
    expected = "Kalimat \u201cbaru\u201d \u2013&nbsp;ditambahkan."
    assert any(expected in p.read_text(encoding="utf-8") for p in (again / "rilis").rglob("*.html"))


def test_a_typogrify_setting_change_does_not_reuse_the_cache(corpus, tmp_path):
    build(corpus, tmp_path / "first", archive(tmp_path))
    no_widows = ["TYPOGRIFY_OMIT_FILTERS=" + json.dumps(["caps", "widont"])]
    again = build(corpus, tmp_path / "again", archive(tmp_path) + no_widows)
    fresh = build(corpus, tmp_path / "fresh", pelican_alone(tmp_path) + no_widows)
    assert differences(fresh, again) == []
    assert differences(tmp_path / "first", again)  # the setting shows in the pages
