"""The PDF and the .docx of one Guide say the same things: headings, table cells, list items."""

from __future__ import annotations

import pytest

from guidegen.models.brand import DEFAULT_BRAND
from tests.render.reading import (
    docx_headings,
    docx_lists,
    docx_tables,
    pdf_headings,
    pdf_lists,
    pdf_tables,
)
from tests.render.test_docx import both  # noqa: F401  (the shared rendered pair)

HEADER_RGB = tuple(int(DEFAULT_BRAND.colors.primary[i : i + 2], 16) / 255 for i in (1, 3, 5))


@pytest.fixture(scope="module")
def files(both):  # noqa: F811
    return both[1], both[2]


def test_same_heading_outline(files):
    pdf, docx = files
    assert pdf_headings(pdf) == docx_headings(docx)
    assert len(pdf_headings(pdf)) > 20


def test_same_table_cells(files):
    pdf, docx = files
    pdf_cells = pdf_tables(pdf, HEADER_RGB)
    assert len(pdf_cells) == 2
    assert pdf_cells == docx_tables(docx)


def test_same_list_items(files, both):  # noqa: F811
    pdf, docx = files
    lists = pdf_lists(pdf)
    assert lists == docx_lists(docx)
    guide = both[0]
    expected = (
        sum(len(phase.tasks) for phase in guide.roadmap.phases)
        + len(guide.reality_check.love + guide.reality_check.miss + guide.reality_check.challenges)
        + sum(len(action_list.items) for action_list in guide.action_plan.lists)
    )
    assert sum(len(items) for items in lists.values()) == expected
