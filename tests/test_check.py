"""`invoke check`: content validated without building."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import CONTENT, ROOT

from arsip.rules import check_content as check_folder
from arsip.settings import load

NGOPI = "rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
COOLING = "rilis/2024/2024-11-20-cooling-system-bhabinkamtibmas-cegah-tawuran.md"
PATROLI = "rilis/2024/2024-11-28-optimasi-patroli-tiga-pilar-cooling-system.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def run_check(content: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def findings(content: Path) -> list[tuple[str, int, str, str]]:
    return [
        (str(p.path.relative_to(content)), p.line, p.level, p.message)
        for p in check_folder(content, load())
    ]


def test_the_real_content_is_clean():
    problems = check_folder(CONTENT, load())
    assert [p for p in problems if p.level == "error"] == []
    hand_made = {CONTENT / p for p in (NGOPI, COOLING, PATROLI)}
    assert [p for p in problems if p.path in hand_made] == []  # not even a warning
    result = run_check(CONTENT)
    assert result.returncode == 0, result.stdout


def test_mistakes_are_reported_with_file_line_and_message(content_copy):
    ngopi, cooling, patroli = (content_copy / p for p in (NGOPI, COOLING, PATROLI))
    edit(ngopi, "Satpol PP\n", "Satpol PPP\n")  # a misspelt unit
    edit(ngopi, "Kapolsek Metro Menteng Kompol Bayu Marfiando; ", "")  # named in text only
    edit(patroli, "Summary: Polsek Johar Baru bersama", "Ringkasan: Polsek Johar Baru bersama")
    edit(patroli, "Date: 2024-11-28 00:00", "Date: 2024-11-27 00:00")  # the text says 28
    edit(cooling, "Date: 2024-11-20 22:30", "Date: 2024-13-20 22:30")
    edit(
        cooling,
        "(Humas Polres Metro Jakarta Pusat)",
        "Lihat juga [rilis Menteng]({filename}/rilis/2024/ngopi.md), "
        "[satuan di Menteng](/satuan/polsek-menteng/), [Gambir](/satuan/polsek-gambir/) dan "
        "[rilis Johar Baru]({filename}/" + PATROLI + ").\n\n(Humas Polres Metro Jakarta Pusat)",
    )
    twin = content_copy / "rilis/2024/2024-11-21-salinan.md"
    shutil.copy(cooling, twin)  # the same release imported twice, same slug
    empty = content_copy / "rilis/2024/2024-11-22-kosong.md"
    empty.write_text(
        "Title: Kosong\nDate: 2024-11-22\nSlug: kosong\nSummary: -\nUnits: Polsek Menteng\n"
        "Officers: Kompol Saiful Anwar, S.E., S.H.\nActivities: Ngopi Kamtibmas\n"
        "Sources: kabarmetro.co\nStatus: terbit\n\n",
        encoding="utf-8",
    )
    link_line = line_of(cooling, "[rilis Menteng]")
    bayu_line = line_of(ngopi, "melalui Kapolsek Metro Menteng Kompol Bayu Marfiando")
    satpol_line = line_of(ngopi, "Satpol-PP, LMK")
    date_error = 'date "2024-13-20 22:30" does not exist: check day and month'
    gambir = (
        'broken link "/satuan/polsek-gambir/": no page /satuan/polsek-gambir/ in the archive: '
        "fix the address or link the source file with {filename}"
    )
    ngopi_link = (
        'broken link "{filename}/rilis/2024/ngopi.md": no file '
        f"{content_copy}/rilis/2024/ngopi.md: fix the path (from the content folder, e.g. "
        "{filename}/rilis/2024/x.md)"
    )
    copy = "rilis/2024/2024-11-21-salinan.md"
    assert findings(content_copy) == [
        (
            NGOPI,
            5,
            "error",
            'unknown unit "Satpol PPP" (did you mean "Satpol PP"?): fix the name or add it to '
            "registry/units.yaml",
        ),
        (
            NGOPI,
            satpol_line,
            "warning",
            'unit "Satpol PP" is named in the text but not in `Units:`',
        ),
        (
            NGOPI,
            bayu_line,
            "warning",
            'officer "Bayu Marfiando" is named in the text but not in `Officers:`',
        ),
        (COOLING, 2, "error", date_error),
        (COOLING, link_line, "warning", gambir),
        (COOLING, link_line, "warning", ngopi_link),
        (copy, 2, "error", date_error),
        (
            copy,
            3,
            "error",
            'slug "cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa" is already used by '
            f"{cooling}:3: give one of them another slug",
        ),
        (
            copy,
            12,
            "warning",
            f"same text as {cooling}: the release was imported twice; delete one of them",
        ),
        (copy, link_line, "warning", gambir),
        (copy, link_line, "warning", ngopi_link),
        (
            "rilis/2024/2024-11-22-kosong.md",
            6,
            "error",
            "separate officers with ';': with commas only, degrees are read as officers",
        ),
        (
            "rilis/2024/2024-11-22-kosong.md",
            9,
            "error",
            'unknown status "terbit": use one of published, draft',
        ),
        (
            "rilis/2024/2024-11-22-kosong.md",
            11,
            "error",
            "empty body: add the release's text below the header",
        ),
        (PATROLI, 1, "error", "missing `Summary:`: add it to the header"),
        (
            PATROLI,
            4,
            "error",
            "unknown field `Ringkasan:`: fix its name or remove the line",
        ),
        (
            PATROLI,
            line_of(patroli, "Kamis (28/11/2024)"),
            "warning",
            'the text says "Kamis (28/11/2024)" but `Date:` is 2024-11-27: check which is right',
        ),
    ]


def test_exit_status_and_output_formats(content_copy):
    ngopi = content_copy / NGOPI
    edit(ngopi, "Satpol PP\n", "Satpol PPP\n")
    satpol = line_of(ngopi, "Satpol-PP, LMK")
    human = run_check(content_copy)
    assert human.returncode == 1
    assert human.stdout.splitlines() == [
        f'{ngopi}:5: error: unknown unit "Satpol PPP" (did you mean "Satpol PP"?): fix the '
        "name or add it to registry/units.yaml",
        f'{ngopi}:{satpol}: warning: unit "Satpol PP" is named in the text but not in `Units:`',
    ]
    assert "1 error(s), 1 warning(s)" in human.stderr
    machine = run_check(content_copy, "--json")
    assert machine.returncode == 1
    assert json.loads(machine.stdout) == [
        {
            "file": str(ngopi),
            "line": 5,
            "level": "error",
            "message": 'unknown unit "Satpol PPP" (did you mean "Satpol PP"?): fix the name or '
            "add it to registry/units.yaml",
        },
        {
            "file": str(ngopi),
            "line": satpol,
            "level": "warning",
            "message": 'unit "Satpol PP" is named in the text but not in `Units:`',
        },
    ]


def test_warnings_alone_pass(content_copy):
    edit(content_copy / NGOPI, "Kapolsek Metro Menteng Kompol Bayu Marfiando; ", "")
    result = run_check(content_copy)
    assert result.returncode == 0
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["warning"]


def test_registry_errors_point_at_the_registry(content_copy):
    units = content_copy / "registry" / "units.yaml"
    units.write_text(units.read_text() + "\n- slug: Polsek Gambir\n  name: Polsek Gambir\n")
    problems = check_folder(content_copy, load())
    assert [(p.path, p.level) for p in problems] == [(units, "error")]
    assert '`slug` is "Polsek Gambir", not a slug: use lowercase letters' in problems[0].message
