"""Three administrators, not one (三员分立, issue 16 part 3): the system administrator
(users' existence), the security administrator (roles, second factors, lockouts) and
the audit administrator (reads the security log, changes nothing); no account holds
two of these; the Django superuser is refused at login in production once all three
have an active holder."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from review import actions
from review.errors import NotPermitted, Refused
from review.models import Membership, Role, SecurityEvent, SecurityKind
from review.roles import can_administer_users, can_grant_role

from .conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "x-test-only"  # conftest.make_user's
GOOD_PASSWORD = "Anka-2026-mz-strong"


@pytest.fixture
def system_admin(bureau):
    return make_user("sysadmin", bureau, Role.ADMIN)


@pytest.fixture
def security_admin(bureau):
    return make_user("secadmin", bureau, Role.SECURITY_ADMIN)


@pytest.fixture
def audit_admin(bureau):
    return make_user("auditadmin", bureau, Role.SECURITY_AUDITOR)


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)


@pytest.mark.parametrize(
    "first, second",
    [
        (Role.ADMIN, Role.SECURITY_ADMIN),
        (Role.SECURITY_ADMIN, Role.SECURITY_AUDITOR),
        (Role.SECURITY_AUDITOR, Role.ADMIN),
    ],
)
def test_no_account_holds_two_of_the_three_administrators_roles(
    bureau, county_bureau, first, second
):
    person = make_user("person", bureau, first)
    with pytest.raises(ValidationError, match="三员分立"):
        Membership.objects.create(user=person, organisation=county_bureau, role=second)
    assert list(person.memberships.values_list("role", flat=True)) == [first]


def test_the_security_administrator_is_refused_a_second_administrators_role_with_a_reason(
    bureau, security_admin, system_admin
):
    with pytest.raises(Refused, match="三员分立：sysadmin 已是系统管理员"):
        actions.grant_role(
            by=security_admin, user=system_admin, organisation=bureau, role=Role.SECURITY_AUDITOR
        )
    with pytest.raises(Refused, match="三员分立"):
        actions.grant_role(
            by=security_admin, user=security_admin, organisation=bureau, role=Role.ADMIN
        )


def test_the_admin_form_for_a_role_says_the_conflict(bureau, system_admin):
    membership = Membership(user=system_admin, organisation=bureau, role=Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError) as refusal:
        membership.full_clean()
    assert "三员分立" in str(refusal.value.message_dict["role"])


def test_the_security_administrator_grants_the_privileged_roles_but_makes_no_users(
    bureau, security_admin, drafter
):
    actions.grant_role(by=security_admin, user=drafter, organisation=bureau, role=Role.USER_ADMIN)
    assert drafter.memberships.filter(role=Role.USER_ADMIN).exists()
    with pytest.raises(NotPermitted):
        actions.create_user(
            by=security_admin,
            organisation=bureau,
            username="x",
            name="某",
            role=Role.DRAFTER,
            password=GOOD_PASSWORD,
        )
    with pytest.raises(NotPermitted):
        actions.set_active(by=security_admin, user=drafter, organisation=bureau, active=False)


def test_the_system_administrator_makes_users_anywhere_but_grants_no_later_roles(
    bureau, county_bureau, system_admin
):
    made = actions.create_user(
        by=system_admin,
        organisation=county_bureau,
        username="hbnew",
        name="新人",
        role=Role.DRAFTER,
        password=GOOD_PASSWORD,
    )
    assert can_administer_users(system_admin, county_bureau)
    with pytest.raises(NotPermitted):
        actions.grant_role(by=system_admin, user=made, organisation=county_bureau, role="registrar")
    assert not can_grant_role(system_admin, bureau, Role.DRAFTER)


def test_the_audit_administrator_reads_the_log_and_changes_nothing(
    client, bureau, audit_admin, drafter
):
    client.force_login(audit_admin)
    before = Membership.objects.count(), get_user_model().objects.filter(is_active=True).count()
    assert client.get("/accounts/2fa/security-log/").status_code == 200
    base = f"/accounts/2fa/people/{bureau.code}"
    assert client.get("/accounts/2fa/people/").status_code == 404
    assert client.get(f"{base}/").status_code == 404
    assert client.post(f"{base}/new/", {"username": "x"}).status_code == 404
    assert client.post(f"{base}/{drafter.pk}/deactivate/").status_code == 404
    assert client.post(f"{base}/{drafter.pk}/grant/", {"role": "registrar"}).status_code == 404
    assert client.get("/accounts/2fa/lockouts/").status_code == 403
    assert client.post("/accounts/2fa/lockouts/", {"username": "drafter"}).status_code == 403
    assert client.get("/accounts/2fa/users/").status_code == 404
    assert client.get("/admin/").status_code == 302  # not staff: the admin's login
    with pytest.raises(NotPermitted):
        actions.reset_second_factor(drafter, by=audit_admin)
    for role in Role.values:
        assert not can_grant_role(audit_admin, bureau, role)
    assert (
        Membership.objects.count(),
        get_user_model().objects.filter(is_active=True).count(),
    ) == before


def test_second_factor_resets_are_the_security_administrators_not_the_system_administrators(
    drafter, security_admin, system_admin
):
    with pytest.raises(NotPermitted):
        actions.reset_second_factor(drafter, by=system_admin)
    assert actions.reset_second_factor(drafter, by=security_admin) == 0


def test_the_security_administrator_unlocks_a_locked_username_and_it_is_logged(
    client, security_admin
):
    AccessAttempt.objects.create(
        username="drafter",
        ip_address="203.0.113.7",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    client.force_login(security_admin)
    listing = client.get("/accounts/2fa/lockouts/")
    assert listing.status_code == 200 and "drafter" in listing.content.decode()
    assert client.post("/accounts/2fa/lockouts/", {"username": "drafter"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = SecurityEvent.objects.get(kind=SecurityKind.LOCKOUT_CLEARED)
    assert entry.username == "secadmin" and entry.detail["subject"] == "drafter"


def log_in(username, url="/accounts/login/"):
    client = Client()
    response = client.post(url, {"username": username, "password": PASSWORD, "next": url})
    return client, response


def test_the_superuser_is_refused_in_production_once_the_three_administrators_exist(
    settings, root, system_admin, security_admin
):
    settings.GUIFAN_REFUSE_SUPERUSER_LOGIN = True
    _client, response = log_in("root")
    assert response.status_code == 302  # two of three: the installation is not done
    make_user("auditadmin", system_admin.memberships.get().organisation, Role.SECURITY_AUDITOR)
    client, response = log_in("root")
    assert response.status_code == 200
    assert "超级用户仅用于安装" in response.content.decode()
    assert "_auth_user_id" not in client.session
    _client, response = log_in("root", "/admin/login/")
    assert "超级用户仅用于安装" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityKind.SUPERUSER_REFUSED).count() == 2
    # The administrators themselves log in.
    assert log_in("secadmin")[1].status_code == 302


def test_an_inactive_holder_does_not_count_as_one_of_the_three(
    settings, root, system_admin, security_admin, audit_admin
):
    settings.GUIFAN_REFUSE_SUPERUSER_LOGIN = True
    audit_admin.is_active = False
    audit_admin.save(update_fields=["is_active"])
    assert log_in("root")[1].status_code == 302


def test_the_setting_off_lets_the_superuser_in(
    settings, root, system_admin, security_admin, audit_admin
):
    settings.GUIFAN_REFUSE_SUPERUSER_LOGIN = False
    assert log_in("root")[1].status_code == 302
