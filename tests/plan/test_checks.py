"""`guidegen validate`, `schema`, `templates show/new`, `init`, and template placeholders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.models.schemas import json_schema
from guidegen.plan.checks import check_files, recognize
from guidegen.plan.personalize import build_guide
from tests.conftest import FLAGSHIP_PATH, ROOT, TODAY


def guidegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "guidegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_shipped_file_validates():
    files = [*sorted((ROOT / "templates").glob("*.yaml")), *sorted((ROOT / "profiles").iterdir())]
    files += [ROOT / "brands" / "northstar-coaching", ROOT / "brands" / "hackforge-bootcamp"]
    checked, problems = check_files(files)
    assert problems == []
    kinds = {path.name: kind for path, kind in checked}
    assert kinds["alex-rivera.yaml"] == "profile" and kinds["cohort-demo.csv"] == "cohort"
    assert kinds["northstar-coaching"] == "brand"
    assert kinds[FLAGSHIP_PATH.name] == "template"


def test_the_library_has_eleven_or_more_complete_templates():
    entries = TemplateCatalog([builtin_templates_dir()]).entries()
    assert len(entries) >= 11
    for entry in entries:
        template = entry.template
        assert template.salary.currency and template.salary.market
        assert all(skill.resources for skill in template.skills_to_learn)
        assert template.faq and template.reality_check.love


def test_a_profile_with_five_mistakes_gets_five_located_messages(tmp_path):
    profile = tmp_path / "client.yaml"
    profile.write_text(
        "name: Sam Doe\n"
        "emial: sam@example.com\n"
        "current_role: Teacher\n"
        "target_role: Instructional Designer\n"
        "hours_per_week: 0\n"
        "years_experience: many\n"
        "start_date: 2027-13-01\n"
        "skills:\n"
        "  - name: Canva\n"
        "    level: wizard\n"
    )
    run = guidegen("validate", str(profile), cwd=tmp_path)
    assert run.returncode == 2
    lines = [line.strip() for line in run.stderr.splitlines()]
    assert lines[0] == "error: 5 problems:"
    assert "- client.yaml:2:1: emial: unknown field; did you mean 'email'?" in lines[1]
    assert lines[2] == "- client.yaml:5:17: hours_per_week: got 0; expected a number greater than 0"
    assert lines[3].startswith(
        "- client.yaml:6:19: years_experience: got 'many'; expected a number"
    )
    assert lines[4].startswith("- client.yaml:7:13: start_date: got '2027-13-01'")
    assert lines[5].startswith(
        "- client.yaml:10:12: skills[0].level: got 'wizard'; expected one of"
    )


def test_template_consistency_and_placeholders_are_checked(tmp_path):
    text = FLAGSHIP_PATH.read_text(encoding="utf-8")
    text = text.replace("typical_start:\n    min: 160000", "typical_start:\n    min: 100000")
    text = text.replace(
        "As a backend developer", "{{ first_nmae }}, as a backend developer", 1
    ).replace("weeks: 6", "weeks: 0", 1)
    path = tmp_path / "odd-name.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_files([path])
    messages = [str(problem) for problem in problems]
    assert any("roadmap[1].weeks: got 0; expected a number of at least 1" in m for m in messages)
    assert any("overview: unknown placeholder first_nmae" in m for m in messages)
    text = text.replace("weeks: 0", "weeks: 6")
    path.write_text(text, encoding="utf-8")
    _, problems = check_files([path])
    messages = [str(problem) for problem in problems]
    assert any(
        "id: got 'backend-developer-to-ai-solutions-architect'; the id must match" in m
        for m in messages
    )
    assert any("salary.typical_start: the typical start" in m for m in messages)
    assert all(problem.line for problem in problems)


def test_files_are_recognized_by_content(tmp_path):
    (tmp_path / "a.yaml").write_text("name: A\ncurrent_role: x\ntarget_role: y\n")
    (tmp_path / "b.yaml").write_text("- name: A\n")
    (tmp_path / "c.yaml").write_text("colors:\n  primary: '#000000'\n")
    (tmp_path / "d.yaml").write_text("hello: world\n")
    assert recognize(tmp_path / "a.yaml") == "profile"
    assert recognize(tmp_path / "b.yaml") == "cohort"
    assert recognize(tmp_path / "c.yaml") == "brand"
    _, problems = check_files([tmp_path / "d.yaml"])
    assert "cannot tell what this file is" in problems[0].message


@pytest.mark.parametrize("kind", ["profile", "template", "translation", "brand"])
def test_committed_schemas_are_current(kind):
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == json_schema(kind), f"run `make schemas`: schemas/{kind} is stale"
    schema = json.loads(committed)
    assert schema["additionalProperties"] is False


def test_sample_files_point_editors_at_the_schemas():
    for path in [
        *(ROOT / "templates").glob("*.yaml"),
        ROOT / "profiles" / "alex-rivera.yaml",
        *(ROOT / "brands").glob("*/brand.yaml"),
    ]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = first.split("$schema=")[1]
        assert (path.parent / target).resolve().is_file(), path


def test_placeholders_are_filled_and_profile_text_stays_data(make_profile, flagship):
    text = "{{ first_name }}, as a {{ current_role }} moving to {{ target_role }}, you bring a lot."
    template = flagship.model_copy(update={"overview": text})
    guide = build_guide(make_profile(name="Ana {{ 7*7 }} Souza"), template, today=TODAY)
    assert guide.overview.paragraphs == [
        "Ana, as a Backend Developer moving to AI Solutions Architect, you bring a lot."
    ]
    odd = build_guide(make_profile(name="{{7*7}} x"), template, today=TODAY)
    assert odd.overview.paragraphs[0].startswith("{{7*7}},")


def test_templates_show_new_and_init(tmp_path):
    shown = guidegen("templates", "show", "teacher-to-instructional-designer", cwd=tmp_path)
    assert shown.returncode == 0
    assert "from: Teacher" in shown.stdout and "roadmap:" in shown.stdout

    init = guidegen("init", "workspace", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    workspace = tmp_path / "workspace"
    made = guidegen(
        "templates", "new", "chef-to-baker", "--from", "Chef", "--to", "Baker", cwd=workspace
    )
    assert made.returncode == 0, made.stderr
    checked = guidegen(
        "validate",
        "profiles/client.yaml",
        "brands/my-practice",
        "cohort.csv",
        "templates/chef-to-baker.yaml",
        cwd=workspace,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.count("ok: ") == 4
    listed = guidegen("templates", "list", cwd=workspace)
    (line,) = [line for line in listed.stdout.splitlines() if line.startswith("chef-to-baker ")]
    assert line.split()[1:] == ["Chef", "→", "Baker", "6", "weeks", "en"]
    again = guidegen("init", "workspace", cwd=tmp_path)
    assert again.returncode == 2 and "not overwriting" in again.stderr


def test_validate_warns_about_people_who_cannot_be_emailed(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_text(
        "Name,Email,Current Role,Target Role\n"
        "Ana,ana@example.com,Teacher,Instructional Designer\n"
        "Ben,,Teacher,Instructional Designer\n"
        "Eve,eve@example.com,Chef,Astronaut\n",
        encoding="utf-8",
    )
    warnings: list = []
    _, problems = check_files([path], warnings=warnings)
    assert [str(w).split(": ", 1)[1] for w in warnings] == [
        "no email address: this guide cannot be emailed"
    ]
    assert warnings[0].row == 3 and warnings[0].subject == "Ben"
    (problem,) = problems
    assert "to fix: give the row a template id in a Template column" in problem.message
