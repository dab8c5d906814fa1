"""Languages: a Spanish or French guide has its headings, dates, money and labels in that
language, in every format; every message the code prints has its translations."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import get_args

import pdfplumber
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.language import formatting
from guidegen.language.catalogs import LANGUAGES, po_file, translations
from guidegen.load.catalog import TemplateCatalog
from guidegen.models.template import ResourceKind
from guidegen.plan.checks import check_files
from guidegen.plan.personalize import build_guide
from guidegen.render.labels import labels_for
from tests.conftest import FLAGSHIP_ID, FLAGSHIP_PATH, ROOT, TODAY

CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
SOURCES = ROOT / "src" / "guidegen"
KEYWORDS = {"_": None, "n_": (1, 2), "_gettext": None, "_ngettext": (1, 2)}
TRANSLATED = [language for language in LANGUAGES if language != "en"]


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as document:
        text = " ".join(" ".join(page.extract_text().split()) for page in document.pages)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "es",
            {
                "title": "De Backend Developer a AI Solutions Architect",
                "subtitle": "Tu guía de transición de 7 meses",
                "headings": [
                    "Resumen",
                    "Tus habilidades transferibles",
                    "Habilidades que necesitarás",
                    "Tu plan de aprendizaje",
                    "Lo que debes saber",
                    "Empieza hoy mismo",
                    "Preguntas frecuentes",
                    "Página 1 de",
                ],
                "dates": ["4 ene 2027", "ago 2027"],
                "phase": "Fase 1 Foundations of AI/ML",
                "weeks": "8 semanas",
                "money": "150.000 US$",
                "event": "Fase 1: ",
                "first_heading": "Resumen",
            },
        ),
        (
            "fr",
            {
                "title": "Backend Developer → AI Solutions Architect",
                "subtitle": "Votre guide de reconversion sur 7 mois",
                "headings": [
                    "Vue d'ensemble",
                    "Vos compétences transférables",
                    "Les compétences à acquérir",
                    "Votre feuille de route",
                    "Ce qui vous attend vraiment",
                    "Lancez-vous dès maintenant",
                    "Questions fréquentes",
                    "Page 1 sur",
                ],
                "dates": ["4 janv. 2027", "août 2027"],
                "phase": "Phase 1 Foundations of AI/ML",
                "weeks": "8 semaines",
                "money": "150 000 $US",
                "event": "Phase 1: ",
                "first_heading": "Vue d'ensemble",
            },
        ),
    ],
)
def test_a_guide_in_every_format(language, words, make_profile, flagship, tmp_path):
    guide = build_guide(make_profile(), flagship, today=TODAY, language=language)
    assert guide.title == words["title"]
    assert guide.subtitle == words["subtitle"]
    writer = GuideWriter(("pdf", "docx", "ics"))
    pdf, docx, ics = writer.write(guide, tmp_path, created=CREATED).files
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == language
    text = pdf_text(pdf)
    for heading in words["headings"]:
        assert heading in text, heading
    for date in words["dates"]:  # dates written the way the language writes them
        assert date in text, date
    assert words["phase"] in text and words["weeks"] in text
    assert words["money"] in text
    document = Document(docx)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == words["first_heading"]
    assert document.core_properties.language == language
    calendar = Calendar.from_ical(ics.read_bytes())
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]).startswith(words["event"])
    assert event["summary"].params["LANGUAGE"] == language


def test_english_stays_the_default(make_profile, flagship):
    guide = build_guide(make_profile(), flagship, today=TODAY)
    assert guide.language == "en" and guide.overview.heading == "Overview"


def test_numbers_and_money_as_each_language_writes_them():
    assert [formatting.number(7.5, LANGUAGES[code]) for code in LANGUAGES] == ["7.5", "7,5", "7,5"]
    assert formatting.number(12.0, "fr_FR") == "12"
    amounts = [formatting.money(150_000, "USD", LANGUAGES[code]) for code in LANGUAGES]
    assert [a.replace("\u00a0", " ").replace("\u202f", " ") for a in amounts] == [
        "$150,000",
        "150.000 US$",
        "150 000 $US",
    ]
    assert formatting.money(48_000, "EUR", "es_ES").replace("\u00a0", " ") == "48.000 €"
    assert formatting.country("US", "fr_FR") == "États-Unis"


def test_years_of_experience_take_each_languages_plural(make_profile, flagship):
    """CLDR, not English, decides: 1.5 is plural in English and Spanish, singular in French."""
    said = {}
    for years in (1, 1.5, 7):
        for language in LANGUAGES:
            guide = build_guide(
                make_profile(years_experience=years), flagship, today=TODAY, language=language
            )
            said[language, years] = guide.overview.intro
    assert "with 1 year of experience" in said["en", 1]
    assert "with 1.5 years of experience" in said["en", 1.5]
    assert "1,5 años de experiencia" in said["es", 1.5]
    assert "1 an d'expérience" in said["fr", 1].replace("’", "'")
    assert "1,5 an d'expérience" in said["fr", 1.5].replace("’", "'")
    assert "7 ans d'expérience" in said["fr", 7].replace("’", "'")


def test_placeholders_write_numbers_as_the_guides_language_does(make_profile, flagship):
    from guidegen.plan.personalize import placeholder_values

    profile = make_profile(years_experience=1.5, hours_per_week=7.5)
    for language, written in (("en", "1.5"), ("es", "1,5"), ("fr", "1,5")):
        values = placeholder_values(profile, flagship, today=TODAY, language=language)
        assert values["years_experience"] == written, language
        assert values["hours_per_week"] == written.replace("1", "7"), language


def messages() -> list[tuple[str, object]]:
    """Every message the code asks the catalogs for, with where it is (for the report)."""
    found = []
    for path in sorted(SOURCES.rglob("*.py")):
        for lineno, message, _, _ in extract_from_file("python", str(path), keywords=KEYWORDS):
            found.append((f"{path.relative_to(ROOT)}:{lineno}", message))
    return found


def test_the_code_asks_for_its_words_where_expected():
    where = {location.split(":")[0] for location, _ in messages()}
    assert "src/guidegen/plan/personalize.py" in where
    assert "src/guidegen/render/labels.py" in where


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation(language):
    """Each message in every catalog, with its plural forms and the same {placeholders}:
    a translation that drops or renames one would break the sentence it fills."""
    with po_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {message.id: message.string for message in catalog if message.id}
    problems = []
    for location, message in messages():
        key = message if isinstance(message, str) else tuple(message)
        if key not in translated:
            problems.append(f"{location}: no {language} translation of {message!r}")
            continue
        value = translated[key]
        forms = value if isinstance(value, tuple) else (value,)
        originals = key if isinstance(key, tuple) else (key,)
        wanted = set().union(*(set(re.findall(r"{(\w+)}", text)) for text in originals))
        for form in forms:
            if not form:
                problems.append(f"{location}: empty {language} translation of {message!r}")
            elif set(re.findall(r"{(\w+)}", form)) != wanted:
                problems.append(f"{location}: {language} placeholders differ: {form!r}")
    assert not problems, "run `make messages`, then translate:\n" + "\n".join(problems)


def test_catalogs_are_compiled_once_a_process():
    assert translations("fr") is translations("fr")
    assert translations("fr").gettext("Overview") == "Vue d'ensemble"


def test_a_template_may_carry_text_in_several_languages(make_profile, tmp_path):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    text = text.replace(
        "call_to_action:\n  heading: Ready to Start Your Transition?",
        "call_to_action:\n  heading:\n    en: Ready to Start Your Transition?\n"
        "    es: ¿Listo para empezar tu transición?\n"
        "    fr: Prêt à vous lancer ?",
    )
    (tmp_path / f"{FLAGSHIP_ID}.yaml").write_text(text, encoding="utf-8")
    for language, heading in (
        ("en", "Ready to Start Your Transition?"),
        ("es", "¿Listo para empezar tu transición?"),
        ("fr", "Prêt à vous lancer ?"),
    ):
        template = TemplateCatalog([tmp_path], language=language).get(FLAGSHIP_ID).template
        guide = build_guide(make_profile(), template, today=TODAY, language=language)
        assert guide.call_to_action.heading == heading
    _, problems = check_files([Path(tmp_path / f"{FLAGSHIP_ID}.yaml")])
    assert problems == []


def test_every_resource_kind_has_a_label_in_every_language():
    for language in LANGUAGES:
        labels = labels_for(language)
        assert set(labels.kinds) == set(get_args(ResourceKind))
        if language != "en":
            assert all(labels.kinds[kind] for kind in labels.kinds)


def test_a_resource_in_another_language_says_so():
    assert (
        labels_for("es").resource_note("O'Reilly", "book", "en") == "O'Reilly · libro · en inglés"
    )
    assert labels_for("fr").resource_note("Coursera", "course", "en").endswith("· en anglais")
    assert labels_for("es").resource_note("MDN", "documentation", "es") == "MDN · documentación"
