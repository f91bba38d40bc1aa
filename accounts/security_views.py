"""The security log's page (read-only, filtered, paged, CSV export) and the password
change page.

The log is for the audit administrator (Role.SECURITY_AUDITOR, 审计管理员, in any
organisation) and superusers; anyone else gets a 403."""

import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.sorting import Sorting
from review import security_log
from review.models import SecurityKind
from review.reports.spreadsheet import writer
from review.roles import roles_anywhere
from review.states import Role

from .security import log

PAGE_SIZE = 50


def may_read_log(user):
    return bool(user.is_superuser) or Role.SECURITY_AUDITOR in roles_anywhere(user)


class LogFilter(forms.Form):
    user = forms.CharField(label=gettext_lazy("用户名"), required=False, max_length=150)
    kind = forms.ChoiceField(
        label=gettext_lazy("事件"),
        required=False,
        choices=[("", gettext_lazy("全部"))] + list(SecurityKind.choices),
    )
    since = forms.DateField(label=gettext_lazy("起始日期"), required=False)
    until = forms.DateField(label=gettext_lazy("截止日期"), required=False)


def write_csv(entries, out):
    """Entries as CSV (formula cells escaped, review.reports.spreadsheet)."""
    rows = writer(out)
    rows.writerow(["时间", "事件", "用户", "地址", "请求编号", "详情"])
    for entry in entries.iterator():
        rows.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.get_kind_display(),
                entry.username,
                entry.address,
                entry.request_id,
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ]
        )


# The log's sortable columns (?sort=, desk.sorting); newest first.
LOG_SORT = {"at": ("at", "pk"), "kind": ("kind", "at", "pk"), "user": ("username", "at", "pk")}


@login_required
def security_log_page(request):
    if not may_read_log(request.user):
        raise PermissionDenied(_("只有审计管理员可以查看安全日志"))
    form = LogFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = security_log.filtered(**filters).select_related(None)
    if request.GET.get("format") == "csv":
        out = io.StringIO()
        write_csv(entries, out)
        log(
            SecurityKind.LOG_EXPORTED,
            request=request,
            filters={k: str(v) for k, v in filters.items() if v},
        )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"security-log-{timezone.localdate():%Y%m%d}.csv"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    sorting = Sorting(request, LOG_SORT, "-at")
    page = Paginator(sorting.apply(entries), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/security_log.html",
        {
            "form": form,
            "page": page,
            "sorting": sorting,
            "query": query.urlencode(),
            "kept_days": security_log.kept_days(),
        },
    )


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    success_url = reverse_lazy("desk:inbox")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("密码已修改"))
        return response


password = login_required(PasswordChange.as_view())
