"""Feeds written with shared entry XML (plugins/feed_entries.py) are the feeds Pelican writes.

A generated corpus is built with and without the plugin; every Atom feed,
the site's and each term's, must be byte for byte the same.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

from feedgenerator import Atom1Feed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))
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


class _CountingFeed(Atom1Feed):
    """An Atom feed that counts the entries it writes out itself."""

    written = 0

    def add_item_elements(self, handler, item):
        type(self).written += 1
        super().add_item_elements(handler, item)


def test_an_entry_in_several_feeds_is_written_once_per_build():
    """The plugin's receiver, given one build's context: the release in both feeds
    is written out once, and each feed comes out as feedgenerator writes it."""
    from feed_entries import reuse_entries

    def feeds():
        made = []
        for name, slugs in (("a", ("bersama", "satu")), ("b", ("bersama", "dua"))):
            feed = _CountingFeed(title=name, link="/", description="", feed_url=f"https://x/{name}")
            for slug in slugs:
                feed.add_item(
                    title=slug,
                    link=f"https://x/{slug}/",
                    description=f"<p>{slug}</p>",
                    pubdate=datetime.datetime(2024, 11, 8, tzinfo=datetime.UTC),
                )
            made.append(feed)
        return made

    plain = [feed.writeString("utf-8") for feed in feeds()]
    _CountingFeed.written = 0
    context = {}
    shared = feeds()
    for feed in shared:
        reuse_entries(context, feed)
    assert [feed.writeString("utf-8") for feed in shared] == plain
    assert _CountingFeed.written == 3  # "bersama", "satu", "dua"
