"""Term pages for the three taxonomies: units, officers, activity types.

Adds to the build, for each taxonomy (satuan, personel, kegiatan):
- an index of all terms with their release counts (`/satuan/`), template `terms`;
- one paginated page per term listing exactly the releases that carry it
  (`/satuan/<slug>/`), template `term`;
- an Atom feed per term (`/satuan/<slug>/atom.xml`).
Officer pages also get `history`: the ranks and posts seen in releases.

Needs the `registry` plugin, which resolves the terms of each release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pelican import signals
from pelican.generators import Generator

from arsip.kinds import TAXONOMY_FIELDS
from arsip.registry import KINDS
from plugins.atom_feeds import FEED_PAGE_KEY


@dataclass
class Period:
    """A rank and post held by an officer across consecutive releases."""

    rank: str
    post: str
    unit: object
    first: object  # date of the first release showing it
    last: object
    count: int


@dataclass
class Taxonomy:
    key: str  # "units"
    label: str  # "satuan"
    url: str
    save_as: str
    terms: list  # [(term, releases newest first)], by name


def officer_history(officer, releases) -> list[Period]:
    """Group an officer's releases, oldest first, by the rank and post shown."""
    periods: list[Period] = []
    for release in sorted(releases, key=lambda r: r.date):
        role = next(r for r in release.officers if r.officer == officer)
        current = periods[-1] if periods else None
        if current and (current.rank, current.post) == (role.rank, role.post):
            current.last, current.count = release.date, current.count + 1
        else:
            periods.append(Period(role.rank, role.post, role.unit, release.date, release.date, 1))
    return periods


class TaxonomiesGenerator(Generator):
    """Writes the index, pages and feeds of each taxonomy."""

    # Its generate_output only calls the writer: the engine may share the
    # rendering between processes (engine/parallel.py).
    RENDER_SHARED = True

    def generate_context(self):
        releases = self.context["articles"]  # published, newest first
        taxonomies = {}
        for field in TAXONOMY_FIELDS:
            members = defaultdict(list)
            for release in releases:
                for item in getattr(release, field, ()):
                    members[item.term].append(release)
            label = KINDS[field].label
            taxonomies[field] = Taxonomy(
                key=field,
                label=label,
                url=f"{label}/",
                save_as=f"{label}/index.html",
                terms=sorted(members.items(), key=lambda pair: pair[0].name.casefold()),
            )
        self.taxonomies = self.context["taxonomies"] = taxonomies
        # What the site header links to: unlike `taxonomies`, it changes with no release,
        # so a preview session (engine/preview.py) need not render every page again.
        self.context["taxonomy_links"] = {
            field: {"label": taxonomy.label, "url": taxonomy.url}
            for field, taxonomy in taxonomies.items()
        }

    def generate_output(self, writer):
        term_template = self.get_template("term")
        index_template = self.get_template("terms")
        for taxonomy in self.taxonomies.values():
            writer.write_file(
                taxonomy.save_as,
                index_template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                taxonomy=taxonomy,
                url=taxonomy.url,
                page_name=taxonomy.label,
            )
            for term, releases in taxonomy.terms:
                # The sparkline's input: its dates alone (plugins/archive_statistics.py).
                extra = {"release_dates": [release.date for release in releases]}
                if taxonomy.key == "officers":
                    extra["history"] = officer_history(term, releases)
                writer.write_file(
                    term.save_as,
                    term_template,
                    self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    taxonomy=taxonomy,
                    term=term,
                    articles=releases,
                    dates=releases,
                    template_name="term",
                    blog=True,
                    page_name=term.page_name,
                    url=term.url,
                    **extra,
                )
                writer.write_feed(
                    releases[: self.settings["FEED_MAX_ITEMS"]],
                    # The page the feed follows, for its alternate link (plugins/atom_feeds.py).
                    {**self.context, FEED_PAGE_KEY: term.url},
                    term.feed_url,
                    feed_type="atom",
                    feed_title=f"{term.name} ({taxonomy.label})",
                )


def get_generators(pelican):
    return TaxonomiesGenerator


def register():
    signals.get_generators.connect(get_generators)
