import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from review.models import (
    AuditEvent,
    CalendarOverride,
    JurisdictionSettings,
    NormativeDocument,
    Organisation,
)
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
        "urgent_reason_min_chars": 10,
        "comment_min_days_market_urgent": 7,
        "effective_after_days": 30,
        "filing_deadline_days": 15,
        "filing_review_days": 30,
        "filing_review_extension_days": 20,
        "correction_days": 30,
        "filing_demand_days": 15,
        "suggestion_handling_days": 60,
        "consultation_link_days": 30,
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


def test_audit_events_cannot_be_changed_in_the_admin(admin_client, document):
    event = AuditEvent.objects.filter(document=document).first()
    response = admin_client.post(f"/admin/review/auditevent/{event.pk}/change/", {"note": "改"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).note == event.note


def test_the_administrator_cannot_delete_a_document_in_the_admin(admin_client, document):
    url = f"/admin/review/normativedocument/{document.pk}/delete/"
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert NormativeDocument.objects.filter(pk=document.pk).exists()
    page = admin_client.get(f"/admin/review/normativedocument/{document.pk}/change/")
    assert page.status_code == 200
    assert f"/admin/review/normativedocument/{document.pk}/delete/" not in page.content.decode()


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/review/organisation/", "/admin/review/normativedocument/"]
)
def test_a_role_holder_who_is_not_staff_is_sent_to_the_admin_login(client, drafter, url):
    client.force_login(drafter)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.fixture
def bare_staff(client, outsider):
    """A staff user with no permission granted: being staff alone opens nothing."""
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    client.force_login(outsider)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "normativedocument/",
        "normativedocument/{pk}/change/",
        "auditevent/",
        "registration/",
        "filing/",
        "comment/",
        "organisation/",
        "membership/",
    ],
)
def test_a_staff_user_without_the_models_permission_gets_403(bare_staff, document, path):
    response = bare_staff.get("/admin/review/" + path.format(pk=document.pk))
    assert response.status_code == 403
    assert document.title not in response.content.decode()


def test_a_staff_user_without_permissions_sees_no_register_on_the_admin_index(bare_staff, document):
    page = bare_staff.get("/admin/").content.decode()
    assert "/admin/review/normativedocument/" not in page
    assert "/admin/auth/user/" not in page


def test_a_staff_user_granted_the_view_permission_reads_documents_but_cannot_change_them(
    client, outsider, document
):
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    outsider.user_permissions.add(Permission.objects.get(codename="view_normativedocument"))
    client.force_login(outsider)
    url = f"/admin/review/normativedocument/{document.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"title": "改标题"}).status_code == 403
    document.refresh_from_db()
    assert document.title != "改标题"
