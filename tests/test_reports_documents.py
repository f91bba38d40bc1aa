"""The per-document outputs, each as PDF and DOCX, reopened and read back."""

# The fixtures imported from test_reports_fixtures are parameters of the tests below.
# ruff: noqa: F811

import datetime
import io

import docx
import pdfplumber
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from review.models import (
    CHECKLIST_ITEMS,
    AdvisorOpinion,
    Attachment,
    AttachmentKind,
    Comment,
    CommentPeriod,
    LegalityReview,
    NormativeDocument,
    State,
)
from review.reports import MissingRecord, build
from review.reports import layout as L
from tests.test_reports_fixtures import (  # noqa: F401  (fixtures)
    ALL_MATERIALS,
    BODY,
    D,
    city_government,
    civil_affairs,
    correct,
    county,
    docx_tables,
    docx_text,
    file,
    justice,
    make_org,
    make_user,
    pdf_fonts,
    pdf_text,
    published,
    review,
    squash,
)

TITLE = "安康市民政局关于进一步加强最低生活保障工作的通知"


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def office(civil_affairs):
    from review.models import Organisation

    return make_org(
        "akmz-bgs",
        "安康市民政局办公室",
        "办公室",
        kind=Organisation.Kind.DIVISION,
        parent=civil_affairs,
    )


@pytest.fixture
def notice(civil_affairs, office):
    """安民发〔2020〕5号 through every step the outputs report on."""
    doc = published(
        civil_affairs,
        TITLE,
        D(2020, 5, 9),
        signed_on=D(2020, 5, 8),
        serial=5,
        state=State.CORRECTION,
        effective_from=D(2020, 6, 8),
        valid_until=D(2025, 6, 7),
    )
    version = doc.registration.version
    reviewer = make_user("legal", "王审核")
    advisor = make_user("advisor", "李顾问")
    checklist = {key: {"ok": True, "note": ""} for key, _label in CHECKLIST_ITEMS}
    checklist["competition"] = {"ok": False, "note": "第七条限定服务机构，应删除"}
    lr = LegalityReview.objects.create(
        document=doc,
        version=version,
        version_sha256=version.sha256,
        started_at=at(D(2020, 4, 1)),
        due_on=D(2020, 4, 22),
        reviewer=reviewer,
        checklist=checklist,
        outcome="revise",
        opinion="建议删除第七条关于指定服务机构的规定，修改后合法。",
        completed_at=at(D(2020, 4, 15)),
    )
    AdvisorOpinion.objects.create(
        review=lr,
        advisor=advisor,
        version=version,
        version_sha256=version.sha256,
        opinion="同意审核意见。",
        agrees=True,
        signed_at=at(D(2020, 4, 16)),
    )
    period = CommentPeriod.objects.create(
        document=doc,
        version=version,
        opens_on=D(2020, 3, 2),
        closes_on=D(2020, 3, 10),
        channel="安康市民政局门户网站",
    )
    answers = [
        (
            "adopted",
            "建议明确低保审核时限",
            "已在第五条明确为20个工作日。",
            Comment.Status.PUBLISHED,
        ),
        ("partly", "建议取消入户调查", "保留入户调查，简化调查表。", Comment.Status.PUBLISHED),
        (
            "not_adopted",
            "建议提高保障标准",
            "标准由省政府确定，不属本文件调整范围。",
            Comment.Status.PUBLISHED,
        ),
        ("", "某某的电话是13800000000", "", Comment.Status.HIDDEN),
        ("", "广告", "", Comment.Status.SPAM),
    ]
    for n, (response, text, reason, status) in enumerate(answers, 1):
        Comment.objects.create(
            period=period,
            receipt=f"R2020{n:04d}",
            article=5 if n == 1 else None,
            text=text,
            response=response,
            response_reason=reason,
            status=status,
            submitted_at=at(D(2020, 3, 3), 8 + n),
            author_kind=Comment.AuthorKind.PERSON,
            author_name="张三",
            contact="13800000000",
            hidden_reason="含个人信息" if status == Comment.Status.HIDDEN else "",
        )
    Attachment.objects.create(
        document=doc,
        kind=AttachmentKind.DRAFTING_NOTE,
        name="起草说明",
        text="说明",
        sha256="0" * 64,
    )
    filing = file(doc, D(2020, 6, 1), materials={**ALL_MATERIALS, "legal_basis": False})
    fr = review(
        filing,
        decided_on=D(2020, 6, 20),
        conclusion="opinion",
        due_on=D(2020, 7, 1),
        formal_ok=False,
        substantive={
            "subject": {"ok": True, "note": ""},
            "superior_law": {"ok": False, "note": "第七条违反公平竞争审查规定"},
        },
        findings="第七条指定服务机构，排除、限制竞争。",
    )
    correct(doc, fr, D(2020, 6, 20), D(2020, 7, 20))
    return doc


