"""The roadmap timeline chart: the dated phases as a Gantt-style bar chart.

Drawn with matplotlib's object API (no pyplot: no global state, no GUI
backend) into a PNG at print resolution. Each bar is labelled with its phase
number and length, and the shades differ in lightness, so the chart still
reads when printed in grayscale. The person's breaks are hatched bands across
the chart, named above it.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import sys
from collections import OrderedDict
from collections.abc import Callable

from guidegen.models.contrast import WHITE, best_text_on, mix
from guidegen.models.guide import Roadmap

CHART_DPI = 160
"""Crisp on paper and on screen (>= 150 dpi), and far cheaper to lay out than SVG."""

WIDTH_INCHES = 6.7  # the A4 text block at the theme's margins
FONT_FAMILIES = ["Noto Sans", "DejaVu Sans"]


_CACHE_SIZE = 64
_cache: OrderedDict[tuple, bytes] = OrderedDict()


def draw_timeline(
    roadmap: Roadmap,
    *,
    color: str = "#1B3A5C",
    text_color: str = "#1F2933",
    language: str = "en",
) -> bytes:
    """The roadmap as a PNG image (bytes).

    A cohort starts on one date, and people at the same pace on the same
    template share their roadmap: each distinct chart is drawn once a process.
    """
    key = (
        tuple((p.number, p.name, p.weeks, p.start, p.end) for p in roadmap.phases),
        tuple((b.label, b.start, b.end) for b in roadmap.breaks),
        roadmap.months,
        color,
        text_color,
        language,
    )
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    png = _draw(roadmap, color=color, text_color=text_color, language=language)
    _cache[key] = png
    if len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return png


def _draw(roadmap: Roadmap, *, color: str, text_color: str, language: str) -> bytes:
    from PIL import Image

    canvas = _figure(roadmap, color=color, text_color=text_color, language=language).canvas
    # Opaque RGB: an alpha channel would make WeasyPrint encode a second
    # image (the soft mask). No metadata: the same roadmap, the same bytes.
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    # Fast compression: WeasyPrint re-encodes the image anyway.
    image.convert("RGB").save(buffer, format="PNG", dpi=(CHART_DPI, CHART_DPI), compress_level=1)
    return buffer.getvalue()


BAR_LABEL_SIZE = 7.5
BREAK_LABEL_SIZE = 6.5
LABEL_PAD = 4
"""Pixels between a label and the edge of its bar, its neighbour or the picture."""
BREAK_ROW_POINTS = 9.0
"""The height of one line of break names above the bars."""


def _figure(roadmap: Roadmap, *, color: str, text_color: str, language: str):
    """The chart as a matplotlib Figure, drawn on its Agg canvas.

    Every label is placed where it can be read whole: a phase's "N wk" inside its bar
    when it fits there (in the colour that reads on the bar), else beside the bar in
    the text colour; a break's name above it, kept inside the picture and clear of the
    other breaks' names (on a second line when it must be).
    """
    # Heavy imports stay here: only commands that draw a chart pay for matplotlib.
    import matplotlib
    from matplotlib import dates as mdates
    from matplotlib import transforms
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from guidegen.render.labels import labels_for

    labels = labels_for(language)
    phases = roadmap.phases
    style = {
        # The families themselves, not "sans-serif": each text keeps them when measured
        # again after drawing (the generic family is looked up in the rc of the moment).
        "font.family": FONT_FAMILIES,
        "font.size": 8.5,
        "text.color": text_color,
        "axes.labelcolor": text_color,
        "xtick.color": text_color,
        "ytick.color": text_color,
    }
    with matplotlib.rc_context(style):
        figure = Figure(figsize=(WIDTH_INCHES, 1.0), dpi=CHART_DPI)
        canvas = FigureCanvasAgg(figure)
        renderer = canvas.get_renderer()
        axes = figure.add_subplot()
        axes.set_yticks(range(len(phases)), [f"{p.number}. {p.name}" for p in phases])
        first_day = mdates.date2num(roadmap.start) - 2
        if roadmap.start.day <= 10:
            # From the 1st of the first month, so the axis names the month the plan starts
            # in: a plan from Jan 4 whose first tick said "Mar" read as starting in March.
            first_day = min(first_day, mdates.date2num(roadmap.start.replace(day=1)))
        last_day = mdates.date2num(roadmap.end) + 3
        axes.set_xlim(first_day, last_day)
        # Margins from the label lengths rather than tight_layout(), which draws
        # the whole figure once more just to measure it.
        longest = max(len(label.get_text()) for label in axes.get_yticklabels())
        left = min(0.55, (0.25 + longest * 8.5 * 0.56 / 72) / WIDTH_INCHES)  # ~0.56 em a char
        right = 0.985
        # Horizontal geometry in pixels, known before the height is: what fits where.
        width_px = WIDTH_INCHES * CHART_DPI
        px_per_day = (right - left) * width_px / (last_day - first_day)

        def day_at(px: float) -> float:
            return first_day + (px - left * width_px) / px_per_day

        def text_width(text: str, size: float, weight: str = "normal") -> float:
            font = FontProperties(size=size, weight=weight)
            return renderer.get_text_width_height_descent(text, font, ismath=False)[0]

        rows = _break_label_rows(roadmap, day_at, px_per_day, text_width, labels.break_)
        lines = 1 + max((row for _, row, _ in rows), default=-1)
        headroom = 0.06 + lines * BREAK_ROW_POINTS / 72 if lines else 0.0
        height = 0.9 + headroom + 0.42 * len(phases)
        figure.set_size_inches(WIDTH_INCHES, height)
        figure.subplots_adjust(
            left=left, right=right, top=1 - (0.12 + headroom) / height, bottom=0.42 / height
        )

        shades = bar_shades(color, text_color, len(phases))
        for index, (phase, (fill, label_color)) in enumerate(zip(phases, shades, strict=True)):
            start = mdates.date2num(phase.start)
            end = mdates.date2num(phase.end) + 1
            axes.barh(
                index,
                end - start,
                left=start,
                height=0.62,
                color=fill,
                edgecolor=color,
                linewidth=0.6,
                gid=f"phase-bar-{index + 1}",
            )
            text = f"{phase.weeks} {labels.weeks_short}"
            needed = text_width(text, BAR_LABEL_SIZE, "bold") + 2 * LABEL_PAD
            begin, finish = _longest_stretch(phase, roadmap)
            place = {"ha": "center", "color": label_color}
            x = (begin + finish) / 2
            if (finish - begin) * px_per_day < needed:
                # Too narrow to hold its label: beside the bar, in the text colour, on a
                # white ground where a break's hatching runs behind it.
                place = {
                    "ha": "left",
                    "color": text_color,
                    "bbox": {"facecolor": "white", "edgecolor": "none", "pad": 0.6},
                }
                x = end + LABEL_PAD / px_per_day
                if x + needed / px_per_day > day_at(width_px - LABEL_PAD):
                    place["ha"], x = "right", start - LABEL_PAD / px_per_day
            axes.text(
                x,
                index,
                text,
                va="center",
                fontsize=BAR_LABEL_SIZE,
                fontweight="bold",
                zorder=5,
                clip_on=False,
                gid=f"phase-label-{index + 1}",
                **place,
            )
        above = transforms.blended_transform_factory(axes.transData, axes.transAxes)
        for index, (period, (x, row, name)) in enumerate(zip(roadmap.breaks, rows, strict=True)):
            # Hatched over the bars: a break inside a phase shows as a gap in its work.
            axes.axvspan(
                mdates.date2num(period.start),
                mdates.date2num(period.end) + 1,
                facecolor=(1, 1, 1, 0.6),
                edgecolor="#7B8794",
                hatch="////",
                linewidth=0,
                zorder=3,
            )
            axes.annotate(
                name,
                xy=(x, 1),
                xycoords=above,
                xytext=(0, 1 + row * BREAK_ROW_POINTS),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=BREAK_LABEL_SIZE,
                color=text_color,
                annotation_clip=False,
                gid=f"break-label-{index + 1}",
            )
        axes.set_ylim(len(phases) - 0.5, -0.5)
        step = max(1, math.ceil(roadmap.months / 9))
        # Every `step` months counted from the plan's first month, not from January.
        months = sorted({(roadmap.start.month - 1 + k * step) % 12 + 1 for k in range(12)})
        axes.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))
        axes.xaxis.set_major_formatter(_month_formatter(labels.locale))
        axes.grid(axis="x", color="#D0D5DB", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color("#9AA5B1")
        axes.tick_params(axis="y", length=0)
        axes.tick_params(axis="x", labelsize=7.5)
        canvas.draw()
    return figure


def _break_label_rows(roadmap: Roadmap, day_at, px_per_day, text_width, default: str):
    """(x, line, name) of each break's name: from the break's first day, moved left as far
    as it must to stay inside the picture, on the first line (from the bars up) where it
    is clear of the names already placed."""
    from matplotlib import dates as mdates

    width_px = WIDTH_INCHES * CHART_DPI
    placed: list[list[tuple[float, float]]] = []  # per line, the (from, to) days taken
    found = []
    for period in roadmap.breaks:
        name = period.label or default
        width = (text_width(name, BREAK_LABEL_SIZE) + LABEL_PAD) / px_per_day
        x = min(mdates.date2num(period.start), day_at(width_px - LABEL_PAD) - width)
        x = max(x, day_at(LABEL_PAD))
        clear = (
            row
            for row, taken in enumerate(placed)
            if all(x >= end or x + width <= begin for begin, end in taken)
        )
        row = next(clear, len(placed))
        if row == len(placed):
            placed.append([])
        placed[row].append((x, x + width))
        found.append((x, row, name))
    return found


def _longest_stretch(phase, roadmap: Roadmap) -> tuple[float, float]:
    """The longest stretch of the phase outside its breaks, as date numbers (begin, end)."""
    from matplotlib import dates as mdates

    stretches, first = [], phase.start
    for period in sorted(roadmap.breaks, key=lambda period: period.start):
        if phase.start <= period.start <= phase.end:
            stretches.append((first, period.start))
            first = period.end + dt.timedelta(days=1)
    stretches.append((first, phase.end + dt.timedelta(days=1)))
    begin, end = max(stretches, key=lambda stretch: (stretch[1] - stretch[0]).days)
    return mdates.date2num(begin), mdates.date2num(end)


def _month_formatter(locale: str):
    """'Feb\n2027' in the guide's locale ('feb\n2027' in Spanish), not the system's."""
    from babel.dates import format_date
    from matplotlib import dates as mdates
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(
        lambda value, _: format_date(mdates.num2date(value).date(), "LLL\nyyyy", locale=locale)
    )


def bar_shades(color: str, text_color: str, count: int) -> list[tuple[str, str]]:
    """(fill, label colour) per bar: from the full brand colour to a light tint, so the
    bars differ in grayscale too, each labelled in whichever of white and the text
    colour reads on it at WCAG AA (4.5:1), else black."""
    shades = []
    for index in range(count):
        strength = 1.0 - 0.62 * index / max(1, count - 1)
        fill = mix(color, WHITE, strength)
        shades.append((fill, best_text_on(fill, (WHITE, text_color))))
    return shades


def draw_timeline_in_background(roadmap: Roadmap, **style: str) -> Callable[[], bytes]:
    """Start drawing the chart in a forked process; return a function that waits for it.

    A single `guidegen render` spends a third of its time importing matplotlib
    and drawing; in a child process that work overlaps WeasyPrint's own import
    and setup on the second core. Where fork is not safe or not there (macOS,
    Windows), or the child fails, the chart is drawn here instead.
    """
    if sys.platform != "linux":
        return lambda: draw_timeline(roadmap, **style)
    import multiprocessing

    # A bare Process, forked before this process has any thread (a pool's
    # manager thread would make fork unsafe).
    context = multiprocessing.get_context("fork")
    sys.stdout.flush()  # or the child would write the parent's pending output again
    sys.stderr.flush()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_draw_into, args=(sender, roadmap, style), daemon=True)
    try:
        child.start()
    except OSError:
        return lambda: draw_timeline(roadmap, **style)
    sender.close()

    def result() -> bytes:
        try:
            png = receiver.recv()
        except (EOFError, OSError):
            png = None  # the child died before sending
        finally:
            receiver.close()
            child.join()
        return png if isinstance(png, bytes) else draw_timeline(roadmap, **style)

    return result


def _draw_into(sender, roadmap: Roadmap, style: dict) -> None:
    try:
        sender.send(draw_timeline(roadmap, **style))
    except Exception as error:  # reported by drawing again in the parent
        sender.send(repr(error))
    finally:
        sender.close()
