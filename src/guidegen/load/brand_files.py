"""A brand's logo and Word reference document, read within limits and made safe to embed.

A brand folder comes from a coach or a bootcamp, but its files may come from
anywhere (a designer, a template site, a colleague's email), and whatever
they carry is copied into every client's guide. So nothing is embedded as it
was read:

- A PNG or JPEG logo is decoded by Pillow only once its declared size is
  within `logo.pixels`, then downscaled to what a page needs and re-encoded:
  the renderers embed Pillow's output, never the file.
- An SVG logo must be well-formed XML without a DOCTYPE (which can define
  entities and fetch files); it is rendered by WeasyPrint and cairosvg, both
  sandboxed from the file system and the network.
- A reference document is rebuilt from what a brand is: its styles,
  numbering, theme, the last section's page setup and its headers and footers
  (with their images and web links). Everything else is left behind:
  external relationships (an attached template on a web server, linked
  images, frames), fields that fetch or run (INCLUDEPICTURE, INCLUDETEXT,
  LINK, DDE...), ``file:`` and other non-web hyperlinks, macros, embedded
  objects, custom XML, document properties, ``attachedTemplate`` and
  ``updateFields``. A part that declares a DOCTYPE or entities, or an archive
  that unpacks beyond `reference_doc.unpacked_bytes`, is an error.

Each problem is a ValueError whose message names the limit or what to do; the
brand model reports it against the brand file's line (`guidegen.models.brand`).
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

from guidegen.models import limits
from guidegen.models.brand import BrandFiles, LogoImage, logo_kind_of

# --- logos ------------------------------------------------------------------------------------

LOGO_PAGE_PIXELS = (2400, 600)
"""The most a page needs: the logo is at most 16 mm high on a cover (600 px is 950 dpi
there) and never wider than the text (2400 px is 350 dpi across 174 mm)."""
JPEG_QUALITY = 92
RASTER_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


class BrandFileLoader:
    """Reads a brand's files as the brand model validates them, keeping what it made safe.

    The model calls `logo` and `reference_doc` from its field validators (so a
    problem is reported at the field, with every other problem of the file);
    `files` is what they produced, for `Brand.with_files`.
    """

    def __init__(self) -> None:
        self._logo: LogoImage | None = None
        self._reference_doc: bytes | None = None

    def logo(self, path: Path) -> None:
        self._logo = load_logo(path)

    def reference_doc(self, path: Path) -> None:
        self._reference_doc = load_reference_doc(path)

    def files(self) -> BrandFiles:
        return BrandFiles(logo=self._logo, reference_doc=self._reference_doc)


def load_logo(path: Path) -> LogoImage:
    """The logo at `path`, checked and made safe; a ValueError says what is wrong."""
    data = _read_within(path, limits.LOGO_BYTES, "this logo is")
    kind = logo_kind_of(data[:512])
    if kind is None:
        raise ValueError("expected a PNG, JPEG or SVG image")
    if kind == "svg":
        return LogoImage("svg", _checked_svg(data))
    return _downscaled(data, kind)


def _read_within(path: Path, limit: limits.Limit, subject: str) -> bytes:
    size = path.stat().st_size
    if not limit.allows(size):
        raise ValueError(limit.exceeded(subject, size))
    return path.read_bytes()


def _checked_svg(data: bytes) -> bytes:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ValueError(
            "this SVG has a DOCTYPE, which can define entities and read files; "
            "expected an SVG without one (export it again, or delete the <!DOCTYPE ...> line)"
        ) from None
    except ParseError as error:
        raise ValueError(f"this SVG is not well-formed XML ({error})") from None
    if root.tag not in {"svg", "{http://www.w3.org/2000/svg}svg"}:
        raise ValueError("expected an SVG image (its root element is not <svg>)")
    return data


def _downscaled(data: bytes, kind: str) -> LogoImage:
    """A PNG or JPEG decoded within `logo.pixels` and shrunk to LOGO_PAGE_PIXELS."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    declared = _png_size(data) if kind == "png" else None
    if declared and not limits.LOGO_PIXELS.allows(declared[0] * declared[1]):
        raise ValueError(_too_many_pixels(*declared))
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 megapixels and refuses from 179: ours is far lower,
            # checked below before anything is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        width, height = image.size
        if not limits.LOGO_PIXELS.allows(width * height):
            raise ValueError(_too_many_pixels(width, height))
        if kind == "jpeg":
            image.draft("RGB", LOGO_PAGE_PIXELS)  # decode a JPEG at a fraction of its size
        image.load()
    except Image.DecompressionBombError:
        raise ValueError(
            f"this logo has more pixels than Pillow will decode; {limits.LOGO_PIXELS.expected()}"
        ) from None
    except (OSError, SyntaxError, UnidentifiedImageError, zlib.error) as error:
        raise ValueError(f"cannot decode this image ({error})") from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in RASTER_MODES:
        image = image.convert("RGBA" if kind == "png" else "RGB")
    image.thumbnail(LOGO_PAGE_PIXELS, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    if kind == "jpeg":
        if image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(output, "JPEG", quality=JPEG_QUALITY, icc_profile=image.info.get("icc_profile"))
    else:
        image.save(output, "PNG", optimize=True, icc_profile=image.info.get("icc_profile"))
    return LogoImage(kind, output.getvalue(), image.width, image.height)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """The width and height a PNG declares (its IHDR chunk), read before any decoding."""
    if len(data) >= 24 and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None


def _too_many_pixels(width: int, height: int, *, subject: str = "this logo") -> str:
    return limits.LOGO_PIXELS.exceeded(
        f"{subject} is {width:,}×{height:,}, that is", width * height
    ) + (". Save it smaller: a logo needs no more than 2400 pixels across")


# --- reference documents ----------------------------------------------------------------------

PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELATIONSHIP = R
OFFICE_DOCUMENT = f"{R}/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
KEPT_PARTS = {  # relationship type (from the main document) -> (new part name, content type)
    f"{R}/styles": (
        "word/styles.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    ),
    f"{R}/numbering": (
        "word/numbering.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    ),
    f"{R}/theme": (
        "word/theme/theme1.xml",
        "application/vnd.openxmlformats-officedocument.theme+xml",
    ),
    f"{R}/settings": (
        "word/settings.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    ),
}
HEADER, FOOTER = f"{R}/header", f"{R}/footer"
HEADER_FOOTER_TYPES = {
    HEADER: ("header", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"),
    FOOTER: ("footer", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
}
IMAGE, HYPERLINK = f"{R}/image", f"{R}/hyperlink"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
IMAGE_TYPES = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpeg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
}
WEB_SCHEMES = {"http", "https", "mailto"}
SAFE_FIELDS = {
    # Fields that show the document's own page numbers, dates and properties. Any other
    # field (INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, DDEAUTO, IMPORT, MERGEFIELD...) is
    # replaced by the text it showed; HYPERLINK is kept for web addresses only.
    "PAGE",
    "NUMPAGES",
    "SECTIONPAGES",
    "SECTION",
    "DATE",
    "TIME",
    "CREATEDATE",
    "SAVEDATE",
    "PRINTDATE",
    "TITLE",
    "SUBJECT",
    "AUTHOR",
    "KEYWORDS",
    "COMMENTS",
    "STYLEREF",
    "DOCPROPERTY",
}
SETTINGS_KEPT = {
    # How the pages look: odd/even headers, margins, tab stops, hyphenation, layout
    # compatibility, theme fonts and colours. Not: attachedTemplate, updateFields,
    # mailMerge (a data source), docVars, protection, rsids, and the rest.
    "evenAndOddHeaders",
    "mirrorMargins",
    "gutterAtTop",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "defaultTabStop",
    "autoHyphenation",
    "consecutiveHyphenLimit",
    "hyphenationZone",
    "doNotHyphenateCaps",
    "characterSpacingControl",
    "compat",
    "themeFontLang",
    "clrSchemeMapping",
    "decimalSymbol",
    "listSeparator",
}
DROPPED_ELEMENTS = {
    # Content that runs, embeds or fetches: OLE objects, ActiveX controls, subdocuments,
    # imported chunks, bindings to custom XML.
    f"{{{W}}}object",
    f"{{{W}}}control",
    f"{{{W}}}subDoc",
    f"{{{W}}}altChunk",
    f"{{{W}}}dataBinding",
    f"{{{W}}}numPicBullet",
    f"{{{W}}}lvlPicBulletId",
}
HYPERLINK_ON_DRAWING = {"hlinkClick", "hlinkHover", "hlinkMouseOver"}


def load_reference_doc(path: Path) -> bytes:
    """The reference document at `path`, rebuilt as a .docx holding only a brand's parts."""
    data = _read_within(path, limits.REFERENCE_DOC_BYTES, "this file is")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise ValueError("this is not a Word file (not a .docx/.dotx archive)") from None
    with archive:
        _check_archive(archive)
        return _Rebuild(archive).package()


def _check_archive(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if not limits.REFERENCE_DOC_PARTS.allows(len(entries)):
        raise ValueError(limits.REFERENCE_DOC_PARTS.exceeded("it holds", len(entries)))
    unpacked = sum(entry.file_size for entry in entries)
    if not limits.REFERENCE_DOC_UNPACKED_BYTES.allows(unpacked):
        biggest = max(entries, key=lambda entry: entry.file_size)
        raise ValueError(
            limits.REFERENCE_DOC_UNPACKED_BYTES.exceeded(
                f"it unpacks to {unpacked:,} bytes ({biggest.filename} alone: "
                f"{biggest.file_size:,})"
            )
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise ValueError("this is not a Word file (no [Content_Types].xml or _rels/.rels inside)")


def _parser():
    from lxml import etree

    # No DTD loaded, no entity resolved, no network: the parts are data, nothing more.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


class _Rebuild:
    """A new .docx made of the brand's parts of `archive`, with fresh relationships."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.parts: dict[str, bytes] = {}  # new part name -> bytes
        self.content_types: dict[str, str] = {}  # new part name -> content type
        self.images: dict[str, str] = {}  # old image part -> new part name

    def package(self) -> bytes:
        from lxml import etree

        main = self._main_part()
        relationships = self._relationships(main)
        document = self._xml(main)
        document_rels: list[tuple[str, str, str, bool]] = []
        for rel_type, (name, content_type) in KEPT_PARTS.items():
            target = next(
                (rel for rel in relationships.values() if rel[0] == rel_type and not rel[2]), None
            )
            if target is None:
                continue
            tree = self._xml(self._resolve(main, target[1]))
            if rel_type == f"{R}/settings":
                _keep_settings(tree)
            if _strip_references(tree, {}) and rel_type == f"{R}/theme":
                continue  # a theme that needs pictures: Word's default theme is used
            self._add(name, content_type, tree)
            document_rels.append((f"rId{len(document_rels) + 1}", rel_type, name[5:], False))
        body = document.find(f"{{{W}}}body")
        section = body.find(f"{{{W}}}sectPr") if body is not None else None
        for child in list(document):
            document.remove(child)
        body = etree.SubElement(document, f"{{{W}}}body")
        if section is not None:
            body.append(section)
            counts = {HEADER: 0, FOOTER: 0}
            for reference in list(section):
                local = etree.QName(reference).localname
                if local in {"headerReference", "footerReference"}:
                    rel = relationships.get(reference.get(f"{{{R}}}id") or "")
                    if rel is None or rel[0] not in HEADER_FOOTER_TYPES or rel[2]:
                        section.remove(reference)
                        continue
                    counts[rel[0]] += 1
                    stem, content_type = HEADER_FOOTER_TYPES[rel[0]]
                    name = f"word/{stem}{counts[rel[0]]}.xml"
                    self._header_or_footer(self._resolve(main, rel[1]), name, content_type)
                    new_id = f"rId{len(document_rels) + 1}"
                    document_rels.append((new_id, rel[0], name[5:], False))
                    reference.set(f"{{{R}}}id", new_id)
                elif local == "printerSettings":
                    section.remove(reference)
            _strip_references(section, {rel[0]: rel[0] for rel in document_rels})
        self._add("word/document.xml", DOCUMENT_MAIN, document, document_rels)
        return self._zip()

    # --- reading -------------------------------------------------------------------------

    def _read(self, name: str) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise ValueError(f"{name} is missing from the archive") from None
        try:
            with self.archive.open(info) as handle:
                return handle.read(info.file_size + 1)  # zipfile stops at the declared size
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError) as error:
            raise ValueError(f"{name} is damaged ({error})") from None

    def _xml(self, name: str):
        from lxml import etree

        data = self._read(name)
        if re.search(rb"<!(DOCTYPE|ENTITY)", data) or re.search(
            "<!(DOCTYPE|ENTITY)".encode("utf-16-le"), data
        ):
            raise ValueError(
                f"{name} declares a DOCTYPE or entities, which Word never writes and which "
                "can read files; expected a document saved by Word or LibreOffice"
            )
        try:
            tree = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as error:
            raise ValueError(f"{name} is not well-formed XML ({error})") from None
        if tree.getroottree().docinfo.internalDTD is not None:
            raise ValueError(f"{name} declares a DOCTYPE; expected none")
        return tree

    def _main_part(self) -> str:
        for rel_type, target, external in self._relationships("").values():
            if rel_type in {OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT} and not external:
                return self._resolve("", target)
        raise ValueError("this is not a Word file (no main document inside)")

    def _relationships(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Id -> (type, target, external) of `part` ('' for the package's own)."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self.archive.namelist():
            return {}
        found = {}
        for rel in self._xml(rels_name):
            rel_id, rel_type, target = rel.get("Id"), rel.get("Type"), rel.get("Target")
            if rel_id and rel_type and target is not None:
                found[rel_id] = (rel_type, target, rel.get("TargetMode") == "External")
        return found

    @staticmethod
    def _resolve(source: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    # --- headers and footers ---------------------------------------------------------------

    def _header_or_footer(self, old_name: str, new_name: str, content_type: str) -> None:
        tree = self._xml(old_name)
        _unwrap_unsafe_fields(tree)
        rels = []
        kept: dict[str, str] = {}
        for rel_id, (rel_type, target, external) in self._relationships(old_name).items():
            if rel_type == HYPERLINK and external and _is_web_address(target):
                new_id = f"rId{len(rels) + 1}"
                rels.append((new_id, HYPERLINK, target, True))
                kept[rel_id] = new_id
            elif rel_type == IMAGE and not external:
                image = self._image(self._resolve(old_name, target))
                if image is not None:
                    new_id = f"rId{len(rels) + 1}"
                    rels.append((new_id, IMAGE, image.removeprefix("word/"), False))
                    kept[rel_id] = new_id
        _strip_references(tree, kept)
        self._add(new_name, content_type, tree, rels)

    def _image(self, name: str) -> str | None:
        """The new name of a header's picture, checked like a logo; None to drop it."""
        if name in self.images:
            return self.images[name]
        from PIL import Image, UnidentifiedImageError

        data = self._read(name)
        too_many = limits.LOGO_PIXELS.exceeded(
            f"the picture {name} has more pixels than Pillow will decode"
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
            width, height = image.size
            kind = IMAGE_TYPES.get(image.format or "")
        except Image.DecompressionBombError:
            size = _png_size(data)
            if size:
                raise ValueError(_too_many_pixels(*size, subject=f"the picture {name}")) from None
            raise ValueError(too_many) from None
        except (OSError, SyntaxError, UnidentifiedImageError):
            return None  # not a picture Pillow knows (EMF, SVG...): left out
        if kind is None:
            return None
        if not limits.LOGO_PIXELS.allows(width * height):
            raise ValueError(_too_many_pixels(width, height, subject=f"the picture {name}"))
        new_name = f"word/media/image{len(self.images) + 1}.{kind[0]}"
        self.images[name] = new_name
        self.parts[new_name] = data
        self.content_types[new_name] = kind[1]
        return new_name

    # --- writing ---------------------------------------------------------------------------

    def _add(self, name: str, content_type: str, tree, rels: list | None = None) -> None:
        from lxml import etree

        self.parts[name] = etree.tostring(
            tree, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        self.content_types[name] = content_type
        if rels:
            folder, base = posixpath.split(name)
            self.parts[posixpath.join(folder, "_rels", f"{base}.rels")] = _rels_xml(rels)

    def _zip(self) -> bytes:
        from lxml import etree

        types = etree.Element(f"{{{CONTENT_TYPES}}}Types", nsmap={None: CONTENT_TYPES})
        etree.SubElement(
            types,
            f"{{{CONTENT_TYPES}}}Default",
            Extension="rels",
            ContentType="application/vnd.openxmlformats-package.relationships+xml",
        )
        etree.SubElement(
            types, f"{{{CONTENT_TYPES}}}Default", Extension="xml", ContentType="application/xml"
        )
        for name, content_type in self.content_types.items():
            etree.SubElement(
                types, f"{{{CONTENT_TYPES}}}Override", PartName=f"/{name}", ContentType=content_type
            )
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            target.writestr(
                "[Content_Types].xml",
                etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True),
            )
            target.writestr(
                "_rels/.rels", _rels_xml([("rId1", OFFICE_DOCUMENT, "word/document.xml", False)])
            )
            for name, data in self.parts.items():
                target.writestr(name, data)
        return output.getvalue()


def _rels_xml(rels: list[tuple[str, str, str, bool]]) -> bytes:
    from lxml import etree

    root = etree.Element(f"{{{PACKAGE_RELS}}}Relationships", nsmap={None: PACKAGE_RELS})
    for rel_id, rel_type, target, external in rels:
        rel = etree.SubElement(
            root, f"{{{PACKAGE_RELS}}}Relationship", Id=rel_id, Type=rel_type, Target=target
        )
        if external:
            rel.set("TargetMode", "External")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _is_web_address(target: str) -> bool:
    try:
        parts = urlsplit(target.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and (parts.netloc or parts.scheme == "mailto")


def _keep_settings(settings) -> None:
    from lxml import etree

    for child in list(settings):
        kept = isinstance(child.tag, str) and etree.QName(child).namespace == W
        if not kept or etree.QName(child).localname not in SETTINGS_KEPT:
            settings.remove(child)


def _strip_references(tree, renamed: dict[str, str]) -> bool:
    """Point relationship attributes (r:id, r:embed, r:link...) at their new ids, and remove
    what points at a relationship left behind; True when anything was removed.

    Such an element goes with its run (a picture, an object); a hyperlink is
    unwrapped into its text; a link on a drawing is removed alone. Elements that
    run, embed or fetch (DROPPED_ELEMENTS) go whatever they point at, and so do
    `src` and `href` attributes outside WordprocessingML (VML shapes).
    """
    from lxml import etree

    removed = False
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        if element.tag in DROPPED_ELEMENTS:
            _remove(element)
            removed = True
            continue
        for attribute in list(element.attrib):
            if attribute.startswith(f"{{{R}}}"):
                value = element.get(attribute)
                if value in renamed:
                    element.set(attribute, renamed[value])
                    continue
                _drop_reference(element)
                removed = True
                break
            if etree.QName(attribute).localname in {"src", "href"} and (
                etree.QName(element).namespace != W
            ):
                del element.attrib[attribute]
                removed = True
    return removed


def _drop_reference(element) -> None:
    from lxml import etree

    local = etree.QName(element).localname
    if local == "hyperlink":
        parent = element.getparent()
        if parent is None:
            return
        index = parent.index(element)
        for child in list(element):
            parent.insert(index, child)
            index += 1
        parent.remove(element)
        return
    if local in HYPERLINK_ON_DRAWING:
        _remove(element)
        return
    run = next((a for a in element.iterancestors(f"{{{W}}}r")), None)
    _remove(run if run is not None else element)


def _remove(element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _unwrap_unsafe_fields(tree) -> None:
    """Fields other than SAFE_FIELDS (and web HYPERLINKs) become the text they showed."""
    from lxml import etree

    begin, separate, end = "begin", "separate", "end"
    stack: list[dict] = []
    unsafe: list[dict] = []
    for element in list(tree.iter(f"{{{W}}}fldSimple", f"{{{W}}}fldChar", f"{{{W}}}instrText")):
        local = etree.QName(element).localname
        if local == "fldSimple":
            if not _safe_field(element.get(f"{{{W}}}instr") or ""):
                parent = element.getparent()
                index = parent.index(element)
                for child in list(element):
                    if etree.QName(child).localname != "fldData":
                        parent.insert(index, child)
                        index += 1
                parent.remove(element)
        elif local == "instrText":
            if stack:
                stack[-1]["code"] += element.text or ""
                stack[-1]["elements"].append(element)
        else:
            kind = element.get(f"{{{W}}}fldCharType")
            if kind == begin:
                stack.append({"code": "", "elements": [element]})
            elif kind == separate and stack:
                stack[-1]["elements"].append(element)
            elif kind == end and stack:
                field = stack.pop()
                field["elements"].append(element)
                if not _safe_field(field["code"]):
                    unsafe.append(field)
    for field in [*unsafe, *stack]:  # a field never ended is not trusted either
        for element in field["elements"]:
            _remove(element)
    for data in list(tree.iter(f"{{{W}}}fldData")):
        _remove(data)


def _safe_field(code: str) -> bool:
    words = code.split()
    if not words:
        return True
    name = words[0].upper()
    if name == "HYPERLINK":
        target = next((w.strip('"') for w in words[1:] if not w.startswith("\\")), "")
        return _is_web_address(target)
    return name in SAFE_FIELDS
