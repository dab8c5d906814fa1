"""WCAG 2.1 contrast, and a brand's colours made readable for text."""

from __future__ import annotations

import colorsys

from hypothesis import given
from hypothesis import strategies as st

from guidegen.models.contrast import (
    AA_TEXT,
    TEXT_BACKGROUNDS,
    WHITE,
    best_text_on,
    contrast_ratio,
    darken_for_text,
    readable_palette,
    soft_text_on,
)

hex_colors = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06X}")


def test_the_ratios_wcag_publishes():
    assert contrast_ratio("#000000", "#FFFFFF") == 21
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1
    # The well-known threshold: #767676 is the lightest grey that passes on white.
    assert round(contrast_ratio("#777777", WHITE), 2) == 4.48
    assert round(contrast_ratio("#767676", WHITE), 2) == 4.54
    assert contrast_ratio("#1B3A5C", "#E07A2E") == contrast_ratio("#E07A2E", "#1B3A5C")


def test_a_readable_colour_is_left_alone():
    assert darken_for_text("#1b3a5c") == "#1B3A5C"


def test_darkening_keeps_the_hue_and_just_reaches_aa():
    teal = darken_for_text("#00A6A6")
    assert min(contrast_ratio(teal, background) for background in TEXT_BACKGROUNDS) >= AA_TEXT
    assert min(contrast_ratio(teal, background) for background in TEXT_BACKGROUNDS) < AA_TEXT + 0.2
    hue = colorsys.rgb_to_hls(*(int(teal[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0]
    assert abs(hue - 0.5) < 0.01  # still teal


@given(hex_colors)
def test_darkened_text_always_reads_on_every_background(color):
    darker = darken_for_text(color)
    assert all(contrast_ratio(darker, background) >= AA_TEXT for background in TEXT_BACKGROUNDS)


@given(hex_colors)
def test_text_on_any_fill_reads(fill):
    assert contrast_ratio(best_text_on(fill), fill) >= AA_TEXT
    assert contrast_ratio(soft_text_on(fill, best_text_on(fill)), fill) >= AA_TEXT


@given(hex_colors, hex_colors, hex_colors)
def test_every_pair_of_any_brand_palette_meets_aa(primary, accent, text):
    palette = readable_palette(primary, accent, text)
    for what, color, background in palette.pairs():
        assert contrast_ratio(color, background) >= AA_TEXT, (what, color, background)
    assert (palette.primary, palette.accent) == (primary, accent)  # fills keep the brand's
    fields = {adjustment.field for adjustment in palette.adjustments}
    assert fields == {
        field
        for field, given_color, used in (
            ("primary", primary, palette.primary_text),
            ("accent", accent, palette.accent_text),
            ("text", text, palette.text),
        )
        if used != given_color
    }


def test_the_adjustment_says_which_colour_how_bad_and_what_instead():
    (adjustment,) = readable_palette("#1B3A5C", "#E07A2E", "#1F2933").adjustments
    assert adjustment.field == "accent"
    message = adjustment.message()
    assert message.startswith("#E07A2E has a contrast of only 3.0:1 on white")
    assert f"set in {adjustment.used} (4.5:1)" in message
    # Rounded down: 4.48:1 is not printed as a passing 4.5:1.
    (grey,) = readable_palette("#1B3A5C", "#1B3A5C", "#777777").adjustments
    assert "only 4.4:1" in grey.message()
