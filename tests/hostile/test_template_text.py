"""Template text in its sandbox: what `validate` passes renders, within its limits, for anyone.

`guidegen validate` and rendering run the same check (`guidegen.plan.sandbox`):
a text is either refused by both, with its field, or rendered for every
profile, the ones with the longest names included, in at most
`text.long_chars` characters.
"""

from __future__ import annotations

import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.errors import UserError
from guidegen.load.catalog import load_template_file
from guidegen.models import limits
from guidegen.models.profile import Profile
from guidegen.plan import sandbox
from guidegen.plan.checks import template_problems
from guidegen.plan.personalize import placeholder_values
from guidegen.plan.placeholders import PLACEHOLDERS, RECORDS, fill
from tests.conftest import ALEX_PATH, FLAGSHIP_PATH, TODAY
from tests.hostile import bombs

REFUSED = {
    bombs.STRING_TIMES_BILLIONS: "arithmetic (*)",
    bombs.NESTED_LOOPS: "calling a function or method",
    "{{ 9 ** 9 ** 9 }}": "arithmetic (**)",
    "{{ lipsum(100000) }}": "calling a function or method",
    "{{ name.ljust(2000000000) }}": "calling a function or method",
    "{{ name|center(2000000000) }}": "the filter 'center'",
    "{{ name|indent(2000000000) }}": "the filter 'indent'",
    "{{ '%2000000000d' % 1 }}": "arithmetic (%)",
    "{% set x = name ~ name %}{% set y = x ~ x %}{{ y }}": "{% set %}",
    "{% for a in name %}{% for b in name %}{{ a }}{% endfor %}{% endfor %}": (
        "limit template.loop_iterations"
    ),
    "{% for a in name %}{% for b in a %}{% for c in b %}x{% endfor %}{% endfor %}{% endfor %}": (
        "limit template.loop_nesting"
    ),
    "{% for a in name %}" + "{{ name }}" * 3 + "{% endfor %}": "limit text.long_chars",
    "{% macro m() %}x{% endmacro %}{{ m() }}": "{% macro %}",
    "{% include 'x' %}": "{% include %}",
    "{{ name[0] }}": "indexing",
    "{{ name.__class__ }}": "attribute access",
    "{% if name > 'a' %}x{% endif %}": "ordering comparisons",
    "{{ 'x' if name }}": "an inline if without else",
    "{{ first_nmae }}": "unknown placeholder first_nmae",
    "{{ name ": "broken placeholder syntax",
}
ALLOWED = {
    "{{ first_name }}, as a {{ current_role }} you already build systems.": (
        "Alex, as a Backend Developer you already build systems."
    ),
    "{% if location %}From {{ location|title }}.{% else %}From anywhere.{% endif %} Go.": (
        "From Austin, Texas, Usa. Go."
    ),
    "{{ name|upper }} ({{ name|length }} letters) — {{ target_role|lower }}.": (
        "ALEX RIVERA (11 letters) — ai solutions architect."
    ),
    "Initials: {% for c in name if c == c|upper and c != ' ' %}{{ c }}{% endfor %}.": (
        "Initials: AR."
    ),
    "{{ location|default('your city', true) }}, {{ hours_per_week }} hours a week.": (
        "Austin, Texas, USA, 10 hours a week."
    ),
}


def template_file(folder, text: str):
    data = yaml.safe_load(FLAGSHIP_PATH.read_text(encoding="utf-8"))
    data["overview"] = text
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def filled(template, profile):
    """`template` with its text filled for `profile`, as a guide fills it."""
    return fill(template, placeholder_values(profile, template, today=TODAY))


def longest_profile(make_profile):
    """Every placeholder at its longest, in letters that grow when upper-cased."""
    long = "ß" * limits.SHORT_TEXT_CHARS.value
    return make_profile(name=long, current_role=long, target_role=long, location=long)


@pytest.mark.parametrize("text", list(REFUSED))
def test_a_hostile_text_is_refused_by_validate_and_by_render_alike(
    text, tmp_path, make_profile, flagship
):
    problems = [
        p for p in template_problems(template_file(tmp_path, text)) if p.field == "overview"
    ]
    assert any(REFUSED[text] in problem.message for problem in problems), problems
    assert all(problem.line for problem in problems)  # located in the file
    start = time.monotonic()
    with pytest.raises(UserError) as caught:
        filled(flagship.model_copy(update={"overview": text}), make_profile())
    assert time.monotonic() - start < 2
    assert REFUSED[text] in caught.value.report()
    assert "overview: cannot fill this text's placeholders" in caught.value.report()


@pytest.mark.parametrize("text", list(ALLOWED))
def test_prose_with_placeholders_renders(text, tmp_path, make_profile, flagship):
    assert template_problems(template_file(tmp_path, text)) == []
    short = filled(flagship.model_copy(update={"overview": text}), make_profile())
    assert short.overview == ALLOWED[text]
    longest = filled(flagship.model_copy(update={"overview": text}), longest_profile(make_profile))
    assert len(longest.overview) <= limits.LONG_TEXT_CHARS.value


def test_profile_values_stay_data(make_profile, flagship):
    template = flagship.model_copy(update={"overview": "Hello {{ name }}."})
    profile = make_profile(name="{{ lipsum(9999999) }} {% for x in name %}")
    assert filled(template, profile).overview == "Hello {{ lipsum(9999999) }} {% for x in name %}."


def test_every_placeholder_value_is_within_the_bound_the_sandbox_assumes(make_profile, flagship):
    for profile in (make_profile(), longest_profile(make_profile)):
        values = placeholder_values(profile, flagship, today=TODAY)
        assert set(values) == set(PLACEHOLDERS)
        texts = [
            str(getattr(record, field))
            for name, fields in RECORDS.items()
            for record in values[name]
            for field in fields
        ]
        texts += [str(value) for name, value in values.items() if name not in RECORDS]
        assert all(len(text) <= sandbox.VALUE_CHARS for text in texts)


# Texts made of pieces, allowed and not, in any order and number: for each, validate's
# check and the render must agree, and a render must stay within its limits.
PIECES = [
    "Hello ",
    "{{ name }}",
    "{{ first_name|upper }}",
    "{{ location|default('x') }}",
    "{{ name ~ current_role }}",
    "{% if location %}",
    "{% else %}",
    "{% endif %}",
    "{% for c in name %}",
    "{% for d in c %}",
    "{% endfor %}",
    "{{ loop.index }}",
    "{{ c }}",
    "{{ 'ab' * 3 }}",
    "{{ range(5) }}",
    "{% set s = 1 %}",
    "{{ name|length }}",
    "{% if 'a' in name %}",
    "{{ name[1] }}",
    "{# a comment #}",
    "{{ nope }}",
]


ALEX = Profile.model_validate(yaml.safe_load(ALEX_PATH.read_text(encoding="utf-8")))
PROFILES = (ALEX, longest_profile(lambda **changes: ALEX.model_copy(update=changes)))
FLAGSHIP = load_template_file(FLAGSHIP_PATH)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=12))
def test_validate_and_render_agree_on_any_text(pieces):
    text = "".join(pieces) + " end"
    problems = sandbox.problems(text, PLACEHOLDERS, RECORDS)
    for profile in PROFILES:
        values = placeholder_values(profile, FLAGSHIP, today=TODAY)
        try:
            output = sandbox.render(text, values, names=PLACEHOLDERS, records=RECORDS)
        except sandbox.TemplateTextError:
            assert problems, text
        else:
            assert not problems, text
            assert len(output) <= limits.LONG_TEXT_CHARS.value
