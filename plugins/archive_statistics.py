"""The archive at a glance: a statistics page and per-term sparklines, as static SVG.

Adds to the build:
- `/statistik/` (template `statistics`): releases per month, per unit, per
  activity type, and the most-mentioned officers. Each chart is inline SVG
  (role="img" with <title> and <desc>, no JavaScript) followed by a table of
  the same numbers as its text alternative;
- `release_months` in the context (every month from the first to the last
  published release) and the Jinja filters `sparkline`:
  `release_dates | sparkline(release_months)` lays out a term's releases per month
  for the small chart on its page, and `sparkline_figure`, the same drawn by
  the `sparkline` macro of includes/charts.html, once per term: every page of
  a term's pagination shows the same chart.

This module counts and lays out; theme/templates/includes/charts.html draws,
and the theme's CSS colours it. Needs the `registry` and `taxonomies` plugins.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections import Counter
from dataclasses import dataclass, replace

from pelican import signals
from pelican.generators import Generator

from arsip import settings as archive_settings
from arsip.dates import format_date

# Chart geometry, in SVG user units (the charts scale down with the page).
CHART_WIDTH = 640
BAR_LABEL_WIDTH = 220  # room for "Polres Metro Jakarta Pusat" at 13px
BAR_MAX_WIDTH = 370  # leaves room for the value after the longest bar
BAR_ROW = 28
BAR_HEIGHT = 18
BAR_LABEL_CHARS = 30  # longer names are cut in the SVG, whole in the table
COLUMN_CHART_HEIGHT = 220
COLUMN_PLOT = {"left": 36, "right": 8, "top": 18, "bottom": 32}
MONTH_LABEL_SPACE = 64  # "Nov 2024" at 13px, with a gap
YEAR_LABEL_SPACE = 40  # "2024"
SPARK_WIDTH, SPARK_HEIGHT = 120, 24
SPARK_MAX_BAR = 10  # a short archive still draws thin bars, not blocks
CHARTS_TEMPLATE = "includes/charts.html"


@dataclass(frozen=True)
class Datum:
    key: str  # slug, or "2024-11" for a month
    label: str
    value: int
    url: str = ""  # the page listing the releases counted


@dataclass(frozen=True)
class Bar:
    """One datum placed on a chart."""

    datum: Datum
    x: float
    y: float
    width: float
    height: float
    label: str  # as shown in the SVG (may be shortened, or "" for none)


@dataclass(frozen=True)
class Chart:
    id: str
    kind: str  # "bars" (horizontal, one row per term) or "columns" (months)
    title: str
    description: str
    heading: str  # the table's first column
    data: tuple[Datum, ...]
    bars: tuple[Bar, ...]
    width: float
    height: float
    ticks: tuple[tuple[int, float], ...] = ()  # columns: (value, y) of gridlines
    plot_left: float = 0  # columns: where gridlines start and end, and the axis
    plot_right: float = 0
    baseline: float = 0


@functools.cache
def month_label(month: datetime.date, style: str = "month") -> str:
    """ "November 2024": every term page's sparkline asks for the same few months."""
    return format_date(month, style)


def month_span(releases) -> list[datetime.date]:
    """First day of every month from the oldest to the newest release."""
    if not releases:
        return []
    first, last = min(r.date for r in releases), max(r.date for r in releases)
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(dates, months) -> list[int]:
    counts = Counter((date.year, date.month) for date in dates)
    return [counts[(m.year, m.month)] for m in months]


