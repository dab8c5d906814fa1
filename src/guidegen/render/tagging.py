"""Finishing the tagged PDF: what PDF/UA-1 asks and WeasyPrint does not write (yet).

WeasyPrint tags a document from its HTML (headings, lists, tables, figures with
their alt text, links, form fields). This module runs as its `finisher`, on the
PDF objects in memory just before they are written, so it costs no re-parse
(about a millisecond a guide, see benchmarks/render_time.py):

- The page's running header, footer and page numbers become pagination
  artifacts. WeasyPrint tags the page-margin content but leaves it out of the
  structure tree (PDF 1.7 has no artifact structure element), so it is real
  content that belongs nowhere; PDF/UA-1 (ISO 14289-1 7.8) wants it marked
  `/Artifact` in the content stream instead.
- Table header cells get `/Scope` (7.5): `scope="row"` headers are row headers,
  the others column headers, as WeasyPrint itself pairs them with data cells.
- Text in another language than the guide's (an element with a `lang`
  attribute, such as an English course title in a Spanish guide) gets its own
  `/Lang` (7.2), so a screen reader switches voice.
- Link annotations are described by their text and address (7.18.5), not by
  the address alone.
- An archival PDF/A also declares PDF/UA-1 in its XMP metadata, with the
  extension schema PDF/A asks for any property outside its predefined ones.
- `/DisplayDocTitle` is set on every PDF, tagged or not (7.1).

It reads WeasyPrint's laid-out boxes and the pydyf objects it made; every step
checks what it finds and leaves the PDF as WeasyPrint wrote it when it does not
recognize the shape (a test renders the sample guide and checks each step took).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

PAGINATION = pydyf.Dictionary({"Type": "/Pagination"})

PDFUA_XMP = b"".join(
    (
        b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"',
        b' pdfuaid:part="1"/>\n',
        b'<rdf:Description rdf:about=""',
        b' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"',
        b' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"',
        b' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n',
        b'<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\n',
        b"<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n",
        b"<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n",
        b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n",
        b'<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\n',
        b"<pdfaProperty:name>part</pdfaProperty:name>\n",
        b"<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n",
        b"<pdfaProperty:category>internal</pdfaProperty:category>\n",
        b"<pdfaProperty:description>Indicates which part of ISO 14289 standard is followed",
        b"</pdfaProperty:description>\n",
        b"</rdf:li></rdf:Seq></pdfaSchema:property>\n",
        b"</rdf:li></rdf:Bag></pdfaExtension:schemas>\n",
        b"</rdf:Description>\n",
    )
)
"""PDF/UA-1 identification, declared as a PDF/A extension schema (ISO 19005-3, 6.6.2.3)."""


class Finisher:
    """WeasyPrint's `finisher`: called with the document and the pydyf PDF before writing."""

    def __init__(self, *, declare_pdfua_in_pdfa: bool = False):
        self.declare_pdfua_in_pdfa = declare_pdfua_in_pdfa
        self.report: dict[str, int] = {}
        """What the last call did, for tests: counts per step."""

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        self.report = {}
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        if "StructTreeRoot" not in pdf.catalog:
            return
        tree = _Tree(pdf)
        self.report["artifacts"] = tree.margins_to_artifacts()
        self.report["scopes"] = _scope_headers(document)
        self.report["languages"] = _mark_languages(document, tree)
        self.report["links"] = _describe_links(document)
        if self.declare_pdfua_in_pdfa:
            self.report["xmp"] = _declare_pdfua(pdf)


def _number(reference: bytes | str) -> int:
    """The object number of a pydyf reference (b'12 0 R')."""
    if isinstance(reference, bytes):
        reference = reference.decode()
    return int(reference.split()[0])


class _Tree:
    """The structure tree WeasyPrint made, indexed."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        self.page_numbers = {ref: index for index, ref in enumerate(pdf.page_references)}
        root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
        self.parent_tree = pdf.objects[_number(root["ParentTree"])]["Nums"]
        self.reachable: set[int] = set()
        stack = [_number(kid) for kid in root["K"]]
        while stack:
            number = stack.pop()
            if number in self.reachable:
                continue
            self.reachable.add(number)
            element = pdf.objects[number]
            if isinstance(element, dict) and element.get("Type") == "/StructElem":
                stack += [_number(kid) for kid in element["K"] if not isinstance(kid, int)]

    def elements(self) -> Iterator[tuple[int, pydyf.Dictionary]]:
        """Every structure element, in the order WeasyPrint made them."""
        for number, element in enumerate(self.pdf.objects):
            if isinstance(element, dict) and element.get("Type") == "/StructElem":
                yield number, element

    def page_mcids(self, page: int) -> pydyf.Array:
        """The parent tree's MCID -> structure element array of a page."""
        return self.parent_tree[2 * page + 1]

    def margins_to_artifacts(self) -> int:
        """Content tagged but outside the tree (the page margins) becomes /Artifact."""
        orphans: dict[int, set[int]] = {}
        for number, element in self.elements():
            if number in self.reachable:
                continue
            page = self.page_numbers.get(element.get("Pg"))
            mcids = [kid for kid in element["K"] if isinstance(kid, int)]
            if page is not None and mcids:
                orphans.setdefault(page, set()).update(mcids)
            element.clear()  # unreferenced now: written as an empty dictionary
        done = 0
        for page, mcids in orphans.items():
            page_object = self.pdf.objects[_number(self.pdf.page_references[page])]
            contents = self.pdf.objects[_number(page_object["Contents"])]
            done += _artifact_sequences(contents, mcids)
            parents = self.page_mcids(page)
            for mcid in mcids:
                if mcid < len(parents):
                    parents[mcid] = "null"
        return done


