"""WordprocessingML building blocks for the Word renderer: runs, fields, borders, tables.

python-docx covers paragraphs, pictures and styles; what it leaves out (shading,
borders, fields, bookmarks, content controls, table captions) is built here as
plain OOXML elements, each inserted where the schema wants it: Word refuses a
file whose property elements are out of order, even where LibreOffice copes.
Layout decisions (which colour, how wide) stay in `guidegen.render.docx`.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def _sequence(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# The schema's child order of the property elements this module writes (ECMA-376 §17).
PPR_ORDER = _sequence(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct "
    "autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing "
    "mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl "
    "divId cnfStyle rPr sectPr pPrChange"
)
RPR_ORDER = _sequence(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
TCPR_ORDER = _sequence(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark"
)
TBLPR_ORDER = _sequence(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription"
)
BORDER_SIDES = ("top", "left", "bottom", "right")

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_TWIP = 635


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def element(tag: str, attributes: dict[str, str] | None = None):
    made = OxmlElement(tag)
    for key, value in (attributes or {}).items():
        made.set(qn(key), value)
    return made


def put(parent, child, order: tuple[str, ...] | list[str]):
    """Set `child` in `parent`, replacing one of its tag, at its place in `order`."""
    tag = child.tag
    local = tag.split("}")[1]
    existing = parent.find(tag)
    if existing is not None:
        existing.addprevious(child)
        parent.remove(existing)
        return child
    later = set(order[order.index(local) + 1 :])
    for sibling in parent:
        if sibling.tag.split("}")[-1] in later:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


# --- runs -------------------------------------------------------------------------------------


def run(
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: str | None = None,
    caps: bool = False,
    spacing: float | None = None,
    font: str | None = None,
    underline: bool = False,
):
    """A w:r with its properties in schema order; `color` is RRGGBB or 'auto'.

    'auto' is Word's automatic colour: white on a dark shading, black on a light
    one or on none, so text stays readable when a reader drops the shading.
    """
    r = OxmlElement("w:r")
    properties = []
    if font:
        properties.append(element("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": font}))
    if bold:
        properties.append(element("w:b"))
    if italic:
        properties.append(element("w:i"))
    if caps:
        properties.append(element("w:caps"))
    if color:
        properties.append(element("w:color", {"w:val": color}))
    if spacing is not None:
        properties.append(element("w:spacing", {"w:val": str(round(spacing * 20))}))
    if size is not None:
        half_points = str(round(size * 2))
        properties.append(element("w:sz", {"w:val": half_points}))
        properties.append(element("w:szCs", {"w:val": half_points}))
    if underline:
        properties.append(element("w:u", {"w:val": "single"}))
    if properties:
        rpr = OxmlElement("w:rPr")
        rpr.extend(properties)
        r.append(rpr)
    if text:
        _append_text(r, text)
    return r


def not_italic(r) -> None:
    """Explicitly upright, against a style that italicizes (Subtitle)."""
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r.insert(0, rpr)
    put(rpr, element("w:i", {"w:val": "0"}), RPR_ORDER)


def _append_text(r, text: str) -> None:
    """Text with tabs and line breaks as Word's own elements."""
    for index, line in enumerate(text.split("\n")):
        if index:
            r.append(OxmlElement("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                r.append(OxmlElement("w:tab"))
            if part:
                t = OxmlElement("w:t")
                t.text = part
                if part != part.strip():
                    t.set(qn("xml:space"), "preserve")
                r.append(t)


# --- paragraphs -------------------------------------------------------------------------------


def keep_with_next(p, keep: bool = True) -> None:
    put(p.get_or_add_pPr(), element("w:keepNext", {"w:val": "1" if keep else "0"}), PPR_ORDER)


def keep_lines(p) -> None:
    put(p.get_or_add_pPr(), element("w:keepLines"), PPR_ORDER)


def spacing(p, *, before: float | None = None, after: float | None = None, line=None) -> None:
    """Set space before/after in points, `line` a multiple (1.0) or ('exact', points);
    what is not given keeps its value."""
    attributes = {}
    if before is not None:
        attributes["w:before"] = str(round(before * 20))
    if after is not None:
        attributes["w:after"] = str(round(after * 20))
    if isinstance(line, tuple):
        attributes["w:line"], attributes["w:lineRule"] = str(round(line[1] * 20)), "exact"
    elif line is not None:
        attributes["w:line"], attributes["w:lineRule"] = str(round(line * 240)), "auto"
    properties = p.get_or_add_pPr()
    existing = properties.find(qn("w:spacing"))
    if existing is None:
        put(properties, element("w:spacing", attributes), PPR_ORDER)
        return
    for key, value in attributes.items():
        existing.set(qn(key), value)


def indent(p, *, left: int = 0, hanging: int = 0, right: int | None = None) -> None:
    """Indents in twips."""
    attributes = {"w:left": str(left)}
    if right is not None:
        attributes["w:right"] = str(right)
    if hanging:
        attributes["w:hanging"] = str(hanging)
    else:
        attributes["w:firstLine"] = "0"
    put(p.get_or_add_pPr(), element("w:ind", attributes), PPR_ORDER)


def align(p, value: str) -> None:
    put(p.get_or_add_pPr(), element("w:jc", {"w:val": value}), PPR_ORDER)


def shade_paragraph(p, fill: str) -> None:
    put(p.get_or_add_pPr(), shading(fill), PPR_ORDER)


def paragraph_borders(p, **sides: tuple[str, float, float] | None) -> None:
    """Borders by side: (RRGGBB, width in points, space in points), or None for none."""
    put(p.get_or_add_pPr(), _borders("w:pBdr", sides), PPR_ORDER)


def tab_stops(p, stops: list[tuple[str, int]], clear: list[int] = ()) -> None:
    """Tab stops (alignment, position in twips); `clear` removes a style's stops."""
    tabs = OxmlElement("w:tabs")
    for position in clear:
        tabs.append(element("w:tab", {"w:val": "clear", "w:pos": str(position)}))
    for alignment, position in stops:
        tabs.append(element("w:tab", {"w:val": alignment, "w:pos": str(position)}))
    put(p.get_or_add_pPr(), tabs, PPR_ORDER)


def numbered(p, num_id: int) -> None:
    numbering = OxmlElement("w:numPr")
    numbering.append(element("w:ilvl", {"w:val": "0"}))
    numbering.append(element("w:numId", {"w:val": str(num_id)}))
    put(p.get_or_add_pPr(), numbering, PPR_ORDER)


def style(p, style_id: str) -> None:
    put(p.get_or_add_pPr(), element("w:pStyle", {"w:val": style_id}), PPR_ORDER)


def shading(fill: str):
    return element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def _borders(tag: str, sides: dict[str, tuple[str, float, float] | None]):
    borders = OxmlElement(tag)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side not in sides:
            continue
        spec = sides[side]
        if spec is None:
            borders.append(element(f"w:{side}", {"w:val": "nil"}))
            continue
        color, width, space = spec
        borders.append(
            element(
                f"w:{side}",
                {
                    "w:val": "single",
                    "w:sz": str(round(width * 8)),  # eighths of a point
                    "w:space": str(round(space)),
                    "w:color": color,
                },
            )
        )
    return borders


# --- fields and bookmarks ---------------------------------------------------------------------


def complex_field(p, code: str, result: list, *, style: dict | None = None) -> None:
    """A field (PAGE, NUMPAGES, TOC) as begin/instr/separate, the shown result, end.

    Every run of the field carries the result's style: readers that recompute
    the field format the new result like its first run.
    """
    p.extend(field_runs(code, result, style=style))


def field_runs(code: str, result: list, *, style: dict | None = None) -> list:
    """The runs of a field within one paragraph: begin, instruction, separate, the
    shown `result`, end (every run in `style`)."""
    return [*field_begin(code, style=style), *result, field_end(style=style)]


def field_begin(code: str, *, style: dict | None = None) -> list:
    """The runs that open a field (a TOC's result spans paragraphs): begin,
    instruction, separate."""
    style = style or {}
    begin = run(**style)
    begin.append(element("w:fldChar", {"w:fldCharType": "begin"}))
    instruction = run(**style)
    text = element("w:instrText", {"xml:space": "preserve"})
    text.text = f" {code} "
    instruction.append(text)
    separate = run(**style)
    separate.append(element("w:fldChar", {"w:fldCharType": "separate"}))
    return [begin, instruction, separate]


def field_end(*, style: dict | None = None):
    end = run(**(style or {}))
    end.append(element("w:fldChar", {"w:fldCharType": "end"}))
    return end


def bookmark(p, name: str, bookmark_id: int) -> None:
    """A bookmark around the whole paragraph's content (an internal link target)."""
    start = element("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})
    properties = p.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        p.insert(0, start)
    p.append(element("w:bookmarkEnd", {"w:id": str(bookmark_id)}))


def internal_link(anchor: str, runs: list):
    link = element("w:hyperlink", {"w:anchor": anchor, "w:history": "1"})
    link.extend(runs)
    return link


def checkbox(*, size: float, color: str, font: str):
    """A clickable Word check box (a content control) showing ☐ as text.

    Word 2010 and later tick it with a click; LibreOffice and Google Docs show
    the ☐ character, which screen readers announce and search finds.
    """
    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    box = OxmlElement("w14:checkbox")
    box.append(element("w14:checked", {"w14:val": "0"}))
    box.append(element("w14:checkedState", {"w14:val": "2612", "w14:font": font}))
    box.append(element("w14:uncheckedState", {"w14:val": "2610", "w14:font": font}))
    properties.append(box)
    content = OxmlElement("w:sdtContent")
    content.append(run("☐", size=size, color=color, font=font))
    sdt.extend([properties, content])
    return sdt


# --- tables -----------------------------------------------------------------------------------


def table_properties(
    tbl, *, widths: list[int], cell_margins: tuple[int, int, int, int], indent: int = 0
) -> None:
    """A fixed-layout table of `widths` (twips) with no borders of its own.

    Cell margins are (top, left, bottom, right) in twips. The grid is what
    LibreOffice lays columns out from, the cell widths what Word does.
    """
    properties = tbl.tblPr
    put(properties, element("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}), TBLPR_ORDER)
    put(properties, element("w:tblInd", {"w:w": str(indent), "w:type": "dxa"}), TBLPR_ORDER)
    no_borders = dict.fromkeys((*BORDER_SIDES, "insideH", "insideV"), None)
    put(properties, _borders("w:tblBorders", no_borders), TBLPR_ORDER)
    put(properties, element("w:tblLayout", {"w:type": "fixed"}), TBLPR_ORDER)
    margins = OxmlElement("w:tblCellMar")
    for side, value in zip(BORDER_SIDES, cell_margins, strict=True):
        margins.append(element(f"w:{side}", {"w:w": str(value), "w:type": "dxa"}))
    put(properties, margins, TBLPR_ORDER)
    grid = tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(width))
    for row in tbl.findall(qn("w:tr")):
        for cell, width in zip(row.findall(qn("w:tc")), widths, strict=True):
            cell.get_or_add_tcPr().get_or_add_tcW().set(qn("w:w"), str(width))


def table_look(tbl, *, header_row: bool) -> None:
    """Which parts a table style would mark: a data table has a header row, a layout
    table none (what assistive technology reads as 'not a data table')."""
    flag = "1" if header_row else "0"
    look = element(
        "w:tblLook",
        {
            "w:val": "04A0" if header_row else "0000",
            "w:firstRow": flag,
            "w:lastRow": "0",
            "w:firstColumn": "0",
            "w:lastColumn": "0",
            "w:noHBand": "1",
            "w:noVBand": "1",
        },
    )
    put(tbl.tblPr, look, TBLPR_ORDER)


def table_caption(tbl, caption: str, description: str | None = None) -> None:
    """The table's title (and description): its alternative text in Word."""
    put(tbl.tblPr, element("w:tblCaption", {"w:val": caption}), TBLPR_ORDER)
    if description:
        put(tbl.tblPr, element("w:tblDescription", {"w:val": description}), TBLPR_ORDER)


def table_borders(tbl, **sides: tuple[str, float, float] | None) -> None:
    put(tbl.tblPr, _borders("w:tblBorders", sides), TBLPR_ORDER)


def shade_cell(tc, fill: str) -> None:
    put(tc.get_or_add_tcPr(), shading(fill), TCPR_ORDER)


def cell_borders(tc, **sides: tuple[str, float, float] | None) -> None:
    put(tc.get_or_add_tcPr(), _borders("w:tcBorders", sides), TCPR_ORDER)


def cell_margins(tc, top: int, left: int, bottom: int, right: int) -> None:
    margins = OxmlElement("w:tcMar")
    for side, value in zip(BORDER_SIDES, (top, left, bottom, right), strict=True):
        margins.append(element(f"w:{side}", {"w:w": str(value), "w:type": "dxa"}))
    put(tc.get_or_add_tcPr(), margins, TCPR_ORDER)


def row_cant_split(tr) -> None:
    tr.get_or_add_trPr().append(element("w:cantSplit", {"w:val": "true"}))


def row_is_header(tr) -> None:
    """A header row, repeated at the top of each page the table runs onto."""
    tr.get_or_add_trPr().append(element("w:tblHeader", {"w:val": "true"}))
