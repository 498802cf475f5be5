"""Corrections: `Modified` and `Correction` read once (arsip/corrections.py), shown on
the release page, in the feeds, JSON-LD and the open data, without moving the release."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import datetime

import feedparser
import jsonschema
import pytest
from conftest import CONTENT, ROOT, run_pelican

from arsip.corrections import read_corrections

MENTENG = "rilis/2024/2024-11-08-ngopi-kamtibmas-polsek-menteng.md"
MENTENG_PAGE = "rilis/2024/11/ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak/"
MENTENG_SLUG = "ngopi-kamtibmas-polsek-menteng-jelang-pilkada-serentak"
SITE = "https://arsip.example"


# --- reading the fields ---------------------------------------------------------


def test_notes_are_read_oldest_first_and_modified_is_the_newest_without_it():
    modified, notes, problems = read_corrections(
        None, "2024-11-10 09:00: Lokasi ditambahkan.; 2024-11-09: Nama diperbaiki.;", "2024-11-08"
    )
    assert problems == []
    assert [(n.when, n.text, n.timed) for n in notes] == [
        (datetime(2024, 11, 9), "Nama diperbaiki.", False),
        (datetime(2024, 11, 10, 9), "Lokasi ditambahkan.", True),
    ]
    assert modified == datetime(2024, 11, 10, 9)


def test_a_single_note_without_a_date_takes_modifieds():
    modified, notes, problems = read_corrections("2024-11-10 09:00", "Nama diperbaiki.", None)
    assert problems == []
    assert modified == datetime(2024, 11, 10, 9)
    assert [(n.when, n.text) for n in notes] == [(datetime(2024, 11, 10, 9), "Nama diperbaiki.")]


def test_modified_alone_is_the_latest_change():
    assert read_corrections("2024-11-12", None, "2024-11-08 22:30") == (
        datetime(2024, 11, 12),
        [],
        [],
    )


def test_a_change_on_the_release_day_without_time_is_not_before_the_release():
    modified, notes, problems = read_corrections(
        "2024-11-08", "2024-11-08: Judul diperbaiki.", "2024-11-08 22:30"
    )
    assert problems == []
    # Never older than the release, so feeds and JSON-LD never go back in time.
    assert modified == notes[0].when == datetime(2024, 11, 8, 22, 30)


@pytest.mark.parametrize(
    ("modified", "correction", "field", "words"),
    [
        (
            "2024-11-09",
            "2024-11-10 09:00: B",
            "modified",
            "older than the correction of 2024-11-10",
        ),
        ("2024-11-07", None, "modified", "older than the release's Date"),
        (None, "2024-11-01: A", "correction", "older than the release's Date"),
        (None, "A; 2024-11-10: B", "correction", "note 1 of 2 has no date"),
        (None, "Nama diperbaiki.", "correction", "no date and there is no Modified"),
        ("2024-02-30", None, "modified", "does not exist"),
        ("10 November 2024", None, "modified", "YYYY-MM-DD"),
        (None, "2024-11-31: A", "correction", "does not exist"),
        (None, "10/11/2024: A", "correction", "does not start with a date"),
        (None, "2024-11-10:", "correction", "says nothing"),
        (None, " ; ", "correction", "Correction is empty"),
    ],
)
def test_each_problem_names_its_field_and_what_to_do(modified, correction, field, words):
    _, _, problems = read_corrections(modified, correction, "2024-11-08")
    assert [f for f, _ in problems] == [field], problems
    assert words in problems[0][1]
    assert ":" in problems[0][1]  # the message goes on to say what to do


# --- in the build -----------------------------------------------------------------


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """content/ with one release corrected twice, built with an absolute SITEURL."""
    content = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT, content)
    release = content / MENTENG
    text = release.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    release.write_text(
        header
        + "\nModified: 2024-11-10 09:00"
        + "\nCorrection: 2024-11-09: Nama Wakapolsek diperbaiki.; "
        + "2024-11-10 09:00: Lokasi kegiatan ditambahkan.\n\n"
        + body,
        encoding="utf-8",
    )
    output = tmp_path_factory.mktemp("corrected")
    settings = (f'SITEURL="{SITE}"', "RELATIVE_URLS=false", f'FEED_DOMAIN="{SITE}"')
    build = run_pelican(content, output, "pelicanconf.py", "-e", *settings)
    assert build.returncode == 0, build.stdout + build.stderr
    return build


def test_the_release_page_lists_the_notes_newest_first(corrected):
    soup = corrected.html(MENTENG_PAGE)
    notes = soup.select("article.release header .corrections li")
    assert [li.get_text(" ", strip=True).replace(" :", ":") for li in notes] == [
        "Diperbarui 10 November 2024, 09.00 WIB: Lokasi kegiatan ditambahkan.",
        "Diperbarui 9 November 2024: Nama Wakapolsek diperbaiki.",
    ]
    assert [li.time["datetime"] for li in notes] == [
        "2024-11-10T09:00:00+07:00",
        "2024-11-09T00:00:00+07:00",
    ]
    # The release's own date is unchanged.
    assert soup.select_one("article.release .meta time")["datetime"] == "2024-11-08T00:00:00+07:00"
    # Releases never corrected show nothing.
    other = "rilis/2024/11/cooling-system-bhabinkamtibmas-cegah-tawuran-kampung-rawa/"
    assert corrected.html(other).select(".corrections") == []


def test_json_ld_and_meta_carry_the_modification(corrected):
    soup = corrected.html(MENTENG_PAGE)
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["datePublished"] == "2024-11-08T00:00:00+07:00"
    assert data["dateModified"] == "2024-11-10T09:00:00+07:00"
    meta = soup.find("meta", property="article:modified_time")
    assert meta["content"] == "2024-11-10T09:00:00+07:00"


def test_feeds_give_the_updated_date_and_keep_the_order(corrected):
    for feed_path in ("feeds/semua.atom.xml", "satuan/polsek-menteng/atom.xml"):
        feed = feedparser.parse((corrected.output / feed_path).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        links = [entry.link for entry in feed.entries]
        entry = feed.entries[links.index(f"{SITE}/{MENTENG_PAGE}")]
        assert entry.published == "2024-11-08T00:00:00+07:00"
        assert entry.updated == "2024-11-10T09:00:00+07:00"
        # Entries stay ordered by their release date, newest first.
        published = [e.published for e in feed.entries]
        assert published == sorted(published, reverse=True)
    site_feed = feedparser.parse((corrected.output / "feeds/semua.atom.xml").read_bytes())
    assert site_feed.feed.updated == "2024-11-28T00:00:00+07:00"  # the newest change overall
    assert site_feed.entries[-1].link == f"{SITE}/{MENTENG_PAGE}"


def test_a_corrected_release_keeps_its_place_in_lists(corrected):
    for page in ("", "satuan/polres-metro-jakarta-pusat/", "arsip/2024/11/"):
        soup = corrected.html(page)
        times = [t["datetime"] for t in soup.select(".release-list .release-card time")]
        assert times == sorted(times, reverse=True), page
        links = [a["href"] for a in soup.select(".release-list .release-card__title a")]
        assert links[-1] == f"{SITE}/{MENTENG_PAGE}", page


def test_open_data_carries_the_modification_and_the_notes(corrected):
    data = json.loads((corrected.output / "data/releases.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schema/releases.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    records = {record["slug"]: record for record in data["releases"]}
    assert records[MENTENG_SLUG]["modified"] == "2024-11-10T09:00:00+07:00"
    assert records[MENTENG_SLUG]["corrections"] == [
        {"date": "2024-11-09T00:00:00+07:00", "note": "Nama Wakapolsek diperbaiki."},
        {"date": "2024-11-10T09:00:00+07:00", "note": "Lokasi kegiatan ditambahkan."},
    ]
    assert [r["slug"] for r in data["releases"]][0] == MENTENG_SLUG  # oldest first, by date
    untouched = [r for slug, r in records.items() if slug != MENTENG_SLUG]
    assert all(r["modified"] is None and r["corrections"] == [] for r in untouched)

    text = (corrected.output / "data/releases.csv").read_text(encoding="utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[MENTENG_SLUG]["modified"] == "2024-11-10 09:00"
    assert rows[MENTENG_SLUG]["corrections"] == (
        "2024-11-09 00:00: Nama Wakapolsek diperbaiki.; "
        "2024-11-10 09:00: Lokasi kegiatan ditambahkan."
    )


def test_a_wrong_correction_stops_the_build_at_its_line(content_copy, build_content, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # Pelican's console would wrap `path:line` apart
    release = content_copy / MENTENG
    lines = release.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "Correction: Nama diperbaiki.; Lokasi ditambahkan.")
    release.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build = build_content(content_copy)
    assert build.returncode != 0
    output = build.stdout + build.stderr
    assert f"{MENTENG}:4: error: note 1 of 2 has no date" in output
