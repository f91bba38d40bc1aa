"""Request ids and structured logs.

`RequestIdMiddleware` gives every request an id: the reverse proxy's X-Request-ID
when the request comes from one of GUIFAN_TRUSTED_PROXIES and the id is well formed,
otherwise a new one. The id is answered in the X-Request-ID header, attached to every
log record made while the request runs (`RequestIdFilter`), and one line is logged per
request on the "guifan.request" logger: method, path, status, time taken, user.
`JsonFormatter` writes each record as one JSON object a line.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.conf import settings

logger = logging.getLogger("guifan.request")

_request_id = contextvars.ContextVar("guifan_request_id", default="-")
# The request being answered, for receivers of model signals (the security log) that
# are not handed one: who changed a role, from which address.
_request = contextvars.ContextVar("guifan_request", default=None)
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEADER = "X-Request-ID"


def current_request_id():
    return _request_id.get()


def current_request():
    """The request this thread or task is answering, or None (a command)."""
    return _request.get()


def client_address(request):
    """The client's address: REMOTE_ADDR, or when that is one of GUIFAN_TRUSTED_PROXIES
    the right-most X-Forwarded-For address that is not a trusted proxy (anyone can send
    the header; only our proxies are believed)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "GUIFAN_TRUSTED_PROXIES", []))
    if remote in trusted:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        for address in reversed(forwarded):
            if address not in trusted:
                return address
    return remote


def _incoming_id(request):
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in set(getattr(settings, "GUIFAN_TRUSTED_PROXIES", [])):
        given = request.headers.get(HEADER, "").strip()
        if _WELL_FORMED.match(given):
            return given
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _incoming_id(request)
        token = _request_id.set(request.id)
        request_token = _request.set(request)
        started = time.monotonic()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[HEADER] = request.id
            return response
        finally:
            user = getattr(request, "user", None)
            logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            _request_id.reset(token)
            _request.reset(request_token)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id ("-" outside a request) on every record. Django
    logs a 4xx/5xx response on "django.request" after the middleware has returned,
    with the request attached: its id is taken from there."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "id", None) or _request_id.get()
        return True


# Attributes every LogRecord has; anything else was passed in `extra` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request",  # django.request's HttpRequest: not serialisable, its id is enough
    "server_time",
}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", _request_id.get()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
