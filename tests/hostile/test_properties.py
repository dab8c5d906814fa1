"""Property-based tests: any valid profile renders; any invalid one is exit 2 and a message."""

from __future__ import annotations

import datetime as dt
import string

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.cli import main
from guidegen.errors import UserError
from guidegen.load.cohort import CohortEntry
from guidegen.models.profile import Profile
from guidegen.plan.personalize import build_guide
from guidegen.render.pdf import PdfRenderer
from tests.conftest import FLAGSHIP_ID, TODAY

# Any one line of text, in any script, with the odd tab and formatting character (bidi
# overrides, zero-width joiners); control characters and line breaks are refused.
TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"), whitelist_characters="\t"
    ),
    min_size=1,
    max_size=80,
).filter(lambda s: s.strip())
PARAGRAPHS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"),
    max_size=400,
)
# What no person types: C0 and C1 controls, DEL, noncharacters; and a line break in a name.
# (Not U+0085: YAML reads it as a line break and folds it into a space.)
CONTROL = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\ufffe", "\n"])
SKILL = st.one_of(
    TEXT.map(lambda s: s[:100]),
    st.fixed_dictionaries(
        {"name": TEXT.map(lambda s: s[:100])},
        optional={"level": st.sampled_from(["beginner", "intermediate", "advanced", "expert"])},
    ),
)
VALID = st.fixed_dictionaries(
    {
        "name": TEXT,
        "current_role": TEXT,
        "target_role": TEXT,
        "template": st.just(FLAGSHIP_ID),
    },
    optional={
        "skills": st.lists(SKILL, max_size=12),
        "years_experience": st.floats(min_value=0, max_value=60),
        "hours_per_week": st.floats(min_value=0.5, max_value=80),
        "start_date": st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)).map(str),
        "location": TEXT,
        "notes": PARAGRAPHS,
    },
)

renderer = None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=VALID)
def test_a_valid_profile_always_renders(data, flagship):
    global renderer
    renderer = renderer or PdfRenderer()
    profile = Profile.model_validate(data)
    guide = build_guide(profile, flagship, today=TODAY)
    html = renderer.html(guide, created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), chart_png=PNG)
    document, _ = renderer.layout(html, chart_png=PNG)
    assert renderer.pdf(document).startswith(b"%PDF")
    assert len(document.pages) >= 4


# A one-pixel PNG: the chart is not what these tests are about.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8ff"
    "ff3f0005fe02fea7d605570000000049454e44ae426082"
)

# Invalid: a required field missing or emptied, a wrong type, an out-of-range number,
# an impossible date, an unknown key.
BROKEN = st.one_of(
    VALID.map(lambda d: {k: v for k, v in d.items() if k != "name"}),
    VALID.map(lambda d: {**d, "current_role": "   "}),
    VALID.flatmap(lambda d: st.floats(max_value=0).map(lambda h: {**d, "hours_per_week": h})),
    VALID.flatmap(lambda d: st.floats(min_value=80.001).map(lambda h: {**d, "hours_per_week": h})),
    VALID.flatmap(
        lambda d: st.floats(max_value=-0.001).map(lambda y: {**d, "years_experience": y})
    ),
    VALID.flatmap(
        lambda d: st.text(string.ascii_letters + "-/", min_size=1, max_size=12).map(
            lambda s: {**d, "start_date": s}
        )
    ),
    VALID.flatmap(
        lambda d: (
            st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)
            .filter(lambda k: k not in Profile.model_fields)
            .map(lambda key: {**d, key: "x"})
        )
    ),
    VALID.map(lambda d: {**d, "skills": "not a list"}),
    VALID.map(lambda d: {**d, "name": "x" * 201}),
    VALID.flatmap(lambda d: CONTROL.map(lambda c: {**d, "name": f"Ana{c}Souza"})),
    # Inside the skill: a trailing line break is whitespace, stripped like any other.
    VALID.flatmap(lambda d: CONTROL.map(lambda c: {**d, "skills": [f"S{c}QL"]})),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=BROKEN)
def test_an_invalid_profile_is_exit_2_and_a_message(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile")
    path = folder / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(path), "-o", str(folder / "out")])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@settings(max_examples=60, deadline=None)
@given(row=st.dictionaries(st.sampled_from(list(Profile.model_fields)), st.text(max_size=30)))
def test_any_cohort_row_validates_or_fails_cleanly(row, tmp_path_factory):
    entry = CohortEntry(number=2, data=row, file=tmp_path_factory.getbasetemp() / "c.csv")
    try:
        entry.validate()
    except UserError as error:
        assert error.problems and all(problem.row == 2 for problem in error.problems)
