"""A release's title and summary: the text's headline, else proposed from its first sentence."""

from __future__ import annotations

import re

from arsip.content import SMALL_WORDS
from arsip.importer.outlets import DOMAIN, scan_prefix

SUMMARY_WORDS = 60
TITLE_WORDS = 12
QUOTED = re.compile(r"[\u201c\"]([^\u201d\"\n]{3,120})[\u201d\"]")
# A page title's tail naming the outlet: "... - Harmoninews.com", "... | Rasionews".
OUTLET_TAIL = re.compile(
    rf"\s+(?:[|\u2013\u2014-]\s*(?:{DOMAIN.pattern})|\|\s*[^|]{{2,40}})\s*$", re.I
)


def clean_headline(text: str) -> str:
    """A headline without the outlet's name around it ("Harmoninews.com – ...")."""
    prefix = scan_prefix(text)
    if prefix and prefix.outlets:
        text = text[prefix.end :]
    text = OUTLET_TAIL.sub("", text).strip()
    return text if any(c.isalnum() for c in text) else ""


def sentences(text: str) -> list[str]:
    """Split on ". " before a capital, not after abbreviations such as "Rw." or "S.H."."""
    parts, start = [], 0
    for match in re.finditer(r"[.!?]\s+(?=[A-Z\u201c\"])", text):
        before = text[start : match.start()].split()
        last = before[-1] if before else ""
        if len(last.strip('(\u201c"')) < 4 or "." in last:
            continue
        parts.append(text[start : match.start() + 1].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def without_dateline(text: str) -> str:
    """The first paragraph without its dateline ("Jakarta Pusat – | Rasionews | ")."""
    prefix = scan_prefix(text)
    return text[prefix.end :] if prefix else text


def _without_date(text: str, date_text: str, dateline: bool = True) -> str:
    """The text without its dateline and date, sentence ends kept."""
    if dateline:
        text = without_dateline(text)
    if date_text:
        pattern = r"(?:\b[Pp]ada\s+)?" + re.escape(date_text) + r"[\s,\u2013\u2014-]*"
        text = re.sub(pattern, "\0", text, count=1)
        text = re.sub(r"\.\s*\0\s*\.", ".", text)  # "Pilkada 2024. Kamis (28/11/2024)."
        text = re.sub(r"[\s,]*\0\s*\.", ".", text)  # "warga, Jumat (6/12/2024). Kegiatan"
        text = text.replace("\0", " ")
    text = " ".join(text.split()).strip(" ,|\u2013\u2014-")
    return text[:1].upper() + text[1:]


def lead_sentence(paragraphs: list[str], date_text: str) -> str:
    """The body's first sentence, without dateline and date ("" if there is none)."""
    for index, paragraph in enumerate(paragraphs):
        found = sentences(_without_date(paragraph, date_text, dateline=index == 0))
        if found and any(c.isalpha() for c in found[0]):
            return found[0]
    return ""


def propose_title(paragraphs: list[str], date_text: str) -> str:
    """A headline buried in the text ("Kegiatan “...”"), else a short first sentence."""
    for match in QUOTED.finditer(paragraphs[0]):
        if len(match[1].split()) >= 4:
            return match[1].strip(" .,")
    sentence = lead_sentence(paragraphs, date_text)
    # Asides in parentheses make long titles: "Pemilihan Kepala Daerah (Pilkada) Serentak".
    sentence = re.sub(r"\s*\([^)]*\)", "", sentence).rstrip(".").strip() or sentence
    clause = sentence.split(",")[0]
    words = (clause if len(clause.split()) >= 5 else sentence).split()[:TITLE_WORDS]
    while words and words[-1].lower() in SMALL_WORDS:
        words.pop()
    title = " ".join(_title_case(w, first=i == 0) for i, w in enumerate(words)).strip(" ,")
    return title or sentence


def _title_case(word: str, first: bool) -> str:
    if not first and word.lower() in SMALL_WORDS:
        return word.lower()
    return word[:1].upper() + word[1:]


def propose_summary(paragraphs: list[str], date_text: str) -> str:
    sentence = lead_sentence(paragraphs, date_text)
    words = sentence.split()
    if len(words) > SUMMARY_WORDS:
        return " ".join(words[:SUMMARY_WORDS]).rstrip(",;:") + "\u2026"
    return sentence
