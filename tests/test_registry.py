"""The registry: loading, name resolution, and what the build does with it."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from arsip.registry import Registry, RegistryError, UnknownName
from tests.conftest import CONTENT, registry_module

JOHAR_BARU = "rilis/2024/2024-11-28-optimasi-patroli-tiga-pilar-cooling-system.md"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(CONTENT)


@pytest.mark.parametrize(
    "written",
    [
        "Kompol Saiful Anwar, S.E., S.H., M.M.",
        "Kapolsek Johar Baru Kompol Saiful Anwar",
        "Kapolsek Johar Baru Kompol Saiful Anwar, S.E., S.H., M.M.",
        "saiful anwar",
        "KOMPOL SAIFUL ANWAR S.E.",
        "Saiful Anwar",
    ],
)
def test_an_officer_is_a_person_whatever_the_spelling(registry, written):
    assert registry.resolve("officers", written).slug == "saiful-anwar"


def test_reading_an_officer_takes_the_name_apart(registry):
    mention = registry.read_officer("Danramil Mayor Inf Toto Sugiarto, S.H.")
    assert (mention.post, mention.rank, mention.name, mention.degrees) == (
        "Danramil",
        "Mayor Inf",
        "Toto Sugiarto",
        ("S.H.",),
    )
    mention = registry.read_officer("Kapolsek Metro Menteng Kompol Bayu Marfiando")
    assert (mention.post, mention.unit, mention.rank, mention.name) == (
        "Kapolsek Metro Menteng",
        "polsek-menteng",
        "Kompol",
        "Bayu Marfiando",
    )


def test_units_and_activities_resolve_by_alias_case_and_punctuation(registry):
    assert registry.resolve("units", "Satpol-PP").slug == "satpol-pp"
    assert registry.resolve("units", "satpol pp").slug == "satpol-pp"
    assert registry.resolve("units", "Polsek Metro Menteng").slug == "polsek-menteng"
    assert (
        registry.resolve("activities", "Patroli Kewilayahan Tiga Pilar").slug
        == "patroli-tiga-pilar"
    )
    assert registry.unit_of_post("Kapolsek Menteng").slug == "polsek-menteng"


def test_unknown_names_suggest_the_closest_entry(registry):
    with pytest.raises(UnknownName) as error:
        registry.resolve("officers", "Kompol Saiful Anwaar")
    assert 'unknown officer "Kompol Saiful Anwaar" (did you mean "Saiful Anwar"?)' in str(
        error.value
    )
    with pytest.raises(UnknownName, match='unknown unit "Polsek Gambir"'):
        registry.resolve("units", "Polsek Gambir")


def test_rank_and_post_in_force_on_a_date(tmp_path):
    folder = _registry_copy(tmp_path)
    _rank_change(folder)
    officer = Registry.load(folder).get("officers", "saiful-anwar")
    assert officer.service_at(datetime.date(2024, 11, 20)).rank == "AKP"
    assert officer.service_at(datetime.date(2024, 11, 28)).rank == "Kompol"


def test_a_malformed_registry_names_file_and_line(tmp_path):
    folder = _registry_copy(tmp_path)
    units = folder / "registry" / "units.yaml"
    units.write_text(units.read_text() + "\n- slug: polsek-gambir\n  name: [Polsek Gambir\n")
    with pytest.raises(RegistryError) as error:
        Registry.load(folder)
    assert error.value.problems[0].startswith(f"{units}:")
    assert ": error: malformed YAML: " in error.value.problems[0]


def test_registry_entries_are_validated(tmp_path):
    folder = _registry_copy(tmp_path)
    activities = folder / "registry" / "activities.yaml"
    lines = activities.read_text().splitlines()
    activities.write_text(
        "\n".join(lines) + "\n- slug: Bad Slug\n  name: X\n- slug: cooling-system\n  name: Dup\n"
    )
    with pytest.raises(RegistryError) as error:
        Registry.load(folder)
    problems = error.value.problems
    assert problems == [
        f'{activities}:{len(lines) + 1}: error: `slug` is "Bad Slug", not a slug: use lowercase '
        "letters, digits and hyphens, like polsek-menteng",
        f'{activities}:{len(lines) + 3}: error: slug "cooling-system" is already used on line '
        f"{lines.index('- slug: cooling-system') + 1}: give this entry another slug",
    ]


def test_an_unknown_officer_stops_the_build_with_file_and_line(content_copy, build_content):
    release = content_copy / JOHAR_BARU
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("AKP Aris Setiawan", "AKP Aris Setiawann"), encoding="utf-8")
    build = build_content(content_copy)
    assert build.returncode != 0
    lines = text.splitlines()
    line = next(n for n, field in enumerate(lines, 1) if field.startswith("Officers:"))
    assert (
        f'{content_copy / JOHAR_BARU}:{line}: error: unknown officer "Wakapolsek Johar Baru AKP Aris'
        ' Setiawann, S.H." (did you mean "Aris Setiawan"?)'
    ) in build.stderr.splitlines()[0]
    assert not (build.output / "index.html").exists()


def test_rank_changes_show_on_releases_and_on_the_officer_page(content_copy, build_content):
    _rank_change(content_copy)
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    before = build.html("rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/")
    after = build.html(
        "rilis/2024/11/optimasi-patroli-tiga-pilar-cooling-system-pasca-pilkada-2024/"
    )
    assert before.find("a", href=lambda h: h.endswith("personel/saiful-anwar/")).get_text() == (
        "AKP Saiful Anwar"
    )
    assert after.find("a", href=lambda h: h.endswith("personel/saiful-anwar/")).get_text() == (
        "Kompol Saiful Anwar"
    )
    officer_page = build.html("personel/saiful-anwar/")
    assert "terakhir menurut registri: Kompol, Kapolsek Johar Baru." in officer_page.get_text()
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in officer_page.select(".history tbody tr")
    ]
    assert rows == [
        ["AKP", "Kanit Reskrim Polsek Johar Baru", "20 November 2024", "1"],
        ["Kompol", "Kapolsek Johar Baru", "28 November 2024", "1"],
    ]


def test_term_pages_and_home_are_paginated(content_copy, build_content):
    template = (content_copy / JOHAR_BARU).read_text(encoding="utf-8")
    for day in range(1, 24):
        (content_copy / "rilis" / f"extra-{day}.md").write_text(
            template.replace("Slug: optimasi", f"Slug: extra-{day}-optimasi").replace(
                "Date: 2024-11-28", f"Date: 2024-10-{day:02d}"
            )
            + f"\nCatatan tambahan nomor {day}.\n",
            encoding="utf-8",
        )
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    pages = ["satuan/dishub/", "satuan/dishub/halaman/2/", "satuan/dishub/halaman/3/"]
    listed = [len(build.html(p).select(".release-list > li")) for p in pages]
    assert listed == [10, 10, 4]
    assert (
        build.html("halaman/3/")
        .select_one(".pagination a[rel=prev]")["href"]
        .endswith("halaman/2/")
    )
    assert len(build.html("").select(".release-list > li")) == 10


def _registry_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "content"
    shutil.copytree(CONTENT / "registry", folder / "registry")
    return folder


def _rank_change(folder: Path) -> None:
    officers = folder / "registry" / "officers.yaml"
    officers.write_text(
        officers.read_text().replace(
            "    - {rank: Kompol, post: Kapolsek Johar Baru, unit: polsek-johar-baru}",
            "    - {rank: AKP, post: Kanit Reskrim Polsek Johar Baru, unit: polsek-johar-baru}\n"
            "    - {rank: Kompol, post: Kapolsek Johar Baru, unit: polsek-johar-baru, from: 2024-11-25}",
        )
    )


def test_the_c_yaml_parser_keeps_the_lines_and_messages_of_the_python_one(tmp_path):
    folder = _registry_copy(tmp_path)
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML has no libyaml")
    used = []

    class Recording(yaml.CSafeLoader):
        def __init__(self, *args, **kwargs):
            used.append(self)
            super().__init__(*args, **kwargs)

    fast = registry_module(Recording).Registry.load(folder)
    assert used, "the registry reads with libyaml whenever PyYAML has it"
    python = registry_module(None).Registry.load(folder)
    assert repr(python.entries) == repr(fast.entries)  # locations (path:line) included

    units = folder / "registry" / "units.yaml"
    text = units.read_text() + "\n- slug: polsek-gambir\n  name: [Polsek Gambir\n"
    units.write_text(text)
    with pytest.raises(yaml.YAMLError) as python_error:
        yaml.load(text, Loader=yaml.SafeLoader)
    with pytest.raises(RegistryError) as error:
        Registry.load(folder)
    line, problem = python_error.value.problem_mark.line + 1, python_error.value.problem
    assert error.value.problems == [
        f"{units}:{line}: error: malformed YAML: {problem} (while parsing a flow sequence that"
        f" starts on line {line - 1}): fix the quotes, brackets or indentation"
    ]
