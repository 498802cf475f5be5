"""Every kind of bad input gets a located decision: see docs/errors.md for each case.

Most cases run the checker in-process (arsip.rules.check_content, what both
`invoke check` and the build run); the cases marked `built` also build the
folder with `pelican` and compare its verdict with the checker's, line for line.
"""
# ruff: noqa: E501  (expected messages are compared whole)

from __future__ import annotations

import time
from pathlib import Path

import pytest

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


def test_good_release_builds(content_copy, releases, build_content):
    (releases / "patroli.md").write_text(release_text(), encoding="utf-8")
    assert errors_of(content_copy) == []
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (build.output / "rilis/2024/11/patroli-malam-polsek-menteng/index.html").is_file()


@pytest.mark.parametrize(
    "text",
    [
        "---\n" + release_text().replace("\n\n", "\n---\n", 1),  # a YAML-style fence
        "\ufeff" + release_text(),  # a byte-order mark
        release_text().replace("\n", "\r\n"),  # Windows line ends
        release_text(Summary="Polsek Menteng\n\tberpatroli malam."),  # a tab continuation
        release_text(Summary="Polsek Menteng\n    berpatroli malam."),
    ],
    ids=["fence", "bom", "crlf", "tab-continuation", "space-continuation"],
)
def test_what_markdown_reads_as_a_header_is_a_header(content_copy, releases, build_content, text):
    (releases / "patroli.md").write_bytes(text.encode("utf-8"))
    assert errors_of(content_copy) == []
    build = build_content(content_copy)
    assert build.returncode == 0, build.stderr
    page = build.html("rilis/2024/11/patroli-malam-polsek-menteng/")
    assert page.find("h1").get_text(" ", strip=True).replace("\xa0", " ") == GOOD_HEADER["Title"]
    assert "berpatroli malam" in build.html("").get_text(" ").replace("\xa0", " ")


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
BUILT = {"line without colon", "field twice", "save_as", "hidden file", "far future"}


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_bad_release_is_located(content_copy, releases, build_content, case):
    name, text, expected = CASES[case]
    path = releases / name
    path.write_text(text, encoding="utf-8")
    found = lines_of(content_copy)
    for fragment in expected:
        assert any(line.startswith(f"{path}{fragment}") for line in found), (fragment, found)
    if case in BUILT:
        assert_fails_like_check(build_content, content_copy)


def test_duplicate_slug_names_both_files(content_copy, releases):
    existing = releases / "2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
    slug = "ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak"
    (releases / "zz-salinan.md").write_text(release_text(Slug=slug), encoding="utf-8")
    assert (
        f'{releases / "zz-salinan.md"}:3: error: slug "{slug}" is already used by {existing}:3: give one of them another slug'
        in lines_of(content_copy)
    )


def test_editors_debris_is_skipped_with_a_note(content_copy, releases, build_content):
    (releases / ".patroli.md.swp").write_bytes(b"\x00\xff")
    (releases / ".DS_Store").write_bytes(b"\x00")
    (releases / "patroli.md~").write_text(release_text(), encoding="utf-8")
    found = lines_of(content_copy)
    assert (
        f"{releases / '.patroli.md.swp'}:1: note: skipped: an editor's or the system's file"
        in found
    )
    assert f"{releases / 'patroli.md~'}:1: note: skipped: an editor's or the system's file" in found
    assert errors_of(content_copy) == []
    build = build_content(content_copy)
    assert build.returncode == 0, build.stderr
    assert f"{releases / '.DS_Store'}:1: note: skipped" in build.stderr


def test_invalid_utf8(content_copy, releases):
    data = release_text(body="Paragraf satu.\n\nCaf\u00e9 Menteng.").encode("utf-8")
    (releases / "patroli.md").write_bytes(data.replace("é".encode(), b"\xe9"))
    assert any(
        line.startswith(f"{releases / 'patroli.md'}:12: error: not valid UTF-8 (byte 0xe9")
        for line in lines_of(content_copy)
    )


def test_huge_release_stops_before_reading(content_copy, releases, build_content):
    paragraph = "Kalimat panjang tentang patroli di wilayah Menteng. " * 20 + "\n\n"
    (releases / "besar.md").write_text(release_text(body=paragraph * 5000), encoding="utf-8")
    started = time.monotonic()
    errors = assert_fails_like_check(build_content, content_copy)
    assert errors == [
        f"{releases / 'besar.md'}:1: error: file is 5.2 MB, more than the 1 MB a file may have: remove embedded images or pasted page source"
    ]
    assert time.monotonic() - started < 8  # Markdown alone takes about 10 s on this file


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


def test_every_problem_is_listed_at_once(content_copy, releases, build_content):
    (releases / "a.md").write_text(release_text(Date="kemarin", Slug="a"), encoding="utf-8")
    (releases / "b.md").write_text("", encoding="utf-8")
    errors = assert_fails_like_check(build_content, content_copy)
    assert any(line.startswith(f"{releases / 'a.md'}:2: error: date") for line in errors)
    assert (
        f"{releases / 'b.md'}:1: error: empty file: write the release or delete the file" in errors
    )


def test_a_page_pelican_cannot_read_is_located(content_copy, build_content):
    (content_copy / "pages" / "rusak.md").write_bytes(b"Title: Caf\xe9\n\nIsi.\n")
    errors = assert_fails_like_check(build_content, content_copy)
    assert errors[0].startswith(f"{content_copy / 'pages' / 'rusak.md'}:1: error: not valid UTF-8")
