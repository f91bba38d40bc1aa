"""The end of a document's validity, recorded by the registrar from the document page
(domain-rules §8): 废止 (by a decision with its 文号), 修改 (by which document),
宣布失效. Another organisation's document: 404; not the issuing body's registrar: 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from review import actions
from review.models import Role, has_role
from review.states import IN_FORCE_STATES

from .. import end_forms
from .common import apply_posted, login_required, visible_documents

PREFIXES = {"repeal": "repeal", "mark_amended": "amend", "declare_invalid": "invalid"}
FORMS = {
    "repeal": end_forms.RepealForm,
    "mark_amended": end_forms.AmendForm,
    "declare_invalid": end_forms.DeclareInvalidForm,
}


def end_forms_for(document, user):
    """The unbound forms the document page shows: only to the issuing body's registrar,
    only while the document is in force."""
    if document.state not in IN_FORCE_STATES:
        return {}
    if not has_role(user, document.organisation_id, Role.REGISTRAR):
        return {}
    return {
        f"{prefix}_form": FORMS[name](document=document, prefix=prefix)
        for name, prefix in PREFIXES.items()
    }


def _end(request, pk, name, call, success):
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    if not has_role(request.user, document.organisation_id, Role.REGISTRAR):
        raise PermissionDenied
    form = FORMS[name](request.POST, document=document, prefix=PREFIXES[name])
    apply_posted(request, form, call, document, success)
    return redirect(reverse("desk:document", args=[document.pk]))


@login_required
@require_POST
def repeal(request, pk):
    def call(document, data):
        actions.repeal(
            document,
            by=request.user,
            reason=data["reason"],
            repealed_by=data["repealed_by"],
            decision_number=data["decision_number"],
            ended_on=data["ended_on"],
        )

    return _end(request, pk, "repeal", call, _("已记录废止"))


@login_required
@require_POST
def amend(request, pk):
    def call(document, data):
        actions.mark_amended(
            document,
            by=request.user,
            amended_by=data["amended_by"],
            note=data["note"],
            ended_on=data["ended_on"],
        )

    return _end(request, pk, "mark_amended", call, _("已记录修改"))


@login_required
@require_POST
def declare_invalid(request, pk):
    def call(document, data):
        actions.declare_invalid(
            document,
            by=request.user,
            decision_number=data["decision_number"],
            reason=data["reason"],
            ended_on=data["ended_on"],
        )

    return _end(request, pk, "declare_invalid", call, _("已记录宣布失效"))
