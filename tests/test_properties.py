"""Property-based tests (hypothesis) of metadata parsing, the registry resolver
and the sanitizer. `pytest tests/test_properties.py --hypothesis-show-statistics`
reports how many examples each property tried.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, run_pelican
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from markdown import Markdown

from arsip.content import metadata_list, parse_release
from arsip.registry import Registry, UnknownName, normalize
from arsip.rules import check_content
from arsip.settings import load
from plugins.sanitize import ALLOWED_TAGS, clean_html

# As many examples as the profile says (tests/conftest.py).
EXAMPLES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

REGISTRY = Registry.load(CONTENT)
SETTINGS = load()
KIND_ENTRIES = [(kind, entry) for kind in ("units", "activities") for entry in REGISTRY.all(kind)]
OFFICERS = REGISTRY.all("officers")
RANK_SPELLINGS = sorted({spelling for spelling in REGISTRY.vocabulary.ranks})

# Text a metadata value may hold: anything but line breaks (which end a field).
line_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
    max_size=60,
)
# Field names Pelican passes through untouched (not title, date, slug, ...).
field_name = st.from_regex(r"X[a-z][a-z0-9_]{0,10}", fullmatch=True)
# Items of a list field: no separator, no markup, not blank.
list_item = (
    st.text(
        st.characters(
            whitelist_categories=("L", "N", "Zs", "Pd", "Po"),
            blacklist_characters=";,&<>\"'\xa0",
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


# -- metadata ------------------------------------------------------------------


@EXAMPLES
@given(items=st.lists(list_item, min_size=1, max_size=6))
def test_list_fields_split_on_semicolons_then_commas(items):
    unique = list(dict.fromkeys(items))  # Pelican drops repeated items, keeps the order
    assert metadata_list("; ".join(items)) == unique
    assert metadata_list(",".join(items)) == unique


def markdown_meta(text: str) -> tuple[dict[str, str], str]:
    """Python-Markdown's own `meta` extension: the fields it reads, and the body it leaves."""
    md = Markdown(extensions=["meta"])
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for name in ("normalize_whitespace", "meta"):
        lines = md.preprocessors[name].run(lines)
    fields = {key: " ".join(v for v in values if v) for key, values in md.Meta.items()}
    return fields, "\n".join(lines).strip("\n")


header_line = st.one_of(
    st.builds(lambda n, v: f"{n}: {v}", field_name, line_text),
    st.builds(lambda n, v: f"{n}:{v}", field_name, line_text),
    st.builds(lambda v: f"    {v}", line_text),  # a continuation
    st.builds(lambda v: f"\t{v}", line_text),
    st.sampled_from(["", "---", "...", "Title: Uji", "Date: 2024-11-08", " Slug: uji", "teks"]),
    line_text,
)


@EXAMPLES
@given(
    lines=st.lists(header_line, max_size=10),
    bom=st.booleans(),
    ending=st.sampled_from(["\n", "\r\n", "\r"]),
    fence=st.booleans(),
)
def test_the_parser_reads_a_header_as_markdown_does(lines, bom, ending, fence):
    text = ending.join((["---"] if fence else []) + lines + ["", "Isi rilis."])
    text = ("\ufeff" if bom else "") + text
    fields, body = markdown_meta(text)
    release = parse_release("rilis.md", text)
    assume(len(fields) == len(release.header))  # repeated fields: an error of their own
    assert release.metadata == fields
    assert release.body.strip("\n") == body


