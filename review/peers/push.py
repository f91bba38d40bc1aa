"""Sending the outbox (issue 22): `manage.py filing_push`, a periodic command, posts
each due queued package to its peer's API (POST <url>/api/peers/packages/, the body the
package's bytes) with the standard library, and reads the answer:

- 201 or 200 (accepted, or a repeat of an accepted package): the row is accepted with
  the receiver's date — for a filing, the legal 报送 date, which the body's filing
  then carries (the same `record_acceptance` as when a decision comes back);
- 408, 429, 5xx, no answer: tried again later, the wait doubling (outbox.retry_at);
- any other 4xx: refused there, with the receiver's message; not retried.

Packages of one document go in the order they were queued: while an earlier one
waits, the later ones wait too. Only the command imports this module.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ..models import FilingExchange
from .common import Direction, Kind, Status
from .decision import record_acceptance
from .outbox import retry_at

ENDPOINT = "/api/peers/packages/"
RETRIED = {408, 429}


@dataclass
class Reply:
    code: int  # 0: no answer
    body: dict

    @property
    def message(self):
        return str(self.body.get("detail") or self.body.get("error") or "")


def post(url, data):
    """POST the package to the peer at `url`; the reply, or code 0 when none came."""
    request = urllib.request.Request(
        url.rstrip("/") + ENDPOINT,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/octet-stream",
            "Accept": "application/json",
            "User-Agent": "guifan-filing-push",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.GUIFAN_PUSH_TIMEOUT_SECONDS) as r:
            return Reply(r.status, _json(r.read()))
    except urllib.error.HTTPError as error:
        return Reply(error.code, _json(error.read()))
    except (OSError, ValueError) as error:  # refused, unreachable, timed out, bad url
        return Reply(0, {"detail": str(getattr(error, "reason", error))})


def _json(raw):
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        return {"detail": raw[:200].decode("utf-8", "replace")}
    return body if isinstance(body, dict) else {}


def _accepted(row, reply):
    with transaction.atomic():
        # of=self: the peer is a nullable (outer) join, which PostgreSQL will not lock.
        row = (
            FilingExchange.objects.select_for_update(of=("self",))
            .select_related("peer", "document")
            .get(pk=row.pk)
        )
        if row.status != Status.QUEUED:
            return row  # another run of filing_push got there first
        row.status = Status.ACCEPTED
        row.accepted_on = parse_date(str(reply.body.get("accepted_on") or ""))
        row.peer_document_id = str(reply.body.get("document_id") or "")[:40]
        row.attempts += 1
        row.next_attempt_at = None
        row.last_error = ""
        row.save(
            update_fields=[
                "status",
                "accepted_on",
                "peer_document_id",
                "attempts",
                "next_attempt_at",
                "last_error",
            ]
        )
        if row.kind == Kind.FILING and row.accepted_on:
            # The legal 报送 date is the day the authority accepted the filing.
            record_acceptance(row.document, row.peer.service_user, row.accepted_on)
    return row


def _failed(row, reply, now, *, final):
    row.attempts += 1
    if final:
        row.status = Status.REFUSED
        row.next_attempt_at = None
        row.last_error = _("对方拒收（HTTP %(code)s）：%(message)s") % {
            "code": reply.code,
            "message": reply.message,
        }
    else:
        row.next_attempt_at = retry_at(row.attempts, now)
        row.last_error = (
            _("对方无应答：%(message)s") % {"message": reply.message}
            if reply.code == 0
            else _("对方暂不能接收（HTTP %(code)s）：%(message)s")
            % {"code": reply.code, "message": reply.message}
        )
    row.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    return row


def _send(row, now):
    with row.package.open("rb") as handle:
        data = handle.read()
    reply = post(row.peer.url, data)
    if reply.code in (200, 201):
        return _accepted(row, reply), reply
    retry = reply.code == 0 or reply.code in RETRIED or reply.code >= 500
    return _failed(row, reply, now, final=not retry), reply


def send_due(now=None):
    """Push every due queued package, oldest first; yields each row as it ends. A peer
    that did not answer is not tried again in this run, and a document's later
    packages wait behind an earlier one that is not yet through."""
    now = now or timezone.now()
    queued = (
        FilingExchange.objects.filter(direction=Direction.SENT, status=Status.QUEUED)
        .select_related("peer", "document")
        .order_by("pk")
    )
    waiting, silent = set(), set()
    for row in queued:
        not_yet = row.next_attempt_at is not None and row.next_attempt_at > now
        if row.document_id in waiting or row.peer_id in silent or not_yet:
            waiting.add(row.document_id)
            continue
        row, reply = _send(row, now)
        if row.status == Status.QUEUED:
            waiting.add(row.document_id)
            if reply.code == 0:
                silent.add(row.peer_id)
        yield row
