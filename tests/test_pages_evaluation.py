"""The evaluation and 清理 pages: who sees what, the forms call the actions, another
body's campaign is a 404, and the progress page's queries do not grow with the items."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from review import actions
from review.models import CleanupCampaign, CleanupItem, Evaluation, NormativeDocument
from review.states import State
from tests.test_cleanup import bulk_documents

D = datetime.date


@pytest.fixture
def evaluation(walk, document):
    walk.to(State.FILED)
    NormativeDocument.objects.filter(pk=document.pk).update(valid_until=D(2026, 4, 4))
    call_command("expire_documents", today="2025-10-04", stdout=StringIO())
    return Evaluation.objects.get()


def test_the_drafter_concludes_an_evaluation_from_the_page_and_lands_on_the_new_document(
    client, evaluation, drafter
):
    client.force_login(drafter)
    page = client.get(reverse("desk:evaluations"))
    assert evaluation.document.title in page.content.decode()
    response = client.post(
        reverse("desk:evaluation_conclude", args=[evaluation.pk]),
        {"outcome": "amend", "report": SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n")},
    )
    evaluation.refresh_from_db()
    assert evaluation.successor is not None
    assert response.url == evaluation.successor.get_absolute_url()


def test_an_outsiders_evaluation_is_a_404(client, evaluation, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("desk:evaluation_conclude", args=[evaluation.pk]),
        {"outcome": "lapse", "report": SimpleUploadedFile("报告.pdf", b"%PDF-1.4\n")},
    )
    assert response.status_code == 404


def test_a_missing_report_is_a_message_and_nothing_changes(client, evaluation, drafter):
    client.force_login(drafter)
    client.post(reverse("desk:evaluation_conclude", args=[evaluation.pk]), {"outcome": "lapse"})
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.OPEN


def test_the_legal_division_opens_a_campaign_and_its_page_stays_constant_in_queries(
    client, bureau, legal_reviewer, drafter, outsider, django_assert_max_num_queries
):
    bulk_documents(bureau, 120)
    client.force_login(legal_reviewer)
    response = client.post(
        reverse("desk:cleanup_list"),
        {"title": "2025年全面清理", "in_force_on": "2025-06-01", "include_subordinates": "on"},
    )
    campaign = CleanupCampaign.objects.get()
    assert response.url == reverse("desk:cleanup", args=[campaign.pk])
    assert "后台任务" in client.get(response.url).content.decode()
    call_command("build_cleanup", stdout=StringIO())
    with django_assert_max_num_queries(14):
        page = client.get(response.url)
    assert "各单位进度" in page.content.decode() and "120" in page.content.decode()
    item = CleanupItem.objects.first()
    client.force_login(drafter)
    client.post(
        reverse("desk:cleanup_propose", args=[campaign.pk, item.pk]),
        {"outcome": "repeal", "note": "调整对象已消失"},
    )
    item.refresh_from_db()
    assert item.proposed == "repeal"
    assert client.get(response.url + "?format=docx").status_code == 200
    client.force_login(outsider)
    assert client.get(response.url).status_code == 404


def test_a_drafter_cannot_open_a_campaign(client, drafter):
    client.force_login(drafter)
    response = client.post(
        reverse("desk:cleanup_list"), {"title": "x", "in_force_on": "2025-06-01"}
    )
    assert response.status_code == 403
    assert not CleanupCampaign.objects.exists()


def test_decisions_are_for_the_legal_division_not_the_drafter(client, bureau, drafter):
    bulk_documents(bureau, 1)
    legal = drafter  # a drafter posting a decision
    campaign = CleanupCampaign.objects.create(
        organisation=bureau, title="清理", in_force_on=D(2025, 6, 1), opened_by=drafter
    )
    actions.build_campaign(campaign)
    item = CleanupItem.objects.get()
    client.force_login(legal)
    response = client.post(
        reverse("desk:cleanup_decide", args=[campaign.pk, item.pk]), {"outcome": "continue"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.decided == ""
