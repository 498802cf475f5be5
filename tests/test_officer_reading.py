"""Reading officers as releases write them, including posts the registry lacks."""

from __future__ import annotations

import pytest
from conftest import CONTENT

from arsip.registry import Registry

REGISTRY = Registry.load(CONTENT)


@pytest.mark.parametrize(
    ("text", "post", "rank", "name", "degrees", "unit"),
    [
        # A post of a unit the registry does not know: split at the rank.
        ("Kapolsek Gambir AKP Budi Santoso, S.H.", "Kapolsek Gambir", "AKP", "Budi Santoso",
         ("S.H.",), None),
        # A post without its unit, as release 000 writes the Wakapolsek.
        ("Wakapolsek Kompol II Sutasman", "Wakapolsek", "Kompol", "II Sutasman", (), None),
        # Posts and ranks the registry and vocabulary already knew read as before.
        ("Kapolsek Metro Menteng Kompol Bayu Marfiando", "Kapolsek Metro Menteng", "Kompol",
         "Bayu Marfiando", (), "polsek-menteng"),
        ("Danramil Mayor Inf Toto Sugiarto, S.H.", "Danramil", "Mayor Inf", "Toto Sugiarto",
         ("S.H.",), None),
        ("Saiful Anwar", None, None, "Saiful Anwar", (), None),
    ],
)  # fmt: skip
def test_officer_mentions_are_taken_apart(text, post, rank, name, degrees, unit):
    mention = REGISTRY.read_officer(text)
    assert (mention.post, mention.rank, mention.name, mention.degrees, mention.unit) == (
        post,
        rank,
        name,
        degrees,
        unit,
    )


def test_a_post_names_the_kind_of_unit_it_heads():
    vocabulary = REGISTRY.vocabulary
    assert vocabulary.unit_named_by("Kapolsek Gambir") == "Polsek Gambir"
    assert (
        vocabulary.unit_named_by("Wakapolres Metro Jakarta Barat") == "Polres Metro Jakarta Barat"
    )
    assert vocabulary.unit_named_by("Danramil 01 Gambir") == "Koramil 01 Gambir"
    assert vocabulary.unit_named_by("Kapolsek") is None
    assert vocabulary.unit_named_by("Kanit Reskrim Polsek Gambir") is None


def test_lookup_finds_only_exact_spellings():
    assert REGISTRY.lookup("units", "satpol-pp").slug == "satpol-pp"
    assert REGISTRY.lookup("units", "Satpol PPP") is None
