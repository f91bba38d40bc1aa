import pytest
from django.contrib.auth import get_user_model

from review.models import AuditEvent, CalendarOverride, JurisdictionSettings, Organisation
from review.states import State


@pytest.fixture
def admin_client(client, db):
    admin = get_user_model().objects.create_superuser("root", "root@example.invalid", "x-test-only")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/review/organisation/",
        "/admin/review/jurisdictionsettings/",
        "/admin/review/calendaroverride/",
        "/admin/review/membership/",
        "/admin/auth/user/",
        "/admin/review/normativedocument/",
        "/admin/review/auditevent/",
    ],
)
def test_administrator_sees_every_register_in_chinese(admin_client, bureau, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "规范性文件备案审查系统" in response.content.decode()


def test_administrator_edits_jurisdiction_settings_and_holidays(admin_client, bureau):
    response = admin_client.post(
        "/admin/review/calendaroverride/add/",
        {"date": "2027-02-06", "is_working_day": "", "name": "春节"},
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get(date="2027-02-06").is_working_day is False
    data = {
        "organisation": bureau.pk,
        "registration_prefix": "安规",
        "comment_min_working_days": 10,
        "comment_min_days_market": 30,
        "comment_min_days_major": 30,
        "legality_review_min_working_days": 5,
        "legality_review_max_working_days": 15,
        "legality_review_major_min_working_days": 7,
        "advisor_signoff_required": "on",
        "effective_after_days": 30,
        "filing_deadline_days": 15,
        "filing_review_days": 30,
        "filing_review_extension_days": 20,
        "correction_days": 30,
        "validity_years": 5,
        "provisional_validity_years": 2,
        "evaluation_months_before_expiry": 6,
    }
    response = admin_client.post("/admin/review/jurisdictionsettings/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(pk=bureau.pk).jurisdiction.filing_deadline_days == 15
    assert JurisdictionSettings.objects.count() == 1


def test_document_page_shows_state_and_full_history_but_cannot_be_edited(
    admin_client, walk, document
):
    walk.to(State.FILED)
    url = f"/admin/review/normativedocument/{document.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "已备案" in page
    assert "完整履历" in page
    for event in AuditEvent.objects.filter(document=document):
        assert event.action in page
    response = admin_client.post(url, {"title": "改标题"})
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.title != "改标题"


def test_audit_events_cannot_be_deleted_in_the_admin(admin_client, document):
    event = AuditEvent.objects.filter(document=document).first()
    response = admin_client.post(f"/admin/review/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_staff_without_superuser_rights_cannot_reach_the_admin_registers(client, drafter):
    client.force_login(drafter)
    response = client.get("/admin/review/organisation/")
    assert response.status_code == 302
