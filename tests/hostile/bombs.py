"""Small files with huge costs, and brand files that carry more than a brand.

Each maker writes one hostile input into a folder and returns its path. The
tests in this folder feed them to guidegen under a memory and time limit
(`bounded.py`); benchmarks/hostile_inputs.py measures what each one costs.
Everything is generated, so the repository holds no megabytes of bombs.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "templates" / "backend-developer-to-ai-solutions-architect.yaml"
ALEX = ROOT / "profiles" / "alex-rivera.yaml"
MB = 1024 * 1024


# --- images ------------------------------------------------------------------------------------


def huge_png(path: Path, width: int, height: int, *, color_type: int = 0, bit_depth: int = 1):
    """A PNG of `width`×`height` blank pixels, compressed row by row: 30000×30000 at one bit
    a pixel is ~110 KB on disk and 112 MB (or, as RGBA, 3.6 GB) once decoded."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    row = b"\x00" + bytes((width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = []
    for _ in range(height):
        chunks.append(compressor.compress(row))
    chunks.append(compressor.flush())
    data = b"".join(chunks)

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


SVG_WITH_DOCTYPE = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY name "ACME">]>
<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">
  <text x="4" y="28">&name;</text>
</svg>
"""


def brand_with_logo(folder: Path, name: str, data: bytes | None = None) -> Path:
    """A brand folder whose logo is `name` (already written there, or `data`)."""
    folder.mkdir(parents=True, exist_ok=True)
    if data is not None:
        (folder / name).write_bytes(data)
    (folder / "brand.yaml").write_text(f"name: ACME Coaching\nlogo: {name}\n", encoding="utf-8")
    return folder


# --- Word reference documents -----------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def plain_reference() -> dict[str, bytes]:
    """A small real .docx (python-docx's, with a header and a footer), part by part."""
    from docx import Document

    document = Document()
    document.sections[0].header.paragraphs[0].text = "ACME Coaching"
    document.sections[0].footer.paragraphs[0].text = "acme.example"
    document.add_paragraph("The reference document's own body, which no guide shows.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _part_named(parts: dict[str, bytes], prefix: str) -> str:
    return next(name for name in parts if name.startswith(prefix) and name.endswith(".xml"))


def reference_with_zero_part(path: Path, size: int = 400 * MB) -> Path:
    """A reference document whose header points at a `size`-byte zero-filled image part
    (~400 KB compressed): python-docx reads every related part into memory."""
    parts = plain_reference()
    header = _part_named(parts, "word/header")
    rels_name = f"word/_rels/{header.split('/')[-1]}.rels"
    parts[rels_name] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId9" Type="{REL}/image" Target="media/zeros.png"/>'
        f"</Relationships>"
    ).encode()
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1
    ).encode("utf-8")
    write_parts(path, parts)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/zeros.png", "w", force_zip64=True) as handle,
    ):
        block = bytes(MB)
        for _ in range(size // MB):
            handle.write(block)
    return path


def reference_with_entity(path: Path, target: str = "file:///etc/hostname") -> Path:
    """A reference document whose styles declare an external entity (XXE) and use it
    in an attribute."""
    parts = plain_reference()
    styles = parts["word/styles.xml"].decode("utf-8")
    head, _, body = styles.partition("?>")
    styles = (f'{head}?><!DOCTYPE w:styles [<!ENTITY font SYSTEM "{target}">]>{body}').replace(
        'w:styleId="Normal"', 'w:styleId="Normal" w:customStyle="&font;"', 1
    )
    parts["word/styles.xml"] = styles.encode("utf-8")
    return write_parts(path, parts)


def reference_with_external_content(path: Path, url: str, canary_path: Path) -> Path:
    """A .dotx that carries more than a brand: an attached template on `url`, a header
    with an INCLUDEPICTURE field and a `file:` hyperlink, an INCLUDETEXT field that
    reads `canary_path`, a macro project, custom XML and updateFields on."""
    parts = plain_reference()
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml"
    ).encode("utf-8")
    parts["[Content_Types].xml"] = (
        parts["[Content_Types].xml"]
        .decode("utf-8")
        .replace(
            "</Types>",
            '<Override PartName="/word/vbaProject.bin" '
            'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        .encode("utf-8")
    )
    settings = parts["word/settings.xml"].decode("utf-8")
    close = settings.index(">", settings.index("<w:settings")) + 1
    settings = (
        settings[:close]
        + '<w:attachedTemplate r:id="rIdTemplate"/><w:updateFields w:val="true"/>'
        + settings[close:]
    )
    if "xmlns:r=" not in settings[:close]:
        settings = settings.replace("<w:settings ", f'<w:settings xmlns:r="{R}" ', 1)
    parts["word/settings.xml"] = settings.encode("utf-8")
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdTemplate" Type="{REL}/attachedTemplate" '
        f'Target="{url}/template.dotm" TargetMode="External"/>'
        "</Relationships>"
    ).encode()
    header = _part_named(parts, "word/header")
    fields = (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> INCLUDEPICTURE "{url}/pixel.png" \\d '
        f"</w:instrText></w:r>"
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>picture</w:t></w:r>'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        f'<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;{canary_path}&quot; ">'
        f"<w:r><w:t>included</w:t></w:r></w:fldSimple></w:p>"
        f'<w:p><w:hyperlink r:id="rIdFile"><w:r><w:t>open the file</w:t></w:r></w:hyperlink>'
        f'<w:hyperlink r:id="rIdWeb"><w:r><w:t>acme.example</w:t></w:r></w:hyperlink>'
        f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    text = parts[header].decode("utf-8")
    parts[header] = text.replace("</w:hdr>", f"{fields}</w:hdr>").encode("utf-8")
    parts[f"word/_rels/{header.split('/')[-1]}.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdFile" Type="{REL}/hyperlink" Target="file://{canary_path}" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdWeb" Type="{REL}/hyperlink" Target="https://acme.example/" '
        'TargetMode="External"/>'
        "</Relationships>"
    ).encode()
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a macro project"
    parts["customXml/item1.xml"] = f"<secret>{canary_path}</secret>".encode()
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdVba" Type="{VBA}" Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdXml" Type="{REL}/customXml" Target="../customXml/item1.xml"/>'
        f'<Relationship Id="rIdFrame" Type="{REL}/frame" Target="{url}/frame.html" '
        'TargetMode="External"/>'
        "</Relationships>",
    ).encode("utf-8")
    return write_parts(path, parts)