# --- the published text (正式文本) -------------------------------------------------


def test_official_text_pdf_has_the_masthead_number_title_body_date_and_colophon(notice):
    text = squash(pdf_text(build("official_text", notice, "pdf")))
    order = [
        "安康市民政局文件",
        "安民发〔2020〕5号",
        TITLE,
        "各县区民政局，市局各科室：",
        "一、总体要求",
        "2020年5月8日",
        "抄送：安康市人民政府，安康市司法局。",
        "安康市民政局办公室",
        "2020年5月8日印发",
    ]
    positions = [text.find(squash(part)) for part in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions)


def test_official_text_masthead_is_red_and_the_body_black(notice):
    with pdfplumber.open(io.BytesIO(build("official_text", notice, "pdf"))) as pdf:
        page = pdf.pages[0]
        colours = {
            (ch["text"], ch["size"] > 30): tuple(ch["non_stroking_color"] or ())
            for ch in page.chars
        }
        red_lines = [
            r
            for r in page.rects + page.lines
            if tuple(r.get("stroking_color") or ()) == (1, 0, 0)
            or tuple(r.get("non_stroking_color") or ()) == (1, 0, 0)
        ]
    assert colours[("康", True)] == (1, 0, 0)  # 安康市民政局文件
    assert colours[("康", False)] == (0, 0, 0)  # 安康市 in the title and body
    assert colours[("障", False)] == (0, 0, 0)
    assert red_lines, "the red rule under the 发文字号"
    assert (
        abs(red_lines[0]["x1"] - red_lines[0]["x0"] - L.mm_to_pt(L.TEXT_WIDTH_MM)) < 1
    )  # 版心 wide


def test_official_text_title_is_centred_on_the_text_block(notice):
    with pdfplumber.open(io.BytesIO(build("official_text", notice, "pdf"))) as pdf:
        page = pdf.pages[0]
        number = [ch for ch in page.chars if ch["text"] in "安民发〔2020〕5号" and ch["size"] < 17]
        line = [ch for ch in number if abs(ch["top"] - number[0]["top"]) < 1]
    centre = (min(ch["x0"] for ch in line) + max(ch["x1"] for ch in line)) / 2
    assert abs(centre - L.mm_to_pt(L.LEFT_MM + L.TEXT_WIDTH_MM / 2)) < 3


def test_official_text_body_runs_28_characters_to_a_line_and_22_lines_to_a_page(civil_affairs):
    long_body = "\n".join(
        "各县区民政部门要切实履行主体责任确保各项政策落实到位切实保障困难群众基本生活" * 3
        for _ in range(12)
    )
    doc = published(civil_affairs, "长文测试", D(2020, 5, 9), text=long_body)
    with pdfplumber.open(io.BytesIO(build("official_text", doc, "pdf"))) as pdf:
        page = pdf.pages[1]  # a full page of body text
        body = [ch for ch in page.chars if 15 < ch["size"] < 16.5]
        lines = {}
        for ch in body:
            lines.setdefault(round(ch["top"]), []).append(ch)
    widths = sorted(len(chars) for chars in lines.values())
    assert len(lines) == 22
    assert widths[-1] == 28


def test_official_text_pdf_embeds_its_font_as_truetype(notice):
    fonts = pdf_fonts(build("official_text", notice, "pdf"))
    assert fonts and all(fonts.values()), fonts
    assert all("WenQuanYi" in name for name in fonts)


def test_official_text_docx_names_the_official_fonts_and_a_red_masthead(notice):
    data = build("official_text", notice, "docx")
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert [p.text for p in paragraphs[:2]] == ["安康市民政局文件", "安民发〔2020〕5号"]
    assert paragraphs[2].text.replace("\n", "") == TITLE  # a long title breaks into lines
    masthead = paragraphs[0]
    assert str(masthead.style.font.color.rgb) == "FF0000"
    styles = document.styles.element.xml
    for font in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体"):
        assert f'w:eastAsia="{font}"' in styles
    assert (
        'w:color="FF0000"' in paragraphs[1]._p.xml
    )  # the red rule: the 发文字号 line's bottom border


