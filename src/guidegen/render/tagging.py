"""Finishing the tagged PDF: what PDF/UA-1 asks and WeasyPrint does not write (yet).

WeasyPrint tags a document from its HTML (headings, lists, tables, figures with
their alt text, links, form fields). This module runs as its `finisher`, on the
PDF objects in memory just before they are written, so it costs no re-parse
(a few milliseconds a guide, see benchmarks/render_time.py):

- The page's running header, footer and page numbers become pagination
  artifacts. WeasyPrint tags the page-margin content but leaves it out of the
  structure tree (PDF 1.7 has no artifact structure element), so it is real
  content that belongs nowhere; PDF/UA-1 (ISO 14289-1, 7.8) wants it marked
  `/Artifact` in the content stream instead.
- Table header cells get `/Scope` (7.5): `scope="row"` headers are row headers,
  the others column headers, as WeasyPrint itself pairs them with data cells.
- Text in another language than the guide's (an element with a `lang`
  attribute, such as an English course title in a Spanish guide) gets its own
  `/Lang` (7.2), so a screen reader switches voice.
- The `/Span` WeasyPrint wraps around every line of text, which says nothing, is
  folded into its parent (a paragraph's lines are marked content of the `/P`):
  a smaller tree, a smaller file, and no "useless span" warnings in PAC.
- Link annotations are described by their text and address (7.18.5), not by
  the address alone.
- An archival PDF/A also declares PDF/UA-1 in its XMP metadata, with the
  extension schema PDF/A asks for any property outside its predefined ones.
- `/DisplayDocTitle` is set on every PDF, tagged or not (7.1).

It reads WeasyPrint's laid-out boxes and the pydyf objects it made; a step that
does not find the shape it expects leaves the PDF as WeasyPrint wrote it (a
test renders the guides and checks each step took).
"""

from __future__ import annotations

import re

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

PAGINATION = pydyf.Dictionary({"Type": "/Pagination"})
FOLDABLE_SPAN_KEYS = {"Type", "S", "K", "Pg", "P"}

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
        """What the last call did, per step (for tests and benchmarks)."""

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        self.report = {}
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        if "StructTreeRoot" not in pdf.catalog:
            return
        tree = _Tree(pdf)
        # Text boxes are only needed when some text is in another language: without
        # them, the walk skips every line of text (most of the boxes).
        texts = _has_other_languages(document)
        walks = [_PageWalk(page._page_box, texts=texts) for page in document.pages]
        self.report["artifacts"] = tree.margins_to_artifacts()
        self.report["scopes"] = _scope_headers(walks)
        self.report["languages"] = _mark_languages(document, walks, tree) if texts else 0
        self.report["folded"] = tree.fold_line_spans()
        self.report["links"] = _describe_links(document)
        if self.declare_pdfua_in_pdfa:
            self.report["xmp"] = _declare_pdfua(pdf)


def _number(reference: bytes | str) -> int:
    """The object number of a pydyf reference (b'12 0 R')."""
    return int(reference.split()[0])


class _Tree:
    """The structure tree WeasyPrint made, indexed."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf
        self.page_references = pdf.page_references
        self.page_numbers = {ref: index for index, ref in enumerate(self.page_references)}
        root = pdf.objects[_number(pdf.catalog["StructTreeRoot"])]
        self.parent_tree = pdf.objects[_number(root["ParentTree"])]["Nums"]
        self.elements: dict[int, pydyf.Dictionary] = {
            element.number: element
            for element in pdf.objects
            if type(element) is pydyf.Dictionary and element.get("Type") == "/StructElem"
        }
        self.reachable: set[int] = set()
        stack = [_number(kid) for kid in root["K"]]
        while stack:
            number = stack.pop()
            if number in self.reachable or number not in self.elements:
                continue
            self.reachable.add(number)
            stack += [_number(kid) for kid in self.elements[number]["K"] if type(kid) is bytes]

    def page_mcids(self, page: int) -> pydyf.Array:
        """The parent tree's MCID -> structure element array of a page."""
        return self.parent_tree[2 * page + 1]

    def line_spans(self, page: int) -> list[pydyf.Dictionary]:
        """The /Span elements WeasyPrint made for each text box of a page, in order."""
        page_reference = self.page_references[page]
        return [
            element
            for number, element in self.elements.items()
            if number in self.reachable
            and element.get("S") == "/Span"
            and element.get("Pg") == page_reference
            and len(element["K"]) == 1
            and type(element["K"][0]) is int
        ]

    def margins_to_artifacts(self) -> int:
        """Content tagged but outside the tree (the page margins) becomes /Artifact."""
        orphans: dict[int, set[int]] = {}
        for number, element in self.elements.items():
            if number in self.reachable:
                continue
            page = self.page_numbers.get(element.get("Pg"))
            mcids = [kid for kid in element["K"] if type(kid) is int]
            if page is not None and mcids:
                orphans.setdefault(page, set()).update(mcids)
            element.clear()  # unreferenced now: written as an empty dictionary
        done = 0
        for page, mcids in orphans.items():
            page_object = self.pdf.objects[_number(self.page_references[page])]
            contents = self.pdf.objects[_number(page_object["Contents"])]
            done += _artifact_sequences(contents, mcids)
            parents = self.page_mcids(page)
            for mcid in mcids:
                if mcid < len(parents):
                    parents[mcid] = "null"
        return done

    def fold_line_spans(self) -> int:
        """Fold each plain /Span of one line of text into its parent, as marked content."""
        folded: dict[bytes, int] = {}
        for number in self.reachable:
            element = self.elements[number]
            kids = element["K"]
            if (
                element.get("S") == "/Span"
                and element.keys() == FOLDABLE_SPAN_KEYS
                and len(kids) == 1
                and type(kids[0]) is int
                and self.elements.get(_number(element["P"]), {}).get("Pg") == element["Pg"]
            ):
                folded[element.reference] = kids[0]
        if not folded:
            return 0
        for number in self.reachable:
            element = self.elements[number]
            kids = element["K"]
            if any(type(kid) is bytes and kid in folded for kid in kids):
                page = self.page_numbers[element["Pg"]]
                parents = self.page_mcids(page)
                for index, kid in enumerate(kids):
                    if type(kid) is bytes and kid in folded:
                        mcid = folded[kid]
                        kids[index] = mcid
                        parents[mcid] = element.reference
        for reference in folded:
            self.elements[_number(reference)].clear()
        return len(folded)


