"""`invoke new`: a new release scaffolded with every field ready to fill."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SCAFFOLDED

from arsip.content import FIELD_ORDER, read_release
from arsip.rules import check_content as check_folder
from arsip.scaffold import new_release
from arsip.settings import load

# 20:15 UTC on 31 December is already 1 January in Jakarta (UTC+7).
NEW_YEAR_UTC = datetime.datetime(2024, 12, 31, 20, 15, tzinfo=datetime.UTC)


def test_scaffold_has_jakarta_date_slug_and_every_field(content_copy):
    path = new_release("Patroli Malam Tahun Baru di Monas", content_copy, now=NEW_YEAR_UTC)
    assert path == content_copy / "rilis/2025/2025-01-01-patroli-malam-tahun-baru-monas.md"
    release = read_release(path)
    assert list(release.metadata) == list(FIELD_ORDER)
    assert release.metadata == {
        "title": "Patroli Malam Tahun Baru di Monas",
        "date": "2025-01-01 03:15",
        "slug": "patroli-malam-tahun-baru-monas",
        "summary": "",
        "units": "",
        "officers": "",
        "activities": "",
        "places": "",
        "sources": "",
        "status": "draft",
    }


def test_check_lists_what_is_left_to_fill(content_copy):
    path = new_release("Patroli Malam Tahun Baru di Monas", content_copy, now=NEW_YEAR_UTC)
    left = [(p.line, p.message) for p in check_folder(content_copy, load()) if p.path == path]
    assert left == [
        (4, "`Summary:` is empty: fill it in"),
        (5, "`Units:` is empty: fill it in"),
        (7, "`Activities:` is empty: fill it in"),
        (9, "`Sources:` is empty: fill it in"),
        (12, "empty body: add the release's text below the header"),
    ]


def test_a_scaffolded_draft_builds(extended_site):
    """The extended build holds a draft just scaffolded (tests/conftest.py: SCAFFOLDED)."""
    assert SCAFFOLDED == ("Patroli Malam Tahun Baru di Monas", NEW_YEAR_UTC)
    page = extended_site.html("draf/patroli-malam-tahun-baru-monas/")
    assert " ".join(page.find("h1").get_text().split()) == "Patroli Malam Tahun Baru di Monas"


def test_a_taken_slug_gets_a_number_and_nothing_is_overwritten(content_copy):
    first = new_release("Ngopi Kamtibmas Polsek Menteng", content_copy, now=NEW_YEAR_UTC)
    first.write_text(first.read_text() + "Teks rilis.\n")
    second = new_release("Ngopi Kamtibmas Polsek Menteng", content_copy, now=NEW_YEAR_UTC)
    assert second.name == "2025-01-01-ngopi-kamtibmas-polsek-menteng-2.md"
    assert first.read_text().endswith("Teks rilis.\n")


def test_invoke_new_prints_the_path(content_copy):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "new",
            "--title",
            "Jumat Curhat di Gambir",
            "--content",
            str(content_copy),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.is_file() and path.parent.parent == content_copy / "rilis"
    assert path.name.endswith("-jumat-curhat-gambir.md")
    now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
    written = read_release(path).metadata["date"]
    taken = datetime.datetime.fromisoformat(written).replace(tzinfo=now.tzinfo)
    assert abs((now - taken).total_seconds()) < 120
