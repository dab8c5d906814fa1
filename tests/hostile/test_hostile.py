"""The hostile corpus: nasty profiles and cohort rows are handled, load nothing, leak nothing."""

from __future__ import annotations

import csv
import errno
import http.server
import os
import secrets
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document

from guidegen.deliver.output import write_atomic
from guidegen.deliver.pipeline import GuideWriter
from guidegen.errors import UserError
from guidegen.load.catalog import TemplateCatalog, builtin_templates_dir
from guidegen.load.clock import build_time
from guidegen.load.profiles import load_profile
from guidegen.plan.personalize import build_guide
from tests.render.reading import docx_paragraphs

HERE = Path(__file__).parent
OK = sorted((HERE / "profiles").glob("ok-*.yaml"))
BAD = sorted((HERE / "profiles").glob("bad-*.yaml"))


class Trap:
    """A loopback web server that records every request, and a canary file on disk."""

    def __init__(self, folder: Path):
        self.requests: list[str] = []
        trap = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                trap.requests.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.secret = f"CANARY-{secrets.token_hex(16)}"
        self.canary = folder / "canary.txt"
        self.canary.write_text(self.secret)

    def arm(self, source: Path, target: Path) -> Path:
        """Copy a corpus file with the real port and canary path in it."""
        text = source.read_bytes()
        text = text.replace(b"HOSTILE_PORT", str(self.port).encode())
        text = text.replace(b"CANARY_PATH", str(self.canary).encode())
        target.write_bytes(text)
        return target

    def assert_untouched(self, outputs: list[Path]) -> None:
        assert self.requests == [], f"the server was asked for {self.requests}"
        for path in outputs:
            assert self.secret.encode() not in path.read_bytes(), path
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as archive:
                    for name in archive.namelist():
                        assert self.secret.encode() not in archive.read(name)


@pytest.fixture(scope="module")
def trap(tmp_path_factory):
    trap = Trap(tmp_path_factory.mktemp("trap"))
    yield trap
    trap.server.shutdown()


def test_the_corpus_is_large_enough():
    assert len(OK) + len(BAD) >= 30
    rows = list(csv.reader((HERE / "cohort.csv").open(encoding="utf-8", newline="")))
    assert len(rows) - 1 >= 8


def test_nasty_but_valid_profiles_render_as_text_and_load_nothing(trap, tmp_path):
    catalog = TemplateCatalog([builtin_templates_dir()])
    writer = GuideWriter(("pdf", "docx"))
    created = build_time()
    outputs = []
    for source in OK:
        profile = load_profile(trap.arm(source, tmp_path / source.name))
        guide = build_guide(profile, catalog.resolve(profile).template, today=created.date())
        result = writer.write(guide, tmp_path / "out", created=created)
        assert result.warnings == [], (source.name, result.warnings)
        pdf, docx = result.files
        assert pdf.parent == tmp_path / "out"  # no name leaves the output folder
        # The cover, with the name, is a layout table: read its cells too.
        word_text = "\n".join(p.text for p in docx_paragraphs(Document(docx)))
        assert profile.name in word_text, source.name
        if profile.notes:
            assert profile.notes.split("\n")[0] in word_text
        with pdfplumber.open(pdf) as document:
            pdf_text = " ".join(page.extract_text() or "" for page in document.pages)
        if profile.name.isascii():
            assert profile.name.split()[0] in pdf_text, source.name
        outputs += result.files
    assert len(outputs) == 2 * len(OK)
    trap.assert_untouched(outputs)


