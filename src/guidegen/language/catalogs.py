"""Languages: the guide's fixed text in gettext catalogs (Babel), dates in the locale.

Translations live as standard gettext `.po` files in ``guidegen/language/locale/<lang>/
LC_MESSAGES/guidegen.po``; Babel reads and compiles them when first needed, once per
process, so there is no compiled file to keep in step. English is the source language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources

from guidegen.errors import UserError

LANGUAGES = {"en": "en_US", "es": "es_ES", "fr": "fr_FR"}
"""Guide language -> the Babel locale its dates and money are written in."""
DOMAIN = "guidegen"
SOURCE_LANGUAGE = "en"
"""The language guidegen's own words are written in, and the one text falls back to."""


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise UserError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return language


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for `language` (English: the text as written), compiled once a process."""
    check_language(language)
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def po_file(language: str):
    """The catalog's source: ``locale/<language>/LC_MESSAGES/guidegen.po``."""
    locale = resources.files("guidegen") / "language" / "locale"
    return locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def locale_of(language: str) -> str:
    return LANGUAGES[check_language(language)]


@cache
def language_name(language: str, in_language: str = SOURCE_LANGUAGE) -> str:
    """'es' -> 'Spanish' (or 'español' with in_language='es'), for messages."""
    from babel import Locale

    return Locale.parse(LANGUAGES.get(in_language, in_language)).languages.get(language, language)
