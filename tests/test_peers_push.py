"""Pushing filing packages over the API (issue 22): a filing to an authority on another
server is queued by the filing itself and sent by `manage.py filing_push`; the
authority's server accepts it (the legal 报送 date), answers a repeat as it answered the
first, refuses a tampered package, and its decision comes back the same way.

The authority is a second guifan served over HTTP by gunicorn (tests.peer_world);
for the decision coming back, the bureau is this test database behind live_server."""
# ruff: noqa: F811  (the fixtures imported from tests.peer_world are redefined as arguments)

import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from review import actions
from review.models import AuditEvent, FilingExchange, FilingPeer, SecurityEvent
from review.peers import keys, outbox, package, push, trust
from review.states import State

from .peer_world import authority_template, bureau_key, server  # noqa: F401  (fixtures)

ENDPOINT = "/api/peers/packages/"


@pytest.fixture
def bureau_side(settings, bureau_key, tmp_path):
    settings.GUIFAN_PEER_KEY_FILE = bureau_key
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GUIFAN_PUSH_RETRY_SECONDS = 60
    settings.GUIFAN_PUSH_RETRY_MAX_SECONDS = 3600
    settings.GUIFAN_PUSH_TIMEOUT_SECONDS = 10


@pytest.fixture
def trusted(authority, bureau, bureau_side, server):
    """The bureau trusts the authority's key, at the authority server's address."""
    return trust.add_peer(
        name="安康市司法局服务器",
        public_key_pem=(server.root / "authority.pem").read_text(),
        organisation_codes=["aksfj"],
        url=server.url,
    )


@pytest.fixture
def filed(document, walk, trusted):
    walk.to(State.FILING_REVIEW)
    document.refresh_from_db()
    return document


def queued(document):
    return FilingExchange.objects.get(document=document, direction="sent", kind="filing")


def push_all():
    out = io.StringIO()
    call_command("filing_push", stdout=out)
    return out.getvalue()


def authority_counts(server):
    """(documents, filings, accepted, duplicate, refused exchanges) on the authority's side."""
    [row] = server.query(
        "SELECT (SELECT count(*) FROM review_normativedocument),"
        " (SELECT count(*) FROM review_filing),"
        " (SELECT count(*) FROM review_filingexchange WHERE status = 'accepted'),"
        " (SELECT count(*) FROM review_filingexchange WHERE status = 'duplicate'),"
        " (SELECT count(*) FROM review_filingexchange WHERE status = 'refused')"
    )
    return list(row)


def package_bytes(row):
    with row.package.open("rb") as handle:
        return handle.read()


def test_a_filing_with_a_remote_authority_is_queued_and_pushed_and_both_sides_show_the_date(
    filed, server
):
    row = queued(filed)
    assert row.status == "queued" and row.attempts == 0 and row.package
    server.start()
    out = push_all()
    assert "已送达：报送备案《安康市民政局政府信息公开制度》" in out
    row.refresh_from_db()
    today = timezone.localdate()
    assert (row.status, row.accepted_on, row.attempts, row.last_error) == (
        "accepted",
        today,
        1,
        "",
    )
    # The legal 报送 date is the day the authority's server accepted it, on both sides.
    facts = server.query(
        "SELECT d.title, d.state, f.filed_on, o.code FROM review_normativedocument d"
        " JOIN review_filing f ON f.document_id = d.id"
        " JOIN review_organisation o ON o.id = d.organisation_id WHERE d.id = ?",
        row.peer_document_id,
    )
    assert facts == [(filed.title, State.FILING_REVIEW, today.isoformat(), "akmz")]
    assert filed.latest_filing.filed_on == today
    assert AuditEvent.objects.filter(document=filed, action="filing_accepted").count() == 1
    assert push_all() == ""  # nothing left to send


def test_a_repeated_push_gets_the_first_answer_and_changes_nothing(filed, server):
    server.start()
    push_all()
    row = queued(filed)
    again = push.post(server.url, package_bytes(row))  # as if the first reply was lost
    assert again.code == 200
    assert again.body["status"] == "duplicate"
    assert again.body["accepted_on"] == row.accepted_on.isoformat()
    assert again.body["document_id"] == row.peer_document_id
    assert authority_counts(server) == [1, 1, 1, 1, 0]