def test_official_text_docx_page_is_the_gbt_9704_page(notice):
    document = docx.Document(io.BytesIO(build("official_text", notice, "docx")))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26 and round(section.bottom_margin.mm) == 35
    grid = section._sectPr.xml
    assert 'w:type="linesAndChars"' in grid and 'w:linePitch="579"' in grid
    text = docx_text(build("official_text", notice, "docx"))
    assert "抄送：安康市人民政府，安康市司法局。" in text and "2020年5月8日印发" in text
    assert "一、总体要求" in text and "2020年5月8日" in text


def test_official_text_docx_font_table_gives_fallbacks(notice):
    import zipfile

    with zipfile.ZipFile(io.BytesIO(build("official_text", notice, "docx"))) as package:
        table = package.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in table and 'w:altName w:val="FangSong"' in table


def test_official_text_needs_a_registration(civil_affairs):
    draft = NormativeDocument.objects.create(organisation=civil_affairs, title="草稿")
    with pytest.raises(MissingRecord, match="尚未登记编号"):
        build("official_text", draft, "pdf")


def test_a_date_is_written_in_arabic_numerals_without_zero_padding():
    assert L.cn_date(D(2020, 5, 8)) == "2020年5月8日"
    assert L.cn_date(D(2020, 12, 31)) == "2020年12月31日"


# --- 合法性审核意见书 ----------------------------------------------------------------


def test_legality_opinion_lists_every_checklist_item_with_its_finding(notice):
    for fmt in ("pdf", "docx"):
        data = build("legality_opinion", notice, fmt)
        text = squash(pdf_text(data) if fmt == "pdf" else docx_text(data))
        assert "合法性审核意见书" in text
        for _key, label in CHECKLIST_ITEMS:
            assert squash(str(label))[:10] in text, (fmt, label)
        assert "存在问题" in text and "第七条限定服务机构" in text
        assert "审核结论：应当予以修改" in text
        assert "王审核" in text and "李顾问" in text and "同意审核意见" in text
        assert notice.registration.version.sha256 in text
        assert "2020年4月1日" in text and "2020年4月22日" in text and "2020年4月15日" in text


def test_legality_opinion_docx_table_has_a_row_per_item(notice):
    tables = docx_tables(build("legality_opinion", notice, "docx"))
    checklist = tables[1]
    assert checklist[0] == ["序号", "审核事项", "审核结果", "说明"]
    assert len(checklist) == 1 + len(CHECKLIST_ITEMS)
    assert checklist[8] == ["8", "是否排除、限制公平竞争", "存在问题", "第七条限定服务机构，应删除"]


def test_legality_opinion_without_a_review_is_refused(civil_affairs):
    doc = published(civil_affairs, "未审核的文件", D(2020, 5, 9))
    with pytest.raises(MissingRecord, match="尚无合法性审核记录"):
        build("legality_opinion", doc, "docx")


# --- 征求意见及采纳情况说明 -----------------------------------------------------------


def test_comment_summary_gives_the_period_channel_working_days_and_counts(notice):
    text = squash(pdf_text(build("comment_summary", notice, "pdf")))
    assert "2020年3月2日至2020年3月10日" in text
    assert "安康市民政局门户网站" in text
    assert "为期8日（6个工作日）" in text  # 3-3..3-10 (民法典 art. 201): two weekend days
    assert (
        "共收到意见4条，其中采纳1条、部分采纳1条、不采纳1条，尚未答复1条；另有垃圾信息1条，未计入。"
        in text
    )


def test_comment_summary_lists_each_comment_with_its_response_and_reason(notice):
    rows = docx_tables(build("comment_summary", notice, "docx"))[0]
    assert rows[0] == ["序号", "条款", "提出方", "意见内容", "采纳情况", "理由"]
    assert rows[1] == [
        "1",
        "第5条",
        "个人",
        "建议明确低保审核时限",
        "采纳",
        "已在第五条明确为20个工作日。",
    ]
    assert [r[4] for r in rows[1:]] == ["采纳", "部分采纳", "不采纳", "未答复"]


def test_comment_summary_prints_no_personal_details_or_hidden_text(notice):
    text = docx_text(build("comment_summary", notice, "docx")) + pdf_text(
        build("comment_summary", notice, "pdf")
    )
    assert "13800000000" not in text and "张三" not in text and "广告" not in text
    assert "不予公开：含个人信息" in squash(text)


# --- 备案报告 -------------------------------------------------------------------------


def test_filing_report_lists_the_materials_and_whether_each_is_attached(notice):
    rows = docx_tables(build("filing_report", notice, "docx"))[0]
    assert rows == [
        ["序号", "材料名称", "是否附送"],
        ["1", "备案报告", "已附"],
        ["2", "正式文本", "已附"],
        ["3", "起草说明", "已附"],
        ["4", "制定依据", "未附"],
        ["5", "合法性审核意见", "已附"],
    ]


