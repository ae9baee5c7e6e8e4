"""The briefing's charts as PNG images, drawn on the server with matplotlib in the product's colours
(those of web/static/web/app.css) and a font that has every Kazakh letter (DejaVu Sans, from the set-up)."""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display: images only

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from .content import Briefing

# The product's colours (web/static/web/app.css).
INK = "#1b1f24"
MUTED = "#4d5561"
LINE = "#d5dae1"
ACCENT = "#0b5cad"
STATUS_COLOURS = {
    "done": "#1e7b34",
    "on_track": "#0f6f8a",
    "at_risk": "#a35a00",
    "late": "#b3261e",
    "not_started": "#5c6470",
}
CONFIDENCE_COLOURS = {
    "green": "#1e7b34",
    "amber_green": "#5b7d1a",
    "amber": "#a35a00",
    "amber_red": "#c2410c",
    "red": "#b3261e",
}
FONT = "DejaVu Sans"
DPI = 150


def _figure(width_in: float, height_in: float) -> Figure:
    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    figure.set_layout_engine("constrained")
    return figure


def _style(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(LINE)
    axes.tick_params(colors=MUTED, labelsize=8)
    axes.title.set_color(INK)


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    plt.close(figure)
    return out.getvalue()


def counts_chart(rows: list[tuple[str, str, int]], colours: dict[str, str], title: str) -> bytes:
    """Horizontal bars: one per status (or confidence rating), with its count."""
    figure = _figure(3.4, 2.2)
    axes = figure.subplots()
    labels = [label for _v, label, _c in rows][::-1]
    counts = [count for _v, _l, count in rows][::-1]
    bars = axes.barh(labels, counts, color=[colours.get(v, MUTED) for v, _l, _c in rows][::-1])
    axes.bar_label(bars, padding=2, fontsize=8, color=INK)
    axes.set_title(textwrap.fill(title, 34), fontsize=8.5, loc="left")
    axes.set_xlim(0, max([*counts, 1]) * 1.2)
    _style(axes)
    return _png(figure)


def groups_chart(groups, title: str, legend: dict[str, str]) -> bytes:
    """Stacked bars of measures by status in each group."""
    height = max(1.8, 0.28 * len(groups) + 0.9)
    figure = _figure(7.0, height)
    axes = figure.subplots()
    names = [g.name if len(g.name) <= 38 else g.name[:37] + "…" for g in groups][::-1]
    left = [0] * len(groups)
    for status, colour in STATUS_COLOURS.items():
        values = [g.counts.get(status, 0) for g in groups][::-1]
        axes.barh(names, values, left=left, color=colour, label=legend[status])
        left = [a + b for a, b in zip(left, values, strict=True)]
    figure.suptitle(title, fontsize=9, x=0.01, ha="left", color=INK)
    figure.legend(fontsize=7, ncols=5, loc="outside lower center", frameon=False)
    _style(axes)
    return _png(figure)


def water_chart(briefing: Briefing, labels: dict[str, str]) -> bytes:
    water = briefing.water
    figure = _figure(7.0, 2.8)
    axes = figure.subplots()
    x = list(range(len(water.months)))
    axes.plot(x, water.demand, color=STATUS_COLOURS["late"], linewidth=1.6, label=labels["demand"])
    axes.plot(x, water.supply, color=ACCENT, linewidth=1.6, label=labels["supply"])
    axes.fill_between(
        x,
        water.supply,
        water.demand,
        where=[d > 0 for d in water.deficit],
        color=STATUS_COLOURS["late"],
        alpha=0.18,
        label=labels["deficit"],
    )
    if water.as_of_month in water.months:
        axes.axvline(water.months.index(water.as_of_month), color=MUTED, linestyle="--", linewidth=1)
        axes.annotate(
            labels["as of"],
            (water.months.index(water.as_of_month), max(water.demand)),
            fontsize=7,
            color=MUTED,
            xytext=(3, 0),
            textcoords="offset points",
        )
    ticks = [i for i, m in enumerate(water.months) if m.endswith("-01") or m.endswith("-07")]
    axes.set_xticks(ticks, [water.months[i] for i in ticks], rotation=0)
    axes.set_ylabel(labels["m³/day"], fontsize=8, color=MUTED)
    axes.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _p: f"{v:,.0f}".replace(",", " "))
    )
    axes.legend(fontsize=7, frameon=False, loc="upper left")
    _style(axes)
    return _png(figure)


def render_all(briefing: Briefing, labels: dict[str, str]) -> dict[str, bytes]:
    """Every chart of the briefing (``labels``: the chart words in the briefing's language)."""
    with matplotlib.rc_context({"font.family": FONT, "font.size": 8}):
        legend = {status: label for status, label, _c in briefing.status_counts}
        charts = {
            "status": counts_chart(briefing.status_counts, STATUS_COLOURS, labels["status"]),
            "confidence": counts_chart(briefing.confidence_counts, CONFIDENCE_COLOURS, labels["confidence"]),
        }
        if briefing.by_sphere:
            charts["by_sphere"] = groups_chart(briefing.by_sphere, labels["by sphere"], legend)
        if briefing.water is not None:
            charts["water"] = water_chart(briefing, labels)
    briefing.charts = charts
    return charts
