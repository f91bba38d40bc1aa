import pytest
from django.urls import reverse
from django.utils import translation
from viewflow.workflow.status import STATUS

from workflows.flows import IssuingFlow

pytestmark = pytest.mark.django_db


def test_pages_are_in_chinese_by_default(client, document, drafter):
    IssuingFlow.start.run(document=document)
    client.force_login(drafter)
    page = client.get(reverse("desk:inbox")).content.decode()
    assert "我的待办" in page
    assert "起草与送审" in page
    assert "已领取" in page  # viewflow's task status, from our zh_Hans catalogue


def test_the_english_switch_translates_titles_and_navigation(client, document, drafter):
    IssuingFlow.start.run(document=document)
    client.force_login(drafter)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("desk:inbox")}
    )
    assert response.status_code == 302
    page = client.get(reverse("desk:inbox")).content.decode()
    assert "My tasks" in page
    assert "Register" in page
    assert "Draft and submit" in page
    assert 'lang="en"' in page


def test_viewflows_strings_have_chinese_translations():
    with translation.override("zh-hans"):
        labels = dict(STATUS.choices)
        assert str(labels[STATUS.NEW]) == "待领取"
        assert str(labels[STATUS.DONE]) == "已办结"
        assert translation.gettext("Inbox") == "我的待办"
