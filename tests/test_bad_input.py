"""Every kind of bad input gets a located decision: see docs/errors.md for each case.

Each case is run through the checker in-process (arsip.rules.check_content, what
both `invoke check` and the build run), and built with `pelican`: the readable
cases together in one build that must succeed, the bad ones together in one
build whose verdict must be the checker's, line for line.
"""
# ruff: noqa: E501  (expected messages are compared whole)

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Build, copy_content, run_pelican

from arsip.rules import check_content
from arsip.settings import load

SETTINGS = load()

GOOD_HEADER = {
    "Title": "Patroli Malam Polsek Menteng",
    "Date": "2024-11-30 21:00",
    "Slug": "patroli-malam-polsek-menteng",
    "Summary": "Polsek Menteng berpatroli malam.",
    "Units": "Polsek Menteng",
    "Activities": "Patroli Tiga Pilar",
    "Sources": "kabarmetro.co",
    "Status": "published",
}


def release_text(body="Isi rilis.", **fields) -> str:
    header = {**GOOD_HEADER, **fields}
    lines = [f"{name}: {value}" for name, value in header.items() if value is not None]
    return "\n".join(lines) + "\n\n" + body + "\n"


@pytest.fixture
def releases(content_copy):
    return content_copy / "rilis" / "2024"


def lines_of(content: Path) -> list[str]:
    return [str(problem) for problem in check_content(content, SETTINGS)]


def errors_of(content: Path) -> list[str]:
    return [line for line in lines_of(content) if ": error: " in line]


def built_verdict(build) -> list[str]:
    """The `path:line: level: message` lines a build printed."""
    return [line for line in build.stderr.splitlines() if ": error: " in line]


def assert_fails_like_check(build_content, content: Path) -> list[str]:
    """The build fails before writing anything, with exactly the checker's errors."""
    expected = errors_of(content)
    build = build_content(content)
    assert build.returncode == 1, build.stdout + build.stderr
    assert not (build.output / "index.html").exists()
    assert "Traceback" not in build.stderr
    assert built_verdict(build) == expected
    return expected


# Header forms Python-Markdown reads as a header: each file is the good release,
# under its own slug, written another way.
HEADER_FORMS = {
    "plain": lambda text: text,
    "fence": lambda text: "---\n" + text.replace("\n\n", "\n---\n", 1),  # a YAML-style fence
    "bom": lambda text: "\ufeff" + text,  # a byte-order mark
    "crlf": lambda text: text.replace("\n", "\r\n"),  # Windows line ends
    "tab-continuation": lambda text: text.replace(" berpatroli", "\n\tberpatroli", 1),
    "space-continuation": lambda text: text.replace(" berpatroli", "\n    berpatroli", 1),
}
DEBRIS = {
    ".patroli.md.swp": b"\x00\xff",
    ".DS_Store": b"\x00",
    "patroli.md~": release_text().encode(),
}


@pytest.fixture(scope="module")
def readable(tmp_path_factory):
    """(releases folder, build) of content/ plus the good release in every header
    form and editors' debris beside it: all of it must build, in one build."""
    content = copy_content(tmp_path_factory.mktemp("readable") / "content")
    releases = content / "rilis" / "2024"
    for form, write in HEADER_FORMS.items():
        text = write(release_text(Slug=f"patroli-{form}"))
        (releases / f"patroli-{form}.md").write_bytes(text.encode("utf-8"))
    for name, data in DEBRIS.items():
        (releases / name).write_bytes(data)
    assert errors_of(content) == []
    build = run_pelican(content, tmp_path_factory.mktemp("readable-out"))
    assert build.returncode == 0, build.stdout + build.stderr
    return releases, build


