"""Tested by reading: a Spanish or French guide is identified as Spanish or French, block
by block, in the PDF, the Word file and the calendar.

A language detector (lingua, restricted to the languages guidegen writes, loaded once
a session) reads every block of text a person would read, once the names in it are set
aside: people's and brands' names, the titles and publishers of the resources it cites
(an English book keeps its English title, and the guide says "en inglés"), web and
email addresses. Of the blocks with more than 40 characters left, at least 95% must
be identified as the guide's language.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from lingua import Language, LanguageDetectorBuilder

from guidegen.deliver.pipeline import GuideWriter
from guidegen.load.branding import load_brand
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.models.profile import Profile
from guidegen.plan.personalize import build_guide
from tests.conftest import ROOT, TODAY
from tests.language.reading import docx_blocks, ics_blocks, pdf_blocks

DETECTED = {"en": Language.ENGLISH, "es": Language.SPANISH, "fr": Language.FRENCH}
TARGETS = ("es", "fr")
MIN_CHARS = 40
MIN_SHARE = 0.95
CREATED = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)
FIXTURES = ROOT / "tests" / "fixtures" / "templates"
FIXTURE_ID = "retail-manager-to-web-developer"
BRANDS = {
    "northstar": ROOT / "brands" / "northstar-coaching",
    "hackforge": ROOT / "brands" / "hackforge-bootcamp",
}

# Two people per language, each written the way a Spanish or French cohort would write
# them; their roles are the template's own role names in that language, so the guide is
# found by its roles as a real row's would be.
PEOPLE = {
    "es": [
        {
            "name": "Lucía Fernández",
            "email": "lucia@example.com",
            "location": "Madrid, España",
            "hours_per_week": 6,
            "years_experience": 8,
            "notes": "Lucía, tu experiencia formando equipos es una gran baza: cuéntala con "
            "ejemplos concretos en cada entrevista.",
            "brand": "northstar",
        },
        {
            "name": "Mateo Rojas",
            "email": "mateo@example.com",
            "location": "Ciudad de México",
            "hours_per_week": 15,
            "brand": "hackforge",
        },
    ],
    "fr": [
        {
            "name": "Camille Martin",
            "email": "camille@example.com",
            "location": "Lyon, France",
            "hours_per_week": 6,
            "years_experience": 8,
            "notes": "Camille, votre expérience de formation est un vrai atout : racontez-la "
            "avec des exemples concrets à chaque entretien.",
            "brand": "northstar",
        },
        {
            "name": "Julien Tremblay",
            "email": "julien@example.com",
            "location": "Montréal (Québec)",
            "hours_per_week": 15,
            "brand": "hackforge",
        },
    ],
}


def translated_builtin_templates(language: str) -> list[str]:
    """The built-in templates that have a translation into `language`."""
    folder = builtin_templates_dir()
    return sorted(path.stem for path in (folder / language).glob("*.yaml"))


# Only templates that have a translation are read here: an untranslated one is mostly
# English by design, and `test_every_builtin_template_is_translated` below lists those
# still waiting. Each joins this test as its translation lands; the small fixture
# template (tests/fixtures/templates, with es/ and fr/) is always read.
#
# Each template is read in each language for one of that language's two people, taking
# turns, and the other person in the other language: every template is read by both
# people (so in both brands, at both paces, with and without notes and a covered gap),
# and every language by both, without rendering each of the 2 x 13 x 2 guides.
# GUIDEGEN_TEST_EVERY_PERSON=1 reads the whole grid (before a release, after a change to
# a translation): every template in each language for both its people.
EVERY_PERSON = os.environ.get("GUIDEGEN_TEST_EVERY_PERSON") == "1"


def _cases():
    for turn, language in enumerate(TARGETS):
        for number, template_id in enumerate([*translated_builtin_templates(language), FIXTURE_ID]):
            people = len(PEOPLE[language])
            indexes = range(people) if EVERY_PERSON else [(number + turn) % people]
            for index in indexes:
                brand = PEOPLE[language][index]["brand"]
                yield pytest.param(
                    language, template_id, index, id=f"{language}-{template_id}-{brand}"
                )


CASES = list(_cases())


@pytest.fixture(scope="session")
def detector():
    languages = [DETECTED[code] for code in ("en", "es", "fr")]
    return (
        LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
    )


@pytest.fixture(scope="module")
def writers():
    """One writer per brand for the whole module: fonts and stylesheets load once."""
    return {
        name: GuideWriter(("pdf", "docx", "ics"), brand=load_brand(path))
        for name, path in BRANDS.items()
    }


ADDRESS = re.compile(r"\S+://\S+|\S+@\S+")


def names_in(guide, brand) -> list[str]:
    """What no language owns: names of people and brands, cited works and publishers."""
    names = {guide.candidate.name, guide.prepared_by, brand.name, brand.coach}
    for item in guide.learning.items:
        for resource in item.resources:
            names |= {resource.title, resource.provider}
    return sorted((name for name in names if name), key=len, reverse=True)


def prose(block: str, names: list[str]) -> str:
    """The block with names and addresses taken out: the words the guide itself writes."""
    text = ADDRESS.sub(" ", block)
    for name in names:
        text = text.replace(name, " ")
    return " ".join(text.split())


def person(language: str, index: int, template) -> Profile:
    data = dict(PEOPLE[language][index])
    data.pop("brand")
    skills = [template.transferable_skills[0].name]
    if index == 0:  # one real gap covered, so the guide explains covered skills too
        skills.append(min(template.skills_to_learn, key=lambda s: s.priority).name)
    return Profile.model_validate(
        {
            **data,
            "current_role": template.from_role.name,
            "target_role": template.to_role.name,
            "skills": [{"name": name} for name in skills],
        }
    )


def test_every_template_is_read_by_both_people_and_every_language_by_both():
    for language in TARGETS:
        people = {index for lang, _, index in (case.values for case in CASES) if lang == language}
        assert people == set(range(len(PEOPLE[language]))), language
    for template_id in {case.values[1] for case in CASES}:
        rows = [
            PEOPLE[lang][index]
            for lang, other_id, index in (case.values for case in CASES)
            if other_id == template_id
        ]
        assert {row["brand"] for row in rows} == set(BRANDS), template_id
        assert len({row["hours_per_week"] for row in rows}) == 2, template_id


@pytest.mark.slow
@pytest.mark.parametrize(("language", "template_id", "index"), CASES)
def test_every_block_reads_as_the_guides_language(
    language, template_id, index, detector, writers, tmp_path
):
    catalog = TemplateCatalog([builtin_templates_dir(), FIXTURES], language=language)
    template = catalog.get(template_id).template
    row = PEOPLE[language][index]
    profile = person(language, index, template)
    entry = catalog.resolve(profile)  # found by its roles in this language
    assert entry.template.id == template_id
    writer = writers[row["brand"]]
    guide = build_guide(profile, entry.template, today=TODAY, brand=writer.brand, language=language)
    pdf, docx, ics = writer.write(guide, tmp_path, created=CREATED, stem=f"p{index}").files
    readers = (("pdf", pdf_blocks, pdf), ("docx", docx_blocks, docx), ("ics", ics_blocks, ics))
    names = names_in(guide, writer.brand)
    blocks = [
        (kind, text)
        for kind, read, path in readers
        for block in read(path)
        if len(text := prose(block, names)) > MIN_CHARS
    ]
    found = detector.detect_languages_in_parallel_of([block for _, block in blocks])
    wrong = [
        f"  {kind}: {block[:100]!r} ({detected.name.lower() if detected else 'unknown'})"
        for (kind, block), detected in zip(blocks, found, strict=True)
        if detected != DETECTED[language]
    ]
    share = 1 - len(wrong) / len(blocks)
    assert share >= MIN_SHARE, (
        f"{template_id} in {language} for {profile.name}: {share:.1%} of {len(blocks)} "
        f"blocks read as {language}; not:\n" + "\n".join(wrong)
    )


def test_every_builtin_template_is_translated():
    catalog = TemplateCatalog([builtin_templates_dir()])
    lacking = []
    for template_id in catalog.paths():
        for language in TARGETS:
            entry = catalog.get(template_id, language)
            if entry.translation is None:
                lacking.append(f"{template_id} ({language}: no translation)")
            elif entry.missing:
                lacking.append(f"{template_id} ({language}: {len(entry.missing)} texts missing)")
    assert not lacking, "not yet in Spanish and French:\n" + "\n".join(lacking)