# Malformed release files: a good one, then random damage.
GOOD = (
    "Title: Patroli Malam\nDate: 2024-11-30 21:00\nSlug: patroli-malam\n"
    "Summary: Patroli.\nUnits: Polsek Menteng\nActivities: Patroli Tiga Pilar\n"
    "Sources: kabarmetro.co\nStatus: published\n\nIsi rilis.\n"
)
damage = st.sampled_from(
    [
        lambda t: "\ufeff" + t,
        lambda t: "---\n" + t.replace("\n\n", "\n---\n", 1),
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("Summary: Patroli.", "Summary: Patroli\n\tmalam."),
        lambda t: t.replace("Status: published", "Status: published\nTitle: Lagi"),
        lambda t: t.replace("Status: published", "Status: published\nSave_as: index.html"),
        lambda t: t.replace("Status: published", "Status: published\nWarna: merah"),
        lambda t: t.replace("Status: published\n", ""),
        lambda t: t.replace("\n\n", "\n"),
        lambda t: t.replace("2024-11-30 21:00", "2024-11-30T21:00+07:00"),
        lambda t: t.replace("2024-11-30 21:00", "30/11/2024"),
        lambda t: t.replace("2024-11-30 21:00", "2999-12-31"),
        lambda t: t.replace("2024-11-30 21:00", "2024-11-31"),
        lambda t: t.replace("patroli-malam", "Patroli Malam!"),
        lambda t: t.replace("patroli-malam", "p" * 300),
        lambda t: t.replace("Isi rilis.", ""),
        lambda t: t.replace("Isi rilis.", "Isi\x00rilis."),
        lambda t: t.replace("Polsek Menteng", "Polsek Mentenk"),
        lambda t: t.replace("Status: published", "Status: terbit"),
        lambda t: t.replace("Title: ", "Title:"),
        lambda t: t + "\n" * 3,
        lambda t: "",
    ]
)
encoding = st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"])
names = st.sampled_from(["rilis.md", "rilis.MD", "rilis.markdown", ".rilis.md", "rilis.txt"])


def malformed_file(draw, number: int = 0) -> tuple[str, bytes]:
    text = GOOD.replace("patroli-malam", f"patroli-malam-{number}")  # a slug of its own
    for change in draw(st.lists(damage, max_size=3)):
        text = change(text)
    return draw(names), text.encode(draw(encoding), errors="replace")


def bare_content(folder: Path) -> Path:
    """A content folder holding the real registry and no release."""
    content = folder / "content"
    (content / "rilis").mkdir(parents=True)
    shutil.copytree(CONTENT / "registry", content / "registry")
    return content


@pytest.fixture(scope="module")
def bare(tmp_path_factory) -> Path:
    """One bare content folder: each example writes its own releases into it."""
    return bare_content(tmp_path_factory.mktemp("bare"))