def nice_step(largest: int, most_steps: int = 4) -> int:
    """The gridline step: 1, 2, 5, 10, 20, 50... giving at most `most_steps` lines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(largest / step) <= most_steps:
                return step
        magnitude *= 10


def period(first: str, last: str) -> str:
    """ "pada November 2024", or "dari November 2024 sampai Februari 2025"."""
    return f"pada {first}" if first == last else f"dari {first} sampai {last}"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(chart_id, title, heading, noun, data: list[Datum]) -> Chart:
    """Horizontal bars, one row per datum, largest first."""
    largest = max((d.value for d in data), default=0) or 1
    bars = tuple(
        Bar(
            datum=d,
            x=BAR_LABEL_WIDTH,
            y=index * BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2,
            width=round(d.value / largest * BAR_MAX_WIDTH, 1),
            height=BAR_HEIGHT,
            label=shorten(d.label, BAR_LABEL_CHARS),
        )
        for index, d in enumerate(data)
    )
    if data:
        top = data[0]
        description = (
            f"Jumlah rilis per {noun} untuk {len(data)} {noun}; "
            f"terbanyak {top.label} dengan {top.value} rilis."
        )
    else:
        description = "Belum ada rilis."
    return Chart(
        id=chart_id,
        kind="bars",
        title=title,
        description=description,
        heading=heading,
        data=tuple(data),
        bars=bars,
        width=CHART_WIDTH,
        height=max(len(data), 1) * BAR_ROW,
    )


def axis_labels(months: list[datetime.date], slot: float) -> list[str]:
    """Labels under the columns that never overlap: every month ("Nov 2024")
    when there is room, else every second or third, else the Januaries ("2025")."""
    step = math.ceil(MONTH_LABEL_SPACE / slot)
    if step <= 3:  # up to about two years
        return [month_label(m, "MMM y") if i % step == 0 else "" for i, m in enumerate(months)]
    years = math.ceil(YEAR_LABEL_SPACE / (slot * 12))
    return [f"{m:%Y}" if m.month == 1 and m.year % years == 0 else "" for m in months]


def month_chart(releases, months) -> Chart:
    """Columns, one per month, with gridlines at round numbers."""
    data = [
        Datum(
            key=f"{m:%Y-%m}",
            label=month_label(m),
            value=count,
            url=f"arsip/{m:%Y}/{m:%m}/" if count else "",
        )
        for m, count in zip(months, monthly_counts((r.date for r in releases), months), strict=True)
    ]
    largest = max((d.value for d in data), default=0)
    step = nice_step(max(largest, 1))
    scale_top = math.ceil(max(largest, 1) / step) * step
    plot_left, plot_top = COLUMN_PLOT["left"], COLUMN_PLOT["top"]
    plot_width = CHART_WIDTH - plot_left - COLUMN_PLOT["right"]
    plot_height = COLUMN_CHART_HEIGHT - plot_top - COLUMN_PLOT["bottom"]
    baseline = plot_top + plot_height
    slot = plot_width / max(len(data), 1)
    column = min(slot * 0.7, 48)
    labels = axis_labels(months, slot)
    bars = tuple(
        Bar(
            datum=d,
            x=round(plot_left + index * slot + (slot - column) / 2, 1),
            y=round(baseline - d.value / scale_top * plot_height, 1),
            width=round(column, 1),
            height=round(d.value / scale_top * plot_height, 1),
            label=labels[index],
        )
        for index, d in enumerate(data)
    )
    ticks = tuple(
        (value, round(baseline - value / scale_top * plot_height, 1))
        for value in range(0, scale_top + 1, step)
    )
    if data:
        busiest = max(data, key=lambda d: d.value)
        description = (
            f"Jumlah rilis per bulan {period(data[0].label, data[-1].label)}: "
            f"total {sum(d.value for d in data)} rilis; "
            f"terbanyak {busiest.value} rilis pada {busiest.label}."
        )
    else:
        description = "Belum ada rilis."
    return Chart(
        id="per-bulan",
        kind="columns",
        title="Rilis per bulan",
        description=description,
        heading="Bulan",
        data=tuple(data),
        bars=bars,
        width=CHART_WIDTH,
        height=COLUMN_CHART_HEIGHT,
        ticks=ticks,
        plot_left=plot_left,
        plot_right=plot_left + plot_width,
        baseline=baseline,
    )


@dataclass(frozen=True)
class Sparkline:
    """A term's releases per month, over the archive's whole span."""

    bars: tuple[Bar, ...]
    total: int
    first: str  # "November 2024"
    last: str
    busiest: Datum | None
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def description(self) -> str:
        text = f"Rilis per bulan {period(self.first, self.last)}: total {self.total}"
        if self.busiest:
            text += f", terbanyak {self.busiest.value} pada {self.busiest.label}"
        return text + "."


def sparkline(dates, months) -> Sparkline | None:
    """Jinja filter: `release_dates | sparkline(release_months)`: a term's
    release dates (plugins/taxonomies.py), not the releases, so that a preview
    session (engine/preview.py) draws it again only when a date changed."""
    if not months:
        return None
    counts = monthly_counts(dates, months)
    largest = max(counts) or 1
    slot = SPARK_WIDTH / len(months)
    bar_width = min(max(slot * 0.8, 0.5), SPARK_MAX_BAR)
    data = [
        Datum(key=f"{m:%Y-%m}", label=month_label(m), value=c)
        for m, c in zip(months, counts, strict=True)
    ]
    bars = tuple(
        Bar(
            datum=d,
            x=round(index * slot + (slot - bar_width) / 2, 2),
            y=round(SPARK_HEIGHT - d.value / largest * SPARK_HEIGHT, 2),
            width=round(bar_width, 2),
            height=round(d.value / largest * SPARK_HEIGHT, 2),
            label=d.label,
        )
        for index, d in enumerate(data)
    )
    busiest = max(data, key=lambda d: d.value)
    return Sparkline(
        bars=bars,
        total=sum(counts),
        first=data[0].label,
        last=data[-1].label,
        busiest=busiest if busiest.value else None,
    )


def term_data(taxonomy) -> list[Datum]:
    """Terms by number of releases, then by name."""
    data = [
        Datum(key=term.slug, label=term.name, value=len(releases), url=term.url)
        for term, releases in taxonomy.terms
    ]
    return sorted(data, key=lambda d: (-d.value, d.label.casefold()))


def add_filters(generator):
    env = generator.env
    # id(releases) -> (releases, months, figure). A term's pages share one list
    # of releases; keeping the list itself stops its id from being reused.
    figures: dict[int, tuple] = {}

    def sparkline_figure(dates, months):
        """Jinja filter: `release_dates | sparkline_figure(release_months)`, drawn once per term."""
        cached = figures.get(id(dates))
        if cached is None or cached[0] is not dates or cached[1] is not months:
            drawn = env.get_template(CHARTS_TEMPLATE).module.sparkline(sparkline(dates, months))
            cached = figures[id(dates)] = (dates, months, drawn)
        return cached[2]

    env.filters["sparkline"] = sparkline
    env.filters["sparkline_figure"] = sparkline_figure


class StatisticsGenerator(Generator):
    """Counts the published releases and writes the statistics page."""

    def generate_context(self):
        # Here, so that term pages (written later) can draw their sparklines.
        self.context["release_months"] = month_span(self.context["articles"])

    def generate_output(self, writer):
        releases = self.context["articles"]
        taxonomies = self.context["taxonomies"]  # complete only after every generate_context
        officers = term_data(taxonomies["officers"])
        shown = officers[: self.settings["STATISTICS_TOP_OFFICERS"]]
        officer_chart = bar_chart(
            "personel-teratas", "Personel yang paling sering disebut", "Personel", "personel", shown
        )
        if shown:
            officer_chart = replace(
                officer_chart,
                description=(
                    f"Jumlah rilis yang menyebut tiap personel: {len(shown)} teratas "
                    f"dari {len(officers)} personel; terbanyak {shown[0].label} "
                    f"dengan {shown[0].value} rilis."
                ),
            )
        charts = [
            month_chart(releases, self.context["release_months"]),
            bar_chart(
                "per-satuan", "Rilis per satuan", "Satuan", "satuan", term_data(taxonomies["units"])
            ),
            bar_chart(
                "per-kegiatan",
                "Rilis per jenis kegiatan",
                "Jenis kegiatan",
                "jenis kegiatan",
                term_data(taxonomies["activities"]),
            ),
            officer_chart,
        ]
        writer.write_file(
            self.settings["STATISTICS_SAVE_AS"],
            self.get_template("statistics"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            charts=charts,
            officer_count=len(officers),
            url=self.settings["STATISTICS_URL"],
            page_name="statistik",
        )


def get_generators(pelican):
    return StatisticsGenerator


def register():
    archive_settings.connect()
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)
