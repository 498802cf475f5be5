"""Open data: every published release as JSON and CSV, and one JSON document per term.

Adds to the output:
- `data/releases.json`: all published releases, oldest first, with their
  units, officers (rank and post on the release's date), activity types,
  places, sources and summary;
- `data/releases.csv`: the same, one row per release, UTF-8 with a byte order
  mark so that spreadsheets read it as UTF-8, list fields joined with "; ";
- `<label>/<slug>/index.json` for every unit, officer and activity type:
  the term and exactly the releases that carry it (slug, title, date, URL;
  for officers also their rank and post in each);
- `data/releases.schema.json`: the JSON Schema (schema/releases.schema.json
  in the repository) both kinds of JSON document follow.

Documented for users in docs/open-data.md. Needs the `registry` and
`taxonomies` plugins: it reads the resolved `article.units/officers/activities`
and the `taxonomies` of the context, so the data lists exactly what the pages do.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from json.encoder import encode_basestring
from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from arsip import settings as archive_settings
from engine.preview import SESSION_SETTING

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "releases.schema.json"


CSV_COLUMNS = (
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
)
CSV_LIST_SEPARATOR = "; "


def load_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def schema_version(schema: dict) -> str:
    """The version the schema file declares: the one source of it."""
    return schema["$defs"]["schema_version"]["const"]


def plain_text(html: str) -> str:
    """Text of a summary as Pelican renders it (Markdown, typogrify)."""
    return Markup(html or "").striptags().replace("\xa0", " ")


def title_text(title: str) -> str:
    """A release's title: plain text already (plugins/sanitize.py), typogrify's
    non-breaking spaces made ordinary ones."""
    return (title or "").replace("\xa0", " ")


def officer_label(role: dict) -> str:
    """An officer in one CSV cell: "Kompol Saiful Anwar (Kapolsek Johar Baru)"."""
    name = " ".join(part for part in (role["rank"], role["name"]) if part)
    return f"{name} ({role['post']})" if role["post"] else name


class OpenDataGenerator(Generator):
    """Writes the JSON, CSV and schema files after every page's context is known."""

    def generate_output(self, writer):
        session = self.settings.get(SESSION_SETTING)
        if session is None:
            self.write_all()
        else:
            session.defer(self.write_all)  # after the pages, in the background

    def write_all(self):
        # In generate_output, not generate_context: the taxonomies generator
        # fills context["taxonomies"] in its own generate_context.
        schema = load_schema()
        self.version = schema_version(schema)
        releases = sorted(self.context["articles"], key=lambda r: (r.date, r.slug))
        records = {id(release): self.release_record(release) for release in releases}

        collection = {
            **self.header(),
            "title": self.settings["SITENAME"],
            "publisher": self.settings.get("PUBLISHER", self.settings["SITENAME"]),
            "count": len(releases),
            "releases": [records[id(release)] for release in releases],
        }
        self.write(self.settings["OPENDATA_RELEASES_JSON"], to_json(collection))
        self.write(self.settings["OPENDATA_RELEASES_CSV"], to_csv(collection["releases"]))
        self.write(self.settings["OPENDATA_SCHEMA"], to_json(schema))

        for kind, taxonomy in self.context["taxonomies"].items():
            for term, carriers in taxonomy.terms:
                data_url = self.term_data_path(taxonomy.label, term.slug)
                chronological = sorted(carriers, key=lambda r: (r.date, r.slug))
                document = {
                    **self.header(),
                    "kind": kind,
                    "term": self.term_record(kind, term, data_url),
                    "count": len(chronological),
                    "releases": [
                        self.release_ref(records[id(release)], kind, term)
                        for release in chronological
                    ],
                }
                self.write(data_url, to_json(document))

    # -- records -----------------------------------------------------------

    def header(self) -> dict:
        return {
            "schema_version": self.version,
            "schema": self.link(self.settings["OPENDATA_SCHEMA"]),
        }

    def release_record(self, release) -> dict:
        return {
            "slug": release.slug,
            "title": title_text(release.title),
            "date": release.date.isoformat(),
            "url": self.link(release.url),
            "summary": plain_text(release.summary),
            "units": [self.term_ref(unit) for unit in release.units],
            "officers": [self.officer_role(role) for role in release.officers],
            "activities": [self.term_ref(activity) for activity in release.activities],
            "places": list(release.places),
            "sources": list(release.sources),
            # Corrections (plugins/corrections.py): the latest change, and each note.
            "modified": release.modified.isoformat()
            if getattr(release, "modified", None)
            else None,
            "corrections": [
                {"date": note.when.isoformat(), "note": note.text}
                for note in getattr(release, "corrections", ())
            ],
        }

    def release_ref(self, record: dict, kind: str, term) -> dict:
        """A release in a term's document: enough to list it; the rest is in releases.json.

        Officers' documents add the officer's role in that release, so that
        one file tells an officer's ranks and posts over time.
        """
        ref = {key: record[key] for key in ("slug", "title", "date", "url")}
        if kind == "officers":
            role = next(r for r in record["officers"] if r["slug"] == term.slug)
            ref["officer"] = {key: role[key] for key in ("rank", "post", "unit", "as_written")}
        return ref

    def term_ref(self, term) -> dict:
        return {"slug": term.slug, "name": term.name, "url": self.link(term.url)}

    def officer_role(self, role) -> dict:
        return {
            **self.term_ref(role.officer),
            "degrees": list(role.officer.entry.degrees),
            "rank": role.rank,
            "post": role.post,
            "unit": role.unit.slug if role.unit else None,
            "as_written": role.as_written,
        }

    def term_record(self, kind: str, term, data_path: str) -> dict:
        record = {
            **self.term_ref(term),
            "description": term.entry.description,
            "data_url": self.link(data_path),
            "feed_url": self.link(term.feed_url),
        }
        if kind == "officers":
            record["degrees"] = list(term.entry.degrees)
        return record

    # -- paths and files -----------------------------------------------------

    def term_data_path(self, label: str, slug: str) -> str:
        return self.settings["OPENDATA_TERM_JSON"].format(label=label, slug=slug)

    def link(self, path: str) -> str:
        """Absolute when the site is built with a SITEURL, else from the site root."""
        return f"{self.settings['SITEURL']}/{path}" if self.settings["SITEURL"] else f"/{path}"

    def write(self, relative_path: str, data: bytes) -> None:
        """Write all or nothing: a reader never sees a half-written file."""
        target = Path(self.output_path) / relative_path
        session = self.settings.get(SESSION_SETTING)
        if session is not None:
            session.written.add(str(target))  # so that it goes when its term goes
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# Written as escapes, so that no text in a JSON file reads as markup (a consumer
# who pastes it into HTML) or ends a JavaScript string (U+2028, U+2029).
JSON_ESCAPES = str.maketrans({
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
})  # fmt: skip


