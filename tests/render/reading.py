"""Reading a guide back out of a real PDF and a real .docx, as comparable data.

Both readers return the same shapes, so a test can assert that the two formats
of one Guide say the same thing: the heading outline, the table cells, and
the list items under each heading.
"""

from __future__ import annotations

import re

import pdfplumber
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

MM = 72 / 25.4
MARKERS = {"•", "☐", "◔"}  # a bullet, a check box, an item in progress (no box)
HEADING_LEVELS = {"Title": 1, "Heading 1": 2, "Heading 2": 3}


def clean(text: str) -> str:
    """Text as compared: no list markers, one plain space between words."""
    text = text.replace("\u2009", " ").replace("\u202f", " ").replace("’", "'")
    text = "".join(char for char in text if char not in MARKERS)
    text = re.sub(r"\s+", " ", text).strip()
    # a line broken after a hyphen or a slash ("Well-/Architected", "AWS/GCP")
    return text.replace("- ", "-").replace("/ ", "/")


# --- PDF ------------------------------------------------------------------------------------


def pdf_headings(path) -> list[tuple[int, str]]:
    def walk(outline, depth):
        for item in outline:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, clean(item.title)

    return list(walk(PdfReader(path).outline, 1))


def _header_rows(page, header_color):
    """The header rows of tables on a page: filled cells in the header colour, by row."""
    rows: dict[int, list] = {}
    for rect in page.rects:
        color = rect.get("non_stroking_color") or ()
        same = len(color) == 3 and all(
            abs(a - b) < 0.01 for a, b in zip(color, header_color, strict=True)
        )
        if same and rect["height"] < 40:
            rows.setdefault(round(rect["top"]), []).append(rect)
    return [sorted(cells, key=lambda r: r["x0"]) for _, cells in sorted(rows.items())]


