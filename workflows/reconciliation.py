"""A reconciliation finding closed by 限期报送 (issue 18): the demand is taken on
the finding's document as any 限期报送 is (`filing.demand_filing`, which moves the
clerk's filing task), then the finding follows it; 通报 is the document's own."""

from django.db import transaction
from django.utils.translation import gettext as _

from review import actions
from review.errors import Refused

from . import filing


def demand(finding, by, note=""):
    """限期报送 for a finding whose document is published and not filed in time."""
    if finding.document_id is None:
        raise Refused(_("该问题没有对应的文件：请先补登记，再限期报送"))
    with transaction.atomic():
        demand = filing.demand_filing(finding.document, by, note)
        return actions.record_finding_demand(finding, demand, by=by, on=demand.issued_on)


def notify(finding, by, note=""):
    """通报: the demand's deadline passed and the body has still not filed."""
    if finding.demand_id is None:
        raise Refused(_("该问题尚未限期报送，不能通报"))
    return filing.notify_late_filing(finding.document, by, note)
