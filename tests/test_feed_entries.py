"""Feeds written with shared entry XML (plugins/feed_entries.py) are the feeds Pelican writes.

A generated corpus is built with and without the plugin; every Atom feed,
the site's and each term's, must be byte for byte the same.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

from tests.conftest import ROOT, run_pelican  # noqa: E402


def _plugins_without(plugin: str) -> list[str]:
    namespace = {"__file__": str(ROOT / "pelicanconf.py")}
    exec((ROOT / "pelicanconf.py").read_text(encoding="utf-8"), namespace)
    assert plugin in namespace["PLUGINS"]
    return [p for p in namespace["PLUGINS"] if p != plugin]


def _build(content: Path, output: Path, *extra) -> Path:
    result = run_pelican(content, output, "pelicanconf.py", *extra)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_feeds_with_shared_entries_are_the_feeds_pelican_writes(tmp_path):
    content = tmp_path / "content"
    generate.generate(40, content, seed=5)
    cache = ["-e", f"CACHE_PATH={json.dumps(str(tmp_path / 'cache'))}"]
    shared = _build(content, tmp_path / "shared", *cache)
    plugins = f"PLUGINS={json.dumps(_plugins_without('feed_entries'))}"
    plain = _build(content, tmp_path / "plain", *cache, plugins)

    feeds = sorted(path.relative_to(plain) for path in plain.rglob("*.xml"))
    assert len(feeds) > 20  # the site's feed and one per unit, officer and activity type
    assert sorted(path.relative_to(shared) for path in shared.rglob("*.xml")) == feeds
    different = [str(f) for f in feeds if (shared / f).read_bytes() != (plain / f).read_bytes()]
    assert different == []

    # The cache was used: releases are entries of several feeds.
    entries = Counter(
        entry.id for feed in feeds for entry in feedparser.parse(str(shared / feed)).entries
    )
    assert max(entries.values()) >= 4
