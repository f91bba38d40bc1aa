"""The CJK font lookup: one place, an environment override, a clear refusal."""

import pytest

from review.reports import fonts, render
from review.reports import layout as L
from tests.test_reports_fixtures import pdf_fonts, pdf_text, squash

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"


def sample():
    return L.Document(title="字体测试", blocks=[L.Title("字体测试"), L.Para("规范性文件备案审查")])


def test_the_default_font_is_wenquanyi_zen_hei_embedded(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    data = render(sample(), "pdf")
    assert pdf_fonts(data) == {"/AAAAAA+WenQuanYiZenHei-0": True}
    assert "规范性文件备案审查" in squash(pdf_text(data))


def test_the_pdf_says_which_font_it_embeds_in_its_metadata(monkeypatch):
    import io

    import pypdf

    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    info = pypdf.PdfReader(io.BytesIO(render(sample(), "pdf"))).metadata
    assert "文泉驿正黑" in info["/Keywords"] and "WenQuanYi Zen Hei" in info["/Keywords"]


def test_guifan_cjk_font_chooses_another_truetype_font_and_face(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, f"{UMING}#0")
    data = render(sample(), "pdf")
    assert list(pdf_fonts(data)) == ["/AAAAAA+UMingCN-0"]
    assert all(pdf_fonts(data).values())
    monkeypatch.delenv(fonts.ENV_VAR)
    assert list(pdf_fonts(render(sample(), "pdf"))) == ["/AAAAAA+WenQuanYiZenHei-0"]


def test_a_missing_override_file_is_refused_in_chinese_and_english(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, "/nonexistent/font.ttf")
    with pytest.raises(fonts.FontNotFound) as refused:
        render(sample(), "pdf")
    assert "字体文件不存在" in str(refused.value) and "does not exist" in str(refused.value)


def test_a_bad_face_index_is_refused(monkeypatch):
    monkeypatch.setenv(fonts.ENV_VAR, "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#first")
    with pytest.raises(fonts.FontNotFound, match="字体序号无效"):
        fonts.find_cjk_font()


def test_with_no_font_installed_the_error_says_what_to_install(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "CANDIDATES", [("/nonexistent/a.ttc", 0)])
    with pytest.raises(fonts.FontNotFound) as refused:
        fonts.find_cjk_font()
    message = str(refused.value)
    assert "未找到可嵌入 PDF 的中文 TrueType 字体" in message
    assert "fonts-wqy-zenhei" in message and "No embeddable CJK TrueType font" in message


def test_a_cff_opentype_font_is_refused_with_the_reason(monkeypatch, tmp_path):
    fake = tmp_path / "NotoSansCJK.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 64)
    monkeypatch.setenv(fonts.ENV_VAR, str(fake))
    with pytest.raises(fonts.FontNotFound, match="TrueType"):
        fonts.pdf_font()


def test_no_line_of_chinese_text_starts_with_closing_punctuation():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from review.reports import fonts, pdf

    text = (
        "第一条 为了加强经营性公墓管理，规范殡葬服务市场秩序，根据《殡葬管理条例》《公墓管理暂行办法》等有关规定，结合本市实际，制定本办法。"
        * 3
    )
    style = ParagraphStyle(
        "t", fontName=fonts.pdf_font(), fontSize=15.8, leading=20, wordWrap="CJK"
    )
    starts = set()
    for width in range(150, 460, 3):
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 10000)
        for _extra, words in paragraph.blPara.lines[1:]:
            starts.add("".join(words)[:1])
    assert len(starts) > 10  # many different line starts were produced
    assert not starts & set(pdf.CHINESE_CANNOT_START), starts & set(pdf.CHINESE_CANNOT_START)
