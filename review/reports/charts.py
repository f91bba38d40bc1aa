"""The filing audit's charts, built once from the figures `audit_report.compute()`
returns, drawn the same way everywhere they appear:

* `rate_chart(report)`: 报备率、报备及时率、规范率、审查率、纠错率 per body, the chart of
  the annual report (PDF and DOCX) and of the auditor's and the register's pages;
* `overdue_chart(report)`: the overdue items by step (报送备案, 备案审查, 纠正);
* `over_years(params, key)`: one rate per body over the last years, a year's
  figures being those of that year's annual report;
* `drawing()`: a chart as a reportlab Drawing (the PDF's vector chart);
* `png()`: a chart as a PNG with matplotlib (the DOCX's image and the pages' image).
  reportlab's own bitmap renderer (renderPM) needs the rlPyCairo backend, which needs
  pycairo built against the cairo headers; matplotlib installs from a wheel.

Both draw with the embedded CJK font (`fonts.find_cjk_font()`), the Okabe–Ito
colour-blind-safe palette, and the value written on each bar, so a reader can tell
the series apart without telling colours apart (the PNG hatches them as well).
"""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import MaxNLocator
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..text import clean_text
from . import fonts
from . import layout as L
from .audit_report.figures import compute
from .audit_report.labels import RATE_LABELS, RATES

# Okabe & Ito (2008), "Color Universal Design": distinguishable with each common
# colour-vision deficiency. Black is left out (the axes are black).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
HATCHES = ["", "//", "..", "xx", "\\\\", "--", "oo"]
YEARS = 5  # the charts over years show this many years, up to the one chosen
PER_CHART = 10  # bodies per chart: two charts of ten fit one PDF page
RATE_TITLE = "各单位备案审查指标"
OVERDUE_TITLE = "逾期情况（按环节）"
# The steps whose deadlines the audit checks, and the violation kinds counted under each.
OVERDUE_STEPS = {
    "报送备案": ("never_filed", "filed_late"),
    "备案审查": ("review_overdue",),
    "纠正": ("correction_overdue",),
}


def rate_chart(report) -> L.BarChart:
    """The rates of each body listed in the report (fractions; None: nothing to measure)."""
    orgs = report["organisations"]
    return L.BarChart(
        RATE_TITLE,
        [o["name"] for o in orgs],
        [(RATE_LABELS[k], [o["rates"][k] for o in orgs]) for k in RATES],
    )


def overdue_chart(report) -> L.BarChart:
    """How many items were overdue at each step (counts, not rates)."""
    counts = dict.fromkeys(OVERDUE_STEPS, 0)
    for violation in report["violations"]:
        for step, kinds in OVERDUE_STEPS.items():
            counts[step] += violation["kind"] in kinds
    return L.BarChart(OVERDUE_TITLE, list(counts), [("逾期件次", list(counts.values()))], False)


def over_years(params, key, years=YEARS) -> L.BarChart:
    """One rate (`key` of RATES) of each body over the `years` years up to
    `params["year"]`, each year computed by `audit_report.compute` as its annual report
    is; a year in which no document was published is left out."""
    last = params["year"]
    reports = [compute(**{**params, "year": y}) for y in range(last - years + 1, last + 1)]
    kept = [r for r in reports if r["totals"]["issued"]]
    names = {o["code"]: o["name"] for r in kept for o in r["organisations"]}
    series = []
    for r in kept:
        rates = {o["code"]: o["rates"][key] for o in r["organisations"]}
        series.append((f"{r['parameters']['year']}年", [rates.get(code) for code in names]))
    title = f"各单位{RATE_LABELS[key]}（{last - years + 1}—{last}年）"
    return L.BarChart(title, list(names.values()), series)


def groups(block: L.BarChart):
    """The chart split into charts of PER_CHART categories, titled （续） after the first."""
    for start in range(0, len(block.categories), PER_CHART):
        yield L.BarChart(
            block.title if start == 0 else f"{block.title}（续）",
            block.categories[start : start + PER_CHART],
            [(label, values[start : start + PER_CHART]) for label, values in block.series],
            block.percent,
        )


def _value(v, percent):
    if v is None:
        return None
    return round(v * 100, 2) if percent else v


def _label(v, percent):
    if v is None:
        return "—"
    return f"{v * 100:.0f}%" if percent else str(v)


# --- reportlab (the PDF) ------------------------------------------------------


