"""Fonts for the official outputs, looked up in one place.

GB/T 9704-2012 sets 小标宋 for titles, 仿宋 for the body, 黑体 and 楷体 for
headings. Those fonts are proprietary, so:

* DOCX names them (w:eastAsia on rFonts) and declares a fallback for each in the
  font table, so Word on a government PC uses the official fonts;
* PDF embeds a free TrueType CJK font, WenQuanYi Zen Hei (Debian
  `fonts-wqy-zenhei`) by default, and says which one in the PDF's metadata
  (domain-rules §10: "where the official fonts are absent, embed a free CJK font
  and say which").

`GUIFAN_CJK_FONT` overrides the PDF font: a path to a .ttf, or to a .ttc with
`#N` for the face index (e.g. `/usr/share/fonts/truetype/arphic/uming.ttc#0`).
reportlab embeds TrueType outlines only; CFF-based .otf (Noto CJK) will not do.
"""

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ENV_VAR = "GUIFAN_CJK_FONT"

# Tried in order when GUIFAN_CJK_FONT is not set.
CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
]

# Prefix of the name the embedded font is registered under in reportlab.
PDF_FONT = "GuifanCJK"

# DOCX: the official fonts (w:eastAsia) and what Word may substitute when one is
# missing (w:altName in the font table). ASCII text uses Times New Roman.
DOCX_LATIN = "Times New Roman"
DOCX_BODY = "仿宋_GB2312"
DOCX_TITLE = "方正小标宋简体"
DOCX_HEADING1 = "黑体"
DOCX_HEADING2 = "楷体"
DOCX_FALLBACKS = {
    DOCX_BODY: "FangSong",
    DOCX_TITLE: "SimSun",
    DOCX_HEADING1: "SimHei",
    DOCX_HEADING2: "KaiTi",
}


class FontNotFound(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int


def _parse(value):
    path, _sep, index = value.partition("#")
    try:
        return FontFile(path, int(index or 0))
    except ValueError:
        raise FontNotFound(
            f"环境变量 {ENV_VAR} 的字体序号无效：{value!r}，应为 路径 或 路径#序号。"
            f" (Invalid face index in {ENV_VAR}={value!r}; use PATH or PATH#N.)"
        ) from None


def find_cjk_font() -> FontFile:
    """The TrueType CJK font to embed in PDFs, or FontNotFound saying what to install."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        font = _parse(override)
        if not Path(font.path).is_file():
            raise FontNotFound(
                f"环境变量 {ENV_VAR} 指定的字体文件不存在：{font.path}。"
                f" (The font file named by {ENV_VAR} does not exist: {font.path}.)"
            )
        return font
    for path, index in CANDIDATES:
        if Path(path).is_file():
            return FontFile(path, index)
    raise FontNotFound(
        "未找到可嵌入 PDF 的中文 TrueType 字体。请安装 fonts-wqy-zenhei"
        "（apt-get install fonts-wqy-zenhei），或将环境变量 "
        f"{ENV_VAR} 设为一个 .ttf/.ttc 字体文件的路径（.ttc 可写 路径#序号）。"
        " (No embeddable CJK TrueType font found. Install fonts-wqy-zenhei, or set "
        f"{ENV_VAR} to the path of a .ttf/.ttc font, PATH#N for a face of a .ttc. "
        "CFF-based .otf fonts such as Noto CJK cannot be embedded by reportlab.)"
    )


@cache
def _register(path, index):
    """Register a font file with reportlab under a name of its own: reportlab never
    replaces a registered TrueType font, so a changed GUIFAN_CJK_FONT needs a new name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = f"{PDF_FONT}-{hashlib.sha256(f'{path}#{index}'.encode()).hexdigest()[:8]}"
    try:
        font = TTFont(name, path, subfontIndex=index)
    except TTFError as exc:
        raise FontNotFound(
            f"字体文件无法嵌入 PDF：{path}#{index}（{exc}）。请使用 TrueType 字体。"
            f" (Cannot embed {path}#{index} in a PDF: {exc}. Use a TrueType font.)"
        ) from exc
    pdfmetrics.registerFont(font)
    return font


def pdf_font() -> str:
    """Register the CJK font with reportlab (once per file) and return its name."""
    found = find_cjk_font()
    return _register(found.path, found.index).fontName


def pdf_font_description() -> str:
    """Which font the PDFs embed, for the documents' metadata."""
    found = find_cjk_font()
    font = _register(found.path, found.index)
    family = font.face.familyName.decode("latin-1", "replace")
    known = {"WenQuanYi Zen Hei": "文泉驿正黑", "AR PL UMing CN": "文鼎PL细上海宋"}
    label = f"{known[family]}（{family}）" if family in known else family
    return f"嵌入字体：{label}，代替 GB/T 9704 规定的小标宋、仿宋、黑体、楷体"
