"""The real PDF of the sample guide: opened with pypdf and pdfplumber and read back."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from pypdf import PdfReader

from guidegen.deliver.pipeline import GuideWriter
from guidegen.language import formatting as fmt
from guidegen.load.clock import build_time
from guidegen.load.profiles import load_profile
from guidegen.plan.personalize import build_guide
from tests.conftest import ALEX_PATH, FLAGSHIP_PATH

MM = 72 / 25.4  # PDF points per millimetre
SECTION_HEADINGS = [
    "Overview",
    "Notes from Jordan Lee",
    "Your Transferable Skills",
    "Skills You'll Need to Learn",
    "Your Learning Roadmap",
    "Reality Check",
    "Start Your Journey Now",
    "Frequently Asked Questions",
    "Ready to Start Your Transition?",
]


def normalize(text: str) -> str:
    """One space between words, plain spaces and apostrophes, as text is compared."""
    text = text.replace("\u2009", " ").replace("\u202f", " ").replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("- ", "-")  # a line broken after a hyphen ("Well-/Architected")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, flagship):
    """Alex's guide, rendered once with a fixed build date."""
    out = tmp_path_factory.mktemp("out")
    profile = load_profile(ALEX_PATH)
    created = build_time().replace(year=2026, month=11, day=24, hour=12, minute=0, second=0)
    guide = build_guide(profile, flagship, today=created.date(), prepared_by="Jordan Lee")
    result = GuideWriter(("pdf",)).write(guide, out, created=created)
    (path,) = result.files
    return guide, path, result.warnings


@pytest.fixture(scope="module")
def pdf(rendered):
    with pdfplumber.open(rendered[1]) as document:
        yield document


@pytest.fixture(scope="module")
def page_texts(pdf):
    return [normalize(page.extract_text() or "") for page in pdf.pages]


@pytest.fixture(scope="module")
def full_text(page_texts):
    return " ".join(page_texts)


def column_text(pdf, header: str, next_header: str | None) -> str:
    """The text of one table column on every page where the table's header row appears."""
    texts = []
    for page in pdf.pages:
        words = page.extract_words()
        for start in (w for w in words if w["text"] == header.split()[0]):
            right = page.width
            if next_header:
                following = [
                    w
                    for w in words
                    if w["text"] == next_header.split()[0] and abs(w["top"] - start["top"]) < 1
                ]
                if not following:
                    continue
                right = following[0]["x0"] - 2
            box = (start["x0"] - 2, start["bottom"] + 1, right, page.height - 18 * MM)
            texts.append(page.crop(box).extract_text() or "")
            break
    return normalize(" ".join(texts))


def test_no_warnings_from_weasyprint(rendered):
    assert rendered[2] == []


def test_a4_and_four_to_seven_pages(rendered):
    reader = PdfReader(rendered[1])
    assert 4 <= len(reader.pages) <= 7
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width / MM), round(height / MM)) == (210, 297)


def test_cover_block(page_texts, rendered):
    guide = rendered[0]
    first = page_texts[0]
    assert "From Backend Developer to AI Solutions Architect" in first
    assert "Your 7-Month Transition Guide" in first
    for label in ("PREPARED FOR", "PREPARED BY", "Alex Rivera", "Jordan Lee"):
        assert label in first
    assert fmt.date(guide.prepared_on) in first


def test_every_section_is_there_in_order(full_text):
    positions = [full_text.find(heading) for heading in SECTION_HEADINGS]
    assert -1 not in positions, dict(zip(SECTION_HEADINGS, positions, strict=True))
    assert positions == sorted(positions)


