"""Dates, date ranges and money, written the way the guide's locale writes them.

Shared by personalization (prose) and by every renderer (tables and lists), so a
date reads the same in every sentence and every format.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date, format_interval
from babel.numbers import format_currency

DEFAULT_LOCALE = "en_US"


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def date(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'Jan 4, 2027'."""
    return format_date(value, format="medium", locale=_locale(locale))


def date_range(start: dt.date, end: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'Jan 4 – Feb 28, 2027': the shared year written once."""
    return format_interval(start, end, skeleton="yMMMd", locale=_locale(locale))


def money(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """'$150,000': whole units, as salaries are quoted."""
    return format_currency(
        amount, currency, format="¤#,##0", locale=_locale(locale), currency_digits=False
    )


def number(value: float) -> str:
    """7.0 -> '7', 7.5 -> '7.5': hours and years as people write them."""
    return f"{value:g}"


def month_year(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'August 2027': the month a plan or a phase ends in."""
    return format_date(value, format="LLLL yyyy", locale=_locale(locale))
