"""Importing a folder: copies of one release, registry additions, the files written."""

from __future__ import annotations

import datetime
import shutil
import stat
from pathlib import Path

import yaml
from conftest import CONTENT

from arsip.content import read_release
from arsip.importer import import_releases, suggestions_text
from arsip.registry import Registry
from arsip.settings import DEFAULTS

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = datetime.date(2026, 1, 1)


def empty_archive(folder: Path) -> Path:
    shutil.copytree(CONTENT, folder)
    for release in (folder / "rilis").rglob("*.md"):
        release.unlink()
    return folder


def inbox(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def test_a_copy_from_another_outlet_adds_its_outlet_instead_of_a_second_release(tmp_path):
    content = empty_archive(tmp_path / "content")
    source = inbox(tmp_path, "koja-pagi.txt", "koja-pagi-copy.txt")
    report = import_releases(source, content, today=TODAY)
    assert len(report.written) == 1
    release = read_release(report.written[0])
    # Files are read in name order: the copy comes first, the original joins it.
    assert release.metadata["sources"] == "suarawarga.id; Kabarpagi"
    assert report.origins == {
        source / "koja-pagi.txt": report.written[0],
        source / "koja-pagi-copy.txt": report.written[0],
    }
    assert [str(p) for p in report.problems if "same release" in p.message] == [
        f"{source / 'koja-pagi.txt'}:6: warning: same release as "
        f"{source / 'koja-pagi-copy.txt'} (near word for word, same day): "
        "added Kabarpagi to its Sources, not written again"
    ]


def test_a_copy_of_a_release_already_in_the_archive_updates_its_sources_only(tmp_path):
    content = empty_archive(tmp_path / "content")
    first = import_releases(inbox(tmp_path, "koja-pagi.txt"), content, today=TODAY)
    path = first.written[0]
    path.chmod(0o640)
    before = path.read_text(encoding="utf-8")
    second = import_releases(FIXTURES / "koja-pagi-copy.txt", content, today=TODAY)
    assert second.written == [] and second.updated == [path] and not second.failed
    after = path.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [("Sources: Kabarpagi", "Sources: Kabarpagi; suarawarga.id")]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_the_same_words_on_another_day_are_another_release(tmp_path):
    content = empty_archive(tmp_path / "content")
    source = inbox(tmp_path, "koja-pagi.txt")
    text = (FIXTURES / "koja-pagi-copy.txt").read_text(encoding="utf-8")
    (source / "koja-besok.txt").write_text(text.replace("(15/6/2025)", "(22/6/2025)"), "utf-8")
    report = import_releases(source, content, today=TODAY)
    assert len(report.written) == 2


def test_add_to_registry_adds_sure_names_and_lists_doubtful_ones(tmp_path):
    content = empty_archive(tmp_path / "content")
    units_file = content / "registry" / "units.yaml"
    units_file.chmod(0o664)
    source = inbox(tmp_path, "koja-pagi.txt", "marunda-razia.txt")
    (source / "ragu.txt").write_text(
        "Jakarta – Patroli digelar Senin (16/6/2025) dipimpin Aipda B bersama warga.\n", "utf-8"
    )
    report = import_releases(source, content, add=True, today=TODAY)
    registry = Registry.load(content)
    added = {
        kind: {e.name for e in registry.all(kind)}
        - {e.name for e in Registry.load(CONTENT).all(kind)}
        for kind in ("units", "officers")
    }
    assert added == {
        "units": {
            "Polsek Koja",
            "Polres Metro Jakarta Utara",
            "Satreskrim Polres Metro Jakarta Utara",
            "Biro Operasi Polda Metro Jaya",
            "Polda Metro Jaya",
            "Polsubsektor Rawa Malang",
        },
        "officers": {
            "Rudi Hartono Saputra",
            "Dedi Kurniawan",
            "Dani K",
            "Wahyu Nugroho",
            "Bagus R. Santoso",
            "Joni Siregar",
        },
    }
    assert [(s.entry["name"], s.doubt) for s in report.suggestions if s.doubt] == [
        ("B", "a name of one or two letters")
    ]
    text = suggestions_text(report)
    assert "Not added: check these names" in text and "name: B" in text
    assert stat.S_IMODE(units_file.stat().st_mode) == 0o664
    assert units_file.read_text(encoding="utf-8").endswith("\n")
    officer = registry.get("officers", "rudi-hartono-saputra")
    assert officer.service[0].unit == "polsek-koja"
    koja = read_release(next(p for p in report.written if "koja" in p.name))
    assert koja.metadata["officers"] == (
        "Kapolsek Koja Kompol Rudi Hartono Saputra, S.H., M.H.; "
        "Kanit Samapta AKP Dedi Kurniawan, S.H.; Bripka Dani K"
    )


def test_written_releases_have_the_usual_permissions(tmp_path):
    content = empty_archive(tmp_path / "content")
    report = import_releases(inbox(tmp_path, "koja-pagi.txt"), content, today=TODAY)
    assert stat.S_IMODE(report.written[0].stat().st_mode) & 0o044 == 0o044  # not 0600


def test_upper_case_txt_files_are_read(tmp_path):
    content = empty_archive(tmp_path / "content")
    source = tmp_path / "inbox"
    source.mkdir()
    shutil.copy(FIXTURES / "koja-pagi.txt", source / "KOJA.TXT")
    assert len(import_releases(source, content, today=TODAY).written) == 1


def test_a_headline_of_punctuation_alone_still_gives_a_slug(tmp_path):
    content = empty_archive(tmp_path / "content")
    source = tmp_path / "tanda.txt"
    source.write_text(
        "!!! ???\n\nJakarta – Polsek Koja menggelar patroli, Senin (16/6/2025).\n", "utf-8"
    )
    report = import_releases(source, content, today=TODAY)
    assert report.written[0].name == "2025-06-16-polsek-koja-menggelar-patroli.md"


def test_a_text_too_large_for_the_build_is_refused(tmp_path):
    content = empty_archive(tmp_path / "content")
    source = tmp_path / "besar.txt"
    line = "Polsek Koja menggelar patroli di Koja, Senin (16/6/2025).\n"
    source.write_text(line * (DEFAULTS["RELEASE_MAX_BYTES"] // len(line) + 1), "utf-8")
    report = import_releases(source, content, today=TODAY)
    assert report.written == [] and report.failed
    assert "too large for the build" in report.problems[0].message


def test_registry_entries_read_back(tmp_path):
    content = empty_archive(tmp_path / "content")
    import_releases(inbox(tmp_path, "sungai-raya.txt"), content, add=True, today=TODAY)
    officers = yaml.safe_load((content / "registry" / "officers.yaml").read_text("utf-8"))
    assert {"slug": "m-simanjuntak", "name": "M.Simanjuntak", "service": [
        {"rank": "AKP", "post": "Kapolsek Sungai Raya", "unit": "polsek-sungai-raya"}
    ]} in officers  # fmt: skip