def test_every_fact_of_the_flagship_template(pdf, full_text, flagship, rendered):
    overview = _outside_glance_box(pdf.pages[0])
    for paragraph in flagship.overview.split("\n\n"):
        assert normalize(paragraph) in overview
    why = column_text(pdf, "Why it transfers", "On your profile")
    for skill in flagship.transferable_skills:
        assert normalize(skill.why) in why
    skill_column = column_text(pdf, "Skill", "How to learn it")
    how = column_text(pdf, "How to learn it", "Resources")
    resources = column_text(pdf, "Resources", None)
    learn_order = [skill_column.find(normalize(s.name)) for s in flagship.skills_to_learn]
    assert -1 not in learn_order and learn_order == sorted(learn_order)
    for skill in flagship.skills_to_learn:
        assert normalize(skill.how) in how
        for resource in skill.resources:
            assert normalize(resource.title) in resources
            assert normalize(resource.provider) in resources
    for phase in flagship.roadmap:
        assert normalize(phase.name) in full_text
        for task in phase.tasks:
            assert normalize(task.task) in full_text
    check = flagship.reality_check
    for item in [*check.love, *check.miss, *check.challenges]:
        assert normalize(item) in normalize(" ".join(_reality_columns(pdf)))
    for step in flagship.first_steps:
        assert normalize(step.step) in full_text
    for figure in ("$150,000", "$280,000", "$160,000", "$180,000"):
        assert figure in full_text
    # the template's questions, with their placeholders filled from Alex's schedule
    answers = {entry.question: entry.answer for entry in rendered[0].faq.entries}
    for entry in flagship.faq:
        assert normalize(entry.question) in full_text
        assert "{{" not in answers[entry.question]
        assert normalize(answers[entry.question]) in full_text
    assert normalize(flagship.call_to_action.text) in full_text


def _outside_glance_box(page) -> str:
    """Page text without the floated at-a-glance box, whose lines interleave the overview."""
    words = page.extract_words()
    label = next(w for w in words if w["text"] == "FROM")
    last = next(w for w in words if w["text"] == "LEARN")  # "SKILLS TO LEARN", the last fact
    box = (label["x0"] - 1, label["top"] - 1, page.width, last["bottom"] + 14)

    def outside(obj) -> bool:
        inside_x = obj.get("x0", 0) >= box[0]
        inside_y = box[1] <= obj.get("top", 0) <= box[3]
        return not (inside_x and inside_y)

    return normalize(page.filter(outside).extract_text())


def _reality_columns(pdf):
    for page in pdf.pages:
        words = page.extract_words()
        heads = [w for w in words if w["text"] in {"What", "Biggest"} and w["x0"] < page.width]
        if not any(w["text"] == "Biggest" for w in heads):
            continue
        love = next(w for w in heads if w["text"] == "What")
        miss = next(w for w in heads if w["text"] == "What" and w["x0"] > love["x0"] + 50)
        hard = next(w for w in heads if w["text"] == "Biggest")
        bottom = page.height - 18 * MM
        for left, right in (
            (love["x0"], miss["x0"]),
            (miss["x0"], hard["x0"]),
            (hard["x0"], page.width),
        ):
            yield page.crop((left - 4, love["top"], right - 4, bottom)).extract_text() or ""


def test_each_phase_is_dated(full_text, rendered):
    guide = rendered[0]
    assert [phase.weeks for phase in guide.roadmap.phases] == [8, 6, 6, 8, 4]
    for phase in guide.roadmap.phases:
        label = f"Phase {phase.number} {phase.name} {fmt.date_range(phase.start, phase.end)}"
        assert normalize(label) in full_text


def test_action_lists_have_due_dates(full_text, rendered):
    for action_list in rendered[0].action_plan.lists:
        assert normalize(f"{action_list.heading} due {fmt.date(action_list.due)}") in full_text


def test_the_chart_is_on_the_roadmap_page_and_crisp(pdf, page_texts):
    (roadmap_page,) = [i for i, text in enumerate(page_texts) if "Your Learning Roadmap" in text]
    images = pdf.pages[roadmap_page].images
    assert len(images) == 1
    image = images[0]
    width_inches = (image["x1"] - image["x0"]) / 72
    assert image["srcsize"][0] / width_inches >= 150  # dpi as printed
    assert width_inches > 5


