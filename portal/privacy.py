"""The portal's personal-information pages (个人信息保护法 art. 13, 17, 45, 47): the
notice, and a citizen's request by receipt number to see or erase the contact given.

A request needs the receipt AND the contact given with it: a wrong pair gets the same
answer whether the receipt exists, has a contact or not, and nothing is written.
Requests are counted like submissions (portal.ratelimit)."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from review import comments
from review.comments.privacy import matches
from review.models import Comment

from . import ratelimit, views


@require_GET
def privacy(request):
    return render(request, "public/privacy.html", {"retention_days": comments.retention_days()})


@never_cache
@require_POST
def request_data(request, code):
    """`action=see`: show what is stored about the sender; `action=erase`: erase it."""
    wait = ratelimit.check_comment(ratelimit.client_address(request), "privacy")
    if wait:
        response = render(request, "public/ratelimited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    code = (code or "").strip().upper()
    contact = request.POST.get("contact", "")
    extra = {}
    status = 200
    if request.POST.get("action") == "erase":
        if comments.erase_on_request(code, contact):
            extra["privacy_message"] = _(
                "您的联系方式已删除（以个人名义提交的，姓名一并删除）。意见内容及答复保留。"
            )
        else:
            extra["privacy_error"] = _("回执号与联系方式不符，未作任何处理。")
            status = 400
    else:
        comment = Comment.objects.filter(receipt=code).first()
        if comment is not None and matches(comment, contact):
            extra["stored"] = comment
        else:
            extra["privacy_error"] = _("回执号与联系方式不符，未作任何处理。")
            status = 400
    return views.receipt_page(request, code, extra=extra, status=status)
