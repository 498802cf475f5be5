"""Every kind of bad input stops the build with a located message, or is skipped
with a warning: see docs/errors.md for the decision per case."""
# ruff: noqa: E501  (expected messages are compared whole)

from __future__ import annotations

import time

import pytest

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
def wide_log(monkeypatch):
    """Pelican's console wraps at 80 columns, which would split `path:line` apart."""
    monkeypatch.setenv("COLUMNS", "1000")


@pytest.fixture
def releases(content_copy):
    return content_copy / "rilis" / "2024"


def failed(build, stopped_before_writing=True) -> str:
    log = build.stdout + build.stderr
    assert build.returncode == 1, log
    if stopped_before_writing:
        assert not (build.output / "index.html").exists(), log
    return log


def test_good_release_builds(wide_log, content_copy, releases, build_content):
    (releases / "patroli.md").write_text(release_text(), encoding="utf-8")
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    assert (build.output / "rilis/2024/11/patroli-malam-polsek-menteng/index.html").is_file()


def test_line_without_colon_in_header(wide_log, content_copy, releases, build_content):
    text = release_text().replace("Date: 2024-11-30 21:00", "Tanggal 2024-11-30")
    (releases / "patroli.md").write_text(text, encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:2: not a metadata line: 'Tanggal 2024-11-30'" in log


def test_release_without_header(wide_log, content_copy, releases, build_content):
    (releases / "patroli.md").write_text("Jakarta Pusat - Polsek Menteng ...\n", encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:1: a release starts with metadata lines" in log


@pytest.mark.parametrize("field", ["Title", "Date"])
def test_missing_title_or_date(wide_log, content_copy, releases, build_content, field):
    (releases / "patroli.md").write_text(release_text(**{field: None}), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:1: no `{field}:` (Pelican skips a release without it)" in log


def test_field_given_twice(wide_log, content_copy, releases, build_content):
    text = release_text().replace("Status: published", "Status: published\nDate: 2024-12-01")
    (releases / "patroli.md").write_text(text, encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:9: field `Date` appears again (first on line 2)" in log


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        ("2024-13-45", "invalid date"),
        ("2024-02-30 10:00", "invalid date"),
        ("8/11/2024", "not an ISO date"),
        ("November 2024", "not an ISO date"),
        ("", "not an ISO date"),
    ],
)
def test_invalid_date(wide_log, content_copy, releases, build_content, date, problem):
    (releases / "patroli.md").write_text(release_text(Date=date), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:2: {problem} '{date}'" in log


def test_unknown_status(wide_log, content_copy, releases, build_content):
    (releases / "patroli.md").write_text(release_text(Status="terbit"), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:8: unknown status 'terbit'" in log


def test_duplicate_slug_names_both_files(wide_log, content_copy, releases, build_content):
    existing = releases / "2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
    slug = "ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak"
    (releases / "zz-salinan.md").write_text(release_text(Slug=slug), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f'{releases / "zz-salinan.md"}:3: slug "{slug}" is already used by {existing}:3' in log


def test_duplicate_slug_from_title(wide_log, content_copy, releases, build_content):
    (releases / "a.md").write_text(release_text(Slug=None), encoding="utf-8")
    (releases / "b.md").write_text(release_text(Slug=None), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert (
        f'{releases / "b.md"}:1: slug "patroli-malam-polsek-menteng" is already used by {releases / "a.md"}:1'
        in log
    )


def test_unknown_registry_value(wide_log, content_copy, releases, build_content):
    (releases / "patroli.md").write_text(release_text(Units="Polsek Mentenk"), encoding="utf-8")
    log = failed(build_content(content_copy))
    assert (
        f'{releases / "patroli.md"}:5: unknown unit "Polsek Mentenk" (did you mean "Polsek Menteng"?)'
        in log
    )


def test_invalid_utf8(wide_log, content_copy, releases, build_content):
    data = release_text(body="Paragraf satu.\n\nCaf\u00e9 Menteng.").encode("utf-8")
    (releases / "patroli.md").write_bytes(data.replace("é".encode(), b"\xe9"))
    log = failed(build_content(content_copy))
    assert f"{releases / 'patroli.md'}:12: not valid UTF-8 (byte 0xe9" in log


@pytest.mark.parametrize("text", ["", "\n\n   \n"])
def test_empty_release(wide_log, content_copy, releases, build_content, text):
    (releases / "kosong.md").write_text(text, encoding="utf-8")
    log = failed(build_content(content_copy))
    assert f"{releases / 'kosong.md'}:1: empty release file" in log


def test_huge_release_stops_before_reading(wide_log, content_copy, releases, build_content):
    paragraph = "Kalimat panjang tentang patroli di wilayah Menteng. " * 20 + "\n\n"
    (releases / "besar.md").write_text(release_text(body=paragraph * 5000), encoding="utf-8")
    started = time.monotonic()
    log = failed(build_content(content_copy))
    assert (
        f"{releases / 'besar.md'}:1: file is 5.2 MB, more than the 1 MB a release may have" in log
    )
    assert time.monotonic() - started < 8  # Markdown alone takes about 10 s on this file


def test_malformed_registry_yaml(wide_log, content_copy, build_content):
    units = content_copy / "registry" / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8") + "\n- slug: baru\n  name: [tidak ditutup\n",
        encoding="utf-8",
    )
    log = failed(build_content(content_copy))
    lines = units.read_text(encoding="utf-8").count("\n")
    assert f"{units}:{lines + 1}: error: malformed YAML" in log


def test_symlink_loop(wide_log, content_copy, releases, build_content):
    (releases / "putaran").symlink_to("..", target_is_directory=True)
    log = failed(build_content(content_copy))
    assert (
        f"{releases / 'putaran'}:1: symbolic link to {content_copy / 'rilis'}, which is already read"
        in log
    )


def test_link_to_itself(wide_log, content_copy, releases, build_content):
    (releases / "diri.md").symlink_to("diri.md")
    log = failed(build_content(content_copy))
    assert f"{releases / 'diri.md'}:1: cannot read the file" in log


def test_every_problem_is_listed_at_once(wide_log, content_copy, releases, build_content):
    (releases / "a.md").write_text(release_text(Date="kemarin", Slug="a"), encoding="utf-8")
    (releases / "b.md").write_text("", encoding="utf-8")
    log = failed(build_content(content_copy))
    assert "2 problem(s) in release files" in log
    assert (
        f"{releases / 'a.md'}:2: not an ISO date" in log and f"{releases / 'b.md'}:1: empty" in log
    )


def test_other_files_are_skipped_with_a_warning(wide_log, content_copy, releases, build_content):
    (releases / "catatan.txt").write_text("Catatan redaksi, bukan rilis.\n", encoding="utf-8")
    (releases / ".patroli.md.swp").write_bytes(b"\x00\xff")
    build = build_content(content_copy)
    log = build.stdout + build.stderr
    assert build.returncode == 0, log
    assert f"{releases / 'catatan.txt'}: not a release (no reader for it), skipped" in log
    assert ".swp" not in log


def test_any_error_pelican_logs_fails_the_build(wide_log, content_copy, build_content):
    """A page is not a release, so no check reads it first: Pelican's own error counts."""
    (content_copy / "pages" / "rusak.md").write_bytes(b"Title: Caf\xe9\n\nIsi.\n")
    # Pelican has written the site by the time the build fails; `invoke build`
    # writes into a temporary folder and keeps the previous site (test_build_task.py).
    log = failed(build_content(content_copy), stopped_before_writing=False)
    assert "1 error(s) during the build" in log
    assert "Could not process pages/rusak.md: UnicodeDecodeError" in log
