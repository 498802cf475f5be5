"""Property-based tests (hypothesis) of metadata parsing, the registry resolver
and the sanitizer. `pytest tests/test_properties.py --hypothesis-show-statistics`
reports how many examples each property tried.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT, ROOT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pelican import Pelican
from pelican.readers import Readers
from pelican.settings import read_settings

from arsip.checks import check_release, read_header
from arsip.content import field_lines, metadata_list
from arsip.registry import Registry, UnknownName, normalize
from plugins.sanitize import ALLOWED_TAGS, clean_html

EXAMPLES = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

REGISTRY = Registry.load(CONTENT)
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


@pytest.fixture(scope="module")
def readers():
    """Pelican's readers with the archive's settings and plugins (sanitize included)."""
    pelican_settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(CONTENT)})
    Pelican(pelican_settings)  # connects the plugins' signal receivers
    return Readers(pelican_settings)


# -- metadata ------------------------------------------------------------------


@EXAMPLES
@given(items=st.lists(list_item, min_size=1, max_size=6))
def test_list_fields_split_on_semicolons_then_commas(items):
    unique = list(dict.fromkeys(items))  # Pelican drops repeated items, keeps the order
    assert metadata_list("; ".join(items)) == unique
    assert metadata_list(",".join(items)) == unique


@EXAMPLES
@given(fields=st.dictionaries(field_name, line_text, min_size=1, max_size=8))
def test_header_lines_read_the_same_by_checks_field_lines_and_pelican(readers, fields):
    assume(len({name.lower() for name in fields}) == len(fields))
    header = "".join(f"{name}: {value}\n" for name, value in fields.items())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "rilis.md")
        path.write_text(f"Title: Uji\n{header}\nIsi.\n", encoding="utf-8")
        problems: list[str] = []
        parsed = read_header(path, path.read_text(encoding="utf-8"), problems)
        assert problems == []
        lines = field_lines(path)
        article = readers.read_file(folder, "rilis.md")
    for number, (name, value) in enumerate(fields.items(), start=2):
        assert parsed.fields[name.lower()] == (number, value.strip())
        assert lines[name.lower()] == number
        assert article.metadata[name.lower()] == value.strip()


@EXAMPLES
@given(places=st.lists(list_item, min_size=1, max_size=5))
def test_list_field_round_trip_through_pelican_and_sanitizer(readers, places):
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "rilis.md").write_text(
            f"Title: Uji\nDate: 2024-11-08\nPlaces: {'; '.join(places)}\n\nIsi.\n", encoding="utf-8"
        )
        article = readers.read_file(folder, "rilis.md")
    assert metadata_list(article.metadata["places"]) == list(dict.fromkeys(places))


@EXAMPLES
@given(text=st.text(max_size=400))
def test_any_text_is_checked_without_crashing_and_problems_are_located(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "rilis.md")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        release = check_release(path)
    line_count = max(1, len(text.splitlines()))
    for problem in release.problems:
        match = re.match(rf"{re.escape(str(path))}:(\d+): ", problem)
        assert match and 1 <= int(match[1]) <= line_count, problem


@EXAMPLES
@given(
    fields=st.lists(
        st.tuples(field_name, line_text), min_size=2, max_size=8, unique_by=lambda f: f[0].lower()
    ),
    position=st.integers(min_value=1),
    stray=st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=30),
)
def test_a_line_without_colon_is_reported_on_its_line(fields, position, stray):
    stray = stray.strip()
    assume(stray and ":" not in stray)
    lines = [f"{name}: {value}" for name, value in fields]
    index = 1 + position % len(lines)  # after the first line, inside the header
    lines.insert(index, stray)
    problems: list[str] = []
    read_header(Path("rilis.md"), "\n".join(lines) + "\n\nIsi.\n", problems)
    assert problems and problems[0].startswith(f"rilis.md:{index + 1}: not a metadata line")


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