def pdf_tables(path, header_color) -> list[list[list[str]]]:
    """Every table (rows of cell texts, header first); a table broken across pages,
    its header repeated, comes back as one."""
    tables: list[list[list[str]]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for index, cells in enumerate(_header_rows(page, header_color)):
                if len(cells) < 2:
                    continue
                top, bottom = cells[0]["top"], cells[0]["bottom"]
                verticals = [cell["x0"] for cell in cells] + [cells[-1]["x1"]]
                rules = sorted(
                    {
                        round(line["top"], 1)
                        for line in page.lines
                        if line["top"] > bottom
                        and line["x0"] >= verticals[0] - 1
                        and line["x1"] <= verticals[-1] + 1
                    }
                )
                following = _header_rows(page, header_color)[index + 1 :]
                if following:
                    rules = [rule for rule in rules if rule < following[0][0]["top"]]
                table = page.find_table(
                    {
                        "vertical_strategy": "explicit",
                        "explicit_vertical_lines": verticals,
                        "horizontal_strategy": "explicit",
                        "explicit_horizontal_lines": [top, bottom, *rules],
                    }
                )
                rows = [[clean(cell or "") for cell in row] for row in table.extract()]
                if tables and tables[-1][0] == rows[0] and index == 0:
                    tables[-1].extend(rows[1:])  # the same table, continued on this page
                else:
                    tables.append(rows)
    return tables


def pdf_lists(path) -> dict[str, list[str]]:
    """List items outside tables, keyed by the heading they stand under (in their column)."""
    headings = {title for _, title in pdf_headings(path)}
    lists: dict[str, list[str]] = {}
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            body_top, body_bottom = 18 * MM, page.height - 18 * MM  # inside the page margins
            words = [w for w in page.extract_words() if body_top < w["top"] < body_bottom]
            markers = [
                c for c in page.chars if c["text"] in MARKERS and body_top < c["top"] < body_bottom
            ]
            heading_boxes = _heading_boxes(words, headings)
            for marker in sorted(markers, key=lambda m: (m["top"], m["x0"])):
                owner = _owner(marker, heading_boxes)
                if owner is None:
                    continue  # a bullet inside a table cell (resources): read with the table
                title, right = owner
                below = [
                    m["top"]
                    for m in markers
                    if abs(m["x0"] - marker["x0"]) < 2 and m["top"] > marker["top"] + 2
                ]
                end = min(below, default=body_bottom)
                column = [w for w in words if marker["x1"] - 1 <= w["x0"] < right]
                item_words: list[dict] = []
                tops = sorted(
                    {round(w["top"]) for w in column if marker["top"] - 3 <= w["top"] < end}
                )
                previous = None
                for top in tops:
                    row = [w for w in column if round(w["top"]) == top]
                    if previous is not None and top - previous <= 3:
                        # Smaller type on the same line (a due date) sits a little lower.
                        item_words += sorted(row, key=lambda w: w["x0"])
                        continue
                    if min(w["x0"] for w in row) > marker["x1"] + 15:
                        break  # nothing indented as item text on this line: the list ended
                    if previous is not None and top - previous > 20:
                        break  # more than a line's gap: what follows is not this item
                    item_words += sorted(row, key=lambda w: w["x0"])
                    previous = top
                item = clean(" ".join(w["text"] for w in item_words))
                lists.setdefault(title, []).append(item)
    return lists


def _heading_boxes(words, headings):
    """(title, left, top, right) of each heading found on the page, by its first words."""
    boxes = []
    for title in headings:
        first = title.split()[0]
        for word in words:
            if word["text"] != first:
                continue
            line = sorted(
                (
                    w
                    for w in words
                    if abs(w["bottom"] - word["bottom"]) < 2 and w["x0"] >= word["x0"]
                ),
                key=lambda w: w["x0"],
            )
            if clean(" ".join(w["text"] for w in line)).startswith(title):
                boxes.append((title, word["x0"], word["top"]))
    return boxes


def _owner(marker, heading_boxes):
    """The heading a marker's list belongs to: the nearest above it in the same column."""
    above = [b for b in heading_boxes if b[2] < marker["top"] and b[1] <= marker["x0"] + 1]
    if not above:
        return None
    title, left, top = max(above, key=lambda b: (b[2], b[1]))
    # The column's right edge: the next heading on the same row, if any (reality check).
    beside = [b[1] for b in heading_boxes if abs(b[2] - top) < 2 and b[1] > left + 5]
    if marker["x0"] > 300 and not beside and left < 100:
        return None  # under a full-width heading but far right: a table cell's bullet
    return title, min(beside, default=10_000)


# --- Word ---------------------------------------------------------------------------------------


def _is_list(paragraph: Paragraph) -> bool:
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.find(qn("w:numPr")) is not None
    return numbered or paragraph.style.name.startswith("List Bullet")


def is_data_table(table: Table) -> bool:
    """A table of data has a header row (repeated on each page); a layout table (the
    cover, the cards, the shaded boxes) has none."""
    properties = table.rows[0]._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def docx_paragraphs(document) -> list[Paragraph]:
    """The body's paragraphs in reading order, those in layout tables' cells included
    (a data table's cells are read with the table)."""

    def walk(container):
        for block in container.iter_inner_content():
            if isinstance(block, Paragraph):
                yield block
            elif not is_data_table(block):
                for row in block.rows:
                    seen = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue  # a cell spanning columns appears once per column
                        seen.add(id(cell._tc))
                        yield from walk(cell)

    return list(walk(document))


def docx_headings(path) -> list[tuple[int, str]]:
    return [
        (HEADING_LEVELS[p.style.name], clean(p.text))
        for p in docx_paragraphs(Document(path))
        if p.style.name in HEADING_LEVELS
    ]


def docx_tables(path) -> list[list[list[str]]]:
    return [_table_rows(table) for table in Document(path).tables if is_data_table(table)]


def _table_rows(table: Table) -> list[list[str]]:
    return [[clean(cell.text) for cell in row.cells] for row in table.rows]


def docx_lists(path) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    heading = None
    for paragraph in docx_paragraphs(Document(path)):
        if paragraph.style.name in HEADING_LEVELS:
            heading = clean(paragraph.text)
        elif _is_list(paragraph) and heading is not None:
            lists.setdefault(heading, []).append(clean(paragraph.text))
    return lists
