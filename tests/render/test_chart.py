"""The roadmap chart: a crisp, reproducible PNG, drawn here or in a forked child."""

from __future__ import annotations

import io

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