def test_an_authority_that_is_down_leaves_the_filing_queued_with_its_deadline_running(
    filed, server, client, filing_clerk
):
    now = timezone.now()
    out = io.StringIO()
    call_command("filing_push", stdout=out)  # nothing listens at the authority's address
    assert "未送达：报送备案" in out.getvalue()
    row = queued(filed)
    assert row.status == "queued" and row.attempts == 1 and "对方无应答" in row.last_error
    first_wait = (row.next_attempt_at - now).total_seconds()
    assert 60 <= first_wait < 70  # GUIFAN_PUSH_RETRY_SECONDS
    assert list(push.send_due(now=now)) == []  # not due again yet
    # The body's page: the push waits, and the 报送 deadline is still running.
    client.force_login(filing_clerk)
    page = client.get(reverse("desk:document", args=[filed.pk])).content.decode()
    assert "待发送" in page and "报送尚未被对方服务器接收" in page
    assert f"报送备案期限：{filed.latest_filing.due_on:%Y-%m-%d}" in page
    # Still down a minute later: the wait doubles.
    later = row.next_attempt_at + datetime.timedelta(seconds=1)
    [row] = push.send_due(now=later)
    assert row.attempts == 2 and row.next_attempt_at == later + datetime.timedelta(seconds=120)
    # Back up: delivered on the next run that finds it due.
    server.start()
    [row] = push.send_due(now=row.next_attempt_at)
    assert row.status == "accepted" and row.attempts == 3
    assert authority_counts(server) == [1, 1, 1, 0, 0]
    page = client.get(reverse("desk:document", args=[filed.pk])).content.decode()
    assert "报送尚未被对方服务器接收" not in page and "已接收" in page


def tampered(data, member, change):
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            archive.writestr(name, change(content) if name.startswith(member) else content)
    return out.getvalue()


def test_a_tampered_package_is_refused_with_its_reason_and_logged_on_both_sides(filed, server):
    server.start()
    row = queued(filed)
    data = package_bytes(row)
    forged = tampered(
        data, "manifest.json", lambda b: b.replace("安康".encode(), "汉滨".encode(), 1)
    )
    reply = push.post(server.url, forged)
    assert reply.code == 403 and "包的签名无效" in reply.message
    changed = tampered(data, "files/v", lambda b: b + "第三条 加入的条文。".encode())
    reply = push.post(server.url, changed)
    assert reply.code == 400 and "SHA-256 与清单不符" in reply.message
    # Through the outbox: refused there, not retried, the reason kept here.
    row.package.save("forged.zip", io.BytesIO(forged), save=True)
    assert "被拒收：报送备案" in push_all()
    row.refresh_from_db()
    assert row.status == "refused" and row.next_attempt_at is None
    assert "HTTP 403" in row.last_error and "签名无效" in row.last_error
    assert authority_counts(server) == [0, 0, 0, 0, 3]


@pytest.mark.django_db(transaction=True)
def test_the_authoritys_decision_comes_back_over_http_and_moves_the_bureaus_document(
    filed, server, live_server, filing_clerk
):
    server.start()
    push_all()
    remote = queued(filed).peer_document_id
    # The authority's side knows the bureau's address; its reviewer registers the filing
    # and raises a 审查意见: two decisions queued there, pushed in order by its own timer.
    server.python(
        "import datetime;from review import actions;from review.driver import FILING_ALL_OK;"
        "from review.models import NormativeDocument as D, FilingPeer as P;"
        "from django.contrib.auth import get_user_model;"
        f"P.objects.update(url='{live_server.url}');"
        f"d=D.objects.get(pk={remote});u=get_user_model().objects.get(username='sfj_reviewer');"
        "actions.register_filing(d,by=u);"
        "p={**FILING_ALL_OK,'superior_law':{'ok':False,'note':'与上位法不一致'}};"
        "actions.require_correction(d,by=u,substantive=p,findings='第二条与上位法不一致',"
        "suggestion='修改第二条')"
    )
    out = server.manage("filing_push").stdout
    assert out.count("已送达：备案审查决定") == 2
    filed.refresh_from_db()
    assert filed.state == State.CORRECTION
    assert filed.latest_filing.review.findings == "第二条与上位法不一致"
    received = FilingExchange.objects.filter(document=filed, direction="received")
    assert list(received.values_list("kind", "status")) == [("decision", "accepted")] * 2
    # The correction report goes up the same way; the authority's 复核 comes back: 已备案.
    actions.report_correction(
        filed,
        by=filing_clerk,
        handling_report="已按审查意见修改第二条",
        text="第一条 为规范工作，制定本办法。\n第二条 本办法自公布之日起施行。",
    )
    assert "已送达：纠正情况报告" in push_all()
    server.python(
        "from review import actions;from review.models import NormativeDocument as D;"
        "from django.contrib.auth import get_user_model;"
        f"d=D.objects.get(pk={remote});assert d.open_correction.revised_version.text.endswith('施行。');"
        "actions.accept_correction(d,by=get_user_model().objects.get(username='sfj_reviewer'))"
    )
    assert "已送达：备案审查决定" in server.manage("filing_push").stdout
    filed.refresh_from_db()
    assert filed.state == State.FILED
    assert filed.corrections.get().closed_on is not None


