"""Which country a person's location is in, so a guide can say whether its salary
figures describe that person's market.

A profile's `location` is free text ("Austin, TX", "Madrid, España", "Lyon,
France", "Ciudad de México", "Remote"). Its parts are read from the last to the
first, and the first one that names a place decides: a country in English,
Spanish or French (CLDR's names, through Babel), a US state or Canadian province
(by name or postal code), or a city that CLDR names for a time zone (Madrid,
Bogotá, Toronto...). Anything else is unknown, and the guide then gives its
general advice rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}  # fmt: skip
CANADIAN_PROVINCES = {
    "AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
    "NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
    "SK": "Saskatchewan", "YT": "Yukon",
}  # fmt: skip
OTHER_NAMES = {
    "US": ["USA", "U.S.", "U.S.A.", "United States of America", "EE. UU.", "EEUU", "EUA",
           "Estados Unidos de América", "États-Unis d'Amérique", "Washington D.C."],
    "GB": ["UK", "U.K.", "England", "Scotland", "Wales", "Northern Ireland", "Great Britain",
           "Britain", "Inglaterra", "Escocia", "Angleterre", "Écosse", "Royaume Uni"],
    "CA": ["Colombie-Britannique", "Québec", "Nouveau-Brunswick", "Nouvelle-Écosse",
           "Terre-Neuve-et-Labrador", "Montréal", "Montreal"],
    "NL": ["Holland", "The Netherlands", "Holanda", "Hollande"],
    "KR": ["Korea", "Corea", "Corée"],
    "AE": ["UAE", "Emiratos Árabes Unidos", "Émirats arabes unis"],
    "ES": ["Cataluña", "Catalunya", "Andalucía", "Madrid", "Barcelona", "Valencia", "Sevilla",
           "Bilbao", "Málaga"],
    "FR": ["Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg",
           "Île-de-France", "Ile de France"],
    "MX": ["CDMX", "México D.F.", "Guadalajara", "Monterrey", "Puebla"],
    "CO": ["Medellín", "Cali", "Barranquilla", "Cartagena"],
    "EC": ["Quito"],
    "AR": ["Córdoba", "Rosario", "Mendoza"],
    "BE": ["Belgique", "Bruxelles"],
    "CH": ["Suisse", "Genève", "Lausanne"],
}  # fmt: skip
"""Names CLDR does not give a country: abbreviations, regions, and the biggest cities of
the markets guidegen's languages serve, where people often write only the city."""
LANGUAGES_READ = ("en", "es", "fr")


def country_of(location: str, language: str = "en") -> str | None:
    """The ISO 3166 code of the country `location` is in, or None when it cannot tell.

    Names are looked up in English and in the guide's `language` first; the other
    languages' names are loaded only when those do not know the place."""
    parts = [part.strip() for part in re.split(r"[,;/()|·]", location) if part.strip()]
    parts = [*reversed(parts), location.strip()]  # the country usually comes last
    for part in parts:
        if re.fullmatch(r"[A-Z]{2}", part) and (code := _code(part)):
            return code
    keys = [_key(part) for part in parts]
    order = dict.fromkeys(["", "en", language, *LANGUAGES_READ])
    for table in order:
        names = _names(table)
        for key in keys:
            if key in names:
                return names[key]
    return None


def _code(code: str) -> str | None:
    """A two-letter code as people write it after a city: a US state first ("Portland,
    OR"), then a Canadian province, then a country ("Lyon, FR")."""
    if code in US_STATES:
        return "US"
    if code in CANADIAN_PROVINCES:
        return "CA"
    return code if code in _names("en").values() else None


def _key(text: str) -> str:
    """'Ciudad de México' -> 'ciudad de mexico'; 'EE. UU.' -> 'ee uu'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[.'’\-_]", " ", text.casefold())
    return " ".join(text.split())


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isalpha() and code.isupper()


@cache
def _names(language: str) -> dict[str, str]:
    """Place name -> country code: for "" the names above (states, provinces, other
    names); for a language, CLDR's names of its countries and of its time zones' cities."""
    if not language:
        names = {_key(name): "US" for name in US_STATES.values()}
        names.update({_key(name): "CA" for name in CANADIAN_PROVINCES.values()})
        for code, others in OTHER_NAMES.items():
            names.update({_key(name): code for name in others})
        return names
    from babel import Locale
    from babel.core import get_global

    locale = Locale.parse(language)
    names = {}
    cities = locale.time_zones
    for zone, country in get_global("zone_territories").items():
        if not _is_country(country) or "/" not in zone:
            continue
        city = cities.get(zone, {}).get("city")
        if city is None and language == "en":
            city = zone.rsplit("/", 1)[1].replace("_", " ")  # the tz name is English
        if city:
            names[_key(city)] = country
    for code, name in locale.territories.items():
        if _is_country(code):
            names[_key(name)] = code
    return names