@pytest.mark.parametrize("form", HEADER_FORMS)
def test_what_markdown_reads_as_a_header_is_a_header(readable, form):
    _, build = readable
    page = build.html(f"rilis/2024/11/patroli-{form}/")
    assert page.find("h1").get_text(" ", strip=True).replace("\xa0", " ") == GOOD_HEADER["Title"]
    # The summary, continuation lines joined, on the release's card on the home page.
    link = build.html("").find("a", href=lambda href: href.endswith(f"/patroli-{form}/"))
    summary = link.find_parent("article").select_one(".release-card__summary")
    assert summary.get_text(" ", strip=True).replace("\xa0", " ") == GOOD_HEADER["Summary"]


def test_editors_debris_is_skipped_with_a_note(readable):
    releases, build = readable
    found = lines_of(releases.parent.parent)
    for name in DEBRIS:
        note = f"{releases / name}:1: note: skipped: an editor's or the system's file"
        assert note in found
        assert note in build.stderr.splitlines()
    assert not list(build.output.rglob("*patroli.md*"))


CASES = {
    # name: (file name, text, expected line fragments after the path)
    "line without colon": (
        "patroli.md",
        release_text().replace("Date: 2024-11-30 21:00", "Tanggal 2024-11-30"),
        [":2: error: not a header line: 'Tanggal 2024-11-30'", ":1: error: missing `Date:`"],
    ),
    "no header": (
        "patroli.md",
        "Jakarta Pusat - Polsek Menteng ...\n",
        [":1: error: a file starts with header lines like `Title: ...`"],
    ),
    "missing title": ("patroli.md", release_text(Title=None), [":1: error: missing `Title:`"]),
    "missing status": ("patroli.md", release_text(Status=None), [":1: error: missing `Status:`"]),
    "missing summary": (
        "patroli.md",
        release_text(Summary=None),
        [":1: error: missing `Summary:`"],
    ),
    "missing slug": ("patroli.md", release_text(Slug=None), [":1: error: missing `Slug:`"]),
    "field twice": (
        "patroli.md",
        release_text().replace("Status: published", "Status: published\nDate: 2024-12-01"),
        [":9: error: field `Date` appears again (first on line 2): keep one"],
    ),
    "no blank line": (
        "patroli.md",
        release_text().replace("\n\n", "\n"),
        [":9: error: not a header line: 'Isi rilis.'"],
    ),
    "impossible date": (
        "patroli.md",
        release_text(Date="2024-02-30 10:00"),
        [':2: error: date "2024-02-30 10:00" does not exist'],
    ),
    "seconds": (
        "patroli.md",
        release_text(Date="2024-11-30 10:00:61"),
        [':2: error: date "2024-11-30 10:00:61" is not written as YYYY-MM-DD HH:MM'],
    ),
    "day first": (
        "patroli.md",
        release_text(Date="8/11/2024"),
        [':2: error: date "8/11/2024" is not written as'],
    ),
    "month only": (
        "patroli.md",
        release_text(Date="November 2024"),
        [':2: error: date "November 2024" is not written as'],
    ),
    "time zone": (
        "patroli.md",
        release_text(Date="2024-11-30T21:00+07:00"),
        [':2: error: date "2024-11-30T21:00+07:00" is not written as'],
    ),
    "far future": (
        "patroli.md",
        release_text(Date="2999-12-31"),
        [':2: error: date "2999-12-31" is outside 2000-2100'],
    ),
    "empty date": ("patroli.md", release_text(Date=""), [":2: error: `Date:` is empty"]),
    "unknown status": (
        "patroli.md",
        release_text(Status="terbit"),
        [':8: error: unknown status "terbit": use one of published, draft'],
    ),
    "malformed slug": (
        "patroli.md",
        release_text(Slug="../../index"),
        [':3: error: slug "../../index" must be lowercase letters'],
    ),
    "long slug": (
        "patroli.md",
        release_text(Slug="-".join(["patroli"] * 40)),
        [":3: error: slug is 319 characters, more than 100: shorten it"],
    ),
    "save_as": (
        "patroli.md",
        release_text(Save_as="index.html", URL="index.html"),
        [
            ":9: error: `Save_as:` is not allowed here",
            ":10: error: `URL:` is not allowed here",
        ],
    ),
    "template and lang": (
        "patroli.md",
        release_text(Template="search", Lang="en"),
        [":9: error: `Template:` is not allowed here", ":10: error: `Lang:` is not allowed here"],
    ),
    "unknown field": (
        "patroli.md",
        release_text(Sumary="x"),
        [":9: error: unknown field `Sumary:` (did you mean `Summary:`?)"],
    ),
    "unknown unit": (
        "patroli.md",
        release_text(Units="Polsek Mentenk"),
        [':5: error: unknown unit "Polsek Mentenk" (did you mean "Polsek Menteng"?)'],
    ),
    "empty body": ("patroli.md", release_text(body=""), [":10: error: empty body"]),
    "control character": (
        "patroli.md",
        release_text(body="Isi\x1b[31m rilis."),
        [":10: error: control character U+001B in the text: delete it"],
    ),
    "empty file": ("kosong.md", "\n\n   \n", [":1: error: empty file"]),
    "hidden file": (
        ".patroli.md",
        release_text(),
        [":1: error: hidden release file: rename it without the leading dot"],
    ),
    "upper-case suffix": (
        "patroli.MD",
        release_text(),
        [":1: error: a release must be a .md file: rename it to patroli.md"],
    ),
    "markdown suffix": (
        "patroli.markdown",
        release_text(),
        [":1: error: a release must be a .md file: rename it to patroli.md"],
    ),
    "raw text": (
        "catatan.txt",
        "Catatan redaksi.\n",
        [":1: error: a release must be a .md file: raw text is imported with `invoke import`"],
    ),
    "image": ("foto.jpg", "\xff\xd8", [":1: error: not a release (only .md files are read here)"]),
}


