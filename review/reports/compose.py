"""Compose each output's blocks from its data, once for every format.

The words are here; the page is in `layout`; the PDF and DOCX renderers only
place blocks. A function per document, taking the dataclass from `data`.
"""

import re

from . import data as D
from . import layout as L
from .consultations import add_consultations

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n):
    """1 → 一, 12 → 十二, 21 → 二十一 (for headings 一、二、)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[units] if units else "")


def headings():
    n = 0

    def next_heading(text):
        nonlocal n
        n += 1
        return L.Heading(f"{cn_number(n)}、{text}", 1)

    return next_heading


def check_result(ok):
    return {True: "未发现问题", False: "存在问题", None: "未审查"}[ok]


def paragraphs(text, indent=True):
    return [
        L.Para(line.strip(), indent=indent) for line in (text or "").splitlines() if line.strip()
    ]


# --- the published text: lines become headings by their numbering ----------

CHAPTER = re.compile(r"^第[一二三四五六七八九十百零]+章")
LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


def _is_short_heading(line):
    # "一、总体要求" is a heading; "一、各地要……。" is a numbered paragraph.
    return len(line) <= 30 and not re.search(r"[。；;]", line[:-1])


def body_blocks(text, title=""):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if lines and lines[0] == title.strip():
        lines = lines[1:]  # the text repeats its title
    blocks = []
    for n, line in enumerate(lines):
        if n == 0 and line.endswith("：") and len(line) <= 60 and not LEVEL1.match(line):
            blocks.append(L.Addressee(line))  # 主送机关
        elif CHAPTER.match(line) and _is_short_heading(line):
            blocks.append(L.Heading(line, 0))
        elif LEVEL1.match(line) and _is_short_heading(line):
            blocks.append(L.Heading(line, 1))
        elif LEVEL2.match(line) and _is_short_heading(line):
            blocks.append(L.Heading(line, 2))
        else:
            blocks.append(L.Para(line))
    return blocks


# --- 1 ---------------------------------------------------------------------


def legality_opinion(d: D.LegalityOpinion) -> L.Document:
    doc = L.Document(
        title=f"合法性审核意见书：{d.title}",
        author=d.organisation,
        subject=f"送审稿第{d.version_number}稿 SHA-256 {d.version_sha256}",
        date=d.completed_on or d.received_on,
    )
    h = headings()
    facts = [
        ("送审文件", f"《{d.title}》"),
        ("制定机关", d.organisation),
        ("起草单位", d.drafting_unit or "—"),
        ("送审稿", f"第{d.version_number}稿"),
        ("送审稿 SHA-256", d.version_sha256),
        ("收件日期", L.cn_date(d.received_on)),
        ("审核期限", L.cn_deadline(d.due_on)),
        ("办结日期", L.cn_date(d.completed_on) or "尚未办结"),
        ("审核人", d.reviewer or "—"),
    ]
    if d.urgent_reason:
        facts.append(("紧急情况说明", d.urgent_reason))
    doc.add(
        L.Title("合法性审核意见书"),
        L.Table([L.Column("项目", 1), L.Column("内容", 3)], [list(f) for f in facts], size=12),
        h("审核要点"),
        L.Table(
            [
                L.Column("序号", 0.8, "centre"),
                L.Column("审核事项", 4),
                L.Column("审核结果", 1.4, "centre"),
                L.Column("说明", 3),
            ],
            [
                [str(i), line.label, check_result(line.ok), line.note]
                for i, line in enumerate(d.checklist, 1)
            ],
            size=12,
        ),
        h("审核结论"),
        L.Para(f"审核结论：{d.outcome_label}。"),
        *paragraphs(d.opinion),
        h("法律顾问意见"),
    )
    if not d.advisors:
        doc.add(L.Para("无。"))
    for a in d.advisors:
        version = f"所签为第{a.version_number}稿" + ("" if a.same_version else "，与送审稿不一致")
        agrees = "同意" if a.agrees else "不同意"
        doc.add(
            L.Para(
                f"法律顾问{a.advisor}（{agrees}审核意见，{L.cn_date(a.signed_on)}签署，{version}）："
            )
        )
        doc.add(*paragraphs(a.opinion))
    add_consultations(doc, h, d.consultations)
    _article_notes(doc, h, d.notes)
    doc.add(L.Signature(d.organisation, L.cn_date(d.completed_on)))
    return doc


def _article_notes(doc, h, notes):
    """条文批注: what the reviewers noted against single articles of the reviewed text."""
    if not notes:
        return
    doc.add(
        h("条文批注"),
        L.Table(
            [
                L.Column("条文", 1.4, "centre"),
                L.Column("批注", 5),
                L.Column("批注人", 1.4, "centre"),
                L.Column("日期", 1.6, "centre"),
            ],
            [[n.article, n.text, n.author, L.cn_date(n.noted_on)] for n in notes],
            size=12,
        ),
    )


# --- 2 ---------------------------------------------------------------------


def comment_summary(d: D.CommentSummary) -> L.Document:
    doc = L.Document(
        title=f"《{d.title}》征求意见及采纳情况说明", author=d.organisation, date=d.dated
    )
    doc.add(L.Title(f"关于《{d.title}》征求意见及采纳情况的说明"))
    h = headings()
    for n, p in enumerate(d.periods, 1):
        if len(d.periods) > 1:
            doc.add(h(f"第{n}次征求意见"))
        length = f"为期{p.calendar_days}日"
        length += (
            f"（{p.working_days}个工作日）"
            if p.working_days is not None
            else "（节假日安排缺失，工作日数未能计算）"
        )
        text = f"{L.cn_date(p.opens_on)}至{L.cn_date(p.closes_on)}，通过{p.channel}公开征求意见，{length}。"
        if p.urgent_reason:
            text += f"因{p.urgent_reason.rstrip('。')}，期限缩短。"
        doc.add(L.Para(text))
        c = p.counts
        text = (
            f"共收到意见{c['received']}条，其中采纳{c['adopted']}条、部分采纳{c['partly']}条、"
            f"不采纳{c['not_adopted']}条"
        )
        text += f"，尚未答复{c['unanswered']}条" if c["unanswered"] else ""
        text += f"；另有垃圾信息{c['spam']}条，未计入。" if c["spam"] else "。"
        doc.add(L.Para(text), *paragraphs(p.summary))
        if p.comments:
            doc.add(
                L.Table(
                    [
                        L.Column("序号", 0.7, "centre"),
                        L.Column("条款", 1, "centre"),
                        L.Column("提出方", 1.2),
                        L.Column("意见内容", 4),
                        L.Column("采纳情况", 1.1, "centre"),
                        L.Column("理由", 3),
                    ],
                    [
                        [
                            str(i),
                            f"第{x.article}条" if x.article else "总体",
                            x.author,
                            x.text,
                            x.response_label,
                            x.reason,
                        ]
                        for i, x in enumerate(p.comments, 1)
                    ],
                )
            )
        else:
            doc.add(L.Para("征求意见期间未收到意见。"))
    doc.add(L.Signature(d.organisation, L.cn_date(d.dated)))
    return doc


# --- 3 ---------------------------------------------------------------------


def official_text(d: D.OfficialText) -> L.Document:
    doc = L.Document(
        title=d.title,
        author=d.organisation,
        subject=f"{d.number}（登记号 {d.reg_number}）；第{d.version_number}稿 SHA-256 {d.version_sha256}",
        date=d.signed_on,
    )
    doc.add(L.Masthead(d.issuer_mark, d.number), L.Title(d.title), *body_blocks(d.body, d.title))
    doc.add(L.Signature(d.organisation, L.cn_date(d.signed_on)))
    if d.reg_number:
        # 三统一: the 登记号 is printed on the text, whoever allocated the 发文字号.
        doc.add(L.Para(f"统一登记号：{d.reg_number}", indent=False))
    doc.add(L.Colophon(d.cc, d.printer, L.cn_date(d.printed_on)))
    return doc


# --- 4 ---------------------------------------------------------------------


def _report_body(text, authority, organisation):
    """The clerk's 备案报告 without its own addressee and signature lines."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if (
        lines
        and lines[0].endswith("：")
        and (not authority or lines[0].startswith(authority) or len(lines[0]) <= 40)
    ):
        lines = lines[1:]
    if lines and lines[-1] == organisation:
        lines = lines[:-1]
    return [L.Para(line) for line in lines]


