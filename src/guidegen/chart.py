"""The roadmap timeline chart: the dated phases as a Gantt-style bar chart.

Drawn with matplotlib's object API (no pyplot: no global state, no GUI
backend) into a PNG at print resolution. Each bar is labelled with its phase
number and length, and the shades differ in lightness, so the chart still
reads when printed in grayscale.
"""

from __future__ import annotations

import io
import math

from guidegen.models.guide import Roadmap

CHART_DPI = 200
"""Print resolution: crisp on paper and on screen, far cheaper to lay out than SVG."""

WIDTH_INCHES = 6.7  # the A4 text block at the theme's margins
FONT_FAMILIES = ["Noto Sans", "DejaVu Sans"]


def draw_timeline(
    roadmap: Roadmap, *, color: str = "#1B3A5C", text_color: str = "#1F2933"
) -> bytes:
    """The roadmap as a PNG image (bytes)."""
    # Heavy imports stay here: only commands that draw a chart pay for matplotlib.
    import matplotlib
    from matplotlib import dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_rgb
    from matplotlib.figure import Figure

    phases = roadmap.phases
    height = 0.9 + 0.42 * len(phases)
    style = {
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILIES,
        "font.size": 8.5,
        "text.color": text_color,
        "axes.labelcolor": text_color,
        "xtick.color": text_color,
        "ytick.color": text_color,
        "svg.hashsalt": "guidegen",
    }
    with matplotlib.rc_context(style):
        figure = Figure(figsize=(WIDTH_INCHES, height), dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        base = to_rgb(color)
        for index, phase in enumerate(phases):
            # From the full brand colour to a light tint: distinct in grayscale too.
            strength = 1.0 - 0.62 * index / max(1, len(phases) - 1)
            fill = tuple(1 - strength * (1 - channel) for channel in base)
            start = mdates.date2num(phase.start)
            length = phase.weeks * 7
            axes.barh(
                index, length, left=start, height=0.62, color=fill, edgecolor=color, linewidth=0.6
            )
            label_color = "white" if _luminance(fill) < 0.5 else text_color
            axes.text(
                start + length / 2,
                index,
                f"{phase.weeks} wk",
                ha="center",
                va="center",
                fontsize=7.5,
                fontweight="bold",
                color=label_color,
            )
        axes.set_yticks(range(len(phases)), [f"{p.number}. {p.name}" for p in phases])
        axes.invert_yaxis()
        axes.set_xlim(mdates.date2num(roadmap.start) - 2, mdates.date2num(roadmap.end) + 3)
        step = max(1, math.ceil(roadmap.months / 9))
        axes.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
        axes.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
        axes.grid(axis="x", color="#D0D5DB", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color("#9AA5B1")
        axes.tick_params(axis="y", length=0)
        axes.tick_params(axis="x", labelsize=7.5)
        figure.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        # No metadata: the same roadmap always gives the same bytes.
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _luminance(rgb: tuple[float, float, float]) -> float:
    red, green, blue = rgb
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
