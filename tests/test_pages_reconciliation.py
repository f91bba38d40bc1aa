"""The filing authority's reconciliation page (issue 18): upload the two files, see
the findings, close them; another authority's bodies are a 404, other roles a 403."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review.models import (
    NormativeDocument,
    Organisation,
    ReconciliationFinding,
    ReconciliationRun,
    Role,
)

from .conftest import make_user
from .reconcile_fixtures import CLASSIFIED_TITLES, EXPECTED, plant_register, planted_files
from .test_pages_workflow import as_user

pytestmark = pytest.mark.django_db
PAGE = reverse("desk:reconciliation")


def upload(client, tmp_path, ext="xlsx"):
    issued, published = planted_files(tmp_path, ext)
    return client.post(
        PAGE,
        {
            "organisation": Organisation.objects.get(code="akmz").pk,
            "year": 2020,
            "issued": SimpleUploadedFile(issued.name, issued.read_bytes()),
            "published": SimpleUploadedFile(published.name, published.read_bytes()),
        },
    )


@pytest.fixture
def uploaded(client, bureau, filing_reviewer, tmp_path):
    plant_register(tmp_path)
    response = upload(as_user(client, filing_reviewer), tmp_path)
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response.url)


def test_the_reviewer_uploads_the_files_and_sees_every_finding_with_its_rule(uploaded):
    page = uploaded.content.decode()
    assert ReconciliationFinding.objects.count() == sum(EXPECTED.values())
    assert "跳过涉密行 2 行" in page
    assert "关于加强农村留守儿童关爱保护工作的意见" in page and "标题形式为“意见”" in page
    assert "会议纪要" not in page.split("问题清单")[1]
    for title in CLASSIFIED_TITLES:
        assert title not in page


def test_the_report_downloads_as_the_commands_json(client, uploaded, filing_reviewer):
    run = ReconciliationRun.objects.get()
    response = client.get(reverse("desk:reconciliation_report", args=[run.pk, "json"]))
    report = json.loads(response.content)
    assert report["totals"] == EXPECTED and report["skipped_classified"] == 2


def test_closing_from_the_page_dismisses_and_backfills(client, uploaded):
    dismissed = ReconciliationFinding.objects.get(number="安民发〔2020〕26号")
    url = reverse("desk:reconciliation_close", args=[dismissed.pk])
    client.post(url, {"how": "dismiss", "text": ""})
    dismissed.refresh_from_db()
    assert dismissed.is_open  # no reason: refused, nothing changed
    client.post(url, {"how": "dismiss", "text": "内部工作意见"})
    dismissed.refresh_from_db()
    assert dismissed.status == "not_normative" and dismissed.reason == "内部工作意见"
    backfill = ReconciliationFinding.objects.get(number="安民发〔2020〕25号", kind="unregistered")
    response = client.post(
        reverse("desk:reconciliation_close", args=[backfill.pk]), {"how": "backfill"}
    )
    page = client.get(response.url).content.decode()
    backfill.refresh_from_db()
    assert backfill.document.procedure_missing and "程序缺失" in page
    document = client.get(reverse("desk:document", args=[backfill.document.pk]))
    assert "程序缺失" in document.content.decode()


def test_another_authoritys_reviewer_gets_404_and_other_roles_403(client, uploaded, drafter):
    other = Organisation.objects.create(code="hzsfj", name="汉中市司法局", short_name="汉中")
    stranger = make_user("stranger", other, Role.FILING_REVIEWER)
    finding = ReconciliationFinding.objects.first()
    as_user(client, stranger)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE + "?org=akmz&year=2020").status_code == 404
    close = reverse("desk:reconciliation_close", args=[finding.pk])
    assert client.post(close, {"how": "dismiss", "text": "x"}).status_code == 404
    run = ReconciliationRun.objects.get()
    assert (
        client.get(reverse("desk:reconciliation_report", args=[run.pk, "csv"])).status_code == 404
    )
    as_user(client, drafter)
    assert client.get(PAGE).status_code == 403
    assert client.post(close, {"how": "dismiss", "text": "x"}).status_code == 403
    finding.refresh_from_db()
    assert finding.is_open and not NormativeDocument.objects.filter(procedure_missing=True).exists()


def test_a_file_of_another_type_is_refused_with_a_message(client, bureau, filing_reviewer):
    as_user(client, filing_reviewer)
    response = client.post(
        PAGE,
        {
            "organisation": bureau.pk,
            "year": 2020,
            "issued": SimpleUploadedFile("登记簿.pdf", b"%PDF-1.4"),
        },
    )
    assert response.status_code == 200
    assert "只能上传 .csv 或 .xlsx 文件" in response.content.decode()
    assert not ReconciliationRun.objects.exists()


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_findings(
    client, uploaded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        response = client.get(PAGE + "?org=akmz&year=2020")
    assert response.content.decode().count('id="finding-') == sum(EXPECTED.values())