def test_the_endpoint_refuses_a_body_over_the_limit_before_reading_it(client, settings, db):
    settings.GUIFAN_PACKAGE_MAX_BYTES = 100
    response = client.post(ENDPOINT, b"x" * 101, content_type="application/octet-stream")
    assert response.status_code == 413
    assert response.json()["detail"] == "包超过大小上限（100 字节）"
    assert not FilingExchange.objects.exists()


def test_the_endpoint_needs_no_token_nor_csrf_and_refuses_what_is_not_a_package(db, settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post(ENDPOINT, b"not a zip", content_type="application/octet-stream")
    assert response.status_code == 400
    assert response.json() == {"detail": "不是有效的备案互联包（zip）"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the site's language switch
    english = client.post(ENDPOINT, b"not a zip", content_type="application/octet-stream")
    assert english.json() == {"detail": "Not a valid filing package (zip)"}
    assert FilingExchange.objects.filter(status="refused").count() == 2
    assert client.get(ENDPOINT).status_code == 405


def test_a_package_from_a_key_not_trusted_here_is_403(client, bureau_side, db):
    keys.own_private_key(create=True)
    data = package.build("filing", {}, [], "k" * 64)  # signed with this side's own key
    response = client.post(ENDPOINT, data, content_type="application/octet-stream")
    assert response.status_code == 403 and "公钥未获信任" in response.json()["detail"]


def test_the_wait_between_attempts_doubles_up_to_its_ceiling(settings):
    settings.GUIFAN_PUSH_RETRY_SECONDS = 30
    settings.GUIFAN_PUSH_RETRY_MAX_SECONDS = 200
    now = timezone.now()
    waits = [(outbox.retry_at(n, now) - now).total_seconds() for n in range(1, 6)]
    assert waits == [30, 60, 120, 200, 200]


def test_a_peer_without_an_address_gets_offline_packages_only(
    document, walk, authority, bureau_side, server
):
    trust.add_peer(
        name="安康市司法局服务器",
        public_key_pem=(server.root / "authority.pem").read_text(),
        organisation_codes=["aksfj"],
    )
    walk.to(State.FILING_REVIEW)
    assert not FilingExchange.objects.exists()


def test_a_peers_address_is_changed_checked_and_logged(authority, bureau_side, server):
    trust.add_peer(
        name="安康市司法局服务器",
        public_key_pem=(server.root / "authority.pem").read_text(),
        organisation_codes=["aksfj"],
    )
    out = io.StringIO()
    call_command(
        "filing_peer", "url", "--name", "安康市司法局服务器", "--url", server.url, stdout=out
    )
    assert server.url in out.getvalue()
    peer = FilingPeer.objects.get(name="安康市司法局服务器")
    assert peer.url == server.url
    logged = SecurityEvent.objects.filter(detail__change="filing_peer_url").get()
    assert logged.detail["before"] == "" and logged.detail["after"] == server.url
    # A bad address, or an unknown peer: a clear refusal, and nothing changes.
    for name, url, message in [
        ("安康市司法局服务器", "ftp://sfj.example/", "地址无效"),
        ("没有这个部署", "https://sfj.example/", "没有名为"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("filing_peer", "url", "--name", name, "--url", url, stdout=io.StringIO())
    peer.refresh_from_db()
    assert peer.url == server.url
    assert SecurityEvent.objects.filter(detail__change="filing_peer_url").count() == 1
    # An empty address: offline packages only from now on.
    call_command("filing_peer", "url", "--name", peer.name, "--url", "", stdout=out)
    peer.refresh_from_db()
    assert peer.url == "" and "只用离线包" in out.getvalue()
