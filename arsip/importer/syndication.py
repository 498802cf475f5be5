"""Copies of one release carried by several outlets (or editions of one outlet).

Two texts are the same release when they report the same day and their words
are near-identical once the outlets' datelines are left out. The threshold was
measured with `invoke eval-import` (bench/eval_import.py prints the closest
pair that is not a copy and the farthest pair that is).
"""

from __future__ import annotations

from pathlib import Path

from rapidfuzz import fuzz

from arsip.content import read_release
from arsip.importer.titles import without_dateline
from arsip.registry import normalize

# Similarity (0-100) from which two texts of the same day are one release: between the two.
SAME_RELEASE = 75  # copies in the dev set: 94 or more; other texts: 55 at most


def comparable(body: str) -> str:
    """A body's words, without the outlet's dateline, case and punctuation."""
    lines = [line for line in body.splitlines() if line.strip()]
    if lines:
        lines[0] = without_dateline(lines[0])
    return normalize(" ".join(lines))


def similarity(first: str, second: str, cutoff: float = 0) -> float:
    """How alike two `comparable` texts are, 0 to 100 (0 below `cutoff`)."""
    return fuzz.ratio(first, second, score_cutoff=cutoff)


class Copies:
    """The releases of each day, to find the one a new text copies.

    Releases already in the archive are read only for the days asked about.
    """

    def __init__(self, days: dict[str, list[Path]]):
        self.archive = days
        self.days: dict[str, list[tuple[object, str]]] = {}

    def _day(self, day: str) -> list[tuple[object, str]]:
        if day not in self.days:
            paths = self.archive.get(day, ())
            self.days[day] = [(path, comparable(read_release(path).body)) for path in paths]
        return self.days[day]

    def find(self, day: str, text: str):
        """The owner (a path or a draft) of the release `text` copies, or None."""
        best, owner = 0.0, None
        for candidate, other in self._day(day):
            score = similarity(text, other, SAME_RELEASE)
            if score > best:
                best, owner = score, candidate
        return owner

    def add(self, day: str, owner, text: str) -> None:
        self._day(day).append((owner, text))
