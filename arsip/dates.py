"""Indonesian dates: formatting for pages (Babel, never the system locale)."""

from __future__ import annotations

import datetime

from babel.dates import format_date as _babel_format_date

LOCALE = "id"

# Babel patterns by the names templates use.
PATTERNS = {
    "full": "EEEE, d MMMM y",  # Jumat, 8 November 2024
    "long": "d MMMM y",  # 8 November 2024
    "month": "MMMM y",  # November 2024
    "month_name": "MMMM",  # November
    "short": "d MMM y",  # 8 Nov 2024
}


def format_date(value: datetime.date | datetime.datetime, style: str = "full") -> str:
    """Format a date in Indonesian with one of PATTERNS (or a Babel pattern)."""
    return _babel_format_date(value, PATTERNS.get(style, style), locale=LOCALE)


def format_time(value: datetime.datetime) -> str:
    """ "22.30 WIB" as Indonesian releases write it (Asia/Jakarta is WIB)."""
    return f"{value:%H.%M} WIB"


def month_name(month: int) -> str:
    return format_date(datetime.date(2000, month, 1), "month_name")
