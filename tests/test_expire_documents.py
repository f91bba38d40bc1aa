import datetime
from io import StringIO

from django.core.management import call_command

from review.models import AuditEvent
from review.states import State


def test_documents_past_their_validity_expire_and_those_near_it_are_listed_for_evaluation(
    walk, document
):
    walk.to(State.FILED)
    last_day = document.valid_until
    out = StringIO()
    call_command("expire_documents", today=last_day - datetime.timedelta(days=30), stdout=out)
    assert "开启评估\t" in out.getvalue()
    document.refresh_from_db()
    assert document.state == State.FILED

    out = StringIO()
    call_command("expire_documents", today=last_day + datetime.timedelta(days=1), stdout=out)
    document.refresh_from_db()
    assert document.state == State.EXPIRED
    assert "共有 1 件" in out.getvalue()
    event = AuditEvent.objects.filter(document=document).order_by("-seq").first()
    assert (event.action, event.actor_name) == ("expire", "系统")


def test_documents_far_from_expiry_are_neither_expired_nor_listed(walk, document):
    walk.to(State.FILED)
    out = StringIO()
    call_command(
        "expire_documents", today=document.valid_until - datetime.timedelta(days=400), stdout=out
    )
    assert "开启评估\t" not in out.getvalue()
    assert "共有 0 件" in out.getvalue()