def filing_report(d: D.FilingReport) -> L.Document:
    doc = L.Document(
        title=f"关于报送《{d.title}》备案的报告", author=d.organisation, date=d.filed_on
    )
    doc.add(L.Title(f"关于报送《{d.title}》备案的报告"), L.Addressee(f"{d.authority}："))
    body = _report_body(d.report_text, d.authority, d.organisation)
    if not body:
        body = [
            L.Para(
                f"根据《法规规章备案条例》和有关规定，现将《{d.title}》（{d.number}）报送备案，请予审查。"
            )
        ]
    doc.add(*body)
    facts = f"该文件于{L.cn_date(d.signed_on)}成文，{L.cn_date(d.published_on)}在{d.channel}公布"
    if d.effective_from:
        facts += f"，自{L.cn_date(d.effective_from)}起施行"
    if d.valid_until:
        facts += f"，有效期至{L.cn_date(d.valid_until)}"
    facts += f"；统一登记号{d.reg_number}。"
    doc.add(L.Para(facts))
    if d.filed_on:
        timing = "按期" if d.on_time else "逾期"
        kind = "补报" if d.resubmission else "报送"
        doc.add(
            L.Para(
                f"本件于{L.cn_date(d.filed_on)}{kind}，报送期限为{L.cn_deadline(d.due_on)}，属{timing}报送。"
            )
        )
    doc.add(
        L.Para("附件：备案材料清单"),
        L.Table(
            [
                L.Column("序号", 0.8, "centre"),
                L.Column("材料名称", 3),
                L.Column("是否附送", 1.2, "centre"),
            ],
            [
                [str(i), m.label, "已附" if m.attached else "未附"]
                for i, m in enumerate(d.materials, 1)
            ],
            size=12,
        ),
    )
    missing = [m.label for m in d.materials if not m.attached]
    if missing:
        doc.add(L.Para("尚未附送：" + "、".join(missing) + "。"))
    doc.add(L.Signature(d.organisation, L.cn_date(d.filed_on)))
    return doc


