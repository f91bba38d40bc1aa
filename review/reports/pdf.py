"""Render a `layout.Document` as a PDF with reportlab, after GB/T 9704-2012.

The body runs 22 lines of 28 characters: the font is set at the width of one
character cell (156 mm / 28 ≈ 15.8 pt, nominally 3号 16 pt — Word's character
grid compresses the same way) and the leading at 225 mm / 22. The CJK font is
embedded (see `fonts`); output is byte-identical for the same document because
the canvas runs with `invariant=1` (fixed creation date and file ID).
"""

import io
import re
from xml.sax.saxutils import escape

import reportlab.lib.textsplit as _rl_textsplit
import reportlab.platypus.paragraph as _rl_paragraph
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    TableStyle,
)
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus.flowables import HRFlowable

from ..text import clean_text
from . import charts, fonts
from . import layout as L

RED = colors.HexColor("#" + L.RED)
GRID = colors.HexColor("#333333")
HEADER_FILL = colors.HexColor("#EDEDED")
TOTAL_FILL = colors.HexColor("#F5F5F5")
ALIGN = {"left": TA_LEFT, "centre": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
TABLE_ALIGN = {"left": "LEFT", "centre": "CENTER", "right": "RIGHT"}
# A long table is laid out in chunks: reportlab re-measures every remaining row at
# each page break, so one 5,000-row table costs quadratic time.
TABLE_CHUNK_ROWS = 400


class BoldParagraph(Paragraph):
    """Stroke-and-fill text: the embedded font has no bold face (headings 一、 are 黑体)."""

    def beginText(self, x, y):
        text = super().beginText(x, y)
        text.setTextRenderMode(2)
        self.canv.setLineWidth(self.style.fontSize * 0.03)
        self.canv.setStrokeColor(self.style.textColor)
        return text


class AtFoot(Flowable):
    """Takes the rest of the frame and draws its content at the foot: 版记 sits on the
    last lines of the last page (GB/T 9704 §7.4)."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def wrap(self, avail_width, avail_height):
        _w, self._inner_height = self.inner.wrap(avail_width, avail_height)
        self.width = avail_width
        self.height = max(avail_height, self._inner_height)
        return self.width, self.height

    def draw(self):
        self.inner.drawOn(self.canv, 0, 0)


# GB/T 15834 and common 标点避头 practice: Chinese closing punctuation never starts a
# line. reportlab's table knows the Japanese marks (、。」) but not the full-width
# Chinese ones, so its CJK wrap would put "，" at the head of a line.
CHINESE_CANNOT_START = "，；：！？》〉】）”’…—·％"
for _module in (_rl_paragraph, _rl_textsplit):  # both wrap paths read their own copy
    _module.ALL_CANNOT_START += "".join(
        c for c in CHINESE_CANNOT_START if c not in _module.ALL_CANNOT_START
    )


class Styles:
    def __init__(self, font):
        self.font = font
        pitch = L.char_pitch_pt() * 0.999  # 28 to the line, with room for rounding
        self.pitch = pitch
        self.leading = L.line_pitch_pt() * 0.999
        self.body = ParagraphStyle(
            "body",
            fontName=font,
            fontSize=pitch,
            leading=self.leading,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
            firstLineIndent=2 * pitch,
            # §5.2.4: every page runs its 22 lines; no widow/orphan control moves one over.
            allowWidows=1,
            allowOrphans=1,
        )
        self.flush = ParagraphStyle("flush", parent=self.body, firstLineIndent=0)
        self.title = ParagraphStyle(
            "title",
            parent=self.flush,
            fontSize=L.SIZE_TITLE,
            leading=max(self.leading, L.SIZE_TITLE * 1.3),
            alignment=TA_CENTER,
        )
        self.masthead = ParagraphStyle("masthead", parent=self.title, textColor=RED)
        self.colophon = ParagraphStyle(
            "colophon",
            parent=self.flush,
            fontSize=L.SIZE_COLOPHON,
            leading=L.SIZE_COLOPHON * 1.6,
        )

    def para(self, indent, align):
        style = self.body if indent else self.flush
        if ALIGN[align] != style.alignment:
            style = ParagraphStyle(f"{style.name}-{align}", parent=style, alignment=ALIGN[align])
        return style


def _p(text, style, cls=Paragraph):
    # Stored text may hold control characters or lone surrogates (a \x0b from Word).
    return cls(escape(clean_text(text)).replace("\n", "<br/>"), style)


NO_LINE_START = set("，。、；：？！）》〕」』”’%")
_TOKEN = re.compile(r"[A-Za-z0-9._%/:\-]+|.", re.S)


class Wrapper:
    """Breaks cell text into lines by measured width (CJK anywhere, Latin at word
    ends). Cells then hold plain strings: measuring a Paragraph per cell is what
    makes large reportlab tables slow."""

    def __init__(self, font, size):
        self.font = font
        self.size = size
        self.widths = {}

    def width(self, token):
        width = self.widths.get(token)
        if width is None:
            width = self.widths[token] = stringWidth(token, self.font, self.size)
        return width

    def __call__(self, text, width):
        text = clean_text(str(text))
        if len(text) * self.size <= width and "\n" not in text:
            return text  # fits even if every character is full width
        lines = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for token in _TOKEN.findall(paragraph):
                token_width = (
                    self.width(token)
                    if len(token) == 1
                    else stringWidth(token, self.font, self.size)
                )
                if used + token_width > width and line:
                    carry = ""
                    if token in NO_LINE_START and len(line) > 1:
                        line, carry = line[:-1], line[-1]  # 避头: take a character along
                    lines.append(line)
                    line, used = carry, self.width(carry) if carry else 0.0
                if token_width > width:  # a Latin run longer than the cell
                    for ch in token:
                        ch_width = self.width(ch)
                        if used + ch_width > width and line:
                            lines.append(line)
                            line, used = "", 0.0
                        line += ch
                        used += ch_width
                    continue
                line += token
                used += token_width
            lines.append(line)
        return "\n".join(lines)


class Renderer:
    def __init__(self, document):
        self.document = document
        self.font = fonts.pdf_font()
        self.st = Styles(self.font)
        self.width = L.mm_to_pt(L.TEXT_WIDTH_MM)

    # --- page -------------------------------------------------------------

    def page_number(self, canvas, doc):
        """§7.5: 4号 Arabic numerals with a dash each side, 7 mm under the 版心; odd
        pages 右空一字, even pages 左空一字."""
        if not self.document.page_numbers:
            return
        number = canvas.getPageNumber()
        text = f"— {number} —"
        size = L.SIZE_COLOPHON
        y = (L.BOTTOM_MM - 7) * mm - size
        canvas.saveState()
        canvas.setFont(self.font, size)
        if number % 2:
            canvas.drawRightString((L.LEFT_MM + L.TEXT_WIDTH_MM) * mm - size, y, text)
        else:
            canvas.drawString(L.LEFT_MM * mm + size, y, text)
        canvas.restoreState()

    def render(self):
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=L.LEFT_MM * mm,
            rightMargin=L.RIGHT_MM * mm,
            topMargin=L.TOP_MM * mm,
            bottomMargin=L.BOTTOM_MM * mm,
            title=clean_text(self.document.title, multiline=False),
            author=clean_text(self.document.author, multiline=False),
            subject=clean_text(self.document.subject, multiline=False),
            keywords=fonts.pdf_font_description(),
            creator="guifan 规范性文件备案审查系统",
            producer="guifan (reportlab)",
            invariant=1,
            initialFontName=self.font,  # no unembedded Helvetica in the font resources
        )
        frame = Frame(
            L.LEFT_MM * mm,
            L.BOTTOM_MM * mm,
            L.TEXT_WIDTH_MM * mm,
            L.TEXT_HEIGHT_MM * mm,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self.page_number)])
        story = []
        for block in self.document.blocks:
            flowables = getattr(self, "_" + type(block).__name__.lower())(block)
            if isinstance(block, L.Signature) and story:
                # §7.3.5: the 成文日期 does not stand alone on a page; take the last
                # paragraph of text along.
                flowables = [KeepTogether([story.pop(), *flowables])]
            story.extend(flowables)
        doc.build(story)
        return buffer.getvalue()

    # --- blocks -----------------------------------------------------------

    def _masthead(self, block):
        size = min(L.SIZE_MASTHEAD_MAX, self.width / max(1, L.text_width_chars(block.issuer_mark)))
        style = ParagraphStyle("mark", parent=self.st.masthead, fontSize=size, leading=size * 1.15)
        out = [RLSpacer(1, L.MASTHEAD_TOP_MM * mm), _p(block.issuer_mark, style, BoldParagraph)]
        out.append(RLSpacer(1, 2 * self.st.leading))  # 空二行
        if block.number:
            out.append(_p(block.number, self.st.para(False, "centre")))
        # The line box ends about 4 mm under the glyphs of the 发文字号.
        out.append(HRFlowable(width="100%", thickness=1.5, color=RED, spaceBefore=0, spaceAfter=0))
        out.append(RLSpacer(1, 2 * self.st.leading))
        return out

    def _title(self, block):
        return [_p(L.title_lines(block.text), self.st.title), RLSpacer(1, self.st.leading)]

    def _subtitle(self, block):
        return [_p(block.text, self.st.para(False, "centre")), RLSpacer(1, self.st.leading / 2)]

    def _addressee(self, block):
        return [_p(block.text, self.st.flush)]

    def _para(self, block):
        return [_p(block.text, self.st.para(block.indent, block.align))]

    def _heading(self, block):
        if block.level == 0:
            return [_p(block.text, self.st.para(False, "centre"), BoldParagraph)]
        if block.level == 1:
            return [_p(block.text, self.st.body, BoldParagraph)]
        return [_p(block.text, self.st.body)]

    def _spacer(self, block):
        return [RLSpacer(1, block.lines * self.st.leading)]

    def _signature(self, block):
        org_indent, date_indent = L.signature_indents(block.organisation, block.date)
        out = [RLSpacer(1, self.st.leading)]  # 正文下空一行
        for text, indent in ((block.organisation, org_indent), (block.date, date_indent)):
            if text:
                style = ParagraphStyle(
                    f"sig{indent}",
                    parent=self.st.para(False, "right"),
                    rightIndent=indent * self.st.pitch,
                )
                out.append(_p(text, style))
        return out

    def _colophon(self, block):
        size = L.SIZE_COLOPHON
        style = self.st.colophon
        right = ParagraphStyle("colophon-right", parent=style, alignment=TA_RIGHT)
        rows, commands = (
            [],
            [
                ("FONT", (0, 0), (-1, -1), self.font, size),
                ("LEFTPADDING", (0, 0), (-1, -1), size),  # 左右各空一字
                ("RIGHTPADDING", (0, 0), (-1, -1), size),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ],
        )
        if block.cc:
            rows.append([_p("抄送：" + "，".join(block.cc) + "。", style), ""])
            commands.append(("SPAN", (0, 0), (1, 0)))
            commands.append(("LINEBELOW", (0, 0), (-1, 0), L.COLOPHON_THIN_MM * mm, colors.black))
        rows.append([_p(block.printer, style), _p(f"{block.printed_on}印发", right)])
        commands.append(("LINEABOVE", (0, 0), (-1, 0), L.COLOPHON_THICK_MM * mm, colors.black))
        commands.append(("LINEBELOW", (0, -1), (-1, -1), L.COLOPHON_THICK_MM * mm, colors.black))
        table = RLTable(
            rows, colWidths=[self.width * 0.6, self.width * 0.4], style=TableStyle(commands)
        )
        return [AtFoot(table)]

    def _table(self, block):
        weights = sum(c.weight for c in block.columns)
        widths = [self.width * c.weight / weights for c in block.columns]
        size = block.size
        pad = 3
        wrap = Wrapper(self.font, size)
        inner = [w - 2 * pad for w in widths]
        header = [wrap(c.label, inner[i]) for i, c in enumerate(block.columns)]
        commands = [
            ("FONT", (0, 0), (-1, -1), self.font, size, size * 1.3),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),  # wrapped cells read line by line across the row
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for i, column in enumerate(block.columns):
            if column.align != "left":
                commands.append(("ALIGN", (i, 1), (i, -1), TABLE_ALIGN[column.align]))
        rows = [[wrap(cell, inner[i]) for i, cell in enumerate(row)] for row in block.rows]
        out = []
        chunks = [
            rows[i : i + TABLE_CHUNK_ROWS] for i in range(0, len(rows), TABLE_CHUNK_ROWS)
        ] or [[]]
        for n, chunk in enumerate(chunks):
            chunk_commands = list(commands)
            if block.bold_last_row and n == len(chunks) - 1 and chunk:
                chunk_commands.append(("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
            out.append(
                RLTable(
                    [header, *chunk],
                    colWidths=widths,
                    repeatRows=1,
                    style=TableStyle(chunk_commands),
                )
            )
        out.append(RLSpacer(1, self.st.leading / 2))
        return out

    def _barchart(self, block):
        out = []
        for part in charts.groups(block):
            out.append(charts.drawing(part, self.width, self.font))
            out.append(RLSpacer(1, self.st.leading / 2))
        return out


def render(document: L.Document) -> bytes:
    return Renderer(document).render()