def test_filing_report_addresses_the_authority_with_the_number_and_dates(notice):
    text = squash(pdf_text(build("filing_report", notice, "pdf")))
    assert f"关于报送《{TITLE}》备案的报告" in text
    assert "安康市司法局：" in text
    assert "安民发〔2020〕5号" in text
    assert (
        "2020年5月8日成文，2020年5月9日在安康市民政局门户网站公布，自2020年6月8日起施行，有效期至2025年6月7日"
        in text
    )
    assert "本件于2020年6月1日报送，报送期限为2020年6月8日，属按期报送。" in text
    assert "尚未附送：制定依据。" in text


def test_filing_report_before_filing_checks_the_materials_on_file(civil_affairs):
    doc = published(civil_affairs, "尚未报备的文件", D(2020, 5, 9))
    rows = docx_tables(build("filing_report", doc, "docx"))[0]
    assert dict((r[1], r[2]) for r in rows[1:]) == {
        "备案报告": "已附",
        "正式文本": "已附",
        "起草说明": "未附",
        "制定依据": "未附",
        "合法性审核意见": "未附",
    }


# --- 备案审查意见 / 审查建议书 -------------------------------------------------------------


def test_review_opinion_with_a_correction_is_a_suggestion_with_a_deadline(notice):
    text = squash(pdf_text(build("review_opinion", notice, "pdf")))
    assert "审查建议书" in text
    assert "安康市民政局：" in text
    # the registration decision and the review's conclusion, apart (备案条例 art. 7, 14)
    assert "备案登记予以备案登记（2020年6月20日）" in text
    assert "审查结论提出审查意见。" in text
    assert "不予备案登记" not in text
    assert "第七条违反公平竞争审查规定" in text
    assert "第五条增设的证明事项没有法律依据，应予删除。" in text
    assert "请于2020年7月20日前自行纠正" in text
    assert "安康市司法局2020年6月20日" in text  # signed by the authority on the decision date


def test_review_opinion_docx_has_the_review_items(notice):
    rows = docx_tables(build("review_opinion", notice, "docx"))[0]
    assert rows[1][1:3] == ["制定主体是否合法", "未发现问题"]
    assert rows[3][1:4] == ["是否违反上位法", "存在问题", "第七条违反公平竞争审查规定"]
    assert rows[2][2] == "未审查"


def test_review_opinion_without_a_filing_is_refused(civil_affairs):
    doc = published(civil_affairs, "尚未报备的文件", D(2020, 5, 9))
    with pytest.raises(MissingRecord, match="尚未报送备案"):
        build("review_opinion", doc, "pdf")


# --- 有效规范性文件目录 ---------------------------------------------------------------------


@pytest.fixture
def catalogue(civil_affairs, county):
    return {
        "in_force": published(
            civil_affairs,
            "在有效期内的文件",
            D(2020, 1, 6),
            effective_from=D(2020, 2, 6),
            valid_until=D(2025, 2, 5),
        ),
        "no_end": published(
            civil_affairs, "未规定有效期的文件", D(2019, 3, 1), effective_from=D(2019, 4, 1)
        ),
        "expires_that_day": published(
            civil_affairs,
            "当日到期的文件",
            D(2015, 12, 1),
            effective_from=D(2015, 12, 31),
            valid_until=D(2020, 12, 31),
        ),
        "expired": published(
            civil_affairs,
            "已过有效期的文件",
            D(2015, 1, 1),
            effective_from=D(2015, 2, 1),
            valid_until=D(2020, 1, 31),
        ),
        "not_yet": published(
            civil_affairs, "尚未施行的文件", D(2020, 12, 20), effective_from=D(2021, 1, 20)
        ),
        "repealed": published(
            civil_affairs,
            "已废止的文件",
            D(2018, 1, 1),
            effective_from=D(2018, 2, 1),
            state=State.REPEALED,
        ),
        "county": published(county, "区局的文件", D(2020, 3, 1), effective_from=D(2020, 4, 1)),
    }


