"""Filing between separate deployments (issue 22): the county or city bureau files from
its own server, the 司法局 reviews on another, and packages carry the filing up and the
decision back.

This test database is the bureau's deployment. The authority's deployment is a real
second guifan (tests.peer_world): `manage.py` run as a subprocess on its own SQLite
database and its own signing key, migrated once per session and copied fresh for each
test."""
# ruff: noqa: F811  (the fixtures imported from tests.peer_world are redefined as arguments)

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import call_command

from review import actions
from review.errors import Refused
from review.models import AuditEvent, FilingExchange, Membership
from review.peers import common, exchange, keys, package, trust
from review.states import Role, State

from .peer_world import authority_template, bureau_key, server  # noqa: F401  (fixtures)

ACCEPTED_ON = "2020-03-12"


@pytest.fixture
def trusted(authority, bureau, settings, bureau_key, server):
    """The bureau's side trusts the authority's key for 安康市司法局."""
    settings.GUIFAN_PEER_KEY_FILE = bureau_key
    return trust.add_peer(
        name="安康市司法局服务器",
        public_key_pem=(server.root / "authority.pem").read_text(),
        organisation_codes=["aksfj"],
    )


@pytest.fixture
def filed(document, walk, trusted):
    walk.to(State.FILING_REVIEW)
    document.refresh_from_db()
    return document


def export_filing(document, tmp_path):
    path = tmp_path / "filing.zip"
    call_command(
        "filing_package",
        "export",
        "--document",
        document.pk,
        "--output",
        path,
        stdout=io.StringIO(),
    )
    return path


def received_id(server):
    return int(
        server.python(
            "from review.models import FilingExchange as E;"
            "print(E.objects.filter(direction='received', status='accepted').last().document_id)"
        )
    )


def test_a_filing_goes_up_and_the_decision_comes_back_through_packages(
    filed, server, filing_clerk, tmp_path
):
    up = export_filing(filed, tmp_path)
    out = server.manage("filing_package", "import", up, "--today", ACCEPTED_ON).stdout
    assert "已接收" in out and "待备案登记" in out
    remote = received_id(server)
    # The received copy: the same text by hash, the filing dated the day it was accepted.
    facts = json.loads(
        server.python(
            "import json;from review.models import NormativeDocument as D;"
            f"d=D.objects.get(pk={remote});f=d.latest_filing;"
            "print(json.dumps([d.title,d.registration.number,d.registration.version.sha256,"
            "str(f.filed_on),f.filed_by.username,d.organisation.code]))"
        )
    )
    version = filed.registration.version
    assert facts == [
        filed.title,
        filed.registration.number,
        version.sha256,
        ACCEPTED_ON,
        "peer-" + keys.own_key_id()[:12],  # the bureau's service user there
        "akmz",
    ]
    # The authority's reviewer registers and raises a 审查意见 there.
    server.python(
        "import datetime;from review import actions;from review.driver import FILING_ALL_OK;"
        "from review.models import NormativeDocument as D;from django.contrib.auth import get_user_model;"
        f"d=D.objects.get(pk={remote});u=get_user_model().objects.get(username='sfj_reviewer');"
        "actions.register_filing(d,by=u,on=datetime.date(2020,3,13));"
        "actions.extend_filing_review(d,by=u,reason='涉及多个部门，需征求意见');"
        "p={**FILING_ALL_OK,'superior_law':{'ok':False,'note':'与上位法不一致'}};"
        "actions.require_correction(d,by=u,substantive=p,findings='第二条与上位法不一致',"
        "suggestion='修改第二条',on=datetime.date(2020,3,20))"
    )
    down = tmp_path / "decision.zip"
    server.manage("filing_package", "export", "--document", remote, "--output", down)
    call_command("filing_package", "import", str(down), stdout=io.StringIO())
    filed.refresh_from_db()
    assert filed.state == State.CORRECTION
    filing = filed.latest_filing
    assert filing.filed_on == datetime.date(2020, 3, 12)  # the legal 报送 date: accepted
    assert (
        filing.review.outcome == "registered" and filing.review.findings == "第二条与上位法不一致"
    )
    assert filed.corrections.get().suggestion == "修改第二条"
    peer_user = common.peer_of(filed.organisation.files_with).service_user
    moves = AuditEvent.objects.filter(document=filed, actor=peer_user).values_list(
        "action", flat=True
    )
    assert list(moves) == [
        "filing_accepted",
        "register_filing",
        "extend_filing_review",
        "require_correction",
    ]
    # The extension came with its reason and the authority's own due date.
    extension = AuditEvent.objects.get(document=filed, action="extend_filing_review")
    assert extension.note == "涉及多个部门，需征求意见"
    authority_due = server.python(
        f"from review.models import NormativeDocument as D;"
        f"print(D.objects.get(pk={remote}).latest_filing.review.due_on)"
    ).strip()
    assert filing.review.extended and str(filing.review.due_on) == authority_due
    # The correction report goes up again; the authority's 复核 comes back: 已备案 on both sides.
    actions.report_correction(
        filed,
        by=filing_clerk,
        handling_report="已按审查意见修改第二条",
        text="第一条 为规范工作，制定本办法。\n第二条 本办法自2020年5月1日起施行。",
        on=datetime.date(2020, 3, 27),
    )
    report = tmp_path / "correction.zip"
    call_command(
        "filing_package", "export", "--document", filed.pk, "--output", report, stdout=io.StringIO()
    )
    out = server.manage("filing_package", "import", report, "--today", "2020-03-30").stdout
    assert "已接收：纠正情况报告" in out
    server.python(
        "import datetime;from review import actions;from review.models import NormativeDocument as D;"
        "from django.contrib.auth import get_user_model;"
        f"d=D.objects.get(pk={remote});assert d.open_correction.revised_version.text.endswith('施行。');"
        "actions.accept_correction(d,by=get_user_model().objects.get(username='sfj_reviewer'),"
        "on=datetime.date(2020,4,2))"
    )
    closing = tmp_path / "closing.zip"
    server.manage("filing_package", "export", "--document", remote, "--output", closing)
    call_command("filing_package", "import", str(closing), stdout=io.StringIO())
    filed.refresh_from_db()
    assert filed.state == State.FILED
    assert filed.corrections.get().closed_on == datetime.date(2020, 4, 2)


