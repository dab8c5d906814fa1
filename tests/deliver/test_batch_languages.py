"""A Spanish cohort: rows matched by Spanish role names, one warning for what has no
Spanish text, and a new translation re-renders the guides it changes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT, guidegen

FIXTURES = ROOT / "tests" / "fixtures" / "templates"
FIXTURE_ID = "retail-manager-to-web-developer"
COHORT = (
    "Nombre,Email,Current Role,Target Role,Hours per week\n"
    "Lucía Fernández,lucia@example.com,Encargada de tienda,Desarrolladora front-end,8\n"
    "Mateo Rojas,mateo@example.com,Gerente de tienda,Desarrollador web,10\n"
    "Ana Souza,ana@example.com,Backend Developer,AI Solutions Architect,10\n"
)


def batch(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return guidegen("batch", *args, cwd=cwd)


def test_a_spanish_cohort(tmp_path):
    shutil.copytree(FIXTURES, tmp_path / "templates")
    # Ana's template is the cohort's own copy of the flagship: unlike the built-in one,
    # it has no Spanish.
    flagship = "backend-developer-to-ai-solutions-architect.yaml"
    shutil.copyfile(ROOT / "templates" / flagship, tmp_path / "templates" / flagship)
    (tmp_path / "cohort.csv").write_text(COHORT, encoding="utf-8")
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "brand.yaml").write_text("footer: Made for you\n", encoding="utf-8")
    args = ("cohort.csv", "--lang", "es", "-f", "ics", "-j", "1", "--map", "Nombre=name")
    args += ("--brand", "brand")
    run = batch(*args, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2, warnings  # each said once for the whole cohort
    assert any("brand/brand.yaml: footer have no Spanish text" in w for w in warnings)
    assert any(
        "backend-developer-to-ai-solutions-architect.yaml: this template has no Spanish" in w
        for w in warnings
    )  # the fixture template is translated: nothing said about it
    out = tmp_path / "output" / "cohort"
    lucia = out / f"lucia-fernandez--{FIXTURE_ID}.ics"
    assert "Fase 1: Fundamentos de la web" in lucia.read_text(encoding="utf-8")
    # A changed translation re-renders the guides built from it, and only those.
    translation = tmp_path / "templates" / "es" / f"{FIXTURE_ID}.yaml"
    translation.write_text(
        translation.read_text(encoding="utf-8").replace(
            "Fundamentos de la web", "Las bases de la web"
        ),
        encoding="utf-8",
    )
    again = batch(*args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "3 rows: 2 rendered, 1 unchanged, 0 failed" in again.stderr
    assert "Fase 1: Las bases de la web" in lucia.read_text(encoding="utf-8")
