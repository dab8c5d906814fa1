"""Brand files carry a brand and nothing more: what is embedded is made from them, safe.

A reference document that attaches a template on a web server, fetches pictures
and text through fields, links to local files and brings macros and custom XML
must give a Word file with its styles, header and footer and none of the rest;
a logo is decoded within its pixel limit and downscaled; an SVG with a DOCTYPE
is refused with its line in brand.yaml.
"""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from docx import Document
from PIL import Image

from guidegen.deliver.pipeline import GuideWriter
from guidegen.errors import UserError
from guidegen.load.branding import load_brand
from guidegen.load.clock import build_time
from guidegen.plan.personalize import build_guide
from tests.conftest import ROOT, require_tool
from tests.hostile import bombs
from tests.hostile.test_hostile import Trap

HACKFORGE = ROOT / "brands" / "hackforge-bootcamp"


@pytest.fixture(scope="module")
def trap(tmp_path_factory):
    trap = Trap(tmp_path_factory.mktemp("trap"))
    yield trap
    trap.server.shutdown()


def word_file(brand_folder, tmp_path, make_profile, flagship):
    brand = load_brand(brand_folder)
    guide = build_guide(make_profile(), flagship, today=build_time().date(), brand=brand)
    writer = GuideWriter(("docx",), brand=brand)
    (path,) = writer.write(guide, tmp_path / "out", created=build_time()).files
    return path


def parts_of(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_a_reference_document_brings_its_look_and_nothing_else(
    trap, tmp_path, make_profile, flagship
):
    brand = bombs.brand_with_reference(tmp_path / "brand", "reference.dotx")
    bombs.reference_with_external_content(
        brand / "reference.dotx", f"http://127.0.0.1:{trap.port}", trap.canary
    )
    docx = word_file(brand, tmp_path, make_profile, flagship)
    parts = parts_of(docx)
    everything = b"\n".join(parts.values())
    for carried in (
        f"127.0.0.1:{trap.port}".encode(),  # attached template, INCLUDEPICTURE, frame
        str(trap.canary).encode(),  # INCLUDETEXT, file: hyperlink, custom XML
        b"attachedTemplate",
        b"INCLUDEPICTURE",
        b"INCLUDETEXT",
        b"file:",
        b"vbaProject",
        b"customXml",
        b"<secret>",
    ):
        assert carried not in everything, carried
    assert not any(name.startswith(("customXml", "docProps/custom")) for name in parts)
    assert "word/vbaProject.bin" not in parts
    header = Document(docx).sections[0].header
    header_xml = header._element.xml
    assert "ACME Coaching" in header_xml  # the brand's own header text
    assert "open the file" in header_xml and "picture" in header_xml  # shown text stays
    assert " PAGE " in header_xml  # a page number field is the brand's, and is kept
    header_rels = [rel for rel in header.part.rels.values() if rel.is_external]
    assert [rel.target_ref for rel in header_rels] == ["https://acme.example/"]
    # The reference document's updateFields is left behind, and the guide sets none of its
    # own: Word opens it without asking to update fields.
    assert b"updateFields" not in parts["word/settings.xml"]
    trap.assert_untouched([docx])


def test_libreoffice_opens_the_rebuilt_file_and_fetches_nothing(
    trap, tmp_path, make_profile, flagship
):
    soffice = require_tool("soffice")
    brand = bombs.brand_with_reference(tmp_path / "brand", "reference.dotx")
    bombs.reference_with_external_content(
        brand / "reference.dotx", f"http://127.0.0.1:{trap.port}", trap.canary
    )
    docx = word_file(brand, tmp_path, make_profile, flagship)
    converted = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path / "txt"),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert converted.returncode == 0, converted.stderr
    text = (tmp_path / "txt" / f"{docx.stem}.txt").read_text(encoding="utf-8-sig")
    assert "From Backend Developer to AI Solutions Architect" in text
    assert trap.secret not in text
    assert trap.requests == []


def test_the_sample_reference_template_keeps_its_header_logo_and_footer(tmp_path):
    brand = load_brand(HACKFORGE)
    parts = parts_of(io.BytesIO(brand.reference_document))
    assert sorted(parts) == [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/_rels/document.xml.rels",
        "word/_rels/header1.xml.rels",
        "word/document.xml",
        "word/footer1.xml",
        "word/header1.xml",
        "word/media/image1.png",
        "word/numbering.xml",
        "word/settings.xml",
        "word/styles.xml",
        "word/theme/theme1.xml",
    ]
    assert b"template.main+xml" not in parts["[Content_Types].xml"]  # a .dotx made a .docx
    assert b"document.main+xml" in parts["[Content_Types].xml"]
    assert b"rsid" not in parts["word/settings.xml"] and b"docId" not in parts["word/settings.xml"]
    assert b"<w:compat>" in parts["word/settings.xml"]


