"""The page of GB/T 9704-2012 and the blocks every output is composed of.

A builder composes a `Document` (a list of blocks) from plain data once; the PDF
and DOCX renderers each know how to lay out every block. Numbers here are the
standard's (domain-rules §10), so both formats agree.
"""

import datetime
from dataclasses import dataclass, field

# GB/T 9704-2012 §5.2: A4, 版心 156 mm × 225 mm, 天头 37 mm, 订口 28 mm.
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225
TOP_MM = 37
LEFT_MM = 28
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TEXT_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TEXT_HEIGHT_MM  # 35
# §5.2.4: 一般每面排 22 行，每行排 28 个字.
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# Sizes in points (中文字号): 初号 42, 2号 22, 3号 16, 4号 14, 五号 10.5.
SIZE_MASTHEAD_MAX = 42  # 发文机关标志: no taller than 15 mm (§7.2.4)
SIZE_TITLE = 22
SIZE_BODY = 16
SIZE_COLOPHON = 14  # 版记 and 页码
SIZE_TABLE = 10.5

MASTHEAD_TOP_MM = 35  # §7.2.4: 上边缘至版心上边缘为 35 mm
RED_RULE_GAP_MM = 4  # §7.2.5: 发文字号之下 4 mm 处印一条红色分隔线
RED = "FF0000"
COLOPHON_THICK_MM = 0.35  # §7.4.1: 首条、末条分隔线
COLOPHON_THIN_MM = 0.25  # 中间分隔线


def mm_to_pt(mm):
    return mm * 72 / 25.4


def char_pitch_pt():
    """Width of one character cell: 28 to a 156 mm line (Word's character grid)."""
    return mm_to_pt(TEXT_WIDTH_MM) / CHARS_PER_LINE


def line_pitch_pt():
    """Height of one line: 22 to a 225 mm page."""
    return mm_to_pt(TEXT_HEIGHT_MM) / LINES_PER_PAGE


def cn_deadline(day):
    """A deadline as cn_date, marked （暂定） when provisional (its year's holiday schedule
    not yet published, domain-rules §9)."""
    mark = "（暂定）" if getattr(day, "provisional", False) else ""
    return cn_date(day) + mark


def cn_date(day):
    """成文日期 in Arabic numerals without zero padding (§7.3.5.1): 2020年5月8日."""
    if day is None:
        return ""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return f"{day.year}年{day.month}月{day.day}日"


def text_width_chars(text):
    """Width in character cells: CJK full width, ASCII half width."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def signature_indents(organisation, date_text):
    """Right indents, in characters, of the 发文机关署名 and the 成文日期 (§7.3.5.1):
    the date 右空四字, the name centred over the date."""
    date_indent = 4.0
    centre = date_indent + text_width_chars(date_text) / 2
    return max(0.0, centre - text_width_chars(organisation) / 2), date_indent


def _natural_break(part, i):
    """Whether breaking before part[i] keeps words whole: after 关于, 》 or 、, before 《."""
    return part[max(0, i - 2) : i] == "关于" or part[i - 1] in "》、，" or part[i] == "《"


def _break_title(part, per_line):
    """Fewest lines, then lengths as even as possible with breaks at natural places
    (a non-natural break costs as much as being 3 characters off)."""
    widths = [0.0]
    for ch in part:
        widths.append(widths[-1] + (0.5 if ord(ch) < 128 else 1))
    n = len(part)
    lines = -(-int(widths[-1] * 2) // int(per_line * 2))
    target = widths[-1] / lines
    best = {(0, 0): (0.0, None)}  # (position, lines used) -> (cost, previous position)
    for used in range(lines):
        for (start, k), (cost, _prev) in list(best.items()):
            if k != used:
                continue
            for end in range(start + 1, n + 1):
                width = widths[end] - widths[start]
                if width > per_line:
                    break
                if end < n and used == lines - 1:
                    continue
                penalty = (width - target) ** 2 if end < n or used else 0
                if end < n and not _natural_break(part, end):
                    penalty += 9
                key = (end, used + 1)
                if key not in best or cost + penalty < best[key][0]:
                    best[key] = (cost + penalty, start)
    if (n, lines) not in best:
        return [part]
    cuts, position, k = [], n, lines
    while position:
        cuts.append(position)
        position = best[(position, k)][1]
        k -= 1
    bounds = [0, *reversed(cuts)]
    return [part[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def title_lines(text, size=SIZE_TITLE):
    """A long title broken into lines (§7.3.3: 回行时词意完整、排列对称、长短适宜);
    a title that fits stays one line."""
    per_line = int(mm_to_pt(TEXT_WIDTH_MM) // size)
    out = []
    for part in text.split("\n"):
        out.extend(_break_title(part, per_line) if text_width_chars(part) > per_line else [part])
    return "\n".join(out)


def pct(rate):
    """A rate (fraction or None) as the reports print it."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


# --------------------------------------------------------------------------
# Blocks


@dataclass
class Masthead:
    """版头: 发文机关标志 in red, 发文字号 under it, then the red rule."""

    issuer_mark: str
    number: str = ""


@dataclass
class Title:
    text: str


@dataclass
class Subtitle:
    """A centred line under the title, in the body size, e.g. （截至2020年12月31日）."""

    text: str


@dataclass
class Addressee:
    """主送机关: flush left, ending with a full-width colon."""

    text: str


@dataclass
class Para:
    text: str
    indent: bool = True  # 2-character first-line indent
    align: str = "justify"  # justify | left | centre | right


@dataclass
class Heading:
    """Level 1 一、(黑体), level 2 (一)(楷体), level 0 a centred 章 heading."""

    text: str
    level: int = 1


@dataclass
class Column:
    label: str
    weight: float = 1.0  # share of the text width
    align: str = "left"  # left | centre | right


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[str]]
    size: float = SIZE_TABLE
    bold_last_row: bool = False  # a 合计 row


@dataclass
class Signature:
    """发文机关署名 over the 成文日期 (both may be empty)."""

    organisation: str
    date: str


@dataclass
class Colophon:
    """版记 at the foot of the last page: 抄送, then 印发机关 and 印发日期."""

    cc: list[str]
    printer: str
    printed_on: str


@dataclass
class BarChart:
    """Values per category, drawn by `charts`: fractions (or None) shown as percentages,
    or counts when `percent` is false. The PDF draws it; the DOCX carries it as an image."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    percent: bool = True


@dataclass
class Spacer:
    lines: float = 1


@dataclass
class Document:
    title: str  # metadata title
    blocks: list = field(default_factory=list)
    author: str = ""
    subject: str = ""
    date: datetime.date | None = None  # metadata date (DOCX core properties)
    page_numbers: bool = True

    def add(self, *blocks):
        self.blocks.extend(blocks)
        return self
