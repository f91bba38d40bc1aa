"""Render a `layout.Document` as DOCX with python-docx, after GB/T 9704-2012.

Word on a government PC should use the official fonts, so every style names them
in `w:eastAsia` (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体) and the font table gives
each a fallback (`w:altName`). The page carries Word's document grid of 22 lines
× 28 characters (`w:docGrid` linesAndChars), as the official templates do; text
that must not snap to that grid (the masthead, the title, tables) opts out.

Paragraphs and tables are written as WordprocessingML directly, a table's rows
parsed 500 at a time; `Normal` is the table text, so a cell is only
tc/p/r/t and a 10,000-row table stays cheap (every other paragraph names its own
style). The package is re-zipped with fixed entry dates, so the same document
gives the same bytes.
"""

import datetime
import io
import zipfile
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml import etree

from ..text import clean_text
from . import charts, fonts
from . import layout as L

W = nsdecls("w")
TWIPS_PER_MM = 1440 / 25.4
TEXT_WIDTH_TWIPS = round(L.TEXT_WIDTH_MM * TWIPS_PER_MM)
LINE_PITCH_TWIPS = int(L.TEXT_HEIGHT_MM * TWIPS_PER_MM / L.LINES_PER_PAGE)  # 579
# w:charSpace: extra space per character, in 1/4096 pt, relative to the 16 pt body.
CHAR_SPACE = int((L.char_pitch_pt() - L.SIZE_BODY) * 4096)  # -842
FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
METADATA_DATE = datetime.date(2000, 1, 1)
TABLE_CHUNK_ROWS = 500
SONG_DIGITS = {"GFFooter"}  # §7.5: 页码用半角宋体阿拉伯数字
JC = {"left": "left", "centre": "center", "right": "right", "justify": "both"}


def _half_points(pt):
    return str(round(pt * 2))


def _rfonts(east_asia, latin=fonts.DOCX_LATIN):
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east_asia}" w:cs="{latin}"/>'
    )


def _style(style_id, name, *, east_asia, size, ppr="", rpr=""):
    """A paragraph style on its own (no basedOn: Normal is the table text, see
    `Renderer.setup_styles`), with every font and size it needs."""
    latin = east_asia if style_id in SONG_DIGITS else fonts.DOCX_LATIN
    return (
        f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr>"
        f'<w:rPr>{_rfonts(east_asia, latin)}{rpr}<w:sz w:val="{_half_points(size)}"/>'
        f'<w:szCs w:val="{_half_points(size)}"/></w:rPr></w:style>'
    )


EXACT = f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH_TWIPS}" w:lineRule="exact"/>'
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
NO_GRID = '<w:snapToGrid w:val="0"/>'
INDENT_2 = f'<w:ind w:firstLineChars="200" w:firstLine="{2 * 20 * L.SIZE_BODY}"/>'
NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
RED = f'<w:color w:val="{L.RED}"/>'

