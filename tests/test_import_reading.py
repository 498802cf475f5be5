"""The importer reads outlet text in its many shapes: outlets, headlines, names, dates.

Fixtures are texts written for these tests in the shapes outlets use (the
names of outlets, people and places are invented).
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import CONTENT

from arsip.importer import RawReleaseError, read_draft, read_raw
from arsip.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = datetime.date(2026, 1, 1)
REGISTRY = Registry.load(CONTENT)
LEAD = "Polsek Koja menggelar patroli di Kelurahan Koja, Senin (16/6/2025)."


def draft_of(tmp_path: Path, text: str, name: str = "rilis.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_draft(REGISTRY, path, TODAY)


def fixture(name: str):
    return read_draft(REGISTRY, FIXTURES / name, TODAY)


def officers(draft) -> dict[str, dict | str]:
    """Each officer found: the registry slug when known, else the proposed entry."""
    return {f.text: (f.entry.slug if f.entry else f.proposal) for f in draft.officers}


def units(draft) -> list[str]:
    return [f.entry.name if f.entry else f.proposal["name"] for f in draft.units]


@pytest.mark.parametrize(
    ("opening", "sources", "first_line"),
    [
        ("Jakarta,beritakota.co,\nJakarta Utara – " + LEAD, ["beritakota.co"], "Jakarta Utara – "),
        ("warta-ibukota com\n" + LEAD, ["warta-ibukota.com"], ""),
        ("Jakarta Utara – | Kabarpagi | " + LEAD, ["Kabarpagi"], "Jakarta Utara – "),
        ("Suarawarga.id,Jakarta Utara – " + LEAD, ["suarawarga.id"], "Jakarta Utara – "),
        ("LENSAKOTA.COM | Jakarta – " + LEAD, ["lensakota.com"], "Jakarta – "),
        ("Beritarakyat.com (Jakarta Utara) – " + LEAD, ["beritarakyat.com"], "Jakarta Utara – "),
        ("Jakarta, Warta88.com-" + LEAD, ["warta88.com"], "Jakarta - "),
        ("Sinarpagi.net " + LEAD, ["sinarpagi.net"], ""),
        ("Jakarta Utara – Go.kabarrakyat.co – " + LEAD, ["go.kabarrakyat.co"], "Jakarta Utara – "),
        ("kotanews.id, || Jakarta – " + LEAD, ["kotanews.id"], "Jakarta – "),
        (
            "Jakarta Utara, | Kabarpagi | Senin, 16 Juni 2025 — " + LEAD,
            ["Kabarpagi"],
            "Jakarta Utara, Senin, 16 Juni 2025 — ",
        ),
        ("JAKARTAKINI.COM, JAKARTA UTARA\n" + LEAD, ["jakartakini.com"], ""),
    ],
)
def test_the_outlet_is_read_in_its_shapes_and_left_out_of_the_body(
    tmp_path, opening, sources, first_line
):
    draft = draft_of(tmp_path, opening + "\nWarga menyambut baik kegiatan itu.\n")
    assert draft.sources == sources
    assert draft.paragraphs[0][1] == first_line + LEAD
    assert not any("outlet" in n.message for n in draft.notes)


def test_a_text_without_an_outlet_says_so(tmp_path):
    draft = draft_of(tmp_path, "Jakarta Utara — " + LEAD + "\n")
    assert draft.sources == []
    assert "Sources is empty" in draft.notes[0].message


def test_the_headline_is_kept_whole_and_page_chrome_left_out():
    draft = fixture("koja-pagi.txt")
    assert draft.title == "Polsek Koja Gelar Patroli Subuh di Kawasan Pelabuhan"
    assert draft.sources == ["Kabarpagi"]
    body = draft.body
    for debris in ("Dilihat", "banner", "Advertisement", "(Rina)", "Tinggalkan"):
        assert debris not in body
    assert body.endswith("(Humas Polres Metro Jakarta Utara)")  # the sign-off is the release's


def test_a_page_date_stamp_is_no_headline_and_gives_the_year():
    draft = fixture("marunda-razia.txt")
    assert draft.title == "Satreskrim Polres Metro Jakarta Utara Razia Miras di Marunda"
    assert draft.date == datetime.datetime(2025, 5, 3)
    assert draft.sources == ["kotanews.id"]
    assert "Keluhkan Banjir" not in draft.body  # the list of other articles
    assert "Google News" not in draft.body


def test_a_headline_after_the_outlets_name_loses_the_name(tmp_path):
    draft = draft_of(
        tmp_path, "kotanews.id, || Jakarta – Polsek Koja Gelar Patroli Subuh\n" + LEAD + "\n"
    )
    assert draft.title == "Polsek Koja Gelar Patroli Subuh"
    assert draft.sources == ["kotanews.id"]


def test_a_date_stamp_line_is_not_the_activity_time(tmp_path):
    text = "Patroli Subuh di Koja\nSenin, 16 Juni 2025 – 22:52 WIB\nJakarta – " + LEAD + "\n"
    draft = draft_of(tmp_path, text)
    assert draft.title == "Patroli Subuh di Koja"
    assert draft.date == datetime.datetime(2025, 6, 16)


def test_one_person_named_twice_is_one_officer_with_degrees_in_any_form():
    draft = fixture("koja-pagi.txt")
    assert officers(draft) == {
        "Kapolsek Koja Kompol Rudi Hartono Saputra, S.H., M.H.": {
            "name": "Rudi Hartono Saputra",
            "degrees": ["S.H.", "M.H."],
            "service": [{"rank": "Kompol", "post": "Kapolsek Koja", "unit": "polsek-koja"}],
        },
        "Kanit Samapta AKP Dedi Kurniawan, S.H.": {
            "name": "Dedi Kurniawan",
            "degrees": ["S.H."],
            "service": [{"rank": "AKP", "post": "Kanit Samapta"}],
        },
        "Bripka Dani K": {"name": "Dani K"},  # "Dani K." ends the sentence
    }  # the Lurah and the Ketua RW are no officers; nor is "Jalan Letjen Sutoyo"


def test_degrees_before_and_after_the_name_and_initials_inside_it():
    draft = fixture("marunda-razia.txt")
    found = officers(draft)
    wahyu = found[
        "Kasat Reskrim Polres Metro Jakarta Utara AKBP Wahyu Nugroho, Dr., S.E., S.I.K., M.M., M.H."
    ]
    assert wahyu["name"] == "Wahyu Nugroho"
    assert wahyu["degrees"] == ["Dr.", "S.E.", "S.I.K.", "M.M.", "M.H."]
    assert found["Iptu Bagus R. Santoso"] == {"name": "Bagus R. Santoso"}
    assert len(found) == 3  # "kata AKBP Wahyu" is Wahyu Nugroho


@pytest.mark.parametrize("written", ["Kompol Dr. Yusuf Hamdani", "Kompol Dr Yusuf Hamdani"])
def test_dr_before_a_name_is_a_degree(tmp_path, written):
    draft = draft_of(tmp_path, f"Jakarta – {LEAD} Hadir {written} bersama warga.\n")
    assert [f.proposal for f in draft.officers] == [{"name": "Yusuf Hamdani", "degrees": ["Dr."]}]


def test_a_short_form_resolves_to_the_registry_officer(tmp_path):
    draft = draft_of(tmp_path, f"Jakarta – {LEAD} Hal itu disampaikan Kombes Pol Susatyo.\n")
    assert officers(draft) == {"Kombes Pol Susatyo Purnomo Condro": "susatyo-purnomo-condro"}


def test_units_end_where_their_names_end():
    assert units(fixture("koja-pagi.txt")) == ["Polsek Koja", "Polres Metro Jakarta Utara"]
    assert units(fixture("marunda-razia.txt")) == [
        "Satreskrim Polres Metro Jakarta Utara",
        "Polres Metro Jakarta Utara",
        "Biro Operasi Polda Metro Jaya",
        "Polda Metro Jaya",
        "Polsubsektor Rawa Malang",  # from "Kapolsubsektor Rawa Malang"
    ]  # "Polsek Cilincing Amankan Puluhan Botol" is a subheading: no telling where it ends


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Polsek Koja Polres Metro Jakarta Utara hadir.",
            ["Polsek Koja", "Polres Metro Jakarta Utara"],
        ),
        ("Petugas Polsek Koja Jakarta Utara hadir.", ["Polsek Koja"]),
        ("Kapolsek Metro Koja Kompol Rudi hadir.", ["Polsek Metro Koja"]),
        ("Koramil 03/Koja dan Satpol PP hadir.", ["Satpol PP", "Koramil 03/Koja"]),
        ("Warga melapor ke Polsek terdekat.", []),
        (
            "Petugas Ditsamapta Polda Metro Jaya hadir.",
            ["Ditsamapta Polda Metro Jaya", "Polda Metro Jaya"],
        ),
    ],
)
def test_unit_names_in_running_text(tmp_path, sentence, expected):
    draft = draft_of(tmp_path, f"Jakarta – Patroli digelar Senin (16/6/2025). {sentence}\n")
    assert units(draft) == expected


def test_a_title_cased_line_names_a_unit_only_where_the_place_is_known(tmp_path):
    text = (
        "Jakarta – Patroli digelar di Kecamatan Cilincing, Senin (16/6/2025).\n"
        "Polsek Cilincing Amankan Puluhan Botol\n"
        "Polsek Marunda Gelar Razia Malam\n"
    )
    assert units(draft_of(tmp_path, text)) == ["Polsek Cilincing"]


def test_a_hard_wrapped_text_is_read_as_paragraphs():
    draft = fixture("sungai-raya.txt")
    assert [line for line, _ in draft.paragraphs] == [1, 3, 6]
    assert draft.paragraphs[2][1] == (
        "Kapolsek Sungai Raya Akp M.Simanjuntak mengatakan sambang akan terus dilakukan."
    )
    assert "Kapolsek Sungai Raya Akp M.Simanjuntak" in officers(draft)
    assert units(draft) == ["Polres Kubu Raya", "Polsek Sungai Raya"]
    assert "Penulis" not in draft.body and "Publish" not in draft.body


def test_the_activity_date_wins_over_the_report_date(tmp_path):
    text = "Jakarta, Selasa 17 Juni 2025 – Polsek Koja menggelar patroli pada Senin (16/6/2025).\n"
    draft = draft_of(tmp_path, text)
    assert draft.date == datetime.datetime(2025, 6, 16)
    assert [n.message for n in draft.notes if "the dateline says" in n.message] == [
        'the dateline says "Selasa 17 Juni 2025" but the activity was "Senin (16/6/2025)": '
        "kept 16 Juni 2025, the activity's date"
    ]


@pytest.mark.parametrize(
    ("time", "expected", "note"),
    [
        ("Pukul 19.30 Wib", datetime.datetime(2025, 6, 16, 19, 30), None),
        ("mulai pukul 06.00 hingga 08.00 WIB", datetime.datetime(2025, 6, 16, 6, 0), None),
        (
            "pukul 24.00 WIB",
            datetime.datetime(2025, 6, 16),
            '"pukul 24.00" is midnight at the end of 16 Juni 2025: kept that day, without a time',
        ),
    ],
)
def test_the_time_of_the_activity(tmp_path, time, expected, note):
    draft = draft_of(tmp_path, f"Jakarta – Patroli digelar Senin (16/6/2025) {time}.\n")
    assert draft.date == expected
    assert [n.message for n in draft.notes if "midnight" in n.message] == ([note] if note else [])


def test_a_weekday_without_a_date_is_refused(tmp_path):
    with pytest.raises(RawReleaseError, match="no date found"):
        draft_of(tmp_path, "Kabarpagi.com Suasana Jumat sore di Koja terasa hangat.\n")


@pytest.mark.parametrize(
    "line",
    ["TNI & Polri57 Dilihat", "- Advertisement -", "PASANG IKLAN", "banner 336x280",
     "Posting Terkait", "Jangan Lewatkan", "Tuliskan Komentar", "Penulis : Yudi",
     "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *"],
)  # fmt: skip
def test_more_page_debris_is_dropped(tmp_path, line):
    path = tmp_path / "r.txt"
    path.write_text(f"Jakarta,x.com,\n{line}\nWarga hadir Jumat (8/11/2024).\n", encoding="utf-8")
    assert [text for _, text in read_raw(path)] == [
        "Jakarta,x.com,",
        "Warga hadir Jumat (8/11/2024).",
    ]


@pytest.mark.parametrize("byline", ["(Rina)", "( Anto )", "(red)", "K.ARI", "AB/Rina"])
def test_bylines_after_the_last_paragraph_are_dropped(tmp_path, byline):
    path = tmp_path / "r.txt"
    path.write_text(f"Warga hadir Jumat (8/11/2024).\n(Humas Polsek Koja)\n{byline}\n", "utf-8")
    assert [text for _, text in read_raw(path)] == [
        "Warga hadir Jumat (8/11/2024).",
        "(Humas Polsek Koja)",
    ]