def drawing(block: L.BarChart, width, font) -> Drawing:
    """One chart (at most PER_CHART categories) as a reportlab Drawing `width` wide."""
    title = clean_text(block.title, multiline=False)
    categories = [clean_text(c, multiline=False) for c in block.categories]
    series = block.series
    bar, gap = 5.0, 6.0
    plot_height = (bar * len(series) + gap) * len(categories)
    label_width = max([stringWidth(c, font, 9) for c in categories] + [40]) + 8
    title_height, legend_height, axis_height = 18, 18, 16
    height = title_height + legend_height + plot_height + axis_height
    out = Drawing(width, height, initialFontName=font)  # no stray Helvetica
    out.add(String(width / 2, height - 12, title, fontName=font, fontSize=11, textAnchor="middle"))
    palette = [colors.HexColor(c) for c in PALETTE]
    legend = Legend()
    legend.x = label_width
    legend.y = height - title_height - 4
    legend.boxAnchor = "nw"
    legend.alignment = "right"
    legend.fontName = font
    legend.fontSize = 9
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 75
    legend.colorNamePairs = [(palette[i % len(palette)], lab) for i, (lab, _v) in enumerate(series)]
    out.add(legend)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = axis_height
    chart.width = width - label_width - 30  # room for the value after a full bar
    chart.height = plot_height
    # reportlab puts the first category at the bottom and, within a group, the
    # first series lowest: reverse both so the chart reads top-down like the legend.
    chart.data = [
        [_value(v, block.percent) for v in reversed(values)] for _label, values in reversed(series)
    ]
    chart.categoryAxis.categoryNames = list(reversed(categories))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    if block.percent:
        chart.valueAxis.valueMax = 100
        chart.valueAxis.valueStep = 20
        chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.barWidth = bar
    chart.groupSpacing = gap
    chart.barSpacing = 0
    # the value beside each bar: the series read without their colours
    chart.barLabelFormat = "%.0f%%" if block.percent else "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    for i in range(len(series)):
        chart.bars[i].fillColor = palette[(len(series) - 1 - i) % len(palette)]
        chart.bars[i].strokeColor = None
    out.add(chart)
    return out


# --- matplotlib (the DOCX and the pages) ----------------------------------------


def png(block: L.BarChart, *, width_in=6.1, dpi=150) -> bytes:
    """One chart (at most PER_CHART categories) as PNG bytes, with the CJK font."""
    found = fonts.find_cjk_font()
    prop = FontProperties(fname=found.path, size=9)
    small = FontProperties(fname=found.path, size=7)
    categories = [clean_text(c, multiline=False) for c in block.categories]
    series = block.series
    n, k = len(categories), max(len(series), 1)
    bar = 0.8 / k
    height_in = (1.6 if len(series) > 1 else 1.1) + n * (0.16 * k + 0.12)
    figure = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    if not categories or not series:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "无数据", ha="center", va="center", fontproperties=prop)
        return _save(figure)
    for i, (label, values) in enumerate(series):
        positions = [c + (i - (k - 1) / 2) * bar for c in range(n)]
        numbers = [_value(v, block.percent) or 0 for v in values]
        bars = axes.barh(
            positions,
            numbers,
            height=bar,
            color=PALETTE[i % len(PALETTE)],
            hatch=HATCHES[i % len(HATCHES)],
            edgecolor="white",
            linewidth=0,
            label=clean_text(label, multiline=False),
        )
        axes.bar_label(
            bars, [_label(v, block.percent) for v in values], padding=2, fontproperties=small
        )
    axes.set_yticks(range(n), categories, fontproperties=prop)
    axes.invert_yaxis()  # first body on top, first series on top of its group
    if block.percent:
        axes.set_xlim(0, 112)
        axes.set_xticks(range(0, 101, 20), [f"{t}%" for t in range(0, 101, 20)])
    else:
        axes.set_xlim(0, max([1] + [v or 0 for _l, vs in series for v in vs]) * 1.15)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for tick in axes.get_xticklabels():
        tick.set_fontproperties(small)
    axes.grid(axis="x", color="#DDDDDD")
    axes.set_axisbelow(True)
    axes.set_title(clean_text(block.title, multiline=False), fontproperties=prop)
    if len(series) > 1:  # under the axis, so the title stays clear
        axes.legend(
            prop=small,
            ncols=min(len(series), 5),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.35 / height_in),
            frameon=False,
        )
    figure.tight_layout()
    return _save(figure)


def _save(figure):
    """PNG bytes, the same for the same chart (no software stamp, no date)."""
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
