"""Raw text as pasted from an outlet's page: bytes checked, page debris left out.

Web pages wrap a release in furniture: view counters, comment forms, banners,
share buttons, "related" link lists, bylines. Whole lines of it are dropped
here; a body line is never changed, only a hard-wrapped paragraph is joined.
"""

from __future__ import annotations

import re
from pathlib import Path

from arsip.settings import DEFAULTS

# Whole lines that web pages add around a release. Body lines are never matched:
# every pattern is anchored at both ends of the line.
DEBRIS = re.compile(
    r"""^(?:
        .{0,40}?\d[\d.,]*\s*(?:kali\s+)?dilihat          # "Uncategorized432 Dilihat", "TNI & Polri202 Dilihat"
      | dilihat\s*:?\s*\d[\d.,]*(?:\s*kali)?             # "Dilihat: 432 kali"
      | (?:\d+\s+)?komentar|(?:tuliskan|tulis|beri|berikan)\s+komentar(?:\s+anda)?
      | tinggalkan\s+(?:balasan|komentar)|no\s+comments?|batal\s+balas
      | alamat\s+email\s+anda\s+tidak\s+akan\s+dipublikasikan.*
      | (?:ruas|kolom)\s+yang\s+wajib\s+ditandai.*
      | uncategorized|berita(?:\s+\w+)?|headline|terkini|nasional|daerah|kriminal|peristiwa
      | megapolitan|metropolitan|polri|tni\s*(?:&|dan|-)\s*polri|hukum|hukrim|news|kamtibmas
      | regional|pemerintahan|politik|ekonomi|olahraga|pendidikan|kesehatan|trending|populer
      | (?:bagikan|share)(?:\s+(?:ini|this|artikel))?\s*:?|like\s+this\s*:?|related|iklan
      | -*\s*advertisements?\s*-*|pasang\s+iklan|space\s+iklan|scroll\s+(?:to|untuk)\s+\w+.*
      | banner(?:\s+\d+\s*x\s*\d+)?|\d{2,4}\s*x\s*\d{2,4}
      | (?:baca|simak|lihat)\s+(?:juga|pula)\b.*
      | (?:berita|artikel|pos|posting|post)\s+terkait|jangan\s+lewatkan|rekomendasi|pilihan\s+editor
      | silakan\s+baca\s+konten\s+menarik\s+lainnya.*|ikuti\s+(?:kami|berita).*google\s+news.*
      | (?:tags?|editor|penulis|reporter|wartawan|publish(?:ed|er)?|foto|sumber\s+foto|redaktur)\s*:.*
      | (?:home|beranda)\s*[»>/].*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Markers after which a page lists links to other articles.
RELATED = re.compile(
    r"^(?:(?:baca|simak|lihat)\s+(?:juga|pula)|(?:berita|artikel|pos|posting)\s+terkait|"
    r"jangan\s+lewatkan|silakan\s+baca\s+konten|rekomendasi)",
    re.IGNORECASE,
)
BULLET = re.compile(r"^(?:[-\u2013\u2022*\u25aa\u25cf]\s+|\d{1,2}[.)]\s+)")
# An outlet's byline under the release: "(Rohena)", "( Anto )", "M.NUR", "RN/Indah", "(red)".
BYLINE = re.compile(
    r"^(?:\(\s*[\w.'/&* -]{1,30}\s*\)|[A-Z]{1,4}(?:[./][A-Za-z]{1,12})+|[A-Z][a-z]{0,2}\.?|\*+)$"
)
SIGN_OFF_WORDS = re.compile(r"\b(?:humas|polres|polsek|polda|bid|tribrata)\b", re.IGNORECASE)
# Ends of a line that close a sentence; a body line without one was wrapped by hand.
SENTENCE_END = ".!?:;\"'\u201d\u2019)\u00bb"


class RawReleaseError(Exception):
    """A raw release that cannot be imported; `line` points at the cause."""

    def __init__(self, message: str, line: int = 1):
        self.line = line
        super().__init__(message)


def read_raw(path: Path) -> list[tuple[int, str]]:
    """The non-empty lines of a raw release with their numbers, debris removed."""
    try:
        size = path.stat().st_size
        if size > DEFAULTS["RELEASE_MAX_BYTES"]:
            raise RawReleaseError(
                f"too large for the build ({size:,} bytes; a release may have "
                f"{DEFAULTS['RELEASE_MAX_BYTES']:,}): import the release's own text only"
            )
        data = path.read_bytes()
    except OSError as error:
        raise RawReleaseError(f"cannot read the file: {error.strerror}") from None
    if not data.strip():
        raise RawReleaseError("empty file: paste the release's text into it")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise RawReleaseError("binary file, not text: import the release's text as .txt", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        raise RawReleaseError(
            f"not UTF-8 (byte 0x{byte:02X}): save the file as UTF-8 and import it again", line
        ) from None
    lines = []
    after_related = False
    for number, line in enumerate(text.splitlines(), start=1):
        line = " ".join(line.replace("\u00a0", " ").replace("\u200b", "").split())
        if not line:
            continue
        if RELATED.match(line):
            after_related = True
        elif after_related and BULLET.match(line):
            continue  # a link in the list of other articles
        else:
            after_related = False
        if not DEBRIS.match(line):
            lines.append((number, line))
    lines = _without_bylines(lines)
    if not lines:
        raise RawReleaseError("no text left once web-page debris is removed")
    return lines


def _without_bylines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop the outlet's bylines and initials after the last paragraph."""
    end = len(lines)
    while end > 1 and _is_byline(lines[end - 1][1]):
        end -= 1
    return lines[:end]


def _is_byline(text: str) -> bool:
    return bool(BYLINE.match(text)) and not SIGN_OFF_WORDS.search(text)


def join_wrapped(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Paragraphs from lines, joining lines a hard wrap split ("Hal" / "ini terlihat ...").

    A line joins the next one when it does not end a sentence and the two were
    adjacent in the file. In a text wrapped by hand (two or more lines that stop
    mid-sentence before a lowercase word) that is enough; elsewhere the next line
    must also start in lowercase, so a subheading stays apart.
    """
    if not lines:
        return []
    breaks = sum(
        1
        for (number, text), (following, after) in zip(lines, lines[1:], strict=False)
        if following == number + 1 and _open(text) and after[:1].islower()
    )
    wrapped = breaks >= 2
    paragraphs = [list(lines[0])]
    previous = lines[0][0]
    for number, text in lines[1:]:
        last = paragraphs[-1][1]
        adjacent = number == previous + 1
        if adjacent and _open(last) and not BULLET.match(text) and (wrapped or text[:1].islower()):
            paragraphs[-1][1] = f"{last} {text}"
        else:
            paragraphs.append([number, text])
        previous = number
    return [(number, text) for number, text in paragraphs]


def _open(text: str) -> bool:
    """A line that stops mid-sentence."""
    return text[-1:] not in SENTENCE_END
