"""The demo's reconciliation (issue 18, docs/reconciliation.md): the city bureau's
2020 发文登记簿 and published list, as its 公文 system and website would export
them, reconciled by the 司法局's reviewer so that the page has findings to show.

The 登记簿 is the bureau's registered 2020 documents (some 文号 written as a 公文
system writes them: full-width digits, square brackets) plus what the register
never saw: a 办法 issued and published but never registered, a 会议纪要 and a
请示 (not normative: not flagged) and one 秘密 row (skipped unread). A registered
document never published, if the demo has one, is closed (不属于规范性文件)."""

import csv
import datetime
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from . import reconciliation
from .actions.reconciliation import dismiss_finding
from .models import Organisation, Publication, ReconciliationRun, Registration

BODY, YEAR, REVIEWER = "akmz", 2020, "sfj_reviewer"
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _rows(org):
    registrations = list(
        Registration.objects.filter(document__organisation=org, signed_on__year=YEAR)
        .select_related("document")
        .order_by("signed_on", "pk")
    )
    issued = []
    for n, reg in enumerate(registrations):
        number = reg.number
        if n % 3 == 1:
            number = number.translate(FULL_WIDTH)
        elif n % 3 == 2:
            number = number.replace("〔", "[").replace("〕", "]")
        issued.append([number, reg.document.title, reg.signed_on.isoformat(), ""])
    top = registrations[0].number_prefix if registrations else org.issuing_code
    last = (
        Registration.objects.filter(number_prefix=top, number_year=YEAR).aggregate(
            m=Max("number_serial")
        )["m"]
        or 0
    )
    extra = [
        (f"{top}〔{YEAR}〕{last + 50}号", "安康市困难群众临时救助资金管理办法", "2020-09-10", ""),
        (f"{top}〔{YEAR}〕{last + 51}号", "安康市民政局2020年第5次局务会议纪要", "2020-10-20", ""),
        (f"{top}〔{YEAR}〕{last + 52}号", "关于申请2020年救灾资金的请示", "2020-10-22", ""),
        (f"{top}〔{YEAR}〕{last + 53}号", "（涉密文件，演示中不读取）", "2020-11-02", "秘密"),
    ]
    issued += [list(row) for row in extra]
    published = [
        [p.document.title, p.published_on.isoformat(), p.url or ""]
        for p in Publication.objects.filter(
            document__organisation=org, published_on__year=YEAR
        ).select_related("document")
    ]
    published.append(
        ["安康市困难群众临时救助资金管理办法", "2020-09-15", "http://mzj.ankang.gov.cn/demo"]
    )
    return issued, published


def _write(path, header, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def seed(created, skipped):
    """Reconcile the bureau's 2020 lists once; `created`/`skipped` report a line each."""
    org = Organisation.objects.filter(code=BODY).first()
    reviewer = get_user_model().objects.filter(username=REVIEWER).first()
    if org is None or reviewer is None:
        return
    if ReconciliationRun.objects.filter(organisation=org, year=YEAR).exists():
        skipped(f"发文核对 {org.short_name} {YEAR}")
        return
    issued, published = _rows(org)
    with tempfile.TemporaryDirectory(prefix="guifan-demo-") as folder:
        issued_path = _write(
            Path(folder) / "发文登记簿-2020.csv", ["文号", "标题", "成文日期", "密级"], issued
        )
        published_path = _write(
            Path(folder) / "公布清单-2020.csv", ["标题", "公布日期", "URL"], published
        )
        today = max(timezone.localdate(), datetime.date(YEAR + 1, 1, 10))
        run, findings = reconciliation.reconcile(
            org, YEAR, issued_path, published_path, by=reviewer, today=today
        )
    for finding in findings:
        if finding.kind == "unpublished" and finding.is_open:
            dismiss_finding(
                finding, by=reviewer, reason="经核实，该文件已决定不再公布，按程序撤回（演示）"
            )
            break
    created(
        f"发文核对 {org.short_name} {YEAR}：问题 {len(findings)} 项，跳过涉密行 {run.skipped_classified} 行"
    )