def test_metadata(rendered):
    guide, path, _ = rendered
    reader = PdfReader(path)
    info = reader.metadata
    assert (
        info.title
        == "From Backend Developer to AI Solutions Architect: Your 7-Month Transition Guide"
    )
    assert info.author == "Jordan Lee"
    assert info.subject == (
        "Career transition guide for Alex Rivera: Backend Developer to AI Solutions Architect"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert info.creation_date.date() == guide.prepared_on


def outline_entries(outline, depth: int = 1) -> list[tuple[int, str]]:
    """pypdf's nested outline as (depth, title) pairs, in document order."""
    entries = []
    for item in outline:
        if isinstance(item, list):
            entries += outline_entries(item, depth + 1)
        else:
            entries.append((depth, item.title))
    return entries


def test_bookmarks_follow_the_headings(rendered):
    guide = rendered[0]
    entries = outline_entries(PdfReader(rendered[1]).outline)
    assert entries[0] == (1, "From Backend Developer to AI Solutions Architect")
    assert [title for depth, title in entries if depth == 2] == SECTION_HEADINGS
    level3 = [title for depth, title in entries if depth == 3]
    assert level3[:2] == [
        "Phase 1 Foundations of AI/ML",
        "Phase 2 Cloud AI Services and Architecture",
    ]
    assert f"This Week due {fmt.date(guide.action_plan.lists[0].due)}" in level3
    assert guide.faq.entries[0].question in level3


def test_page_numbers_on_every_page_and_a_running_header_after_the_cover(page_texts):
    total = len(page_texts)
    running = "Alex Rivera · From Backend Developer to AI Solutions Architect"
    for number, text in enumerate(page_texts, start=1):
        assert f"Page {number} of {total}" in text
        assert (running in text) == (number > 1)


def test_no_heading_is_stranded_at_the_bottom_of_a_page(pdf):
    # A heading (h2 or h3) must have at least 20 mm of its section (text or chart)
    # under it on its page; the last page may end with the short call to action.
    for page in pdf.pages[:-1]:
        body = [
            line for line in page.extract_text_lines() if line["bottom"] < page.height - 18 * MM
        ]
        content_bottom = max(
            [line["bottom"] for line in body] + [image["bottom"] for image in page.images]
        )
        for line in body:
            if line["text"].lstrip().startswith(("☐", "◔", "•")):
                continue  # a list item (its glyph is large), not a heading
            if max(char["size"] for char in line["chars"]) >= 10:
                assert content_bottom - line["bottom"] >= 20 * MM, (
                    f"{line['text']!r} is stranded at the bottom of page {page.page_number}"
                )


def test_a_long_table_repeats_its_header_row(tmp_path, make_profile, flagship):
    # Twelve skills to learn: the table cannot fit on one page.
    extra = [
        skill.model_copy(update={"priority": skill.priority + 6, "name": skill.name + " II"})
        for skill in flagship.skills_to_learn
    ]
    long = flagship.model_copy(update={"skills_to_learn": [*flagship.skills_to_learn, *extra]})
    guide = build_guide(make_profile(), long, today=flagship_today())
    (path,) = GuideWriter(("pdf",)).write(guide, tmp_path, created=build_time()).files
    with pdfplumber.open(path) as document:
        pages = [normalize(page.extract_text()) for page in document.pages]
    # Each page the table reaches starts with its header row; without repetition
    # only the first page would have it.
    assert sum("# Skill How to learn it Resources" in text for text in pages) >= 2


def flagship_today():
    import datetime as dt

    return dt.date(2026, 11, 24)


def test_profile_text_is_data_not_markup(tmp_path, make_profile, flagship):
    hostile = make_profile(
        name="Zoë <b>Bold</b> {{ 7*7 }}",
        notes="{% for x in range(3) %}loop{% endfor %} <script>alert(1)</script> & more",
        location="<img src=file:///etc/passwd>",
    )
    guide = build_guide(hostile, flagship, today=flagship_today())
    result = GuideWriter(("pdf",)).write(guide, tmp_path, created=build_time())
    with pdfplumber.open(result.files[0]) as document:
        text = normalize(" ".join(page.extract_text() for page in document.pages))
    assert "Zoë <b>Bold</b> {{ 7*7 }}" in text
    assert "{% for x in range(3) %}loop{% endfor %} <script>alert(1)</script> & more" in text
    assert "<img src=file:///etc/passwd>" in text
    assert result.warnings == []
    assert (
        result.files[0].name == "zoe-b-bold-b-7-7--backend-developer-to-ai-solutions-architect.pdf"
    )


def test_weasyprint_warnings_and_refused_urls_reach_the_user(tmp_path, make_profile, flagship):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "guide.css").write_text(
        (FLAGSHIP_PATH.parents[1] / "src/guidegen/render/theme/guide.css").read_text()
        + "\nbody { colour: red; background: url(file:///etc/hostname); }\n"
    )
    guide = build_guide(make_profile(), flagship, today=flagship_today())
    writer = GuideWriter(("pdf",), theme_dirs=[theme])
    result = writer.write(guide, tmp_path / "out", created=build_time())
    assert any("colour" in warning for warning in result.warnings)
    assert any("file:///etc/hostname" in warning for warning in result.warnings)
