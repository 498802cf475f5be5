"""The three kinds of term, defined once: units, officers, activity types.

Everything else reads them from here: the registry's files, the URL segments
and settings of term pages, the Indonesian labels the templates and the search
page show, and the filter names of the search index.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One taxonomy: its metadata field, registry file, URLs and Indonesian names."""

    key: str  # metadata field and registry key: "units"
    file: str  # registry file: "units.yaml"
    singular: str  # English, in messages to editors: unknown unit "X"
    label: str  # URL segment and search filter name: "satuan"
    setting: str  # settings prefix, as Pelican's URLWrapper reads it: UNIT_URL
    heading: str  # Indonesian heading of its index and its search filter: "Satuan"
    short: str  # Indonesian name in menus and a release's details: "Kegiatan"
    every: str  # Indonesian "all of them", a filter's empty choice: "Semua satuan"
    follow: str  # Indonesian, before a term's name in "Ikuti rilis baru ...": "yang melibatkan"

    def url_setting(self, suffix: str, settings=None) -> str:
        """A term URL pattern ("URL", "SAVE_AS", "FEED_ATOM"): from `settings`, else the default."""
        default = {
            "URL": f"{self.label}/{{slug}}/",
            "SAVE_AS": f"{self.label}/{{slug}}/index.html",
            "FEED_ATOM": f"{self.label}/{{slug}}/atom.xml",
        }[suffix]
        return (settings or {}).get(f"{self.setting}_{suffix}", default)


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            "units",
            "units.yaml",
            "unit",
            "satuan",
            "UNIT",
            "Satuan",
            "Satuan",
            "Semua satuan",
            "yang melibatkan",
        ),
        Kind(
            "officers",
            "officers.yaml",
            "officer",
            "personel",
            "OFFICER",
            "Personel",
            "Personel",
            "Semua personel",
            "yang menyebut",
        ),
        Kind(
            "activities",
            "activities.yaml",
            "activity type",
            "kegiatan",
            "ACTIVITY",
            "Jenis kegiatan",
            "Kegiatan",
            "Semua kegiatan",
            "tentang kegiatan",
        ),
    )
}
# The release fields that name terms, in the order pages show them.
TAXONOMY_FIELDS = tuple(KINDS)
