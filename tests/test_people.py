"""Bureaus run their own people (issue 16, part 1): an organisation's user
administrator lists, creates and deactivates its users and grants and revokes its
roles in the application's pages, never another organisation's (404); every change
is in the security log; bad input is a message and nothing changed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from review import actions
from review.errors import NotPermitted, Refused
from review.models import Membership, Role, SecurityEvent, SecurityKind

from .conftest import make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Anka-2026-mz-strong"


@pytest.fixture
def user_admin(bureau):
    return make_user("uadmin", bureau, Role.USER_ADMIN)


@pytest.fixture
def county_admin(county_bureau):
    return make_user("county-uadmin", county_bureau, Role.USER_ADMIN)


@pytest.fixture
def colleague(bureau):
    return make_user("colleague", bureau, Role.DRAFTER)


def people_url(org, *rest):
    return "/".join([f"/accounts/2fa/people/{org.code}", *map(str, rest)]) + "/"


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def as_(client, user):
    client.force_login(user)
    return client


def test_a_user_administrator_lists_their_organisations_users(client, user_admin, colleague):
    response = as_(client, user_admin).get(people_url(colleague.memberships.get().organisation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague" in page and "起草人" in page


def test_a_user_administrator_creates_a_user_with_a_role_and_it_is_logged(
    client, bureau, user_admin
):
    response = as_(client, user_admin).post(
        people_url(bureau, "new"),
        {
            "username": "newcomer",
            "name": "新同事",
            "role": Role.REGISTRAR,
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    newcomer = get_user_model().objects.get(username="newcomer")
    assert newcomer.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(user=newcomer).role == Role.REGISTRAR
    mine = SecurityEvent.objects.filter(username="uadmin")
    created = mine.get(kind=SecurityKind.USER_CREATED)
    granted = mine.get(kind=SecurityKind.ROLE_GRANTED)
    assert created.username == granted.username == "uadmin"
    assert created.detail["subject"] == granted.detail["subject"] == "newcomer"
    assert granted.detail["role"] == Role.REGISTRAR


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"password1": "12345678901", "password2": "12345678901"}, "数字"),
        ({"password2": "something-else-2026"}, "两次输入的密码不一致"),
        ({"username": "colleague"}, "已被使用"),
        ({"username": "有 空格"}, "用户名只能包含"),
    ],
)
def test_bad_input_when_creating_a_user_says_why_and_changes_nothing(
    client, bureau, user_admin, colleague, changes, message
):
    as_(client, user_admin)
    before = get_user_model().objects.count(), SecurityEvent.objects.count()
    data = {
        "username": "newcomer",
        "name": "新同事",
        "role": Role.REGISTRAR,
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **changes,
    }
    response = client.post(people_url(bureau, "new"), data)
    assert any(message in text for text in said(response)), said(response)
    assert (get_user_model().objects.count(), SecurityEvent.objects.count()) == before


def test_a_user_administrator_cannot_see_or_touch_another_organisations_people(
    client, bureau, county_bureau, user_admin, county_admin
):
    hb_drafter = make_user("hb", county_bureau, Role.DRAFTER)
    membership = hb_drafter.memberships.get()
    as_(client, user_admin)
    assert client.get(people_url(county_bureau)).status_code == 404
    assert client.post(people_url(county_bureau, "new"), {}).status_code == 404
    assert client.post(people_url(county_bureau, hb_drafter.pk, "deactivate")).status_code == 404
    # Nor through their own organisation's address with the other's user or role.
    assert client.post(people_url(bureau, hb_drafter.pk, "deactivate")).status_code == 404
    assert (
        client.post(people_url(bureau, hb_drafter.pk, "grant"), {"role": "drafter"}).status_code
        == 404
    )
    assert client.post(people_url(bureau, "roles", membership.pk, "revoke")).status_code == 404
    hb_drafter.refresh_from_db()
    assert hb_drafter.is_active and hb_drafter.memberships.count() == 1
    with pytest.raises(NotPermitted):
        actions.set_active(by=user_admin, user=hb_drafter, organisation=county_bureau, active=False)


def test_a_user_administrator_deactivates_and_reactivates_a_user_and_it_is_logged(
    client, bureau, user_admin, colleague
):
    as_(client, user_admin).post(people_url(bureau, colleague.pk, "deactivate"), {"successor": ""})
    colleague.refresh_from_db()
    assert not colleague.is_active
    changed = SecurityEvent.objects.get(kind=SecurityKind.USER_CHANGED, username="uadmin")
    assert changed.username == "uadmin" and changed.detail["subject"] == "colleague"
    assert changed.detail["active"] is False
    client.post(people_url(bureau, colleague.pk, "reactivate"))
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_user_administrator_cannot_deactivate_themselves(bureau, user_admin):
    with pytest.raises(Refused):
        actions.set_active(by=user_admin, user=user_admin, organisation=bureau, active=False)


def test_a_user_administrator_grants_and_revokes_ordinary_roles_and_each_is_logged(
    client, bureau, user_admin, colleague
):
    as_(client, user_admin).post(people_url(bureau, colleague.pk, "grant"), {"role": "registrar"})
    added = Membership.objects.get(user=colleague, role=Role.REGISTRAR)
    client.post(people_url(bureau, "roles", added.pk, "revoke"))
    assert not Membership.objects.filter(pk=added.pk).exists()
    changes = SecurityEvent.objects.filter(username="uadmin").exclude(kind=SecurityKind.LOGIN)
    kinds = list(changes.order_by("pk").values_list("kind", "detail__subject"))
    assert kinds == [
        (SecurityKind.ROLE_GRANTED, "colleague"),
        (SecurityKind.ROLE_REVOKED, "colleague"),
    ]


def test_a_user_administrator_cannot_grant_the_administrators_roles(
    client, bureau, user_admin, colleague
):
    for role in (Role.ADMIN, Role.SECURITY_ADMIN, Role.SECURITY_AUDITOR, Role.USER_ADMIN):
        response = as_(client, user_admin).post(
            people_url(bureau, colleague.pk, "grant"), {"role": role}
        )
        assert response.status_code == 302 and said(response)
        with pytest.raises(NotPermitted):
            actions.grant_role(by=user_admin, user=colleague, organisation=bureau, role=role)
    assert list(colleague.memberships.values_list("role", flat=True)) == [Role.DRAFTER]


def test_a_users_last_role_is_not_revoked_but_the_account_deactivated(
    bureau, user_admin, colleague
):
    with pytest.raises(Refused, match="停用账号"):
        actions.revoke_role(by=user_admin, membership=colleague.memberships.get())
    assert colleague.memberships.count() == 1


def test_granting_a_role_already_held_says_so(bureau, user_admin, colleague):
    with pytest.raises(Refused, match="已是"):
        actions.grant_role(by=user_admin, user=colleague, organisation=bureau, role=Role.DRAFTER)


def test_a_drafter_has_no_people_page(client, bureau, colleague):
    as_(client, colleague)
    assert client.get("/accounts/2fa/people/").status_code == 404
    assert client.get(people_url(bureau)).status_code == 404


def test_the_user_administrators_menu_has_the_people_page(client, user_admin):
    page = as_(client, user_admin).get("/").content.decode()
    assert "/accounts/2fa/people/" in page and "/accounts/2fa/delegation/" in page


def test_the_people_page_reads_a_constant_number_of_queries(
    client, bureau, user_admin, django_assert_max_num_queries
):
    for n in range(12):
        make_user(f"p{n}", bureau, Role.DRAFTER, Role.REGISTRAR)
    as_(client, user_admin)
    with django_assert_max_num_queries(20):
        assert client.get(people_url(bureau)).status_code == 200


def test_a_user_administrator_cannot_deactivate_an_administrator_of_the_three(
    client, bureau, user_admin
):
    security_admin = make_user("secadmin", bureau, Role.SECURITY_ADMIN)
    with pytest.raises(NotPermitted):
        actions.set_active(by=user_admin, user=security_admin, organisation=bureau, active=False)
    page = as_(client, user_admin).get(people_url(bureau)).content.decode()
    assert f"/{security_admin.pk}/deactivate/" not in page
    revoke = f"roles/{security_admin.memberships.get().pk}/revoke/"
    assert revoke not in page
    security_admin.refresh_from_db()
    assert security_admin.is_active