def case_path(releases: Path, case: str) -> Path:
    """Each case in a folder of its own, so that their files never meet."""
    return releases / re.sub(r"[^a-z]+", "-", case) / CASES[case][0]


@dataclass
class Broken:
    releases: Path
    found: list[str]  # what the checker says, every level
    errors: list[str]  # the checker's errors
    build: Build
    seconds: float  # how long the build took


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Broken:
    """content/ with every case of CASES at once (each under a slug of its own), a
    release in Latin-1, a 5 MB release and a page Pelican cannot read: one build,
    which must fail like the checker, with each of their lines."""
    content = copy_content(tmp_path_factory.mktemp("broken") / "content")
    releases = content / "rilis" / "2024"
    for case, (_, text, _) in CASES.items():
        path = case_path(releases, case)
        path.parent.mkdir()
        slug = f"Slug: {GOOD_HEADER['Slug']}\n"
        path.write_text(text.replace(slug, f"Slug: {path.parent.name}\n"), encoding="utf-8")
    latin1 = release_text(Slug="latin1", body="Paragraf satu.\n\nCaf\u00e9 Menteng.")
    (releases / "latin1.md").write_bytes(latin1.encode("latin-1"))
    paragraph = "Kalimat panjang tentang patroli di wilayah Menteng. " * 20 + "\n\n"
    huge = release_text(Slug="besar", body=paragraph * 5000)
    (releases / "besar.md").write_text(huge, encoding="utf-8")
    (content / "pages" / "rusak.md").write_bytes(b"Title: Caf\xe9\n\nIsi.\n")
    found = lines_of(content)
    started = time.monotonic()
    build = run_pelican(content, tmp_path_factory.mktemp("broken-out"))
    seconds = time.monotonic() - started
    return Broken(releases, found, [line for line in found if ": error: " in line], build, seconds)


