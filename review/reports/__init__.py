"""The official outputs, as builders that take data and return bytes.

    build("official_text", document, "pdf") -> bytes
    build("valid_catalogue", {"date": day, "organisation": org}, "docx")   # also json, csv
    build("annual_catalogue", {"year": 2020, "organisation": org}, "json")  # 年度目录
    build("filing_audit", {"authority": "aksfj", "year": 2020, "today": day}, "json")

Each output is read by `data` (or `audit_report.compute`) into plain data,
composed into GB/T 9704 blocks by `compose`, and rendered by `pdf` or `docx`.
No request, no clock: the same data gives the same bytes.
"""

import datetime

from . import (
    audit_report,
    catalogue,
    compose,
    data,
    filing_notices,
    layout,
    suggestion_reply,
)

DOCUMENT_KINDS = {
    "legality_opinion": (data.legality_opinion, compose.legality_opinion),
    "comment_summary": (data.comment_summary, compose.comment_summary),
    "official_text": (data.official_text, compose.official_text),
    "filing_report": (data.filing_report, compose.filing_report),
    "review_opinion": (data.review_opinion, compose.review_opinion),
    **{kind: (read, blocks) for kind, (_l, read, blocks) in filing_notices.KINDS.items()},
}
KINDS = {
    "legality_opinion": "合法性审核意见书",
    "comment_summary": "征求意见及采纳情况说明",
    "official_text": "正式文本",
    "filing_report": "备案报告",
    "review_opinion": "审查意见书",
    **{kind: label for kind, (label, _r, _b) in filing_notices.KINDS.items()},
    "valid_catalogue": "有效规范性文件目录",
    "annual_catalogue": "年度规范性文件目录",
    "filing_audit": "年度备案审查工作报告",
}
FORMATS = {kind: ("pdf", "docx") for kind in KINDS} | {
    "filing_audit": ("pdf", "docx", "json", "csv"),
    "valid_catalogue": ("pdf", "docx", "json", "csv"),
    "annual_catalogue": ("pdf", "docx", "json", "csv"),
}
CATALOGUES = {"valid_catalogue", "annual_catalogue"}
MissingRecord = data.MissingRecord


def offered(document) -> list[str]:
    """The outputs a document's page offers: every one of its steps (one whose step has
    not happened yet says so when asked), and the filing authority's notices only once
    their decision exists."""
    notices = set(filing_notices.available(document))
    return [kind for kind in DOCUMENT_KINDS if kind not in filing_notices.KINDS or kind in notices]


def ready(document, kind, *, reviewed=None, consulted=None, filing_reviewed=None) -> bool:
    """Whether the step `kind` reports on has happened: the page links only these, and
    names the others as not yet possible (asked for anyway, `build` raises MissingRecord
    with the reason). A cheap check of the record `data` would read; a page that has
    loaded the records already says what it found (has a legality review, a comment
    period, a filing review), and None asks the database."""
    if kind == "legality_opinion":
        return document.legality_reviews.exists() if reviewed is None else reviewed
    if kind == "comment_summary":
        return document.comment_periods.exists() if consulted is None else consulted
    if kind == "official_text":
        return data.registration_of(document) is not None
    if kind == "filing_report":
        return data.registration_of(document) is not None and (
            data.publication_of(document) is not None
        )
    if kind == "review_opinion":
        return data.has_filing_review(document) if filing_reviewed is None else filing_reviewed
    return kind in DOCUMENT_KINDS


def render(document: layout.Document, fmt: str) -> bytes:
    if fmt == "pdf":
        from . import pdf

        return pdf.render(document)
    if fmt == "docx":
        from . import docx

        return docx.render(document)
    raise ValueError(f"不支持的格式：{fmt} (unsupported format).")


def build(kind: str, obj_or_params, fmt: str) -> bytes:
    if kind not in KINDS:
        raise ValueError(f"未知的文书类型：{kind}；可选：{'、'.join(KINDS)} (unknown kind).")
    if fmt not in FORMATS[kind]:
        raise ValueError(
            f"{KINDS[kind]}不支持 {fmt} 格式；可选：{'、'.join(FORMATS[kind])} (unsupported format)."
        )
    if kind == "filing_audit":
        params = obj_or_params or {}
        report = params if "data_hash" in params else audit_report.compute(**params)
        if fmt == "json":
            return audit_report.to_json(report)
        if fmt == "csv":
            return audit_report.to_csv(report)
        return render(audit_report.compose(report), fmt)
    if kind in CATALOGUES:
        return _catalogue(kind, obj_or_params, fmt)
    read, compose_blocks = DOCUMENT_KINDS[kind]
    return render(compose_blocks(read(obj_or_params)), fmt)


def build_suggestion_reply(suggestion, fmt: str) -> bytes:
    """审查建议答复书 (法规规章备案条例 art. 9), PDF or DOCX: a suggestion, not a document."""
    if fmt not in ("pdf", "docx"):
        raise ValueError(f"审查建议答复书不支持 {fmt} 格式 (unsupported format).")
    read = suggestion_reply.reply_letter(suggestion)
    return render(suggestion_reply.compose_reply(read), fmt)


def _catalogue(kind, params, fmt):
    """valid_catalogue: {"date", "organisation", "with_filers"} (or just the date);
    annual_catalogue: {"year", "organisation"}."""
    params = params if isinstance(params, dict) else {"date": params}
    if kind == "annual_catalogue":
        if not isinstance(params.get("year"), int) or params.get("organisation") is None:
            raise ValueError("年度目录须指定年度和单位 (annual_catalogue needs a year and a body).")
        read = catalogue.annual_catalogue(params["year"], params["organisation"])
    else:
        day = params.get("date")
        if not isinstance(day, datetime.date):
            raise ValueError("有效规范性文件目录须指定日期 (valid_catalogue needs a date).")
        read = catalogue.valid_catalogue(
            day, params.get("organisation"), params.get("with_filers", False)
        )
    if fmt == "json":
        return catalogue.to_json(read)
    if fmt == "csv":
        return catalogue.to_csv(read)
    return render(catalogue.compose(read), fmt)
