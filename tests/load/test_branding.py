"""Brand files: loaded and checked like profiles, every problem located."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from guidegen.deliver.scaffold import scaffold_brand
from guidegen.errors import UserError
from guidegen.load.branding import load_brand
from guidegen.models.brand import DEFAULT_BRAND
from guidegen.plan.personalize import build_guide
from tests.conftest import ROOT, TODAY

NORTHSTAR = ROOT / "brands" / "northstar-coaching"
HACKFORGE = ROOT / "brands" / "hackforge-bootcamp"


def test_the_sample_brands_load():
    northstar = load_brand(NORTHSTAR)
    assert northstar.signature == "Jordan Lee, Northstar Coaching"
    assert northstar.page_size == "A4"
    assert northstar.logo == (NORTHSTAR / "logo.png").resolve()
    assert [face[0].name for face in northstar.font.files.faces()] == [
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
    ]
    hackforge = load_brand(HACKFORGE / "brand.yaml")
    assert hackforge.page_size == "Letter"
    assert hackforge.reference_doc.suffix == ".dotx"
    assert hackforge.signature == "Hackforge Coding Bootcamp"


def test_no_brand_is_the_neutral_default():
    assert load_brand(None) is DEFAULT_BRAND
    assert DEFAULT_BRAND.logo is None and DEFAULT_BRAND.signature is None


def test_the_brand_signs_the_guide_and_brings_its_call_to_action(make_profile, flagship):
    brand = load_brand(NORTHSTAR)
    guide = build_guide(make_profile(), flagship, today=TODAY, brand=brand)
    assert guide.prepared_by == "Jordan Lee, Northstar Coaching"
    assert guide.call_to_action.heading == "Let's Map Your Next Step Together"
    assert guide.call_to_action.url == "https://northstar-coaching.example/book"
    assert "jordan@northstar-coaching.example" in guide.call_to_action.contact
    named = build_guide(make_profile(), flagship, today=TODAY, brand=brand, prepared_by="Sam")
    assert named.prepared_by == "Sam"
    plain = build_guide(make_profile(), flagship, today=TODAY)
    assert plain.call_to_action.heading == flagship.call_to_action.heading
    assert plain.call_to_action.contact == []


@pytest.fixture
def broken_brand(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "not-a-font.ttf").write_text("hello")
    (folder / "notes.docx").write_text("not a zip")
    (tmp_path / "outside.png").write_bytes((NORTHSTAR / "logo.png").read_bytes())
    (folder / "brand.yaml").write_text(
        "name: Broken\n"
        "logo: missing.png\n"
        "colors:\n"
        "  primary: navy\n"
        "  accent: '#12345'\n"
        "font:\n"
        "  family: Fancy\n"
        "  files:\n"
        "    regular: not-a-font.ttf\n"
        "    bold: ../outside.png\n"
        "page_size: A5\n"
        "reference_doc: notes.docx\n"
    )
    return folder


def test_every_brand_problem_is_named_with_file_line_and_field(broken_brand):
    with pytest.raises(UserError) as caught:
        load_brand(broken_brand)
    problems = {problem.field: problem for problem in caught.value.problems}
    assert set(problems) == {
        "logo",
        "colors.primary",
        "colors.accent",
        "font.files.regular",
        "font.files.bold",
        "page_size",
        "reference_doc",
    }
    assert all(p.file == broken_brand / "brand.yaml" for p in problems.values())
    assert problems["logo"].line == 2 and "no such file" in problems["logo"].message
    assert problems["colors.primary"].line == 4
    assert "#RRGGBB" in problems["colors.primary"].message
    assert "not a font" in problems["font.files.regular"].message
    assert "inside the brand folder" in problems["font.files.bold"].message
    assert "'A4'" in problems["page_size"].message
    assert "not a Word file" in problems["reference_doc"].message


def test_a_logo_that_is_not_an_image(tmp_path):
    (tmp_path / "logo.png").write_text("<html>not an image</html>")
    (tmp_path / "brand.yaml").write_text("logo: logo.png\n")
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("logo", 1)
    assert "expected a PNG, JPEG or SVG image" in problem.message


def test_brand_new_scaffolds_a_brand_that_loads(tmp_path):
    folder = tmp_path / "brands" / "my-practice"
    written = scaffold_brand(folder)
    assert [path.name for path in written] == ["brand.yaml", "logo.svg"]
    brand = load_brand(folder)
    assert brand.name == "My Practice"
    assert brand.logo.name == "logo.svg"
    with pytest.raises(UserError):
        scaffold_brand(folder)  # never overwrites a brand


def test_brand_new_on_the_command_line(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "guidegen", "brand", "new", "brands/acme"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["brands/acme/brand.yaml", "brands/acme/logo.svg"]


def test_a_bad_brand_on_the_command_line_exits_2(broken_brand, tmp_path):
    shutil.copy(ROOT / "profiles" / "alex-rivera.yaml", tmp_path / "me.yaml")
    run = subprocess.run(
        [sys.executable, "-m", "guidegen", "render", "me.yaml", "--brand", str(broken_brand)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "broken/brand.yaml:2:7: logo:" in run.stderr
    assert "error: 7 problems:" in run.stderr
