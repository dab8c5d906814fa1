"""Languages: the guide's fixed text in gettext catalogs (Babel), dates in the locale.

Translations live as standard gettext `.po` files in ``guidegen/language/locale/<lang>/
LC_MESSAGES/guidegen.po``; Babel reads and compiles them when first needed, so
there is no compiled file to keep in step. English is the source language.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from importlib import resources

from guidegen.errors import UserError

LANGUAGES = {"en": "en_US", "es": "es_ES"}
"""Guide language -> the Babel locale its dates and money are written in."""
DOMAIN = "guidegen"


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise UserError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    return language


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for `language` (English: the text as written)."""
    check_language(language)
    if language == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    locale = resources.files("guidegen") / "language" / "locale"
    po = locale / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def locale_of(language: str) -> str:
    return LANGUAGES[check_language(language)]
