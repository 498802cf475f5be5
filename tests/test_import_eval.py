"""`invoke eval-import`: the scorer counts what the importer got right, and what it did not."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import eval_import  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def officer(name, rank):
    return {"name": name, "rank": rank, "position": None, "degrees_as_written": None}


def gold(**changes) -> dict:
    koja = {
        "source_url": "https://kabarpagi.com/patroli-subuh",
        "outlet": "Kabarpagi",
        "outlet_domain": "kabarpagi.com",
        "title": "Polsek Koja Gelar Patroli Subuh di Kawasan Pelabuhan",
        "title_in_text": True,
        "date": "2025-06-15",
        "time": "04:30",
        "units": ["Polsek Koja", "Polres Metro Jakarta Utara"],
        "officers": [
            officer("Rudi Hartono Saputra", "Kompol"),
            officer("Dedi Kurniawan", "AKP"),
            officer("Dani K", "Bripka"),
        ],
        "activity_types": ["Patroli Subuh"],
        "activity_terms_in_text": ["patroli subuh"],
        "syndicated_group": "G1",
    }
    copy = {
        **koja,
        "outlet": "suarawarga.id",
        "outlet_domain": "suarawarga.id",
        "title": None,
        "title_in_text": False,
    }
    sungai = {
        **koja,
        "outlet": None,
        "outlet_domain": "polreskuburaya.example",
        "title": None,
        "title_in_text": False,
        "date": "2025-04-10",
        "time": None,
        "units": ["Polres Kubu Raya", "Polsek Sungai Raya"],
        "officers": [officer("Andi", "Brigpol"), officer("M.Simanjuntak", "Akp")],
        "syndicated_group": None,
    }
    nodate = {**sungai, "date": None, "units": [], "officers": []}
    data = {
        "_conventions": {},
        "koja-pagi.txt": koja,
        "koja-pagi-copy.txt": copy,
        "sungai-raya.txt": sungai,
        "tanpa-tanggal.txt": nodate,
    }
    for name, fields in changes.items():
        data[name.replace("_", "-") + ".txt"].update(fields)
    return data


def folder(tmp_path: Path, expected: dict) -> Path:
    source = tmp_path / "dev"
    source.mkdir()
    for name in ("koja-pagi.txt", "koja-pagi-copy.txt", "sungai-raya.txt"):
        shutil.copy(FIXTURES / name, source / name)
    (source / "tanpa-tanggal.txt").write_text(
        "Kabarpagi.com Suasana Jumat sore di Koja terasa hangat bersama warga.\n", "utf-8"
    )
    (source / "expected.json").write_text(json.dumps(expected), "utf-8")
    return source


def test_a_faithful_import_scores_full_marks(tmp_path):
    figures = eval_import.summary(eval_import.evaluate(folder(tmp_path, gold())))
    assert figures["dates"] == "4/4"  # the text without a date was refused
    assert figures["times"] == "2/2"
    assert figures["officers"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert figures["units"] == {"precision": 1.0, "recall": 1.0}
    assert figures["headlines"] == "1/1"
    assert figures["clean_titles"] == "2/2"
    # The copy's outlet was added to the one release; "| Kabarpagi |" names no domain.
    assert (figures["sources"], figures["sources_lenient"]) == ("1/2", "2/2")
    assert figures["pollution"] == 0
    assert figures["syndicated_groups"] == "1/1" and figures["false_merges"] == 0


def test_each_kind_of_miss_is_counted_and_named(tmp_path):
    expected = gold(
        koja_pagi={
            "date": "2025-06-14",
            "title": "Patroli Subuh",
            "officers": [
                officer("Rudi Hartono Saputra", "Kompol"),
                officer("Hendra Gunawan", "AKP"),
            ],
            "units": ["Polsek Koja"],
            "outlet_domain": "kabarpagi.co.id",
        },
        koja_pagi_copy={
            "syndicated_group": None,
            "date": "2025-06-14",
            "officers": [officer("Rudi Hartono Saputra", "Kompol")],
        },
    )
    scores = eval_import.evaluate(folder(tmp_path, expected))
    figures = eval_import.summary(scores)
    assert figures["dates"] == "2/4"
    assert figures["officers"]["precision"] < 1 and figures["officers"]["recall"] < 1
    assert figures["units"]["precision"] < 1
    assert figures["headlines"] == "0/1"
    assert figures["pollution"] == 2  # Dedi Kurniawan and Dani K are nobody's officers now
    assert figures["false_merges"] == 1
    misses = scores.misses["koja-pagi.txt"]
    assert "officers: missing 'hendra gunawan'" in misses
    assert "units: extra 'polres-metro-jakarta-utara'" in misses
    assert any(m.startswith("sources:") for m in misses)
