"""Jinja filters that write dates in Indonesian with Babel.

Adds the filters `tanggal` (date; styles in arsip.dates.PATTERNS, default
"Jumat, 8 November 2024"), `jam` ("22.30 WIB") and `nama_bulan` (month
number to "November") to every generator's template environment. The system
locale is never used: Pelican drops articles when DATE_FORMATS names a locale
the machine lacks.
"""

import datetime
from functools import lru_cache

from pelican import signals

from arsip.dates import format_date, format_time, month_name


@lru_cache(maxsize=8192)
def _format_day(day: datetime.date, style: str) -> str:
    return format_date(day, style)


def tanggal(value, style: str = "full") -> str:
    """format_date, once per day and style: many releases share a day."""
    # Babel formats a datetime by its date; the time never shows.
    day = value.date() if isinstance(value, datetime.datetime) else value
    return _format_day(day, style)


FILTERS = {"tanggal": tanggal, "jam": format_time, "nama_bulan": month_name}


def add_filters(generator):
    generator.env.filters.update(FILTERS)


def register():
    signals.generator_init.connect(add_filters)
