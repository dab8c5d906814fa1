"""Salary figures say which market they describe, and the guide says plainly when the
person is based outside it."""

from __future__ import annotations

import pytest

from guidegen.plan.market import country_of
from guidegen.plan.personalize import build_guide
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("location", "country"),
    [
        ("Austin, Texas, USA", "US"),
        ("Portland, OR", "US"),
        ("New York, NY", "US"),
        ("Toronto, ON", "CA"),
        ("Montréal (Québec)", "CA"),
        ("Madrid, España", "ES"),
        ("Madrid", "ES"),
        ("Sevilla, Spain", "ES"),
        ("Ciudad de México", "MX"),
        ("Bogotá, Colombia", "CO"),
        ("Lima, Perú", "PE"),
        ("Buenos Aires", "AR"),
        ("Lyon, France", "FR"),
        ("Lyon, FR", "FR"),
        ("Paris", "FR"),
        ("Bruxelles, Belgique", "BE"),
        ("London, UK", "GB"),
        ("Düsseldorf, Allemagne", "DE"),
        ("Remote", None),
        ("Remoto", None),
        ("Somewhere nice", None),
    ],
)
def test_the_country_of_a_location_in_any_of_the_languages(location, country):
    assert country_of(location) == country


@pytest.mark.parametrize(
    ("language", "location", "expected"),
    [
        ("en", "Austin, Texas, USA", "inside the market these figures describe"),
        ("en", "Madrid, España", "These figures describe one market (United States). You are "
         "based in Madrid, España, outside that market"),
        ("en", "Remote", "You are based in Remote: compare these figures with local job listings"),
        ("es", "Madrid, España", "Estas cifras describen un mercado concreto (Estados Unidos). "
         "Vives en Madrid, España, fuera de ese mercado"),
        ("fr", "Lyon, France", "Ces chiffres décrivent un marché précis (États-Unis). Vous "
         "indiquez Lyon, France, hors de ce marché"),
    ],
)  # fmt: skip
def test_the_salary_answer_says_where_the_figures_hold(
    language, location, expected, make_profile, flagship
):
    guide = build_guide(make_profile(location=location), flagship, today=TODAY, language=language)
    answer = guide.faq.entries[0].answer.replace("\u00a0", " ")
    assert expected in answer
    assert "150" in answer  # the figures themselves are still given


def test_without_declared_countries_the_guide_does_not_guess(make_profile, flagship):
    salary = flagship.salary.model_copy(update={"countries": []})
    template = flagship.model_copy(update={"salary": salary})
    guide = build_guide(make_profile(location="Madrid, España"), template, today=TODAY)
    assert "compare these figures with local job listings" in guide.faq.entries[0].answer
    assert "outside" not in guide.faq.entries[0].answer