@pytest.mark.parametrize(
    ("part", "change", "message"),
    [
        (
            "word/styles.xml",
            lambda x: x[:40] + b"<broken",
            "word/styles.xml is not well-formed XML",
        ),
        (
            "word/document.xml",
            lambda x: x.replace(b"?>", b"?><!DOCTYPE w:document>", 1),
            "word/document.xml declares a DOCTYPE or entities",
        ),
    ],
)
def test_a_damaged_reference_document_is_a_located_error(tmp_path, part, change, message):
    parts = bombs.plain_reference()
    parts[part] = change(parts[part])
    brand = bombs.brand_with_reference(tmp_path, "reference.docx")
    bombs.write_parts(brand / "reference.docx", parts)
    with pytest.raises(UserError) as caught:
        load_brand(brand)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("reference_doc", 2)
    assert message in problem.message


def test_a_header_picture_is_checked_like_a_logo(tmp_path):
    parts = bombs.plain_reference()
    bombs.huge_png(tmp_path / "big.png", 30000, 30000)
    header = next(name for name in parts if name.startswith("word/header"))
    parts[f"word/_rels/{header.split('/')[-1]}.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
        '"http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{bombs.REL}/image" Target="media/big.png"/>'
        "</Relationships>"
    ).encode()
    parts["word/media/big.png"] = (tmp_path / "big.png").read_bytes()
    brand = bombs.brand_with_reference(tmp_path / "brand", "reference.docx")
    bombs.write_parts(brand / "reference.docx", parts)
    with pytest.raises(UserError) as caught:
        load_brand(brand)
    assert "word/media/big.png is 30,000×30,000" in caught.value.report()
    assert "limit logo.pixels" in caught.value.report()


@pytest.mark.parametrize(
    ("name", "limit"),
    [("logo.png", "logo.bytes"), ("reference.docx", "reference_doc.bytes")],
)
def test_files_over_their_size_limit_are_refused_unread(tmp_path, name, limit):
    with (tmp_path / name).open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" if name.endswith("png") else b"PK\x03\x04")
        handle.truncate(11 * 1024 * 1024)  # sparse: no disk used
    key = "logo" if name.endswith("png") else "reference_doc"
    (tmp_path / "brand.yaml").write_text(f"{key}: {name}\n")
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    assert f"(limit {limit})" in caught.value.report()


def test_a_font_file_over_its_limit_is_refused(tmp_path):
    with (tmp_path / "big.ttf").open("wb") as handle:
        handle.write(b"\x00\x01\x00\x00")
        handle.truncate(40 * 1024 * 1024)
    (tmp_path / "brand.yaml").write_text("font:\n  family: Big\n  files:\n    regular: big.ttf\n")
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    assert "font.files.regular" in caught.value.report()
    assert "(limit font.bytes)" in caught.value.report()


def test_a_large_logo_is_downscaled_to_what_a_page_needs(tmp_path, make_profile, flagship):
    Image.new("RGB", (4000, 1000), "#1B3A5C").save(tmp_path / "logo.png")
    (tmp_path / "brand.yaml").write_text("name: Wide\nlogo: logo.png\n")
    brand = load_brand(tmp_path)
    assert (brand.logo_image.width, brand.logo_image.height) == (2400, 600)
    docx = word_file(tmp_path, tmp_path, make_profile, flagship)
    media = [data for name, data in parts_of(docx).items() if name.startswith("word/media/")]
    sizes = {Image.open(io.BytesIO(data)).size for data in media}
    assert (2400, 600) in sizes and (4000, 1000) not in sizes


def test_a_jpeg_logo_is_turned_upright_and_loses_its_metadata(tmp_path):
    image = Image.new("RGB", (300, 100), "#E07A2E")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to display
    exif[0x8825] = {2: (38.0, 43.0, 0.0)}  # a GPS position
    image.save(tmp_path / "logo.jpg", exif=exif.tobytes())
    (tmp_path / "brand.yaml").write_text("logo: logo.jpg\n")
    logo = load_brand(tmp_path).logo_image
    decoded = Image.open(io.BytesIO(logo.data))
    assert logo.kind == "jpeg" and decoded.size == (100, 300)
    assert not decoded.getexif()


def test_an_svg_logo_must_be_well_formed_and_have_no_doctype(tmp_path):
    (tmp_path / "brand.yaml").write_text("name: ACME\nlogo: logo.svg\n")
    (tmp_path / "logo.svg").write_text(bombs.SVG_WITH_DOCTYPE)
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("logo", 2)
    assert "this SVG has a DOCTYPE" in problem.message
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')
    with pytest.raises(UserError) as caught:
        load_brand(tmp_path)
    assert "not well-formed XML" in caught.value.report()


def test_renderers_embed_the_loaded_logo_not_the_file(tmp_path, make_profile, flagship):
    Image.new("RGB", (40, 40), "#00A6A6").save(tmp_path / "logo.png")
    (tmp_path / "brand.yaml").write_text("name: Teal\nlogo: logo.png\n")
    brand = load_brand(tmp_path)
    (tmp_path / "logo.png").write_text("changed on disk after loading")
    guide = build_guide(make_profile(), flagship, today=build_time().date(), brand=brand)
    result = GuideWriter(("pdf", "docx"), brand=brand).write(
        guide, tmp_path / "out", created=build_time()
    )
    assert result.warnings == []
    media = [d for n, d in parts_of(result.files[1]).items() if n.startswith("word/media/")]
    assert brand.logo_image.data in media