@pytest.mark.parametrize("source", BAD, ids=[path.stem for path in BAD])
def test_broken_or_hostile_profiles_exit_2_with_a_message(source, trap, tmp_path):
    armed = trap.arm(source, tmp_path / source.name)
    run = subprocess.run(
        [sys.executable, "-m", "guidegen", "render", str(armed), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("error: ") and "Traceback" not in run.stderr
    assert source.name in run.stderr or "template" in run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert trap.requests == []


def test_a_hostile_cohort(trap, tmp_path):
    cohort = trap.arm(HERE / "cohort.csv", tmp_path / "cohort.csv")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "guidegen",
            "batch",
            str(cohort),
            "-f",
            "pdf",
            "-f",
            "docx",
            "-o",
            str(tmp_path / "out"),
            "-j",
            "2",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert "row 7 (Bad Hours): hours_per_week" in run.stderr
    assert "row 8: name: this field is required" in run.stderr
    assert "row 9 (Tab\tName): email" in run.stderr
    # A name on two lines is refused (it would break the email's headers), not mailed.
    assert "name: got 'Multi\\nLine" in run.stderr and "expected a single line" in run.stderr
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["status"] for row in rows].count("rendered") == 4
    for row in rows:  # no cell a spreadsheet would run as a formula
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t")), value
    assert rows[0]["name"].startswith("'=HYPERLINK")
    outputs = [p for p in (tmp_path / "out").iterdir() if p.suffix in {".pdf", ".docx"}]
    assert all(path.parent == tmp_path / "out" for path in outputs)
    trap.assert_untouched([*outputs, tmp_path / "out" / "manifest.csv"])


def test_a_symlink_in_the_output_folder_is_replaced_not_followed(tmp_path, make_profile, flagship):
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    guide = build_guide(make_profile(), flagship, today=build_time().date())
    target = out / "alex-rivera--backend-developer-to-ai-solutions-architect.pdf"
    target.symlink_to(outside)
    GuideWriter(("pdf",)).write(guide, out, created=build_time())
    assert outside.read_bytes() == b"precious"
    assert not target.is_symlink() and target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_leaves_no_partial_file(tmp_path, monkeypatch, code):
    path = tmp_path / "guide.pdf"
    path.write_bytes(b"the old guide")

    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, descriptor, mode):
            self.handle = real_fdopen(descriptor, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fdopen", Failing)
    with pytest.raises(UserError) as caught:
        write_atomic(path, b"%PDF-new")
    assert os.strerror(code) in caught.value.report()
    assert path.read_bytes() == b"the old guide"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.pdf"]


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(UserError) as caught:
        write_atomic(tmp_path / "guide.pdf", b"%PDF")
    assert "cannot write into this folder: Read-only file system" in caught.value.report()


NAMES = {
    "latin": "Zoë Ångström-Núñez",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "cyrillic": "Сергей Иванов",
    "chinese": "王小明",
    "japanese": "山田 太郎",
    "korean": "김민준",
    "arabic": "محمد العلي",
    "hebrew": "דוד כהן",
    "emoji": "Sam 🚀 Lee",
}


@pytest.mark.parametrize("script", list(NAMES))
def test_names_in_every_script_have_glyphs(script, make_profile, flagship, tmp_path):
    # Every character has a font that draws it (fontconfig's coverage, which Pango uses
    # for the theme's fallback chain), and the name reaches the PDF's text.
    from tests.conftest import require_tool

    fc_list = require_tool("fc-list")
    name = NAMES[script]
    for char in {c for c in name if not c.isspace() and c != "-"}:
        fonts = subprocess.run(
            [fc_list, f":charset={ord(char):x}", "family"], capture_output=True, text=True
        ).stdout
        assert fonts.strip(), f"no installed font draws {char!r} ({script})"
    guide = build_guide(make_profile(name=name), flagship, today=build_time().date())
    (pdf,) = GuideWriter(("pdf",)).write(guide, tmp_path, created=build_time()).files
    with pdfplumber.open(pdf) as document:
        fonts = {char["fontname"].split("+")[-1] for char in document.pages[0].chars}
        text = document.pages[0].extract_text()
    if script in {"latin", "greek", "cyrillic", "chinese", "korean"}:
        assert name in text
    if script in {"chinese", "japanese", "korean"}:
        assert any("CJK" in font for font in fonts), fonts
    if script == "emoji":
        assert any("Emoji" in font for font in fonts), fonts