# --- 5 ---------------------------------------------------------------------


def review_opinion(d: D.ReviewOpinion) -> L.Document:
    """审查意见书: the registration decision (备案条例 art. 7) and the review's
    conclusion (art. 10, 14) apart; with a 审查意见 it is a 审查建议书."""
    heading = "审查建议书" if d.corrections else "审查意见书"
    day = d.concluded_on or d.decided_on
    doc = L.Document(title=f"{heading}：{d.title}", author=d.authority, date=day)
    h = headings()
    number = "，".join(x for x in (d.number, f"登记号{d.reg_number}" if d.reg_number else "") if x)
    opening = f"你单位{L.cn_date(d.filed_on)}报送备案的《{d.title}》" + (
        f"（{number}）" if number else ""
    )
    opening += f"，我机关于{L.cn_date(d.received_on)}收悉，审查期限至{L.cn_deadline(d.due_on)}"
    opening += "（已依法延长）" if d.extended else ""
    opening += "。经审查，意见如下："
    formal = {
        True: "备案材料齐全、符合要求",
        False: "备案材料不齐全或不符合要求",
        None: "尚未进行形式审查",
    }[d.formal_ok]
    doc.add(
        L.Title(heading),
        L.Addressee(f"{d.organisation}："),
        L.Para(opening),
        h("备案登记"),
        L.Para(
            f"{d.outcome_label}"
            + (f"（{L.cn_date(d.decided_on)}）" if d.decided_on else "")
            + f"。形式审查：{formal}。"
        ),
        h("审查结论"),
        L.Para(f"{d.conclusion_label}。"),
        h("审查情况"),
        L.Table(
            [
                L.Column("序号", 0.8, "centre"),
                L.Column("审查事项", 3),
                L.Column("审查结果", 1.4, "centre"),
                L.Column("说明", 3.5),
            ],
            [[str(i), x.label, check_result(x.ok), x.note] for i, x in enumerate(d.items, 1)],
            size=12,
        ),
        *paragraphs(d.findings),
    )
    if d.to_supply:
        doc.add(L.Para(f"请补充报送：{d.to_supply}"))
    if d.corrections:
        doc.add(h("审查建议"))
        for c in d.corrections:
            doc.add(*paragraphs(c.suggestion))
            doc.add(
                L.Para(
                    f"请于{L.cn_deadline(c.deadline)}前自行纠正，并将处理情况书面报告我机关"
                    "（《法规规章备案条例》第十七条）。逾期不纠正的，依法予以撤销、改变或者通报"
                    "（第二十条）。"
                )
            )
            if c.reported_on:
                doc.add(L.Para(f"{L.cn_date(c.reported_on)}收到处理情况报告：{c.handling_report}"))
            if c.closed_on:
                doc.add(L.Para(f"已于{L.cn_date(c.closed_on)}复核结案。"))
    add_consultations(doc, h, d.consultations)
    doc.add(L.Signature(d.authority, L.cn_date(day)))
    return doc
