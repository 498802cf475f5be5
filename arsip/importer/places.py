"""Where a release happened: venue, street, RT/RW, Kelurahan, Kecamatan and city."""

from __future__ import annotations

import re

from arsip.registry import normalize

PLACE_STOP = {"rt", "rw", "kelurahan", "kecamatan", "kel", "kec", "jakarta", "kota", "kabupaten"}
CITY = re.compile(r"\bJakarta\s+(?:Pusat|Utara|Selatan|Barat|Timur)\b")
TRAILING_PUNCTUATION = ",.;:)\u201d\"'\u2019"


def find_places(text: str) -> list[str]:
    """Venue, street, RT/RW, Kelurahan, Kecamatan and city, as the text names them."""
    places = []
    venue = re.search(r"\bbertempat\s+di\s+([^,.;\n]+)", text)
    if venue:
        places.append(venue[1].strip()[:1].upper() + venue[1].strip()[1:])
    street = _named_after(text, r"(?<![A-Za-z])(?:[Jj]alan|[Jj]ln?\.)\s+")
    if street:
        places.append(f"Jalan {street}")
    numbers = {}
    for match in re.finditer(r"(?<![A-Za-z])(RT|RW)\.?\s*(\d{1,3})(?!\d)", text, re.IGNORECASE):
        numbers.setdefault(match[1].upper(), match[2])
    neighbourhood = [f"{k} {numbers[k]}" for k in ("RT", "RW") if k in numbers]
    if neighbourhood:
        places.append("/".join(neighbourhood))
    for label, pattern in (
        ("Kelurahan", r"Kel(?:urahan|\.)\s*"),
        ("Kecamatan", r"Kec(?:amatan|\.)\s*"),
    ):
        name = _named_after(text, rf"(?<![a-z]){pattern}")
        if name:
            places.append(f"{label} {name}")
    city = CITY.search(text)
    if city:
        places.append(city[0])
    return places


def _named_after(text: str, keyword: str) -> str:
    """The capitalised words after `keyword`, up to punctuation or a place word."""
    match = re.search(keyword + r"(?=[A-Z0-9])", text)
    if not match:
        return ""
    words = []
    for word in text[match.end() :].split()[:4]:
        core = word.strip(TRAILING_PUNCTUATION)
        if not core[:1].isupper() and not core[:1].isdigit() or normalize(core) in PLACE_STOP:
            break
        words.append(core)
        if core != word:
            break
    return " ".join(words)