def to_json(document: dict) -> bytes:
    """`json.dumps(document, ensure_ascii=False, indent=2)` and a newline, as UTF-8,
    with `< > &` and the line separators U+2028/U+2029 written as \\u escapes."""
    # These characters occur only inside strings: escaping them anywhere is exact.
    return (_indented(document, "\n").translate(JSON_ESCAPES) + "\n").encode("utf-8")


def _indented(value, newline: str) -> str:
    """What json.dumps(value, ensure_ascii=False, indent=2) writes, for documents
    with string keys. The standard library writes indented JSON with its
    pure-Python encoder, token by token: with a term document per term, that
    was most of this plugin's time."""
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + "  "
        items = (
            f"{encode_basestring(key)}: {_indented(item, inner)}" for key, item in value.items()
        )
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + "  "
        return (
            "["
            + inner
            + ("," + inner).join(_indented(item, inner) for item in value)
            + newline
            + "]"
        )
    return json.dumps(value)  # numbers, booleans, null


def csv_date(iso: str) -> str:
    """ "2024-11-20 22:30": Jakarta time, in a form spreadsheets read as a date."""
    return datetime.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """`value`, with a single quote before it if a spreadsheet would run it as a formula."""
    return f"'{value}" if value.startswith(CSV_FORMULA_STARTS) else value


def to_csv(records: list[dict]) -> bytes:
    """RFC 4180 CSV (CRLF, quoted where needed), UTF-8 with BOM for spreadsheets;
    no cell starts a formula (csv_cell)."""
    buffer = io.StringIO(newline="")
    table = csv.writer(buffer)
    table.writerow(CSV_COLUMNS)
    for record in records:
        row = {
            **record,
            "date": csv_date(record["date"]),
            "units": CSV_LIST_SEPARATOR.join(unit["name"] for unit in record["units"]),
            "officers": CSV_LIST_SEPARATOR.join(officer_label(o) for o in record["officers"]),
            "activities": CSV_LIST_SEPARATOR.join(a["name"] for a in record["activities"]),
            "places": CSV_LIST_SEPARATOR.join(record["places"]),
            "sources": CSV_LIST_SEPARATOR.join(record["sources"]),
            "modified": csv_date(record["modified"]) if record["modified"] else "",
            "corrections": CSV_LIST_SEPARATOR.join(
                f"{csv_date(c['date'])}: {c['note']}" for c in record["corrections"]
            ),
        }
        table.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def get_generators(pelican):
    return OpenDataGenerator


def register():
    archive_settings.connect()
    signals.get_generators.connect(get_generators)