def test_a_duplicate_submission_is_recorded_and_changes_nothing(filed, server, tmp_path):
    up = export_filing(filed, tmp_path)
    server.manage("filing_package", "import", up, "--today", ACCEPTED_ON)
    again = server.manage("filing_package", "import", up, "--today", "2020-03-14").stdout
    assert "重复提交" in again
    counts = server.python(
        "from review.models import NormativeDocument as D, FilingExchange as E, Filing as F;"
        "print(D.objects.count(), F.objects.count(), E.objects.filter(status='duplicate').count())"
    ).split()
    assert counts == ["1", "1", "1"]


def tampered(path, name, change):
    """The package at `path` with member `name` changed by `change(bytes) -> bytes`."""
    source = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.namelist():
            data = source.read(member)
            archive.writestr(member, change(data) if member.startswith(name) else data)
    target = path.with_name(f"tampered-{path.name}")
    target.write_bytes(out.getvalue())
    return target


def test_a_tampered_file_or_manifest_is_refused_and_recorded(filed, server, tmp_path):
    up = export_filing(filed, tmp_path)
    bad_file = tampered(up, "files/v", lambda data: data + "第三条 加入的条文。".encode())
    refused = server.manage("filing_package", "import", bad_file, check=False)
    assert refused.returncode and "SHA-256 与清单不符" in refused.stderr
    bad_manifest = tampered(
        up, "manifest.json", lambda data: data.replace("安康".encode(), "汉滨".encode(), 1)
    )
    refused = server.manage("filing_package", "import", bad_manifest, check=False)
    assert refused.returncode and "签名无效" in refused.stderr
    log = server.python(
        "from review.models import NormativeDocument as D, FilingExchange as E;"
        "print(D.objects.count(), E.objects.filter(status='refused').count())"
    ).split()
    assert log == ["0", "2"]


def test_a_package_from_an_unknown_or_revoked_key_is_refused(filed, server, tmp_path):
    up = export_filing(filed, tmp_path)
    server.manage("filing_peer", "revoke", "--name", "安康市民政局服务器")
    refused = server.manage("filing_package", "import", up, check=False)
    assert refused.returncode and "信任已撤销" in refused.stderr
    with pytest.raises(package.PackageRefused, match="未获信任"):
        exchange.receive(up.read_bytes())  # this deployment does not trust its own key
    assert FilingExchange.objects.filter(status="refused").count() == 1


def test_a_decision_for_another_document_or_filing_is_refused(filed, server, trusted, tmp_path):
    up = export_filing(filed, tmp_path)
    server.manage("filing_package", "import", up, "--today", ACCEPTED_ON)
    remote = received_id(server)
    server.python(
        "import datetime;from review import actions;from review.models import NormativeDocument as D;"
        "from django.contrib.auth import get_user_model;"
        f"actions.register_filing(D.objects.get(pk={remote}),"
        "by=get_user_model().objects.get(username='sfj_reviewer'),on=datetime.date(2020,3,13))"
    )
    down = tmp_path / "decision.zip"
    server.manage("filing_package", "export", "--document", remote, "--output", down)
    sent = FilingExchange.objects.filter(document=filed, direction="sent")
    key = sent.get().idempotency_key
    sent.update(idempotency_key="0" * 64)  # as if filed again since: the decision is stale
    with pytest.raises(Refused, match="不是本文件最近一次导出的报送"):
        exchange.receive(down.read_bytes())
    sent.update(idempotency_key=key)
    trusted.organisations.clear()  # the peer no longer speaks for the authority here
    with pytest.raises(Refused, match="其单位不向“安康市司法局服务器”报送备案"):
        exchange.receive(down.read_bytes())
    assert FilingExchange.objects.filter(status="refused").count() == 2
    filed.refresh_from_db()
    assert filed.state == State.FILING_REVIEW


def test_a_peer_acts_through_a_service_user_that_cannot_log_in(trusted, server):
    user = trusted.service_user
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("organisation__code", "role")) == [
        ("aksfj", Role.FILING_REVIEWER)
    ]


def test_trusting_a_key_twice_or_this_deployments_own_key_is_refused(trusted, server, bureau_key):
    with pytest.raises(Refused, match="已被信任"):
        trust.add_peer(
            name="又一个",
            public_key_pem=(server.root / "authority.pem").read_text(),
            organisation_codes=["aksfj"],
        )
    with pytest.raises(Refused, match="本部署自己的公钥"):
        trust.add_peer(
            name="自己",
            public_key_pem=keys.public_pem(keys.own_private_key().public_key()),
            organisation_codes=["aksfj"],
        )
