"""Characters a reader cannot see, which can make one text pass for another.

A release pasted from a web page can carry direction overrides (U+202E shows
"gpj.exe" as "exe.jpg"), zero-width characters (two slugs or names that look
the same but differ), soft hyphens, byte order marks and control characters.
None of them belongs in an archived press release: `strip_invisible` removes
them, `has_invisible` finds them. The sanitizer (plugins/sanitize.py) removes
them from every text it publishes; the release validator reports them.

What is removed: Unicode's default-ignorable code points (format and
direction characters, zero-width spaces and joiners, soft hyphen, word
joiner, invisible operators, variation selectors other than the emoji ones,
Hangul fillers, tag characters), the interlinear annotation characters,
noncharacters, and control characters other than tab, line feed and carriage
return. Variation selectors 15 and 16 stay: they pick an emoji's
presentation, and show nothing on their own.
"""

from __future__ import annotations

import re
import unicodedata

_RANGES = (
    (0x00, 0x08),  # C0 controls (tab, line feed and carriage return stay)
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),  # DEL, C1 controls
    (0xAD, 0xAD),  # soft hyphen
    (0x34F, 0x34F),  # combining grapheme joiner
    (0x61C, 0x61C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian variation selectors and vowel separator
    (0x200B, 0x200F),  # zero-width space, non-joiner, joiner; LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated formats
    (0x3164, 0x3164),  # Hangul filler
    (0xFDD0, 0xFDEF),  # noncharacters
    (0xFE00, 0xFE0D),  # variation selectors 1-14
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte order mark)
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler
    (0xFFF0, 0xFFFB),  # unassigned specials, interlinear annotation
    (0xFFFE, 0xFFFF),  # noncharacters
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical formatting
    (0xE0000, 0xE0FFF),  # tag characters, variation selectors supplement
)
_NONCHARACTER_PLANES = tuple((plane << 16 | 0xFFFE, plane << 16 | 0xFFFF) for plane in range(1, 17))


def _character_class(ranges) -> re.Pattern:
    return re.compile(
        "["
        + "".join(
            re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high != low else "")
            for low, high in ranges
        )
        + "]"
    )


INVISIBLE = _character_class((*_RANGES, *_NONCHARACTER_PLANES))
# The same, for text without characters beyond U+FFFF (nearly all): the full
# class, with its ranges in the supplementary planes, is several times slower.
_INVISIBLE_BMP = _character_class(r for r in _RANGES if r[1] <= 0xFFFF)


def _beyond_bmp(text: str) -> bool:
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def has_invisible(text: str) -> bool:
    if _INVISIBLE_BMP.search(text):
        return True
    return _beyond_bmp(text) and INVISIBLE.search(text) is not None


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """`text` without invisible characters, and the distinct characters removed
    in the order they first appear (empty when `text` had none)."""
    if not has_invisible(text):
        return text, []
    return INVISIBLE.sub("", text), list(dict.fromkeys(INVISIBLE.findall(text)))


def describe(characters) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE, U+0001' for messages."""
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '')}".rstrip() for c in characters)
