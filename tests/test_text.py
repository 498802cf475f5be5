"""arsip/text.py: invisible and direction-changing characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arsip.text import describe, has_invisible, strip_invisible

# The characters the issue names, and the other ways to hide or reorder text.
INVISIBLE = [
    *map(chr, range(0x202A, 0x202F)),  # bidi embeddings and overrides
    *map(chr, range(0x2066, 0x206A)),  # bidi isolates
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u180e",  # Mongolian vowel separator
    "\u3164",  # Hangul filler
    "\U000e0041",  # tag character
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\ufffe",
]
# Text a release may hold, none of it invisible.
VISIBLE = "Jalan Cikini Raya No. 5, Kelurahan Cikini — Évaluasi “Tiga Pilar” 100% ❤️ 👮\xa0RT 001/RW 09\tx\ny\r"


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_invisible_character_is_removed(character):
    text = f"Polsek{character} Menteng{character}"
    assert has_invisible(text)
    assert strip_invisible(text) == ("Polsek Menteng", [character])


def test_visible_text_is_left_alone():
    assert not has_invisible(VISIBLE)
    assert strip_invisible(VISIBLE) == (VISIBLE, [])


def test_removed_characters_are_listed_once_in_order():
    clean, removed = strip_invisible("a\u202eb\u200bc\u202ed")
    assert clean == "abcd"
    assert removed == ["\u202e", "\u200b"]
    assert describe(removed) == "U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE"
    assert describe(["\x01"]) == "U+0001"


@given(st.text())
def test_what_is_left_is_visible_and_nothing_visible_is_lost(text):
    clean, removed = strip_invisible(text)
    assert not has_invisible(clean)
    assert [c for c in text if c not in removed] == list(clean)
    # Format characters (Cf) never stay, apart from those that show as a sign.
    assert all(
        unicodedata.category(c) != "Cf"
        or c
        in "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"
        or 0x13430 <= ord(c) <= 0x1345F
        for c in clean
    )
