"""The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE).

The login form again, with the locked username and the time it unlocks, for the
site's login and the admin's alike (both post back to the page they came from)."""

import datetime

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def unlocks_at(username, limit, cool_off):
    """When `username` can log in again without an administrator.

    axes counts, for a username, the failures of its attempt rows (one per address
    and browser) whose last failure lies within the cool-off. Going back from the
    newest row, the lock holds until the cool-off has passed since the row at which
    the failures add up to the limit."""
    failures = 0
    rows = AccessAttempt.objects.filter(username=username).order_by("-attempt_time")
    for attempt_time, count in rows.values_list("attempt_time", "failures_since_start"):
        failures += count
        if failures >= limit:
            return attempt_time + cool_off
    return None


def next_minute(moment):
    """The minute shown: never one at which the account is still locked."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + datetime.timedelta(minutes=1)


def lockout_response(request, original_response=None, credentials=None):
    username = get_client_username(request, credentials) or ""
    limit = get_failure_limit(request, credentials)
    until = unlocks_at(username, limit, get_cool_off(request))
    if until is None:  # unlocked between the refusal and this page: say it plainly
        message = _("登录尝试过多，请稍后再试。")
    else:
        message = _(
            "账号“%(username)s”因连续 %(limit)s 次密码错误已被锁定，将于 %(until)s 自动解锁。"
            "如需提前解锁，请联系安全管理员。"
        ) % {
            "username": username,
            "limit": limit,
            "until": date_format(timezone.localtime(next_minute(until)), "Y-m-d H:i"),
        }
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "lockout": message,
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    # 429 Too Many Requests: axes' own status for a lockout.
    return render(request, "registration/login.html", context, status=429)