def _artifact_sequences(stream: pydyf.Stream, mcids: set[int]) -> int:
    """Turn `/Tag <</MCID n>> BDC` into `/Artifact <</Type /Pagination>> BDC` for `mcids`."""
    items = stream.stream
    done = 0
    for index, item in enumerate(items):
        if (
            type(item) is pydyf.Dictionary
            and item.get("MCID") in mcids
            and 0 < index < len(items) - 1
            and items[index + 1] == b"BDC"
        ):
            items[index - 1] = "/Artifact"
            items[index] = PAGINATION
            done += 1
    return done


class _PageWalk:
    """One walk of a page's boxes, in the order WeasyPrint tags them.

    Mirrors weasyprint.pdf.tags._build_box_tree: margins included (their
    elements are made, then left out of the tree), a table's captions and row
    groups as its children, line boxes flattened, absolute boxes in place.
    Keeps the header cells and, with `texts`, every text box with whether it
    sits in a page margin and whether its text is marked directly on a link.
    """

    def __init__(self, page_box, *, texts: bool):
        self.headers: list = []
        self.texts: list[tuple[boxes.TextBox, bool, bool]] = []
        self._with_texts = texts
        self._walk(page_box, False)

    def _walk(self, box, in_margin: bool) -> None:
        if isinstance(box, AbsolutePlaceholder):
            box = box._box
        in_margin = in_margin or isinstance(box, boxes.MarginBox)
        tag = box.element_tag or ""
        if tag == "th" and getattr(box, "mark", None) is not None:
            self.headers.append(box)
        children = box.children
        if box.is_table_wrapper and tag == "table":
            table = box.get_wrapped_table()
            if table is not None:
                children = [
                    grandchild
                    for child in children
                    for grandchild in (child.children if child is table else (child,))
                ]
        is_link = box.element is not None and tag.split(":")[0] == "a"
        for child in children:
            if isinstance(child, boxes.LineBox):
                if not self._with_texts:
                    continue  # lines hold text and inline boxes, never a header cell
                leaves = child.children
            else:
                leaves = (child,)
            for leaf in leaves:
                if isinstance(leaf, boxes.TextBox):
                    self.texts.append((leaf, in_margin, is_link))
                else:
                    self._walk(leaf, in_margin)


def _has_other_languages(document) -> bool:
    """Whether any element says it is in another language than the document."""
    language = (document.metadata.lang or "").lower()
    for page in document.pages[:1]:
        for box in page._page_box.children:
            if box.element_tag == "html" and box.element is not None:
                return any(
                    element.get("lang", "").lower() not in ("", language)
                    for element in box.element.iterfind(".//*[@lang]")
                )
    return True  # cannot tell: look at every text


def _scope_headers(walks: list[_PageWalk]) -> int:
    """`/Scope /Column` (or `/Row` for scope="row") on every tagged header cell."""
    done = 0
    for walk in walks:
        for box in walk.headers:
            attributes = box.mark.get("A")
            if attributes is not None:
                row = box.element is not None and box.element.get("scope") == "row"
                attributes["Scope"] = "/Row" if row else "/Column"
                done += 1
    return done


def _foreign(box, language: str) -> str | None:
    """The box's language (its `lang`), when it is set and not the document's."""
    lang = box.style["lang"]
    return lang if lang and lang.lower() != language else None


def _mark_languages(document, walks: list[_PageWalk], tree: _Tree) -> int:
    """/Lang on text whose language (the `lang` attribute) is not the document's."""
    language = (document.metadata.lang or "").lower()
    done = 0
    for page, walk in enumerate(walks):
        texts = [(text, in_link) for text, in_margin, in_link in walk.texts if not in_margin]
        if not any(_foreign(text, language) for text, _ in texts):
            continue
        # WeasyPrint makes one /Span per text box outside a link, in this same order.
        spans = tree.line_spans(page)
        plain = [text for text, in_link in texts if not in_link]
        if len(spans) != len(plain):
            continue  # not the shape expected: leave the page as WeasyPrint tagged it
        for element, text in zip(spans, plain, strict=True):
            if lang := _foreign(text, language):
                element["Lang"] = pydyf.String(lang)
                done += 1
    # Text directly in a link is marked content of the link element itself.
    for page in document.pages:
        for _, _, _, box in page.links:
            lang = _foreign(box, language)
            annotation = box.link_annotation
            if lang is None or annotation is None or "StructParent" not in annotation:
                continue
            element = _parent_tree_entry(tree, annotation["StructParent"])
            if element is not None and element.get("S") == "/Link":
                element["Lang"] = pydyf.String(lang)
                done += 1
    return done


def _parent_tree_entry(tree: _Tree, key: int):
    nums = tree.parent_tree
    for index in range(0, len(nums), 2):
        if nums[index] == key and type(nums[index + 1]) is bytes:
            return tree.elements.get(_number(nums[index + 1]))
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
