"""Colour that everyone can read: WCAG 2.1 contrast, and a brand's colours made readable.

WCAG 2.1 AA (success criterion 1.4.3) asks text to reach a contrast ratio of
4.5:1 with its background (3:1 for large text). A brand chooses its colours for
its logo, not for 8-point labels: a bright accent makes a good rule under a
heading and an unreadable rank number. So every brand colour keeps its own
value where it fills or underlines, and is darkened (same hue, less lightness)
where it is set as text, just enough to reach 4.5:1 on every background the
theme sets text on. Each darkening is reported once, naming the colour and its
contrast, so a coach knows why a number is not quite their orange.

The formulas are WCAG 2.1's own (relative luminance of sRGB, and the ratio
(L1 + 0.05) / (L2 + 0.05)); they are short enough that a library would add
more than it saves.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass
from functools import cache

WHITE = "#FFFFFF"
BLACK = "#000000"
NEAR_BLACK = "#1F2933"

AA_TEXT = 4.5
"""WCAG 2.1 AA, text (1.4.3)."""
AA_LARGE_TEXT = 3.0
"""WCAG 2.1 AA, large text: 18pt, or 14pt bold (1.4.3)."""

TINT = "#EEF2F6"
"""Panels: the at-a-glance box and the reality-check cards."""
ROW_TINT = "#F6F8FA"
"""Table rows of skills the candidate already covers."""
NOTE_TINT = "#FFF6EE"
"""The coach's notes."""
TEXT_BACKGROUNDS = (WHITE, TINT, ROW_TINT, NOTE_TINT)
"""Every light background the theme sets text on (render/theme/guide.css takes
them from here through the brand stylesheet; a test checks no other is used)."""

MUTED = "#616E7C"
"""Secondary text: leads, providers, dates, page furniture."""
EVIDENCE = "#1F6B3A"
"""Skills the profile evidences ('✓ REST APIs')."""
TICK = "#1B7A43"
"""The tick before them: as readable as the words beside it."""

SOFT_ON_PRIMARY = 0.8
"""Cover labels are set this much of the way from the band colour to the text colour."""


def relative_luminance(color: str) -> float:
    """WCAG 2.1 relative luminance of a #RRGGBB colour: 0 (black) to 1 (white)."""
    channels = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    red, green, blue = (
        value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        for value in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours: 1 (none) to 21 (black on white)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def worst_contrast(color: str, backgrounds: tuple[str, ...] = TEXT_BACKGROUNDS) -> float:
    return min(contrast_ratio(color, background) for background in backgrounds)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in (red, green, blue))


