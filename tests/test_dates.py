"""The date parser shared by the importer, the checker and the scaffold."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from arsip.dates import (
    DAY_NAMES,
    MONTH_NAMES,
    DateProblem,
    find_date,
    find_time,
    format_date,
    month_name,
    parse_date,
    parse_metadata_date,
)

# Written forms of each weekday (Monday is 0) and month, as releases spell them.
DAYS_WRITTEN = {
    0: ["Senin"],
    1: ["Selasa"],
    2: ["Rabu"],
    3: ["Kamis"],
    4: ["Jumat", "Jum'at"],
    5: ["Sabtu"],
    6: ["Minggu", "Ahad"],
}
MONTHS_WRITTEN = {
    1: ["Januari", "Jan"],
    2: ["Februari", "Feb", "Pebruari"],
    3: ["Maret", "Mar"],
    4: ["April", "Apr"],
    5: ["Mei"],
    6: ["Juni", "Jun"],
    7: ["Juli", "Jul"],
    8: ["Agustus", "Agu", "Agt"],
    9: ["September", "Sep", "Sept"],
    10: ["Oktober", "Okt"],
    11: ["November", "Nov", "Nopember"],
    12: ["Desember", "Des"],
}

dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2060, 12, 31))


@st.composite
def written_dates(draw, with_year=True, numeric=None):
    """A date and one way a release may write it."""
    value = draw(dates)
    weekday = draw(st.one_of(st.none(), st.sampled_from(DAYS_WRITTEN[value.weekday()])))
    if weekday:
        weekday = draw(st.sampled_from([weekday, weekday.upper(), weekday.lower()]))
    parentheses = draw(st.booleans())
    if numeric is None:
        numeric = draw(st.booleans())
    day = draw(st.sampled_from([str(value.day), f"{value.day:02d}"]))
    if numeric:
        month = draw(st.sampled_from([str(value.month), f"{value.month:02d}"]))
        separator = draw(st.sampled_from(["/", "-"]))
        core = f"{day}{separator}{month}"
        if with_year:
            core += f"{separator}{value.year}"
    else:
        month = draw(st.sampled_from(MONTHS_WRITTEN[value.month]))
        core = f"{day} {month}" + (f" {value.year}" if with_year else "")
    if parentheses:
        core = f"({core})"
    if weekday:
        core = f"{weekday}{draw(st.sampled_from([', ', ' ', ',']))}{core}"
    return value, core, weekday is not None


def test_every_indonesian_name_is_known():
    for weekday, names in DAYS_WRITTEN.items():
        for name in names:
            assert DAY_NAMES[name.lower().replace("'", "")] == weekday
    for month, names in MONTHS_WRITTEN.items():
        for name in names:
            assert MONTH_NAMES[name.lower()] == month


@given(written_dates())
def test_a_written_date_reads_back(case):
    value, written, _ = case
    found = parse_date(written)
    assert found.date == value
    assert found.notes == ()


@given(written_dates(), st.sampled_from(["Jakarta Pusat – ", "Kegiatan berlangsung pada ", ""]))
def test_a_date_is_found_inside_a_sentence(case, before):
    value, written, _ = case
    found = find_date(f"{before}{written}. Warga hadir sejak pagi.")
    assert found.date == value
    assert found.text == written


@given(written_dates(with_year=False), st.integers(min_value=-1, max_value=1))
def test_a_date_without_year_takes_it_from_weekday_and_context(case, offset):
    value, written, has_weekday = case
    assume(has_weekday or offset == 0)  # without a weekday only the context year is known
    found = parse_date(written, context_year=value.year + offset)
    assert found.date == value
    assert "has no year" in found.notes[0]


@given(dates, st.integers(min_value=1, max_value=6), st.booleans())
def test_a_wrong_weekday_is_reported_not_corrected(value, shift, numeric):
    wrong = DAYS_WRITTEN[(value.weekday() + shift) % 7][0]
    written = (
        f"{wrong}, ({value.day}/{value.month}/{value.year})"
        if numeric
        else (f"{wrong}, {value.day} {month_name(value.month)} {value.year}")
    )
    found = parse_date(written)
    assert found.date == value
    assert found.notes == (
        f'"{written}" says {wrong} but {format_date(value, "long")} is a '
        f"{format_date(value, 'EEEE')}",
    )


@given(st.integers(min_value=1990, max_value=2060), st.integers(min_value=1, max_value=12))
def test_a_day_past_the_end_of_the_month_is_an_error(year, month):
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    with pytest.raises(DateProblem, match="impossible date"):
        find_date(f"Kegiatan pada ({last + 1}/{month}/{year}).")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menteng, Jakarta Pusat. Jumat, (8/11/2024).", datetime.date(2024, 11, 8)),
        ("di wilayah Johar Baru. Kamis (28/11/2024).", datetime.date(2024, 11, 28)),
        ("Jakarta Pusat, Pada tanggal 20 November 2024 – bertempat", datetime.date(2024, 11, 20)),
        ("Pasca Pilkada 2024, warga berkumpul Senin (2/12).", datetime.date(2024, 12, 2)),
    ],
)
def test_the_forms_releases_use(text, expected):
    assert find_date(text).date == expected


def test_an_impossible_date_is_flagged_with_the_reason():
    with pytest.raises(DateProblem) as error:
        find_date("Kegiatan dilaksanakan pada (30/02/2025).")
    assert str(error.value) == (
        'impossible date "(30/02/2025)": Februari 2025 has 28 days; write the right date'
    )


def test_a_bare_fraction_is_not_a_date():
    assert find_date("Sebanyak 1/3 warga hadir; skor 2-1 untuk tuan rumah.") is None


def test_times_are_read_in_wib():
    found = find_time("pada Selasa malam pukul 22.30 WIB")
    assert (found.time, found.weekday, found.notes) == (datetime.time(22, 30), 1, ())
    assert find_time("dimulai jam 09:05").time == datetime.time(9, 5)
    makassar = find_time("pukul 08.00 WITA")
    assert makassar.time == datetime.time(7, 0)
    assert makassar.notes == ('"pukul 08.00 WITA" is WITA: the archive keeps WIB, 07.00',)
    with pytest.raises(DateProblem, match="impossible time"):
        find_time("pukul 25.10 WIB")


def test_the_date_field():
    assert parse_metadata_date("2024-11-20 22:30") == datetime.datetime(2024, 11, 20, 22, 30)
    assert parse_metadata_date("2024-11-08") == datetime.datetime(2024, 11, 8)
    with pytest.raises(DateProblem, match="does not exist"):
        parse_metadata_date("2024-13-01")
    with pytest.raises(DateProblem, match="YYYY-MM-DD HH:MM"):
        parse_metadata_date("8 November 2024")