# (style id, shown name, east-asian font, size, pPr, extra rPr): 正文 on the grid,
# everything larger or smaller than 3号 off it (the grid would spread its characters).
STYLES = [
    (
        "GFBody",
        "公文正文",
        fonts.DOCX_BODY,
        L.SIZE_BODY,
        EXACT + INDENT_2 + '<w:jc w:val="both"/>',
        "",
    ),
    (
        "GFFlush",
        "公文正文顶格",
        fonts.DOCX_BODY,
        L.SIZE_BODY,
        EXACT + NO_INDENT + '<w:jc w:val="both"/>',
        "",
    ),
    (
        "GFHeading1",
        "公文一级标题",
        fonts.DOCX_HEADING1,
        L.SIZE_BODY,
        "<w:keepNext/>" + EXACT + INDENT_2 + '<w:jc w:val="both"/><w:outlineLvl w:val="0"/>',
        "",
    ),
    (
        "GFHeading2",
        "公文二级标题",
        fonts.DOCX_HEADING2,
        L.SIZE_BODY,
        "<w:keepNext/>" + EXACT + INDENT_2 + '<w:jc w:val="both"/><w:outlineLvl w:val="1"/>',
        "",
    ),
    (
        "GFChapter",
        "公文章标题",
        fonts.DOCX_HEADING1,
        L.SIZE_BODY,
        "<w:keepNext/>" + EXACT + NO_INDENT + '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
        "",
    ),
    (
        "GFTitle",
        "公文标题",
        fonts.DOCX_TITLE,
        L.SIZE_TITLE,
        "<w:keepNext/>"
        + NO_GRID
        + EXACT.replace(str(LINE_PITCH_TWIPS), str(LINE_PITCH_TWIPS * 5 // 4))
        + NO_INDENT
        + '<w:jc w:val="center"/>',
        "",
    ),
    (
        "GFMasthead",
        "发文机关标志",
        fonts.DOCX_TITLE,
        L.SIZE_MASTHEAD_MAX,
        NO_GRID + SINGLE + NO_INDENT + '<w:jc w:val="center"/>',
        RED,
    ),
    (
        "GFTableHead",
        "公文表头",
        fonts.DOCX_HEADING1,
        L.SIZE_TABLE,
        NO_GRID + SINGLE + NO_INDENT + '<w:jc w:val="center"/>',
        "",
    ),
    ("GFColophon", "版记", fonts.DOCX_BODY, L.SIZE_COLOPHON, NO_GRID + SINGLE + NO_INDENT, ""),
    # §7.5: 页码 4号半角宋体阿拉伯数字
    ("GFFooter", "页码", "宋体", L.SIZE_COLOPHON, NO_GRID + SINGLE + NO_INDENT, ""),
]


def _run(text):
    out = []
    # Stored text may hold what XML cannot (a \x0b from Word): a line break here.
    for i, part in enumerate(clean_text(str(text)).split("\n")):
        if i:
            out.append("<w:br/>")
        # xml:space only where spaces at either end would otherwise be dropped
        space = ' xml:space="preserve"' if part != part.strip() else ""
        out.append(f"<w:t{space}>{escape(part)}</w:t>")
    return "<w:r>" + "".join(out) + "</w:r>"


def _para_xml(text, style, ppr="", rpr=""):
    run = _run(text) if not rpr else _run(text).replace("<w:r>", f"<w:r><w:rPr>{rpr}</w:rPr>", 1)
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{run if text else ""}</w:p>'


class Renderer:
    def __init__(self, document):
        self.document = document
        self.docx = new_docx()
        self.body = self.docx.element.body
        self.sect_pr = self.body.find(qn("w:sectPr"))

    # --- package ----------------------------------------------------------

    def render(self):
        self.setup_styles()
        self.setup_font_table()
        self.setup_page()
        for block in self.document.blocks:
            getattr(self, "_" + type(block).__name__.lower())(block)
        self.setup_properties()
        buffer = io.BytesIO()
        self.docx.save(buffer)
        return _normalise_zip(buffer.getvalue())

    def setup_styles(self):
        styles = self.docx.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        defaults.getparent().replace(
            defaults,
            parse_xml(
                f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{_rfonts(fonts.DOCX_BODY)}"
                f'<w:sz w:val="{_half_points(L.SIZE_BODY)}"/><w:szCs w:val="{_half_points(L.SIZE_BODY)}"/>'
                '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
                f"<w:pPrDefault><w:pPr>{SINGLE}</w:pPr></w:pPrDefault></w:docDefaults>"
            ),
        )
        for style_id, name, east_asia, size, ppr, rpr in STYLES:
            styles.append(
                parse_xml(_style(style_id, name, east_asia=east_asia, size=size, ppr=ppr, rpr=rpr))
            )
        # Normal is the text of table cells: a 10,000-row table then needs no style,
        # size or width on each cell (every other paragraph names its GF style).
        normal = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
        for child in normal.findall(qn("w:pPr")) + normal.findall(qn("w:rPr")):
            normal.remove(child)
        normal.append(parse_xml(f"<w:pPr {W}>{NO_GRID}{SINGLE}{NO_INDENT}</w:pPr>"))
        normal.append(
            parse_xml(
                f'<w:rPr {W}><w:sz w:val="{_half_points(L.SIZE_TABLE)}"/>'
                f'<w:szCs w:val="{_half_points(L.SIZE_TABLE)}"/></w:rPr>'
            )
        )
        self.table_styles = {L.SIZE_TABLE: None}

    def setup_font_table(self):
        """w:altName tells Word what to use where an official font is missing."""
        part = next(
            p for p in self.docx.part.package.iter_parts() if p.partname.endswith("/fontTable.xml")
        )
        table = etree.fromstring(part.blob)
        for name, fallback in fonts.DOCX_FALLBACKS.items():
            table.append(
                parse_xml(
                    f'<w:font {W} w:name="{name}"><w:altName w:val="{fallback}"/>'
                    '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    def setup_page(self):
        section = self.docx.sections[0]
        section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(L.TOP_MM), Mm(L.BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(L.LEFT_MM), Mm(L.RIGHT_MM)
        section.gutter = 0
        section.header_distance = Mm(15)
        # 页码 7 mm under the 版心: its line (about 5 mm) ends 23 mm above the page edge.
        section.footer_distance = Mm(L.BOTTOM_MM - 7 - 5)
        grid = self.sect_pr.find(qn("w:docGrid"))
        if grid is not None:
            self.sect_pr.remove(grid)
        self.sect_pr.append(
            parse_xml(
                f'<w:docGrid {W} w:type="linesAndChars" w:linePitch="{LINE_PITCH_TWIPS}" w:charSpace="{CHAR_SPACE}"/>'
            )
        )
        if self.document.page_numbers:
            self.docx.settings.odd_and_even_pages_header_footer = True
            # §7.5: odd pages 右空一字, even pages 左空一字.
            indent = 20 * L.SIZE_COLOPHON
            self._footer(
                section.footer,
                f'<w:ind w:rightChars="100" w:right="{indent}"/><w:jc w:val="right"/>',
            )
            self._footer(
                section.even_page_footer,
                f'<w:ind w:leftChars="100" w:left="{indent}"/><w:jc w:val="left"/>',
            )

    def _footer(self, footer, ppr):
        footer.is_linked_to_previous = False
        element = footer._element
        for p in list(element):
            element.remove(p)
        element.append(
            parse_xml(
                f'<w:p {W}><w:pPr><w:pStyle w:val="GFFooter"/>{ppr}</w:pPr>'
                '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
                '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
                '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
            )
        )

    def setup_properties(self):
        day = self.document.date or METADATA_DATE
        moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
        props = self.docx.core_properties
        props.title = clean_text(self.document.title, multiline=False)
        props.subject = clean_text(self.document.subject, multiline=False)
        props.author = clean_text(self.document.author, multiline=False) or "guifan"
        props.last_modified_by = "guifan"
        props.comments = "规范性文件备案审查系统生成；版式依 GB/T 9704-2012"
        props.revision = 1
        props.created = moment
        props.modified = moment
        # python-docx's template carries a thumbnail of some other document.
        rels = self.docx.part.package.rels
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith("/thumbnail"):
                rels.pop(r_id)

    # --- blocks -----------------------------------------------------------

    def add(self, xml):
        element = parse_xml(xml)
        self.sect_pr.addprevious(element)
        return element

    def _masthead(self, block):
        size = min(
            L.SIZE_MASTHEAD_MAX,
            L.mm_to_pt(L.TEXT_WIDTH_MM) / max(1, L.text_width_chars(block.issuer_mark)),
        )
        self.add(
            _para_xml(
                block.issuer_mark,
                "GFMasthead",
                ppr=f'<w:spacing w:before="{round(L.MASTHEAD_TOP_MM * TWIPS_PER_MM)}" w:after="0" w:line="240" w:lineRule="auto"/>',
                rpr=f'<w:sz w:val="{_half_points(size)}"/><w:szCs w:val="{_half_points(size)}"/>',
            )
        )
        self.add(_para_xml("", "GFFlush"))
        self.add(_para_xml("", "GFFlush"))
        # The red rule is the bottom border of the 发文字号 line, about 4 mm under it.
        rule = (
            f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="4" w:color="{L.RED}"/></w:pBdr>'
            '<w:jc w:val="center"/>'
        )
        self.add(_para_xml(block.number, "GFFlush", ppr=rule))
        self.add(_para_xml("", "GFFlush"))
        self.add(_para_xml("", "GFFlush"))

    def _title(self, block):
        self.add(_para_xml(L.title_lines(block.text), "GFTitle"))
        self.add(_para_xml("", "GFFlush"))

    def _subtitle(self, block):
        self.add(_para_xml(block.text, "GFFlush", ppr='<w:jc w:val="center"/>'))

    def _addressee(self, block):
        self.add(_para_xml(block.text, "GFFlush"))

    def _para(self, block):
        style = "GFBody" if block.indent else "GFFlush"
        ppr = "" if block.align == "justify" else f'<w:jc w:val="{JC[block.align]}"/>'
        self.add(_para_xml(block.text, style, ppr=ppr))

    def _heading(self, block):
        style = {0: "GFChapter", 1: "GFHeading1"}.get(block.level, "GFHeading2")
        self.add(_para_xml(block.text, style))

    def _spacer(self, block):
        for _ in range(max(1, round(block.lines))):
            self.add(_para_xml("", "GFFlush"))

    def _signature(self, block):
        org_indent, date_indent = L.signature_indents(block.organisation, block.date)
        # §7.3.5: the 成文日期 does not stand alone on a page: keep the last paragraph
        # of text, the blank line and the name with it.
        previous = self.sect_pr.getprevious()
        if previous is not None and previous.tag == qn("w:p"):
            p_pr = previous.find(qn("w:pPr"))
            style = p_pr.find(qn("w:pStyle")) if p_pr is not None else None
            if style is not None and p_pr.find(qn("w:keepNext")) is None:
                style.addnext(parse_xml(f"<w:keepNext {W}/>"))
        self.add(_para_xml("", "GFFlush", ppr="<w:keepNext/>"))  # 正文下空一行
        for text, indent in ((block.organisation, org_indent), (block.date, date_indent)):
            if text:
                twips = round(indent * 20 * L.SIZE_BODY)
                keep = "<w:keepNext/>" if text is block.organisation and block.date else ""
                ppr = f'{keep}<w:ind w:rightChars="{round(indent * 100)}" w:right="{twips}"/><w:jc w:val="right"/>'
                self.add(_para_xml(text, "GFFlush", ppr=ppr))

    def _colophon(self, block):
        """A table floating at the foot of the 版心 (w:tblpYSpec="bottom"), with a thick
        rule above and below and a thin one between 抄送 and 印发 (§7.4.1)."""
        thick = round(L.COLOPHON_THICK_MM / 25.4 * 72 * 8)
        thin = round(L.COLOPHON_THIN_MM / 25.4 * 72 * 8)
        left = round(TEXT_WIDTH_TWIPS * 0.6)
        right = TEXT_WIDTH_TWIPS - left
        one_char = 20 * L.SIZE_COLOPHON
        pad_left = f'<w:ind w:leftChars="100" w:left="{one_char}"/>'
        pad_right = f'<w:ind w:rightChars="100" w:right="{one_char}"/><w:jc w:val="right"/>'
        rows = []
        if block.cc:
            rows.append(
                f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:gridSpan w:val="2"/></w:tcPr>'
                + _cell_p("抄送：" + "，".join(block.cc) + "。", "GFColophon", pad_left)
                + "</w:tc></w:tr>"
            )
        rows.append(
            f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{left}" w:type="dxa"/></w:tcPr>'
            + _cell_p(block.printer, "GFColophon", pad_left)
            + f'</w:tc><w:tc><w:tcPr><w:tcW w:w="{right}" w:type="dxa"/></w:tcPr>'
            + _cell_p(f"{block.printed_on}印发", "GFColophon", pad_right)
            + "</w:tc></w:tr>"
        )
        self.add(
            f"<w:tbl {W}><w:tblPr>"
            '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0"'
            ' w:vertAnchor="margin" w:horzAnchor="margin" w:tblpXSpec="center" w:tblpYSpec="bottom"/>'
            f'<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/>'
            f'<w:tblBorders><w:top w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
            f'<w:bottom w:val="single" w:sz="{thick}" w:space="0" w:color="000000"/>'
            f'<w:insideH w:val="single" w:sz="{thin}" w:space="0" w:color="000000"/></w:tblBorders>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            f'</w:tblPr><w:tblGrid><w:gridCol w:w="{left}"/><w:gridCol w:w="{right}"/></w:tblGrid>'
            + "".join(rows)
            + "</w:tbl>"
        )
        self.add(_para_xml("", "GFFlush"))  # a table may not end the body

    def table_style(self, size):
        """The paragraph style of table text at `size`: Normal for 五号, else one made
        on first use."""
        if size not in self.table_styles:
            style_id = f"GFTable{round(size * 10)}"
            self.docx.styles.element.append(
                parse_xml(
                    f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
                    f'<w:name w:val="公文表格{size:g}磅"/><w:basedOn w:val="Normal"/>'
                    f'<w:rPr><w:sz w:val="{_half_points(size)}"/><w:szCs w:val="{_half_points(size)}"/>'
                    "</w:rPr></w:style>"
                )
            )
            self.table_styles[size] = style_id
        return self.table_styles[size]

    def _table(self, block):
        weights = sum(c.weight for c in block.columns)
        widths = [round(TEXT_WIDTH_TWIPS * c.weight / weights) for c in block.columns]
        widths[-1] = TEXT_WIDTH_TWIPS - sum(widths[:-1])  # rounding must not widen the 版心
        style = self.table_style(block.size)
        p_style = f'<w:pStyle w:val="{style}"/>' if style else ""
        cell_pprs = []
        for c in block.columns:
            jc = "" if c.align == "left" else f'<w:jc w:val="{JC[c.align]}"/>'
            cell_pprs.append(f"<w:pPr>{p_style}{jc}</w:pPr>" if p_style or jc else "")
        size = "" if not style else f'<w:sz w:val="{_half_points(block.size)}"/>'
        plain = [""] * len(widths)  # widths come from tblGrid (fixed layout)
        shaded = [
            '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/><w:vAlign w:val="center"/></w:tcPr>'
        ] * len(widths)
        table = self.add(
            f"<w:tbl {W}><w:tblPr>"
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            "<w:tblBorders>"
            + "".join(
                f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="333333"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
            "</w:tblPr><w:tblGrid>"
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
            + "</w:tblGrid>"
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>"
            + "".join(
                f"<w:tc>{shaded[i]}{_cell_p(c.label, 'GFTableHead', '', size)}</w:tc>"
                for i, c in enumerate(block.columns)
            )
            + "</w:tr></w:tbl>"
        )
        # Rows are parsed a chunk at a time: one string for 10,000 rows costs more
        # memory than the rows themselves.
        last = len(block.rows) - 1
        for start in range(0, len(block.rows), TABLE_CHUNK_ROWS):
            parts = [f"<w:tbl {W}>"]
            for n, row in enumerate(block.rows[start : start + TABLE_CHUNK_ROWS], start):
                pr = shaded if block.bold_last_row and n == last else plain
                parts.append(
                    "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                    + "".join(
                        f"<w:tc>{pr[i]}<w:p>{cell_pprs[i]}{_run(cell) if cell != '' else ''}</w:p></w:tc>"
                        for i, cell in enumerate(row)
                    )
                    + "</w:tr>"
                )
            parts.append("</w:tbl>")
            table.extend(list(parse_xml("".join(parts))))
        self.add(_para_xml("", style or "Normal"))

    def _barchart(self, block):
        """The chart the PDF draws, as PNG images (`charts.png`) the width of the text,
        each in a centred paragraph of single spacing (an exact line would crop it)."""
        for part in charts.groups(block):
            ppr = f'{SINGLE}{NO_GRID}<w:jc w:val="center"/>'
            paragraph = Paragraph(self.add(_para_xml("", "GFFlush", ppr=ppr)), self.docx)
            paragraph.add_run().add_picture(io.BytesIO(charts.png(part)), width=Mm(L.TEXT_WIDTH_MM))


def _cell_p(text, style, ppr="", rpr=""):
    run = _run(text) if text != "" else ""
    if run and rpr:
        run = run.replace("<w:r>", f"<w:r><w:rPr>{rpr}</w:rPr>", 1)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{run}</w:p>'


def _normalise_zip(data):
    """Rewrite the package with fixed entry dates: zipfile stamps the current time."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render(document: L.Document) -> bytes:
    return Renderer(document).render()