def test_the_build_fails_before_writing_with_exactly_the_checkers_errors(broken):
    build = broken.build
    assert build.returncode == 1, build.stdout + build.stderr
    assert not (build.output / "index.html").exists()
    assert "Traceback" not in build.stderr
    assert built_verdict(build) == broken.errors


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_bad_release_is_located(broken, case):
    path = case_path(broken.releases, case)
    built = built_verdict(broken.build)
    for fragment in CASES[case][2]:
        assert any(line.startswith(f"{path}{fragment}") for line in broken.found), fragment
        assert any(line.startswith(f"{path}{fragment}") for line in built), fragment


def test_every_problem_is_listed_at_once(broken):
    named = {line.split(":", 1)[0] for line in built_verdict(broken.build)}
    expected = {str(case_path(broken.releases, case)) for case in CASES}
    expected |= {str(broken.releases / name) for name in ("latin1.md", "besar.md")}
    expected.add(str(broken.releases.parent.parent / "pages" / "rusak.md"))
    assert named == expected


def test_duplicate_slug_names_both_files(content_copy, releases):
    existing = releases / "2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
    slug = "ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak"
    (releases / "zz-salinan.md").write_text(release_text(Slug=slug), encoding="utf-8")
    assert (
        f'{releases / "zz-salinan.md"}:3: error: slug "{slug}" is already used by {existing}:3: give one of them another slug'
        in lines_of(content_copy)
    )


def test_invalid_utf8(broken):
    assert any(
        line.startswith(f"{broken.releases / 'latin1.md'}:12: error: not valid UTF-8 (byte 0xe9")
        for line in built_verdict(broken.build)
    )


def test_huge_release_stops_before_reading(broken):
    huge = str(broken.releases / "besar.md")
    assert [line for line in built_verdict(broken.build) if line.startswith(huge)] == [
        f"{huge}:1: error: file is 5.2 MB, more than the 1 MB a file may have: remove embedded images or pasted page source"
    ]
    assert broken.seconds < 8  # Markdown alone takes about 10 s on this file


def test_a_page_pelican_cannot_read_is_located(broken):
    page = broken.releases.parent.parent / "pages" / "rusak.md"
    assert f"{page}:1: error: not valid UTF-8" in "\n".join(built_verdict(broken.build))


def test_malformed_registry_yaml(content_copy, build_content):
    units = content_copy / "registry" / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8") + "\n- slug: baru\n  name: [tidak ditutup\n",
        encoding="utf-8",
    )
    errors = assert_fails_like_check(build_content, content_copy)
    lines = units.read_text(encoding="utf-8").count("\n")
    assert errors[0].startswith(f"{units}:{lines + 1}: error: malformed YAML")


def test_symlink_loop(content_copy, releases):
    (releases / "putaran").symlink_to("..", target_is_directory=True)
    assert (
        f"{releases / 'putaran'}:1: error: symbolic link to {content_copy / 'rilis'}, which is already read (a link loop or a second path to it): remove the link"
        in lines_of(content_copy)
    )


def test_link_to_itself(content_copy, releases):
    (releases / "diri.md").symlink_to("diri.md")
    assert any(
        line.startswith(f"{releases / 'diri.md'}:1: error: cannot read the file")
        for line in lines_of(content_copy)
    )


def test_link_out_of_the_content_folder(content_copy, releases, tmp_path):
    outside = tmp_path / "luar.md"
    outside.write_text(release_text(), encoding="utf-8")
    (releases / "luar.md").symlink_to(outside)
    assert (
        f"{releases / 'luar.md'}:1: error: symbolic link to {outside}, outside the content folder: copy the file into the folder instead"
        in lines_of(content_copy)
    )


def test_a_page_cannot_replace_a_section(content_copy):
    page = content_copy / "pages" / "satuan.md"
    page.write_text("Title: Satuan\nSlug: satuan\nSave_as: index.html\n\nIsi.\n", encoding="utf-8")
    found = lines_of(content_copy)
    assert f'{page}:2: error: slug "satuan" is a section of the archive: choose another' in found
    assert f"{page}:3: error: index.html is the home page: choose another name" in found