def _artifact_sequences(stream: pydyf.Stream, mcids: set[int]) -> int:
    """Turn `/Tag <</MCID n>> BDC` into `/Artifact <</Type /Pagination>> BDC` for `mcids`."""
    items = stream.stream
    done = 0
    for index, item in enumerate(items):
        if (
            isinstance(item, pydyf.Dictionary)
            and item.get("MCID") in mcids
            and index > 0
            and index + 1 < len(items)
            and items[index + 1] == b"BDC"
        ):
            items[index - 1] = "/Artifact"
            items[index] = PAGINATION
            done += 1
    return done


def _page_boxes(document) -> Iterator[tuple[int, boxes.PageBox]]:
    for number, page in enumerate(document.pages):
        yield number, page._page_box


def _scope_headers(document) -> int:
    """`/Scope /Column` (or `/Row` for scope="row") on every tagged header cell."""
    done = 0
    for _, page_box in _page_boxes(document):
        for box in page_box.descendants():
            element = getattr(box, "mark", None)
            if box.element_tag == "th" and isinstance(element, dict) and "A" in element:
                row = box.element is not None and box.element.get("scope") == "row"
                element["A"]["Scope"] = "/Row" if row else "/Column"
                done += 1
    return done


def _tag_order_text(box, *, in_margin: bool = False) -> Iterator[tuple[boxes.TextBox, bool, bool]]:
    """(text box, in a page margin, directly in a link) in the order WeasyPrint tags them.

    Mirrors weasyprint.pdf.tags._build_box_tree's walk: margins included (their
    elements are made, then left out of the tree), a table's captions and row
    groups as its children, line boxes flattened, absolute boxes in place.
    """
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    in_margin = in_margin or isinstance(box, boxes.MarginBox)
    children = box.children
    if box.is_table_wrapper and box.element_tag == "table":
        table = box.get_wrapped_table()
        if table is not None:
            children = [
                grandchild
                for child in box.children
                for grandchild in (child.children if child is table else [child])
            ]
    is_link = box.element is not None and (box.element_tag or "").split(":")[0] == "a"
    for child in children:
        for leaf in child.children if isinstance(child, boxes.LineBox) else [child]:
            if isinstance(leaf, boxes.TextBox):
                yield leaf, in_margin, is_link
            else:
                yield from _tag_order_text(leaf, in_margin=in_margin)


def _mark_languages(document, tree: _Tree) -> int:
    """/Lang on text whose language (the `lang` attribute) is not the document's."""
    language = (document.metadata.lang or "").lower()
    done = 0
    for page, page_box in _page_boxes(document):
        texts = [
            (text, in_link)
            for text, in_margin, in_link in _tag_order_text(page_box)
            if not in_margin
        ]
        foreign = [(text.style["lang"] or "").lower() not in ("", language) for text, _ in texts]
        if not any(foreign):
            continue
        # The elements WeasyPrint made for text outside links, one per text box, in order.
        page_ref = tree.pdf.page_references[page]
        spans = [
            element
            for number, element in tree.elements()
            if number in tree.reachable
            and element.get("Pg") == page_ref
            and element.get("S") == "/Span"
            and len(element["K"]) == 1
            and isinstance(element["K"][0], int)
        ]
        plain = [text for (text, in_link) in texts if not in_link]
        if len(spans) != len(plain):
            continue  # not the shape expected: leave the page as WeasyPrint tagged it
        for element, text in zip(spans, plain, strict=True):
            if (text.style["lang"] or "").lower() not in ("", language):
                element["Lang"] = pydyf.String(text.style["lang"])
                done += 1
    # Text directly in a link is marked content of the link element itself.
    for page in document.pages:
        for _, _, _, box in page.links:
            box_language = (box.style["lang"] or "").lower()
            annotation = box.link_annotation
            if box_language in ("", language) or annotation is None:
                continue
            parent = annotation.get("StructParent")
            if isinstance(parent, int):
                element = _parent_tree_entry(tree, parent)
                if element is not None and element.get("S") == "/Link":
                    element["Lang"] = pydyf.String(box.style["lang"])
                    done += 1
    return done


def _parent_tree_entry(tree: _Tree, key: int):
    nums = tree.parent_tree
    for index in range(0, len(nums), 2):
        if nums[index] == key and not isinstance(nums[index + 1], list):
            return tree.pdf.objects[_number(nums[index + 1])]
    return None


def _text_of(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _describe_links(document) -> int:
    """Each link annotation described by its text and where it goes: 'Lucidchart (https://…)'."""
    done = 0
    for page in document.pages:
        for link_type, target, _, box in page.links:
            annotation = box.link_annotation
            if annotation is None or box.element is None:
                continue
            text = _text_of(box.element)
            if link_type == "external" and text and text != target:
                annotation["Contents"] = pydyf.String(f"{text} ({target})")
            elif text:
                annotation["Contents"] = pydyf.String(text)
            else:
                continue
            done += 1
    return done


def _declare_pdfua(pdf: pydyf.PDF) -> int:
    """Add the PDF/UA-1 identification to the XMP packet WeasyPrint wrote for PDF/A."""
    reference = pdf.catalog.get("Metadata")
    if reference is None:
        return 0
    stream = pdf.objects[_number(reference)]
    content = b"".join(
        item if isinstance(item, bytes) else str(item).encode() for item in stream.stream
    )
    if b"pdfuaid" in content or b"</rdf:RDF>" not in content:
        return 0
    stream.stream = [content.replace(b"</rdf:RDF>", PDFUA_XMP + b"</rdf:RDF>", 1)]
    return 1
