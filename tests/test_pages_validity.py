"""The registrar's 废止 / 修改 / 宣布失效 forms on the document page, and the stated dates
in the publish form (issue 13 §1)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from desk.forms import PublishForm
from review import actions
from review.states import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_force(walk, document):
    walk.to(State.FILED)  # published 8 March 2020, 施行 7 April 2020, valid until 6 April 2025
    return document


@pytest.fixture
def newer(bureau, drafter):
    return actions.create_document(
        organisation=bureau, title="安康市民政局政府信息公开制度（修订）", by=drafter
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_registrar_sees_the_end_forms_on_a_document_in_force(client, in_force, registrar):
    client.force_login(registrar)
    page = client.get(reverse("desk:document", args=[in_force.pk])).content.decode()
    assert reverse("desk:repeal", args=[in_force.pk]) in page
    assert reverse("desk:amend", args=[in_force.pk]) in page
    assert 'name="repeal-ended_on"' in page


def test_the_drafter_does_not_see_the_end_forms(client, in_force, drafter):
    client.force_login(drafter)
    page = client.get(reverse("desk:document", args=[in_force.pk])).content.decode()
    assert reverse("desk:repeal", args=[in_force.pk]) not in page


def test_the_registrar_records_a_repeal_with_its_decision_number_and_day(
    client, in_force, registrar
):
    client.force_login(registrar)
    response = client.post(
        reverse("desk:repeal", args=[in_force.pk]),
        {
            "repeal-ended_on": "2022-07-01",
            "repeal-decision_number": "安民发〔2022〕9号",
            "repeal-reason": "已被新制度替代",
        },
    )
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == State.REPEALED
    assert (in_force.ended_on, in_force.end_decision_number) == (
        date(2022, 7, 1),
        "安民发〔2022〕9号",
    )
    page = client.get(reverse("desk:document", args=[in_force.pk])).content.decode()
    assert "2022-07-01" in page and "安民发〔2022〕9号" in page


def test_a_repeal_dated_after_expiry_is_refused_on_the_page_with_the_rule(
    client, in_force, registrar
):
    client.force_login(registrar)
    response = client.post(
        reverse("desk:repeal", args=[in_force.pk]),
        {
            "repeal-ended_on": "2025-05-01",
            "repeal-decision_number": "安民发〔2025〕1号",
            "repeal-reason": "替代",
        },
    )
    assert "有效期至 2025-04-06，届满即失效；失效日期不得晚于 2025-04-07" in messages_of(response)
    in_force.refresh_from_db()
    assert in_force.state == State.FILED and in_force.ended_on is None


def test_a_repeal_without_a_decision_is_refused_on_the_page(client, in_force, registrar):
    client.force_login(registrar)
    response = client.post(
        reverse("desk:repeal", args=[in_force.pk]),
        {"repeal-ended_on": "2022-07-01", "repeal-reason": "替代"},
    )
    assert "请填写废止决定的文号，或选择废止本文件的文件" in messages_of(response)
    in_force.refresh_from_db()
    assert in_force.state == State.FILED


def test_the_registrar_records_an_amendment_by_another_document(client, in_force, registrar, newer):
    client.force_login(registrar)
    # the amending document, as published (a protected field: set in the database)
    type(newer).objects.filter(pk=newer.pk).update(state=State.FILED)
    response = client.post(
        reverse("desk:amend", args=[in_force.pk]),
        {"amend-ended_on": "2023-01-01", "amend-amended_by": newer.pk, "amend-note": "修订"},
    )
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.state == State.AMENDED and in_force.amended_by_id == newer.pk
    assert (in_force.ended_on, in_force.end_cause) == (date(2023, 1, 1), "amended")


def test_a_drafter_of_the_same_body_gets_403(client, in_force, drafter):
    client.force_login(drafter)
    response = client.post(
        reverse("desk:repeal", args=[in_force.pk]),
        {"repeal-ended_on": "2022-07-01", "repeal-decision_number": "x", "repeal-reason": "x"},
    )
    assert response.status_code == 403
    in_force.refresh_from_db()
    assert in_force.state == State.FILED


def test_another_organisations_registrar_gets_404(client, in_force, outsider):
    client.force_login(outsider)
    for name in ("desk:repeal", "desk:amend", "desk:declare_invalid"):
        response = client.post(reverse(name, args=[in_force.pk]), {})
        assert response.status_code == 404
    in_force.refresh_from_db()
    assert in_force.state == State.FILED


# --- the publish form: the stated dates, checked as the action checks them -------------


def publish_form(document, **data):
    entered = {
        "published_on": "2020-03-08",
        "effective_from": "2020-04-07",
        "valid_until": "2025-04-06",
        **data,
    }
    return PublishForm(entered, document=document)


def test_the_publish_form_requires_the_stated_dates(walk, document):
    walk.to(State.PUBLICATION)
    form = PublishForm({"published_on": "2020-03-08"}, document=document)
    assert not form.is_valid()
    assert set(form.errors) == {"effective_from", "valid_until"}


def test_the_publish_form_refuses_an_early_effective_date_with_the_rules_words(walk, document):
    walk.to(State.PUBLICATION)
    form = publish_form(document, effective_from="2020-04-06")
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "施行日期不得早于 2020-04-07：应自公布之日起 30 日后施行；确需公布即施行的，须载明理由"
    ]
    immediate = publish_form(
        document,
        effective_from="2020-03-08",
        valid_until="2025-03-07",
        immediate_effect_reason="疫情防控急需",
    )
    assert immediate.is_valid(), immediate.errors


def test_the_publish_form_refuses_a_provisional_override_without_its_reason(walk, document):
    walk.to(State.PUBLICATION)
    form = publish_form(document, valid_until="2022-04-06", provisional="1")
    assert not form.is_valid()
    assert "认定为暂行、试行文件的，须载明理由" in form.non_field_errors()[0]
    form = publish_form(
        document, valid_until="2022-04-06", provisional="1", provisional_reason="试点"
    )
    assert form.is_valid()
    assert form.cleaned_data["provisional"] is True
    as_titled = publish_form(document)
    assert as_titled.is_valid() and as_titled.cleaned_data["provisional"] is None
