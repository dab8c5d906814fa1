"""The roadmap chart: a crisp, reproducible PNG, drawn here or in a forked child."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from guidegen.plan.personalize import build_guide
from guidegen.render.chart import CHART_DPI, draw_timeline, draw_timeline_in_background
from tests.conftest import TODAY


def test_the_chart_is_an_opaque_print_resolution_png(make_profile, flagship):
    roadmap = build_guide(make_profile(), flagship, today=TODAY).roadmap
    image = Image.open(io.BytesIO(draw_timeline(roadmap)))
    assert image.format == "PNG" and image.mode == "RGB"
    assert image.width >= 6.5 * 150
    assert round(image.info["dpi"][0]) == CHART_DPI


def test_the_chart_is_reproducible_and_the_background_draw_matches(make_profile, flagship):
    roadmap = build_guide(make_profile(), flagship, today=TODAY).roadmap
    first = draw_timeline(roadmap)
    assert draw_timeline(roadmap) == first
    assert draw_timeline_in_background(roadmap)() == first


def test_the_chart_uses_the_given_colour(make_profile, flagship):
    roadmap = build_guide(make_profile(), flagship, today=TODAY).roadmap
    image = Image.open(io.BytesIO(draw_timeline(roadmap, color="#aa0000"))).convert("RGB")
    assert (170, 0, 0) in {color for _, color in image.getcolors(1 << 20)}


def test_phase_shades_differ_in_grayscale(make_profile, flagship):
    # Printed in grayscale, the bars must still look different from each other.
    roadmap = build_guide(make_profile(), flagship, today=TODAY).roadmap
    image = Image.open(io.BytesIO(draw_timeline(roadmap))).convert("L")
    levels = {level for count, level in image.getcolors(256) if count > 2000}
    assert len(levels) >= len(roadmap.phases) + 1  # every bar, and the white background


def test_the_chart_is_drawn_once_for_both_formats(tmp_path, make_profile, flagship, monkeypatch):
    import guidegen.render.chart
    from guidegen.deliver.pipeline import GuideWriter
    from guidegen.load.clock import build_time

    calls = []
    real = guidegen.render.chart.draw_timeline

    def counting(roadmap, **style):
        calls.append(roadmap)
        return real(roadmap, **style)

    monkeypatch.setattr(guidegen.render.chart, "draw_timeline", counting)
    guide = build_guide(make_profile(), flagship, today=TODAY)
    result = GuideWriter(("pdf", "docx")).write(guide, tmp_path, created=build_time())
    assert len(result.files) == 2
    assert len(calls) == 1


# --- every label can be read whole ----------------------------------------------------------


def _roadmap(weeks: list[int], breaks=()):
    """A roadmap of back-to-back phases of these weeks from Jan 4, 2027, with these breaks
    ((label, first day, last day))."""
    import datetime as dt

    from guidegen.models.guide import BreakPeriod, DatedPhase, Roadmap

    day, phases = dt.date(2027, 1, 4), []
    for number, length in enumerate(weeks, start=1):
        end = day + dt.timedelta(days=7 * length - 1)
        phases.append(
            DatedPhase(
                number=number,
                key=f"phase-{number}",
                name=f"Phase {number}",
                weeks=length,
                start=day,
                end=end,
                items=[],
            )
        )
        day = end + dt.timedelta(days=1)
    periods = [BreakPeriod(label=label, start=start, end=end) for label, start, end in breaks]
    return Roadmap(
        heading="Roadmap",
        lead="",
        phases=phases,
        start=phases[0].start,
        end=phases[-1].end,
        total_weeks=sum(weeks),
        months=1 + sum(weeks) // 4,
        pace_note="",
        chart_alt_text="",
        breaks=periods,
    )


def _drawn(roadmap, **style):
    from guidegen.render.chart import _figure

    figure = _figure(roadmap, language="en", **style)
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    boxes = {
        artist.get_gid(): artist.get_window_extent(renderer)
        for artist in [*axes.patches, *axes.texts]
        if artist.get_gid()
    }
    colours = {text.get_gid(): text.get_color() for text in axes.texts if text.get_gid()}
    return figure.bbox, boxes, colours


BRANDS = [
    {"color": "#1B3A5C", "text_color": "#1F2933"},  # the built-in look
    {"color": "#2E4A3F", "text_color": "#22302A"},  # northstar-coaching
    {"color": "#5B2A86", "text_color": "#1E1B24"},  # hackforge-bootcamp
]


@pytest.mark.parametrize("style", BRANDS)
def test_a_label_too_wide_for_its_bar_goes_beside_it_in_the_text_colour(style):
    # A one-week phase in a 40-week plan, at the start, in the middle and at the end.
    roadmap = _roadmap([1, 12, 1, 12, 13, 1])
    picture, boxes, colours = _drawn(roadmap, **style)
    for number in range(1, 7):
        bar, label = boxes[f"phase-bar-{number}"], boxes[f"phase-label-{number}"]
        assert picture.x0 <= label.x0 and label.x1 <= picture.x1, number
        if roadmap.phases[number - 1].weeks == 1:
            assert label.x0 >= bar.x1 or label.x1 <= bar.x0, number  # beside the bar
            assert colours[f"phase-label-{number}"] == style["text_color"]
        else:
            assert bar.x0 <= label.x0 and label.x1 <= bar.x1, number  # inside it
    # The last bar ends at the picture's edge: its label goes before it.
    assert boxes["phase-label-6"].x1 <= boxes["phase-bar-6"].x0


def test_break_names_stay_inside_the_picture_and_apart():
    import datetime as dt

    roadmap = _roadmap(
        [10, 10, 10, 10],
        breaks=[
            ("Summer", dt.date(2027, 6, 1), dt.date(2027, 6, 6)),
            ("Conference week", dt.date(2027, 6, 9), dt.date(2027, 6, 13)),
            ("Parental leave", dt.date(2027, 10, 11), dt.date(2027, 10, 17)),  # the last week
        ],
    )
    picture, boxes, _ = _drawn(roadmap, **BRANDS[0])
    names = [boxes[f"break-label-{number}"] for number in (1, 2, 3)]
    for box in names:
        assert picture.x0 <= box.x0 and box.x1 <= picture.x1
        assert box.y1 <= picture.y1
    summer, conference, _ = names
    assert summer.x1 <= conference.x0 or summer.y0 >= conference.y1 or conference.y0 >= summer.y1


@pytest.mark.parametrize(
    ("weeks", "first"),
    [
        ([10, 14, 12, 12, 10], "Jan\n2027"),
        ([17, 17, 17, 20, 14, 17], "Jan\n2027"),
        ([4, 4], "Jan\n2027"),
    ],
)
def test_the_axis_names_the_month_the_plan_starts_in(weeks, first):
    # The teacher at 5 h/week (58 weeks from Jan 4) had "Mar 2027" as her first tick, as if
    # the plan started in March; the nurse at 3 h/week had "Apr 2027".
    from guidegen.render.chart import _figure

    figure = _figure(_roadmap(weeks), language="en", color="#1B3A5C", text_color="#1F2933")
    figure.canvas.draw()
    axes = figure.axes[0]
    low, high = axes.get_xlim()
    shown = [
        label.get_text()
        for tick, label in zip(axes.get_xticks(), axes.get_xticklabels(), strict=True)
        if low <= tick <= high
    ]
    assert shown[0] == first
    assert low <= axes.patches[0].get_x()  # the first bar still begins inside the axis
