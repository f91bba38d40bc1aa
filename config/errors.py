"""The error pages: 403 (and a refused CSRF check), 404 and 500 in the site's layout,
saying what happened and linking back (to the page the user came from, if it is on
this site, else to the home page). No JavaScript: a Content-Security-Policy is coming."""

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _back(request):
    """The page the user came from, when it is on this site and is not this page."""
    referer = request.headers.get("referer", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not referer.endswith(request.get_full_path())
    ):
        return referer
    return ""


def _page(request, template, status_class, **context):
    context = {"back": _back(request), "home": reverse("desk:home"), **context}
    body = loader.get_template(template).render(context, request)
    return status_class(body)


def permission_denied(request, exception=None):
    """handler403: a role that may not do this. A message the view gave is shown (it
    names who may); a bare PermissionDenied gets the general one."""
    reason = str(exception) if exception is not None and str(exception) else ""
    return _page(request, "403.html", HttpResponseForbidden, reason=reason)


def page_not_found(request, exception=None):
    """handler404: never says whether the thing exists elsewhere (another
    organisation's document is a 404 too)."""
    return _page(request, "404.html", HttpResponseNotFound)


def server_error(request):
    """handler500: rendered without the request's context processors, which may be
    what failed (the database): no menu, a link home."""
    body = loader.get_template("500.html").render({"home": reverse("desk:home")})
    return HttpResponseServerError(body)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form was stale (an old tab, a session that expired, a
    cookie refused). Say so and offer the way back; the new page carries a new token."""
    return _page(
        request,
        "403.html",
        HttpResponseForbidden,
        reason=_("表单已过期或来源无法验证，未作任何更改。请返回上一页刷新后重新提交。"),
        csrf=True,
    )
