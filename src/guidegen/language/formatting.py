"""Dates, date ranges, numbers and money, written the way the guide's locale writes them.

Shared by personalization (prose) and by every renderer (tables and lists), so a
date reads the same in every sentence and every format.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

DEFAULT_LOCALE = "en_US"


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _whole_money_pattern(name: str) -> str:
    """The locale's own currency pattern without the cents: '¤#,##0' in English,
    '#,##0 ¤' in Spanish and French (150.000 US$, 150 000 $US)."""
    pattern = _locale(name).currency_formats["standard"].pattern
    return pattern.split(";")[0].replace(".00", "")


def plural_count(value: float, locale: str = DEFAULT_LOCALE) -> int:
    """The whole number that makes gettext pick the plural form CLDR picks for `value`
    (gettext counts in whole numbers): 1.5 years is 'other' in English and Spanish
    ('1.5 years', '1,5 años') but 'one' in French ('1,5 an')."""
    return 1 if _locale(locale).plural_form(value) == "one" else 2


def date(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'Jan 4, 2027' ('4 ene 2027', '4 janv. 2027')."""
    return format_date(value, format="medium", locale=_locale(locale))


def date_range(start: dt.date, end: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'Jan 4 – Feb 28, 2027': the shared year written once."""
    return format_interval(start, end, skeleton="yMMMd", locale=_locale(locale))


def money(amount: int, currency: str, locale: str = DEFAULT_LOCALE) -> str:
    """'$150,000' ('150.000 US$', '150 000 $US'): whole units, as salaries are quoted."""
    return format_currency(
        amount,
        currency,
        format=_whole_money_pattern(locale),
        locale=_locale(locale),
        currency_digits=False,
    )


def number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """7.0 -> '7', 7.5 -> '7.5' ('7,5' in Spanish and French): hours and years as people
    write them."""
    if value == int(value):
        return str(int(value))
    return format_decimal(value, locale=_locale(locale))


def country(code: str, locale: str = DEFAULT_LOCALE) -> str:
    """'US' -> 'United States' ('Estados Unidos', 'États-Unis'), as CLDR names it."""
    return _locale(locale).territories.get(code, code)


def month_year(value: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'August 2027', 'agosto de 2027', 'août 2027': the month a plan or a phase ends in,
    as each language writes a month of a year (CLDR's yMMMM)."""
    return format_skeleton("yMMMM", value, locale=_locale(locale))


def names(items: list[str], locale: str = DEFAULT_LOCALE) -> str:
    """'Git', 'Git and Docker', 'Git, Docker, and AWS' ('Git, Docker y AWS'): a list in the
    locale's own words, with the serial comma where the locale has one, so names that
    contain 'and' ('One-on-Ones and Coaching') stay apart."""
    return format_list(list(items), locale=_locale(locale))
