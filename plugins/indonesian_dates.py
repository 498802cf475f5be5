"""Jinja filters that write dates in Indonesian with Babel.

Adds the filters `tanggal` (date; styles in arsip.dates.PATTERNS, default
"Jumat, 8 November 2024"), `jam` ("22.30 WIB") and `nama_bulan` (month
number to "November") to every generator's template environment. The system
locale is never used: Pelican drops articles when DATE_FORMATS names a locale
the machine lacks.
"""

from pelican import signals

from arsip.dates import format_date, format_time, month_name

FILTERS = {"tanggal": format_date, "jam": format_time, "nama_bulan": month_name}


def add_filters(generator):
    generator.env.filters.update(FILTERS)


def register():
    signals.generator_init.connect(add_filters)