def _rgb(color: str) -> tuple[float, float, float]:
    return tuple(int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def darken_for_text(
    color: str, backgrounds: tuple[str, ...] = TEXT_BACKGROUNDS, minimum: float = AA_TEXT
) -> str:
    """`color`, or the lightest colour of its hue that reaches `minimum` on every background.

    Lightness (HLS) is lowered by bisection; hue and saturation stay, so a teal
    stays a teal. Black always reaches 4.5:1 on these light backgrounds, so
    there is always an answer.
    """
    color = color.upper()
    if worst_contrast(color, backgrounds) >= minimum:
        return color
    hue, lightness, saturation = colorsys.rgb_to_hls(*_rgb(color))
    readable, unreadable = 0.0, lightness
    for _ in range(24):
        middle = (readable + unreadable) / 2
        candidate = _hex(*colorsys.hls_to_rgb(hue, middle, saturation))
        if worst_contrast(candidate, backgrounds) >= minimum:
            readable = middle
        else:
            unreadable = middle
    return _hex(*colorsys.hls_to_rgb(hue, readable, saturation))


def best_text_on(background: str, candidates: tuple[str, ...] = (WHITE, NEAR_BLACK)) -> str:
    """The candidate that reads best on `background`; black if none reaches 4.5:1.

    Black or white always reach 4.58:1 on any colour, so the answer always passes.
    """
    best = max(candidates, key=lambda color: contrast_ratio(color, background))
    if contrast_ratio(best, background) >= AA_TEXT:
        return best
    return max((WHITE, BLACK), key=lambda color: contrast_ratio(color, background))


def mix(foreground: str, background: str, amount: float) -> str:
    """`amount` of `foreground` over `background` (what CSS opacity would paint)."""
    return _hex(
        *(
            amount * front + (1 - amount) * back
            for front, back in zip(_rgb(foreground), _rgb(background), strict=True)
        )
    )


def soft_text_on(background: str, text: str, amount: float = SOFT_ON_PRIMARY) -> str:
    """`text` faded towards `background`, but never below 4.5:1 on it."""
    for step in range(round(amount * 100), 101):
        candidate = mix(text, background, step / 100)
        if contrast_ratio(candidate, background) >= AA_TEXT:
            return candidate
    return text


@dataclass(frozen=True)
class ColorAdjustment:
    """A brand colour that had to be darkened to be read as text."""

    field: str
    """'primary', 'accent' or 'text' (under `colors` in brand.yaml)."""
    given: str
    used: str
    """The colour text is set in instead."""
    background: str
    """The background the given colour reads worst on."""

    @property
    def given_ratio(self) -> float:
        return contrast_ratio(self.given, self.background)

    @property
    def used_ratio(self) -> float:
        return worst_contrast(self.used)

    def message(self) -> str:
        where = "white" if self.background == WHITE else f"the tinted panels ({self.background})"
        return (
            f"{self.given} has a contrast of only {_ratio(self.given_ratio)} on {where} "
            f"(WCAG 2.1 AA asks {AA_TEXT:g}:1 for text); text in this colour is set in "
            f"{self.used} ({_ratio(self.used_ratio)}) instead, fills and rules keep {self.given}"
            + (
                f"; to choose the shade yourself, set colors.{self.field}_text"
                if self.field in ("primary", "accent")
                else ""
            )
        )


@dataclass(frozen=True)
class TextPalette:
    """The colours a guide is set in: brand colours as given for fills, readable ones for text."""

    primary: str
    """Fills: the cover band, table headers, the call to action."""
    accent: str
    """Rules and bars."""
    primary_text: str
    """Headings, skill names, links."""
    accent_text: str
    """Rank numbers and phase labels."""
    text: str
    muted: str
    on_primary: str
    """Text on the primary fill."""
    on_primary_soft: str
    """Quieter labels on the primary fill (the cover's eyebrow and field names)."""
    adjustments: tuple[ColorAdjustment, ...]

    def pairs(self) -> list[tuple[str, str, str]]:
        """(what, text colour, background) for every text colour and background it is set on."""
        on_light = {
            "text": self.text,
            "primary as text": self.primary_text,
            "accent as text": self.accent_text,
            "muted text": self.muted,
            "evidence": EVIDENCE,
            "tick": TICK,
        }
        pairs = [
            (what, color, background)
            for what, color in on_light.items()
            for background in TEXT_BACKGROUNDS
        ]
        pairs += [
            ("text on primary", self.on_primary, self.primary),
            ("soft text on primary", self.on_primary_soft, self.primary),
        ]
        return pairs


def _ratio(value: float) -> str:
    """'4.4:1' for 4.48: rounded down, so a failing ratio never prints as a passing one."""
    return f"{math.floor(value * 10) / 10:.1f}:1"


def _worst_background(color: str) -> str:
    """White when the colour fails there already (what people check), else the worst panel."""
    if contrast_ratio(color, WHITE) < AA_TEXT:
        return WHITE
    return min(TEXT_BACKGROUNDS, key=lambda background: contrast_ratio(color, background))


@cache
def readable_palette(
    primary: str, accent: str, text: str, chosen: tuple[tuple[str, str], ...] = ()
) -> TextPalette:
    """A brand's colours, with the text colours darkened where they would fail WCAG AA.

    `chosen` pairs 'primary' or 'accent' with the text shade the brand chose itself
    (`colors.primary_text`, `colors.accent_text`, checked readable by the model):
    used as given, and not reported."""
    given = {"primary": primary.upper(), "accent": accent.upper(), "text": text.upper()}
    chosen = {field: color.upper() for field, color in chosen}
    used = {field: chosen.get(field) or darken_for_text(color) for field, color in given.items()}
    adjustments = tuple(
        ColorAdjustment(
            field=field,
            given=given[field],
            used=used[field],
            background=_worst_background(given[field]),
        )
        for field in given
        if used[field] != given[field] and field not in chosen
    )
    on_primary = best_text_on(given["primary"])
    return TextPalette(
        primary=given["primary"],
        accent=given["accent"],
        primary_text=used["primary"],
        accent_text=used["accent"],
        text=used["text"],
        muted=darken_for_text(MUTED),
        on_primary=on_primary,
        on_primary_soft=soft_text_on(given["primary"], on_primary),
        adjustments=adjustments,
    )
