"""`invoke import`: raw releases from outlets become Markdown releases."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import CONTENT, RAW_RELEASES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arsip.content import metadata_list, read_release
from arsip.dates import parse_metadata_date
from arsip.importer import (
    RawReleaseError,
    entry_yaml,
    import_releases,
    read_draft,
    read_raw,
    suggestions_text,
)
from arsip.registry import Registry

TODAY = datetime.date(2026, 11, 25)
REGISTRY = Registry.load(CONTENT)

# What the importer proposes for each raw release, field by field. The hand-made
# releases in content/rilis/2024/ agree on date, sources and registry entries
# (test_matches_the_hand_made_release); titles, summaries and places are the
# importer's own proposals.
EXPECTED = {
    "000_2001200145f1e98a.txt": {
        "hand_made": "2024-11-08-ngopi-kamtibmas-polsek-menteng.md",
        "file": "rilis/2024/2024-11-08-menjelang-pelaksanaan-pemilihan-kepala-daerah-serentak.md",
        "title": "Menjelang Pelaksanaan Pemilihan Kepala Daerah Serentak",
        "date": "2024-11-08 00:00",
        "slug": "menjelang-pelaksanaan-pemilihan-kepala-daerah-serentak",
        "summary": "Menjelang pelaksanaan Pemilihan Kepala Daerah (Pilkada) Serentak, keamanan dan "
        "ketertiban menjadi hal yang sangat krusial untuk dijaga, terlebih di wilayah perkotaan "
        "yang memiliki keragaman masyarakat dan potensi kerawanan yang tinggi.",
        "units": "Polsek Menteng; Satpol PP; Polres Metro Jakarta Pusat",
        "officers": "Wakapolsek Kompol II Sutasman; Kapolres Metro Jakarta Pusat Kombes Pol "
        "Susatyo Purnomo Condro; Kapolsek Metro Menteng Kompol Bayu Marfiando",
        "activities": "Ngopi Kamtibmas",
        "places": "Jalan Anyer Raya; RT 001/RW 09; Kelurahan Menteng; Jakarta Pusat",
        "sources": "kabarmetro.co",
        "status": "draft",
    },
    "003_deccc3846cc787e5.txt": {
        "hand_made": "2024-11-28-optimasi-patroli-tiga-pilar-cooling-system.md",
        "file": "rilis/2024/2024-11-28-optimasi-patroli-kewilayahan-tiga-pilar-cooling-system-"
        "pasca.md",
        "title": "Optimasi Patroli Kewilayahan Tiga Pilar sebagai Cooling System Pasca Pilkada "
        "2024",
        "date": "2024-11-28 00:00",
        "slug": "optimasi-patroli-kewilayahan-tiga-pilar-cooling-system-pasca",
        "summary": "Kegiatan \u201cOptimasi Patroli Kewilayahan Tiga Pilar sebagai Cooling System "
        "Pasca Pilkada 2024\u201d merupakan langkah strategis dalam menjaga stabilitas keamanan "
        "dan ketertiban di wilayah Johar Baru Jakarta Pusat, pasca pelaksanaan Pemilihan Kepala "
        "Daerah (Pilkada) 2024.",
        "units": "Polsek Johar Baru; Koramil 08 Johar Baru; Satpol PP; Dinas Perhubungan; "
        "Polres Metro Jakarta Pusat",
        "officers": "Kapolsek Johar Baru Kompol Saiful Anwar, S.E., S.H., M.M.; Wakapolsek Johar "
        "Baru AKP Aris Setiawan, S.H.; Kanit Reskrim AKP Rasid, S.H., M.H.; Danramil Mayor Inf "
        "Toto Sugiarto, S.H.; Kapolres Metro Jakarta Pusat Kombes Pol Susatyo Purnomo Condro, "
        "S.H., S.I.K., M.Si.",
        "activities": "Patroli Tiga Pilar; Cooling System",
        "places": "Jakarta Pusat",
        "sources": "faktaberita online",
        "status": "draft",
    },
    "004_dde63570c7411ec8.txt": {
        "hand_made": "2024-11-20-cooling-system-bhabinkamtibmas-cegah-tawuran.md",
        "file": "rilis/2024/2024-11-20-sinergi-masyarakat-aparat-cooling-system-bhabinkamtibmas-"
        "cegah-tawuran.md",
        "title": "Sinergi Masyarakat dan Aparat: Cooling System Bhabinkamtibmas untuk Cegah "
        "Tawuran di Kampung Rawa",
        "date": "2024-11-20 22:30",
        "slug": "sinergi-masyarakat-aparat-cooling-system-bhabinkamtibmas-cegah-tawuran",
        "summary": "Bertempat di Pos Sekretariat RW 08 Kampung Rawa, Jalan Rawa Sawah RW 08 "
        "Kelurahan Kampung Rawa, Kecamatan Johar Baru Jakarta Pusat, telah dilaksanakan kegiatan "
        "yang bertujuan untuk meningkatkan sinergi antara aparat keamanan, tokoh masyarakat, dan "
        "warga setempat dalam upaya mencegah terjadinya tawuran.",
        "units": "Polres Metro Jakarta Pusat; Polsek Johar Baru",
        "officers": "Kapolres Metro Jakarta Pusat Kombes Pol Susatyo Purnomo Condro, S.H., "
        "S.I.K., M.Si.; Kapolsek Johar Baru Kompol Saiful Anwar, S.E., S.H., M.M.; Aipda Ikhwan "
        "Mulyadi",
        "activities": "Cooling System",
        "places": "Pos Sekretariat RW 08 Kampung Rawa; Jalan Rawa Sawah; RW 08; Kelurahan "
        "Kampung Rawa; Kecamatan Johar Baru; Jakarta Pusat",
        "sources": "mabesbharindo.com",
        "status": "draft",
    },
}


def empty_archive(folder: Path) -> Path:
    """A content folder with the real registry and pages but no releases."""
    shutil.copytree(CONTENT, folder)
    for release in (folder / "rilis").rglob("*.md"):
        release.unlink()
    return folder


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    content = empty_archive(tmp_path_factory.mktemp("import") / "content")
    report = import_releases(RAW_RELEASES, content, today=TODAY)
    return content, report


def slugs(registry: Registry, kind: str, value: str) -> set[str]:
    return {registry.resolve(kind, item).slug for item in metadata_list(value)}


@pytest.mark.parametrize("raw", sorted(EXPECTED))
def test_exact_metadata_of_each_raw_release(imported, raw):
    content, report = imported
    expected = EXPECTED[raw]
    path = content / expected["file"]
    assert path in report.written
    release = read_release(path)
    fields = {k: v for k, v in expected.items() if k not in ("hand_made", "file")}
    assert release.metadata == fields


@pytest.mark.parametrize("raw", sorted(EXPECTED))
def test_matches_the_hand_made_release(imported, raw):
    content, _ = imported
    registry = Registry.load(CONTENT)
    ours = read_release(content / EXPECTED[raw]["file"])
    theirs = read_release(CONTENT / "rilis" / "2024" / EXPECTED[raw]["hand_made"])
    for kind in ("units", "officers", "activities"):
        assert slugs(registry, kind, ours.metadata[kind]) == slugs(
            registry, kind, theirs.metadata[kind]
        ), kind
    assert ours.metadata["date"] == theirs.metadata["date"]
    assert ours.metadata["sources"] == theirs.metadata["sources"]
    assert ours.body.strip() == theirs.body.strip()  # the body's words, unchanged
    if raw.startswith(("003", "004")):  # their headline is in the raw text
        assert ours.metadata["title"] == theirs.metadata["title"]


def test_debris_is_removed_and_every_body_line_kept(imported):
    content, _ = imported
    raw = (RAW_RELEASES / "004_dde63570c7411ec8.txt").read_text(encoding="utf-8")
    text = (content / EXPECTED["004_dde63570c7411ec8.txt"]["file"]).read_text(encoding="utf-8")
    assert "Dilihat" not in text and "Komentar" not in text and "Uncategorized" not in text
    body_lines = raw.splitlines()[6:-2]  # after the outlet line, before "Komentar"
    for line in filter(str.strip, body_lines):
        assert line in text


def test_report_lists_written_files_and_warnings(imported):
    content, report = imported
    assert sorted(report.written) == sorted(content / e["file"] for e in EXPECTED.values())
    assert [str(p).replace(str(RAW_RELEASES), "RAW") for p in report.problems] == [
        'RAW/000_2001200145f1e98a.txt:2: warning: no headline: proposed "Menjelang Pelaksanaan '
        'Pemilihan Kepala Daerah Serentak" from the first paragraph, review it',
        'RAW/003_deccc3846cc787e5.txt:2: warning: no headline: proposed "Optimasi Patroli '
        'Kewilayahan Tiga Pilar sebagai Cooling System Pasca Pilkada 2024" from the first '
        "paragraph, review it",
        'RAW/004_dde63570c7411ec8.txt:9: warning: "Selasa malam pukul 22.30 WIB" says Selasa but '
        "20 November 2024 is a Rabu: kept 20 November 2024 22.30, check the date",
    ]
    assert report.suggestions == []
    assert not report.failed


def test_imported_releases_build_as_drafts(imported, build_content):
    content, _ = imported
    build = build_content(content)
    assert build.returncode == 0, build.stdout + build.stderr
    page = build.html(
        "draf/sinergi-masyarakat-aparat-cooling-system-bhabinkamtibmas-cegah-tawuran/"
    )
    assert "Sinergi Masyarakat dan Aparat" in page.find("h1").get_text()
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.find_all("a", href=True)}
    assert {"saiful-anwar", "ikhwan-mulyadi", "polsek-johar-baru", "cooling-system"} <= links


def test_the_same_text_is_not_imported_twice(imported):
    content, _ = imported
    before = sorted(content.rglob("*.md"))
    again = import_releases(RAW_RELEASES / "000_2001200145f1e98a.txt", content, today=TODAY)
    assert again.written == []
    assert [p.message for p in again.problems] == [
        f"same text as {content / EXPECTED['000_2001200145f1e98a.txt']['file']}: "
        "already imported, not written again"
    ]
    assert sorted(content.rglob("*.md")) == before


def test_an_existing_file_is_never_overwritten(tmp_path):
    content = empty_archive(tmp_path / "content")
    dest = tmp_path / "out"
    dest.mkdir()
    target = dest / Path(EXPECTED["004_dde63570c7411ec8.txt"]["file"]).name
    target.write_text("Naskah redaksi\n", encoding="utf-8")
    report = import_releases(RAW_RELEASES / "004_dde63570c7411ec8.txt", content, dest, today=TODAY)
    assert report.written == [] and report.failed
    assert f"{target} already exists: not overwritten" in str(report.problems[-1])
    assert target.read_text(encoding="utf-8") == "Naskah redaksi\n"


def raw(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_bad_files_get_clear_errors_and_the_others_are_imported(tmp_path):
    content = empty_archive(tmp_path / "content")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(RAW_RELEASES / "000_2001200145f1e98a.txt", inbox / "good.txt")
    raw(inbox, "a-empty.txt", " \n\n")
    raw(inbox, "b-binary.txt", b"Jakarta,x.com,\n\x89PNG\x00\x00\x01")
    raw(
        inbox,
        "c-latin1.txt",
        "Jakarta,x.com,\nWarga di Caf\u00e9 Menteng, Jumat (8/11/2024).".encode("latin-1"),
    )
    raw(inbox, "d-nodate.txt", "Jakarta,x.com,\nPolsek Menteng menggelar Ngopi Kamtibmas.\n")
    raw(
        inbox,
        "e-impossible.txt",
        "Jakarta,x.com,\nJakarta Pusat - Patroli digelar Jumat (30/02/2025).\n",
    )
    report = import_releases(inbox, content, today=TODAY)
    assert [p.name for p in report.written] == [
        "2024-11-08-menjelang-pelaksanaan-pemilihan-kepala-daerah-serentak.md"
    ]
    errors = [(p.path.name, p.line, p.message) for p in report.problems if p.level == "error"]
    assert errors == [
        ("a-empty.txt", 1, "empty file: paste the release's text into it"),
        ("b-binary.txt", 2, "binary file, not text: import the release's text as .txt"),
        ("c-latin1.txt", 2, "not UTF-8 (byte 0xE9): save the file as UTF-8 and import it again"),
        (
            "d-nodate.txt",
            2,
            'no date found: add the date to the first paragraph, e.g. "Jumat (8/11/2024)" or '
            '"8 November 2024"',
        ),
        (
            "e-impossible.txt",
            2,
            'impossible date "Jumat (30/02/2025)": Februari 2025 has 28 days; write the right '
            "date (nothing was guessed)",
        ),
    ]
    assert report.failed


def test_a_year_less_date_takes_its_year_from_weekday_and_context(tmp_path):
    content = empty_archive(tmp_path / "content")
    today = datetime.date(2030, 6, 1)
    path = raw(
        tmp_path,
        "senin.txt",
        "Jakarta,kabarmetro.co,\nJakarta Pusat - Polsek Menteng menggelar Ngopi Kamtibmas di "
        "Kelurahan Menteng, Senin (2/12).\nWarga diajak menjaga situasi usai Pilkada 2024.\n",
    )
    report = import_releases(path, content, today=today)
    release = read_release(report.written[0])
    assert release.metadata["date"] == "2024-12-02 00:00"
    # 2 December is a Monday in 2024 and 2030; the text's "Pilkada 2024" decides.
    assert '"Senin (2/12)" has no year: took 2024 from the weekday Senin' in [
        p.message for p in report.problems
    ]


UNKNOWN = (
    "Patroli Gabungan di Gambir\n"
    "Jakarta,tribratanews.com, kabarmetro co,\n"
    "Jakarta Pusat - Polsek Gambir menggelar \u201cJumat Curhat\u201d bersama warga Kelurahan "
    "Gambir, Jumat (6/12/2024). Kegiatan dipimpin Kapolsek Gambir AKP Budi Santoso, S.H., M.H., "
    "bersama Kapolsek Menteng Kompol Bayu Marfiando.\n"
)


def test_unknown_names_are_suggested_not_written(tmp_path):
    content = empty_archive(tmp_path / "content")
    registry_before = {p.name: p.read_text() for p in (content / "registry").iterdir()}
    report = import_releases(raw(tmp_path, "gambir.txt", UNKNOWN), content, today=TODAY)
    release = read_release(report.written[0])
    assert release.metadata["units"] == "Polsek Menteng"
    assert release.metadata["officers"] == "Kapolsek Menteng Kompol Bayu Marfiando"
    assert release.metadata["activities"] == ""
    assert release.metadata["sources"] == "tribratanews.com; kabarmetro.co"
    assert release.metadata["summary"] == (
        "Polsek Gambir menggelar \u201cJumat Curhat\u201d bersama warga Kelurahan Gambir."
    )
    assert [(s.kind, s.entry) for s in report.suggestions] == [
        ("units", {"slug": "polsek-gambir", "name": "Polsek Gambir", "posts": ["Kapolsek Gambir"]}),
        (
            "officers",
            {
                "slug": "budi-santoso",
                "name": "Budi Santoso",
                "degrees": ["S.H.", "M.H."],
                "service": [{"rank": "AKP", "post": "Kapolsek Gambir", "unit": "polsek-gambir"}],
            },
        ),
        ("activities", {"slug": "jumat-curhat", "name": "Jumat Curhat"}),
    ]
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'gambir.txt'}:3: warning: no known activity type found: fill `Activities:` "
        "by hand or add it to the registry"
    ]
    text = suggestions_text(report)
    assert "registry/officers.yaml" in text and "--add-to-registry" in text
    assert {p.name: p.read_text() for p in (content / "registry").iterdir()} == registry_before


def test_add_to_registry_appends_valid_entries_and_keeps_comments(tmp_path, build_content):
    content = empty_archive(tmp_path / "content")
    before = {p.name: p.read_text() for p in (content / "registry").iterdir()}
    report = import_releases(raw(tmp_path, "gambir.txt", UNKNOWN), content, add=True, today=TODAY)
    assert report.added and not report.failed
    for name, old in before.items():
        new = (content / "registry" / name).read_text()
        assert new.startswith(old.rstrip("\n")), name  # comments and entries kept
    registry = Registry.load(content)
    officer = registry.get("officers", "budi-santoso")
    assert (officer.degrees, officer.service[0].unit) == (("S.H.", "M.H."), "polsek-gambir")
    assert registry.get("units", "polsek-gambir").posts == ("Kapolsek Gambir",)
    assert registry.get("activities", "jumat-curhat").name == "Jumat Curhat"
    units_yaml = yaml.safe_load((content / "registry" / "units.yaml").read_text())
    assert len(units_yaml) == len(Registry.load(CONTENT).all("units")) + 1
    release = read_release(report.written[0])
    assert release.metadata["units"] == "Polsek Gambir; Polsek Menteng"
    assert release.metadata["officers"] == (
        "Kapolsek Gambir AKP Budi Santoso, S.H., M.H.; Kapolsek Menteng Kompol Bayu Marfiando"
    )
    assert release.metadata["activities"] == "Jumat Curhat"
    build = build_content(content)
    assert build.returncode == 0, build.stdout + build.stderr
    page = build.html("draf/patroli-gabungan-gambir/")
    links = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in page.find_all("a", href=True)}
    assert {"budi-santoso", "polsek-gambir", "jumat-curhat"} <= links


def test_raw_text_is_read_without_debris():
    lines = read_raw(RAW_RELEASES / "004_dde63570c7411ec8.txt")
    assert [n for n, _ in lines[:3]] == [1, 5, 7]  # 3 (view counter) is debris
    assert lines[1][1] == "Jakarta,mabesbharindo com,"
    assert all(text != "Komentar" for _, text in lines)


def invoke_import(content):
    command = [sys.executable, "-m", "invoke", "import", "--source", str(RAW_RELEASES)]
    return subprocess.run(
        [*command, "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_invoke_import_prints_each_file_written(tmp_path):
    content = empty_archive(tmp_path / "content")
    result = invoke_import(content)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.split()) == sorted(
        str(content / e["file"]) for e in EXPECTED.values()
    )
    assert "says Selasa but 20 November 2024 is a Rabu" in result.stderr
    again = invoke_import(content)
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.count("already imported, not written again") == 3


PIECES = [
    "Jakarta,x.com,", "Jumat (8/11/2024).", "Senin (2/12)", "30/02/2025", "20 November", "tanggal",
    "pukul 25.99", "pukul 10.00 WITA", "Kapolsek", "Gambir", "AKP", "Kompol", "Mayor", "Inf",
    "Budi", "S.H.,", "\u201cJumat Curhat\u201d", "Polsek", "Komentar", "Rt. 01", "Kelurahan",
    "jalan", "bertempat di", ",", ".", "(", ")", "\n", "\n\n",
]  # fmt: skip


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join))
def test_any_text_is_imported_or_refused_with_a_reason(tmp_path, text):
    path = raw(tmp_path, "acak.txt", text)
    try:
        draft = read_draft(REGISTRY, path, TODAY)
    except RawReleaseError as error:
        assert str(error) and error.line >= 1
        return
    assert draft.title and draft.summary
    assert parse_metadata_date(draft.metadata()["date"]).date() == draft.date.date()


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1).map(
    str.strip
)


@given(names, st.lists(names, max_size=3), names, names)
def test_registry_entries_are_written_as_yaml_that_reads_back(name, degrees, rank, post):
    entry = {
        "slug": "x",
        "name": name,
        "degrees": degrees,
        "service": [{"rank": rank, "post": post, "unit": "polsek-menteng"}],
    }
    assert yaml.safe_load(entry_yaml(entry)) == [entry]


@pytest.mark.parametrize(
    "line",
    ["Uncategorized432 Dilihat", "1.204 kali dilihat", "Dilihat: 87 kali", "Komentar",
     "3 Komentar", "Tinggalkan Balasan", "Bagikan:", "Baca juga: Polsek Gambir Gelar Patroli",
     "Editor: Andi", "Home » Berita » Polri", "Berita Daerah"],
)  # fmt: skip
def test_web_page_debris_lines_are_dropped(tmp_path, line):
    path = raw(tmp_path, "r.txt", f"Jakarta,x.com,\n{line}\nWarga hadir Jumat (8/11/2024).\n")
    assert [text for _, text in read_raw(path)] == [
        "Jakarta,x.com,",
        "Warga hadir Jumat (8/11/2024).",
    ]


@pytest.mark.parametrize(
    "line",
    ["Komentar warga beragam soal patroli malam.",
     "Berita ini dilihat 400 kali oleh warga sekitar.", "Polri hadir di tengah warga."],
)  # fmt: skip
def test_body_lines_that_resemble_debris_are_kept(tmp_path, line):
    path = raw(tmp_path, "r.txt", f"Jakarta,x.com,\n{line}\n")
    assert [text for _, text in read_raw(path)] == ["Jakarta,x.com,", line]
