"""Finding templates: by id, by file, by roles and aliases; user folders override."""

from __future__ import annotations

import pytest

from guidegen.errors import UserError
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir, normalize_role
from tests.conftest import FLAGSHIP_ID, FLAGSHIP_PATH


@pytest.fixture
def catalog():
    return TemplateCatalog([builtin_templates_dir()])


def test_builtin_templates_include_the_flagship(catalog):
    assert FLAGSHIP_ID in catalog.paths()


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("Backend Developer", "AI Solutions Architect"),
        ("backend engineer", "ML Solutions Architect"),
        ("Software Engineer (Backend)", "AI Solutions Architect"),
        ("  Back-End  Developer ", "ai solution architect"),
        ("Senior Backend Engineer", "AI Architect"),
        ("Sr. Backend Developer II", "Lead AI Solutions Architect"),
    ],
)
def test_roles_match_through_names_and_aliases(catalog, current, target):
    assert catalog.match_roles(current, target).template.id == FLAGSHIP_ID


def test_an_unknown_role_pair_lists_the_closest_templates(catalog):
    with pytest.raises(UserError) as caught:
        catalog.match_roles("Backend Dev", "Solutions Architect")
    report = caught.value.report()
    assert "no template for 'Backend Dev' → 'Solutions Architect'" in report
    assert f"closest: {FLAGSHIP_ID}" in report
    assert "--template" in report


def test_an_unknown_id_lists_the_closest_ids(catalog):
    with pytest.raises(UserError) as caught:
        catalog.get("backend-developer-to-ai-architect")
    assert f"closest: {FLAGSHIP_ID}" in caught.value.report()


def test_profile_template_and_explicit_template_win_over_roles(catalog, make_profile, tmp_path):
    profile = make_profile(current_role="Chef", target_role="Astronaut", template=FLAGSHIP_ID)
    assert catalog.resolve(profile).template.id == FLAGSHIP_ID
    copy = tmp_path / "my-variant.yaml"
    copy.write_text(FLAGSHIP_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    assert catalog.resolve(profile, str(copy)).path == copy


def test_a_user_folder_adds_and_overrides(tmp_path, make_profile):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    (tmp_path / f"{FLAGSHIP_ID}.yaml").write_text(
        text.replace("baseline_hours_per_week: 10", "baseline_hours_per_week: 20"),
        encoding="utf-8",
    )
    (tmp_path / "chef-to-astronaut.yaml").write_text(
        text.replace(f"id: {FLAGSHIP_ID}", "id: chef-to-astronaut")
        .replace("name: Backend Developer", "name: Chef")
        .replace("name: AI Solutions Architect", "name: Astronaut"),
        encoding="utf-8",
    )
    catalog = TemplateCatalog.default(tmp_path)
    assert catalog.get(FLAGSHIP_ID).template.baseline_hours_per_week == 20
    assert catalog.match_roles("chef", "astronaut").template.id == "chef-to-astronaut"


def test_a_template_id_must_match_its_file_name(tmp_path):
    (tmp_path / "other-name.yaml").write_text(FLAGSHIP_PATH.read_text(encoding="utf-8"))
    with pytest.raises(UserError) as caught:
        TemplateCatalog([tmp_path]).get("other-name")
    assert "must match the file name" in caught.value.report()


def test_normalize_role():
    assert normalize_role("Software Engineer (Backend)") == "software engineer backend"
    assert normalize_role("Senior Data Analyst II") == "data analyst"
    assert normalize_role("Lead") == "lead"  # nothing but seniority: keep it
