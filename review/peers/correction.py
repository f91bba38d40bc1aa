"""The correction report going up again (备案条例 art. 17): the body reports its handling
of the 审查意见 with the revised text or its 废止 decision; the authority's copy takes
the report through `report_correction`, as the peer's service user, and the
authority's 复核 comes back in the next decision package."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ..actions import correction as correction_actions
from .common import Direction, Kind, Status
from .filing import received_copy
from .package import PackageRefused


def receive(pkg, peer, today):
    payload = pkg.payload
    document = received_copy(peer, payload.get("remote_id", ""))
    if document is None:
        raise PackageRefused(_("本机关未收到过该文件的报送，不能接收其纠正情况报告"))
    filed = (
        document.exchanges.filter(
            direction=Direction.RECEIVED, kind=Kind.FILING, status=Status.ACCEPTED
        )
        .order_by("-at", "-pk")
        .first()
    )
    if filed.idempotency_key != payload.get("filing_key"):
        raise PackageRefused(_("该纠正情况报告所对应的报送不是本机关最近一次收到的报送"))
    text_file = payload.get("text_file") or ""
    data = pkg.files.get(text_file) if text_file else None
    if text_file and data is None:
        raise PackageRefused(_("包中缺少纠正后的文本"))
    is_text = text_file.endswith(".txt")
    correction_actions.report_correction(
        document,
        by=peer.service_user,
        handling_report=payload.get("handling_report", ""),
        text=data.decode("utf-8") if data is not None and is_text else None,
        upload=SimpleUploadedFile(text_file.split("-", 1)[-1], data)
        if data is not None and not is_text
        else None,
        repeal_number=payload.get("repeal_number", ""),
        repealed_on=parse_date(payload.get("repealed_on") or ""),
        on=today,
    )
    return document, payload["remote_id"]
