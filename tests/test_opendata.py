"""The open data: releases.json, releases.csv and the per-term JSON documents."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from content_facts import carriers, published_releases, read_header
from hypothesis import given, strategies
from jsonschema import Draft202012Validator
from referencing import Registry as SchemaRegistry
from referencing import Resource

from arsip.registry import KINDS, Registry
from plugins.opendata import csv_cell, to_json

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCHEMA = json.loads((ROOT / "schema" / "releases.schema.json").read_text(encoding="utf-8"))
# The documented CSV columns (docs/open-data.md), in order.
CSV_HEADER = [
    "slug",
    "title",
    "date",
    "url",
    "units",
    "officers",
    "activities",
    "places",
    "sources",
    "summary",
    "modified",
    "corrections",
]


def validator(definition: str | None = None) -> Draft202012Validator:
    schema = SCHEMA if definition is None else {"$ref": f"{SCHEMA['$id']}#/$defs/{definition}"}
    registry = SchemaRegistry().with_resource(SCHEMA["$id"], Resource.from_contents(SCHEMA))
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"]
    assert SCHEMA["$defs"]["schema_version"]["const"].count(".") == 2


def test_releases_json_validates_and_lists_every_published_release(site):
    data = load_json(site.output / "data" / "releases.json")
    validator().validate(data)
    assert data["schema_version"] == SCHEMA["$defs"]["schema_version"]["const"]

    facts = published_releases(CONTENT)
    assert data["count"] == len(facts) == len(data["releases"])
    for record, fact in zip(data["releases"], facts, strict=True):
        assert record["slug"] == fact.slug
        assert datetime.datetime.fromisoformat(record["date"]) == fact.date
        assert [u["slug"] for u in record["units"]] == list(fact.units)
        assert [o["slug"] for o in record["officers"]] == list(fact.officers)
        assert [a["slug"] for a in record["activities"]] == list(fact.activities)
        assert record["places"] == list(fact.places)
        assert record["sources"] == list(fact.sources)
        assert record["url"].startswith("/") and (site.output / record["url"][1:]).is_dir()
        # Plain text: typogrify's "&nbsp;" and tags stay on the pages.
        assert record["title"] == fact.title
        assert "<" not in record["summary"] and "\xa0" not in record["summary"]


def test_officers_carry_the_rank_and_post_in_force_on_the_release_date(site):
    registry = Registry.load(CONTENT)
    releases = load_json(site.output / "data" / "releases.json")["releases"]
    roles = [(release, role) for release in releases for role in release["officers"]]
    assert roles
    for release, role in roles:
        service = registry.get("officers", role["slug"]).service_at(
            datetime.datetime.fromisoformat(release["date"])
        )
        if service:
            assert (role["rank"], role["post"], role["unit"]) == (
                service.rank,
                service.post,
                service.unit,
            )


def test_csv_round_trips_to_the_json(site):
    rows = read_csv(site.output / "data" / "releases.csv")
    records = load_json(site.output / "data" / "releases.json")["releases"]
    assert site.output.joinpath("data", "releases.csv").read_bytes().count(b"\r\n") >= len(records)
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert list(row) == CSV_HEADER
        assert row["slug"] == record["slug"]
        assert row["title"] == record["title"]
        assert row["summary"] == record["summary"]
        assert row["url"] == record["url"]
        when = datetime.datetime.fromisoformat(record["date"])
        assert row["date"] == when.strftime("%Y-%m-%d %H:%M")
        assert row["units"].split("; ") == [u["name"] for u in record["units"]]
        assert row["activities"].split("; ") == [a["name"] for a in record["activities"]]
        assert row["places"].split("; ") == record["places"]
        assert row["sources"].split("; ") == record["sources"]
        officers = row["officers"].split("; ")
        assert len(officers) == len(record["officers"])
        for cell, role in zip(officers, record["officers"], strict=True):
            assert role["name"] in cell and role["rank"] in cell and role["post"] in cell


def test_every_term_page_links_its_json_document(site):
    pages = 0
    for spec in KINDS.values():
        for document in (site.output / spec.label).glob("*/index.json"):
            link = site.html(f"{spec.label}/{document.parent.name}/").find("a", class_="data")
            assert (document.parent / link["href"]).resolve() == document.resolve()
            pages += 1
    assert pages


def test_the_schema_is_published_with_the_data(site):
    published = load_json(site.output / "data" / "releases.schema.json")
    assert published == SCHEMA
    assert (
        load_json(site.output / "data" / "releases.json")["schema"] == "/data/releases.schema.json"
    )


# The extended build (tests/conftest.py: EXTENDED) holds a release full
# of CSV-special characters, one of formulas, and drafts.


def test_quotes_commas_semicolons_and_accents_survive_the_csv(extended_site):
    content, build = extended_site.content, extended_site
    rows = {row["slug"]: row for row in read_csv(build.output / "data" / "releases.csv")}
    row = rows["rapat-tiga-pilar-evaluasi-keamanan"]
    assert row["title"] == "Rapat “Tiga Pilar”, Koordinasi; Évaluasi Keamanan Menteng"
    assert row["summary"].startswith("Warga bertanya: “Kapan patroli malam dimulai?”")
    assert row["places"] == "Jalan Cikini Raya, No. 5; Kelurahan Cikini"
    assert row["officers"] == "Kompol Bayu Marfiando (Kapolsek Menteng)"
    assert len(rows) == len(published_releases(content))


def test_formulas_are_text_in_the_csv_and_unchanged_in_the_json(extended_site):
    build = extended_site
    row = {row["slug"]: row for row in read_csv(build.output / "data" / "releases.csv")}[
        "rilis-rumus"
    ]
    record = {r["slug"]: r for r in load_json(build.output / "data" / "releases.json")["releases"]}[
        "rilis-rumus"
    ]
    for column in ("title", "summary", "places", "sources"):
        assert row[column][:1] == "'" and row[column][1:2] in "=+-@", column
    assert row["title"] == "'" + record["title"]
    assert row["summary"] == "'" + record["summary"]
    assert row["places"] == "'" + "; ".join(record["places"])
    assert record["places"] == ["-1+1", "Kelurahan Cikini"] and record["sources"] == ["@SUM(1+1)"]
    # Every other cell of every row: nothing a spreadsheet would evaluate.
    for row in read_csv(build.output / "data" / "releases.csv"):
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row.values())


def test_drafts_stay_out_of_the_data(extended_site):
    drafts = [
        read_header(path)["slug"]
        for path in (extended_site.content / "rilis").rglob("*.md")
        if read_header(path)["status"] == "draft"
    ]
    assert len(drafts) >= 2
    data_files = [*extended_site.output.rglob("*.json"), *extended_site.output.rglob("*.csv")]
    assert data_files
    for slug in drafts:
        assert (extended_site.output / "draf" / slug / "index.html").is_file()
        for path in data_files:
            assert slug not in path.read_text(encoding="utf-8-sig"), (path, slug)


@pytest.mark.parametrize("build", ["site", "extended_site"])
def test_every_term_has_a_json_document_with_exactly_its_releases(build, request):
    site = request.getfixturevalue(build)
    facts = published_releases(site.content)
    term_document = validator("term_document")
    collection = load_json(site.output / "data" / "releases.json")
    records = {record["slug"]: record for record in collection["releases"]}
    for kind, spec in KINDS.items():
        expected = carriers(facts, kind)
        written = {p.parent.name for p in (site.output / spec.label).glob("*/index.json")}
        assert written == set(expected), kind
        for slug, releases in expected.items():
            document = load_json(site.output / spec.label / slug / "index.json")
            term_document.validate(document)
            assert document["kind"] == kind
            assert document["term"]["slug"] == slug
            assert document["count"] == len(releases)
            assert [r["slug"] for r in document["releases"]] == [r.slug for r in releases]
            assert document["term"]["data_url"] == f"/{spec.label}/{slug}/index.json"
            for ref in document["releases"]:
                record = records[ref["slug"]]
                assert {k: ref[k] for k in ("title", "date", "url")} == {
                    k: record[k] for k in ("title", "date", "url")
                }
                if kind == "officers":
                    role = next(o for o in record["officers"] if o["slug"] == slug)
                    assert ref["officer"] == {
                        k: role[k] for k in ("rank", "post", "unit", "as_written")
                    }
                else:
                    assert "officer" not in ref


def test_an_archive_without_releases_builds_empty_data_and_no_charts(content_copy, build_content):
    for release in (content_copy / "rilis").rglob("*.md"):
        release.unlink()
    build = build_content(content_copy)
    assert build.returncode == 0, build.stdout + build.stderr
    page = build.html("statistik/")
    assert page.find("svg") is None
    assert "Belum ada rilis yang terbit." in page.get_text()
    data = load_json(build.output / "data" / "releases.json")
    assert (data["count"], data["releases"]) == (0, [])
    csv_text = (build.output / "data" / "releases.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines() == [",".join(CSV_HEADER)]


JSON_VALUES = strategies.recursive(
    strategies.none()
    | strategies.booleans()
    | strategies.integers()
    | strategies.floats(allow_nan=False)
    | strategies.text(),
    lambda inner: strategies.lists(inner) | strategies.dictionaries(strategies.text(), inner),
    max_leaves=40,
)


@given(JSON_VALUES)
def test_the_json_writer_writes_what_json_dumps_writes(document):
    """plugins/opendata.py indents JSON itself, for speed: the same data, the same
    layout as json.dumps, with < > & and U+2028/U+2029 as \\u escapes."""
    written = to_json(document).decode("utf-8")
    assert not re.search("[<>&\u2028\u2029]", written)
    assert json.loads(written) == document
    expected = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert written.count("\n") == expected.count("\n")
    assert [len(line) - len(line.lstrip(" ")) for line in written.split("\n")] == [
        len(line) - len(line.lstrip(" ")) for line in expected.split("\n")
    ]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x.example","klik")', '\'=HYPERLINK("http://x.example","klik")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-1+1", "'-1+1"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Jalan A = B", "Jalan A = B"),
        ("", ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell
