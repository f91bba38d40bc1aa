"""What every staff page shares: the login, the documents a user may see, the page size,
and how a form posted from the document page is answered."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.db import transaction
from django.utils.http import url_has_allowed_host_and_scheme

from config.requestlog import client_address
from review import security_log
from review.errors import Refused
from review.models import NormativeDocument

PAGE_SIZE = 50


def login_required(view):
    return _login_required(view, login_url="desk:login")


def visible_documents(user):
    """Another organisation's document is not among them: a 404, never a 403."""
    return NormativeDocument.objects.visible_to(user)


def log_security(request, kind, **detail):
    """One security-log entry (review.security_log) for what `request`'s user did:
    an export or a download, with the client's address and the request's id."""
    security_log.record(
        kind,
        user=request.user,
        address=client_address(request),
        request_id=getattr(request, "id", ""),
        **detail,
    )


def safe_next(request, default):
    """The `next` the form carried, if it stays on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def apply_posted(request, form, call, document, success):
    """A form posted from the document page: its errors, or the action's refusal, as
    messages; or the action done (atomically) and `success` said."""
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    try:
        with transaction.atomic():
            call(document, form.cleaned_data)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, success)
