"""Without Pelican's translation grouping, releases keep the order it gave them.

pelicanconf.py sets ARTICLE_TRANSLATION_ID = None (the grouping is quadratic
in the archive's size); engine/ordering.py keeps its order: newest first
and, within the same minute, by slug. A corpus with several releases dated the
same minute must build byte for byte as it does with Pelican's grouping on
(which engine/ordering.py then leaves alone).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import generate  # noqa: E402

from tests.conftest import run_pelican  # noqa: E402
from tests.test_engine import differences  # noqa: E402


def test_same_minute_releases_keep_pelicans_order(tmp_path):
    content = tmp_path / "content"
    generate.generate(30, content, seed=3)
    releases = sorted((content / "rilis").rglob("*.md"))
    for release in releases[::3]:  # ten releases, one minute
        text = release.read_text(encoding="utf-8")
        release.write_text(
            re.sub(r"^Date: .*$", "Date: 2024-11-08 09:00", text, count=1, flags=re.M)
        )

    with_grouping = run_pelican(
        content,
        tmp_path / "grouped",
        "pelicanconf.py",
        "-e",
        'ARTICLE_TRANSLATION_ID="slug"',
        'PAGE_TRANSLATION_ID="slug"',
        f"CACHE_PATH={json.dumps(str(tmp_path / 'cache-a'))}",
    )
    assert with_grouping.returncode == 0, with_grouping.stderr
    ours = run_pelican(
        content,
        tmp_path / "ours",
        "pelicanconf.py",
        "-e",
        f"CACHE_PATH={json.dumps(str(tmp_path / 'cache-b'))}",
    )
    assert ours.returncode == 0, ours.stderr
    assert differences(with_grouping.output, ours.output) == []
    # The releases of that minute are listed by slug on their month's page.
    month = (ours.output / "arsip" / "2024" / "11" / "index.html").read_text(encoding="utf-8")
    slugs = re.findall(r'href="[./]*/?rilis/2024/11/([^/"]+)/"', month)
    assert len(slugs) >= 10 and slugs[:10] == sorted(slugs[:10])