def brand_with_reference(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "brand.yaml").write_text(
        f"name: ACME Coaching\nreference_doc: {name}\n", encoding="utf-8"
    )
    return folder


# --- templates --------------------------------------------------------------------------------


def flagship_data() -> dict:
    return yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))


def write_template(folder: Path, data: dict, template_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = {**data, "id": template_id}
    path = folder / f"{template_id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def template_with_overview(folder: Path, text: str, template_id: str) -> Path:
    return write_template(folder, {**flagship_data(), "overview": text}, template_id)


NESTED_LOOPS = (
    "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}"
    "{{ first_name }}{% endfor %}{% endfor %}{% endfor %}"
)
STRING_TIMES_BILLIONS = "{{ first_name }}, {{ 'x' * 2000000000 }}"


def template_with_phases(folder: Path, count: int, template_id: str) -> Path:
    data = flagship_data()
    data["roadmap"] = [
        {"name": f"Phase {number}", "tasks": [{"task": f"Task {number}", "hours": 10}]}
        for number in range(1, count + 1)
    ]
    return write_template(folder, data, template_id)


def template_with_task_hours(folder: Path, hours: int, template_id: str) -> Path:
    data = flagship_data()
    data["roadmap"][0]["tasks"][0]["hours"] = hours
    return write_template(folder, data, template_id)


# --- profiles ---------------------------------------------------------------------------------


def profile_with_name(folder: Path, name: str, file_name: str = "profile.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(ALEX.read_text(encoding="utf-8"))
    data["name"] = name
    path = folder / file_name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# --- cohorts ----------------------------------------------------------------------------------

COHORT_HEADER = ("Name", "Email", "Current Role", "Target Role", "Hours per week")
COHORT_PEOPLE = (
    ("Ana Souza", "ana@example.com", "Teacher", "Instructional Designer", 10),
    ("Ben Okafor", "ben@example.com", "Data Analyst", "Data Scientist", 8),
)
SHEET = "xl/worksheets/sheet1.xml"


def cohort_rows(*extra: tuple) -> list[tuple]:
    """The header and two people who render, then `extra` rows."""
    return [COHORT_HEADER, *COHORT_PEOPLE, *extra]


def cohort_csv(path: Path, rows: list[tuple], *, encoding: str = "utf-8") -> Path:
    """A CSV as a spreadsheet exports it (`encoding` "utf-16" is Excel's "Unicode text",
    with a byte-order mark)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if encoding == "utf-16" else ",")
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def cohort_xlsx(path: Path, rows: list[tuple]) -> Path:
    """A real workbook (openpyxl's) with `rows` on its first sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def _rewrite_part(path: Path, name: str, write) -> Path:
    """The workbook with part `name` replaced by what `write(old bytes, handle)` streams."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            if part == name:
                with archive.open(part, "w", force_zip64=True) as handle:
                    write(data, handle)
            else:
                archive.writestr(part, data)
    return path


def xlsx_with_blank_rows(
    path: Path, rows: int, *, dimension: bool = True, explicit: bool = True
) -> Path:
    """A cohort workbook of two people followed by blank rows down to row `rows`.

    `explicit`: every blank row is a `<row/>` element (20 million of them pack into
    a few hundred KB); otherwise one empty row at `rows` leaves a gap that
    openpyxl fills with blank rows. `dimension`: the sheet declares its range
    (A1:E`rows`), as Excel writes it; otherwise it declares none (it is optional)."""
    cohort_xlsx(path, cohort_rows())

    def write(old: bytes, handle) -> None:
        text = old.decode("utf-8")
        declared = f'<dimension ref="A1:E{rows}"/>' if dimension else ""
        text = text.replace('<dimension ref="A1:E3"/>', declared)
        head, _, tail = text.partition("</sheetData>")
        handle.write(head.encode("utf-8"))
        if explicit:  # numbered by their place, as Excel may write them
            block = b"<row/>" * 100_000
            for first in range(4, rows + 1, 100_000):
                handle.write(block[: 6 * min(100_000, rows + 1 - first)])
        else:
            handle.write(f'<row r="{rows}"/>'.encode())
        handle.write(("</sheetData>" + tail).encode("utf-8"))

    return _rewrite_part(path, SHEET, write)


def xlsx_with_shared_strings(path: Path, size: int = 300 * MB, length: int = 100) -> Path:
    """A cohort workbook with a shared-strings part that unpacks to `size` bytes, in
    strings of `length` characters (about a megabyte packed): openpyxl reads them all
    before the first row."""
    cohort_xlsx(path, cohort_rows())
    name = "xl/sharedStrings.xml"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{kind}"/></Types>'.encode()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
        with archive.open(name, "w", force_zip64=True) as handle:
            handle.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            item = ("<si><t>" + "x" * length + "</t></si>").encode()
            for _ in range(size // len(item)):
                handle.write(item)
            handle.write(b"</sst>")
    return path