def holding(content: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    """`content` with `files` as its only releases, each in a folder of its own."""
    shutil.rmtree(content / "rilis")
    paths = []
    for number, (name, payload) in enumerate(files):
        path = content / "rilis" / str(number) / name
        path.parent.mkdir(parents=True)
        path.write_bytes(payload)
        paths.append(path)
    return paths


@EXAMPLES
@given(data=st.data())
def test_any_file_gets_located_one_line_findings(bare, data):
    name, payload = malformed_file(data.draw)
    holding(bare, [(name, payload)])
    problems = check_content(bare, SETTINGS)
    line_count = max(1, payload.count(b"\n") + payload.count(b"\r") + 1)
    for problem in problems:
        assert 1 <= problem.line <= line_count, problem
        assert re.fullmatch(r"[^\n]+:\d+: (error|warning|note): [^\n]+", str(problem)), problem


# Each example builds twice (the files the checker passes, then those it fails):
# 3 examples of 10 files try more files than 12 builds of one did.
BUILT_FILES = 10


@settings(max_examples=3, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_build_gives_the_checkers_verdict(tmp_path_factory, data):
    """Built with `pelican`: the files with an error fail the build with exactly the
    checker's errors; the others build, and each published one gets its page."""
    files = [malformed_file(data.draw, number) for number in range(BUILT_FILES)]
    folder = tmp_path_factory.mktemp("verdict")
    passed, failed = bare_content(folder / "passed"), bare_content(folder / "failed")
    paths = holding(passed, files)
    with_errors = {p.path for p in check_content(passed, SETTINGS) if p.level == "error"}
    for path in paths:
        if path in with_errors:
            path.parent.rename(failed / "rilis" / path.parent.name)
    for content in (passed, failed):
        errors = [str(p) for p in check_content(content, SETTINGS) if p.level == "error"]
        if not any((content / "rilis").iterdir()):
            continue
        event(f"built the files that {content.parent.name}")
        output = content.parent / "output"
        build = run_pelican(content, output)
        printed = [line for line in build.stderr.splitlines() if ": error: " in line]
        assert "Traceback" not in build.stderr
        if content == failed:
            assert errors and build.returncode == 1 and printed == errors, build.stderr
            assert not output.exists()
            continue
        assert errors == [] and build.returncode == 0, build.stderr
        for path in (content / "rilis").rglob("*"):
            if path.is_file():
                release = parse_release(path.name, path.read_bytes().decode("utf-8"))
                if release.metadata["status"] == "published":
                    page = output / "rilis/2024/11" / release.metadata["slug"]
                    assert (page / "index.html").is_file(), path


# -- registry --------------------------------------------------------------------

punctuation = st.sampled_from([" ", "  ", " - ", ". ", ", ", "/", " (", ") ", "_", "\t"])


def decorate(draw, text: str) -> str:
    """`text` with random case per letter and random punctuation between words."""
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    words = cased.split()
    glue = [draw(punctuation) for _ in words]
    return draw(st.sampled_from(["", " ", "."])) + "".join(
        word + (glue[i] if i < len(words) - 1 else "") for i, word in enumerate(words)
    )


@EXAMPLES
@given(data=st.data())
def test_any_spelling_with_random_case_and_punctuation_resolves(data):
    kind, entry = data.draw(st.sampled_from(KIND_ENTRIES))
    spelling = data.draw(st.sampled_from([*entry.spellings, entry.slug]))
    written = decorate(data.draw, spelling)
    assert REGISTRY.resolve(kind, written) == entry


@EXAMPLES
@given(data=st.data())
def test_any_officer_with_rank_post_and_degrees_resolves(data):
    officer = data.draw(st.sampled_from(OFFICERS))
    parts = []
    if officer.service and data.draw(st.booleans()):
        parts.append(decorate(data.draw, officer.service[-1].post))
    if data.draw(st.booleans()):
        parts.append(data.draw(st.sampled_from(RANK_SPELLINGS)).title())
    parts.append(
        decorate(data.draw, data.draw(st.sampled_from(officer.spellings))).strip(" ./,(_-")
    )
    written = " ".join(parts)
    degrees = data.draw(st.lists(st.sampled_from(officer.degrees or ("S.H.",)), max_size=3))
    if degrees:
        written += ", " + ", ".join(degrees)
    assert REGISTRY.resolve("officers", written) == officer


@EXAMPLES
@given(kind=st.sampled_from(["units", "officers", "activities"]), text=st.text(max_size=80))
def test_random_text_resolves_or_raises_unknown_name(kind, text):
    try:
        entry = REGISTRY.resolve(kind, text)
    except UnknownName as error:
        assert error.value == text
        names = {e.name for e in REGISTRY.all(kind)}
        assert error.suggestion is None or error.suggestion in names
        assert f"add it to registry/{error.kind.file}" in str(error)
    else:
        assert entry in REGISTRY.all(kind)
    mention = REGISTRY.read_officer(text)
    assert mention.text == text


@EXAMPLES
@given(text=st.text(max_size=80))
def test_normalize_is_idempotent_and_ignores_case(text):
    once = normalize(text)
    assert normalize(once) == once
    assert normalize(text.casefold()) == once
    assert once == once.strip() and "  " not in once


# -- sanitizer -------------------------------------------------------------------

hostile_fragment = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href='javascript:alert(1)'>",
        '<a href="java\tscript:alert(1)">',
        "<iframe src=//x>",
        "<style>*{}</style>",
        "<svg onload=alert(1)>",
        "<p onclick=alert(1)>",
        "<math><mi xlink:href='javascript:alert(1)'>",
        "<object data=x>",
        "<form action=x><button formaction=javascript:alert(1)>",
        "<!--",
        "-->",
        "<",
        ">",
        '"',
        "'",
        '<a href="https://ok.example/">ok</a>',
        "<p>",
        "</p>",
        "<em>",
        "<table><tr><td>",
        "&lt;",
        "&#x3C;",
        "<img src='data:text/html,x'>",
        "<base href=//x>",
        "<meta http-equiv=refresh content=0>",
        "<link rel=stylesheet href=//x>",
        "<div style='background:url(javascript:alert(1))'>",
    ]
)


@EXAMPLES
@given(parts=st.lists(st.one_of(hostile_fragment, st.text(max_size=10)), max_size=12))
def test_sanitized_html_has_only_allowed_tags_and_safe_attributes(parts):
    cleaned = clean_html("".join(parts))
    soup = BeautifulSoup(cleaned, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in ALLOWED_TAGS, cleaned
        for attribute, value in tag.attrs.items():
            assert not attribute.startswith("on"), cleaned
            if attribute in ("href", "src"):
                assert re.match(r"^(https?:|mailto:|tel:|[^:]*$)", value, re.IGNORECASE), cleaned
            if attribute == "style":
                assert re.fullmatch(r"text-align:\s*[a-z]+;?", value), cleaned
    assert clean_html(cleaned) == cleaned  # cleaning twice changes nothing