def test_valid_catalogue_lists_what_is_in_force_on_the_date(catalogue):
    data = build("valid_catalogue", {"date": D(2020, 12, 31)}, "docx")
    tables = docx_tables(data)
    # one table per body, in order of code, each by date of publication
    assert [[row[1] for row in table[1:]] for table in tables] == [
        ["当日到期的文件", "未规定有效期的文件", "在有效期内的文件"],
        ["区局的文件"],
    ]
    assert tables[0][0] == [
        "序号",
        "文件名称",
        "发文字号",
        "登记号",
        "公布日期",
        "施行日期",
        "有效期至",
    ]
    text = docx_text(data)
    assert "（一）安康市民政局" in text and "（二）汉滨区民政局" in text and "共4件。" in text


def test_valid_catalogue_on_an_earlier_date_leaves_out_what_was_not_yet_in_force(catalogue):
    rows = docx_tables(build("valid_catalogue", {"date": D(2020, 2, 5)}, "docx"))[0]
    assert "在有效期内的文件" not in [row[1] for row in rows]  # 施行 2020-02-06
    assert "已过有效期的文件" not in [row[1] for row in rows]  # valid until 2020-01-31
    assert "当日到期的文件" in [row[1] for row in rows]


def test_valid_catalogue_for_one_body_gives_number_dates_and_validity(catalogue, civil_affairs):
    rows = docx_tables(
        build("valid_catalogue", {"date": D(2020, 12, 31), "organisation": civil_affairs}, "docx")
    )[0]
    in_force = next(row for row in rows if row[1] == "在有效期内的文件")
    number = catalogue["in_force"].registration
    assert in_force[2:] == [
        number.number,
        number.reg_number,
        "2020-01-06",
        "2020-02-06",
        "2025-02-05",
    ]
    assert next(row for row in rows if row[1] == "未规定有效期的文件")[-1] == "未规定"
    assert len(rows) == 1 + 3


def test_valid_catalogue_pdf_counts_the_documents(catalogue):
    text = squash(pdf_text(build("valid_catalogue", D(2020, 12, 31), "pdf")))
    assert "有效规范性文件目录" in text and "截至2020年12月31日" in text and "共4件。" in text


# --- build() and the command ------------------------------------------------------------


def built_at(moment, kind, obj, fmt):
    """Build with the clock at `moment`: zip entries and PDF dates must not follow it."""
    with time_machine.travel(moment, tick=False):
        return build(kind, obj, fmt)


def test_every_output_is_byte_identical_when_built_twice_at_different_times(notice, catalogue):
    kinds = [
        "legality_opinion",
        "comment_summary",
        "official_text",
        "filing_report",
        "review_opinion",
    ]
    for kind in kinds:
        for fmt in ("pdf", "docx"):
            first = built_at(
                datetime.datetime(2021, 1, 1, 8, tzinfo=datetime.UTC), kind, notice, fmt
            )
            second = built_at(
                datetime.datetime(2022, 6, 30, 17, tzinfo=datetime.UTC), kind, notice, fmt
            )
            assert first == second, (kind, fmt)
    for fmt in ("pdf", "docx"):
        day = D(2020, 12, 31)
        first = built_at(
            datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC), "valid_catalogue", day, fmt
        )
        second = built_at(
            datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC), "valid_catalogue", day, fmt
        )
        assert first == second, fmt


def test_build_refuses_an_unknown_kind_or_format(notice):
    with pytest.raises(ValueError, match="未知的文书类型"):
        build("memo", notice, "pdf")
    with pytest.raises(ValueError, match="不支持"):
        build("official_text", notice, "csv")


def test_build_output_command_writes_the_file(notice, tmp_path):
    out = io.StringIO()
    path = tmp_path / "正式文本.docx"
    call_command(
        "build_output",
        "official_text",
        str(notice.pk),
        "--format",
        "docx",
        "--output",
        str(path),
        stdout=out,
    )
    assert "安康市民政局文件" in docx_text(path.read_bytes())
    assert str(path) in out.getvalue()


def test_build_output_command_builds_the_catalogue_for_a_date(catalogue, tmp_path):
    path = tmp_path / "目录.pdf"
    call_command(
        "build_output",
        "valid_catalogue",
        "--date",
        "2020-12-31",
        "--org",
        "akmz",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    assert "共3件。" in squash(pdf_text(path.read_bytes()))


def test_build_output_command_explains_a_missing_step(civil_affairs, tmp_path):
    draft = NormativeDocument.objects.create(organisation=civil_affairs, title="草稿")
    with pytest.raises(CommandError, match="尚未登记编号"):
        call_command(
            "build_output",
            "official_text",
            str(draft.pk),
            "--output",
            str(tmp_path / "x.pdf"),
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="--date"):
        call_command(
            "build_output",
            "valid_catalogue",
            "--output",
            str(tmp_path / "x.pdf"),
            stdout=io.StringIO(),
        )
