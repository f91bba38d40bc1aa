"""Never hit a wall: the menu shows only what the user's roles open, and the
403/404/500 pages (the CSRF refusal too) are in the site's layout with a way back."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from config import errors
from review import actions
from review.driver import FILING_ALL_OK
from review.models import Role
from workflows.driving import open_task, perform
from workflows.flows import FilingReviewFlow, IssuingFlow

from .conftest import START, make_user
from .test_pages_workflow import as_user, task_url
from .test_workflow_issuing import at, walk_to_filing_review

pytestmark = pytest.mark.django_db

GUARDED = {"新建文件", "意见审核", "备案审查报告", "文件目录", "发文核对"}


def menu(client):
    html = client.get(reverse("desk:home")).text
    nav = html.partition('aria-label="主导航"')[2].partition("</nav>")[0]
    return dict(
        (label, url) for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    )


@pytest.fixture
def auditor(bureau):
    return make_user("auditor", bureau, Role.AUDITOR)


@pytest.mark.parametrize(
    "who, expected",
    [
        ("drafter", {"新建文件", "意见审核", "文件目录"}),
        ("legal_reviewer", {"意见审核", "文件目录"}),
        ("advisor", {"文件目录"}),
        ("secretary", {"文件目录"}),
        ("registrar", {"文件目录"}),
        ("filing_clerk", {"文件目录"}),
        ("filing_reviewer", {"备案审查报告", "文件目录", "发文核对"}),
        ("auditor", {"备案审查报告", "文件目录"}),
    ],
)
def test_the_menu_shows_only_the_pages_the_role_may_open(client, request, who, expected):
    user = request.getfixturevalue(who)
    links = menu(as_user(client, user))
    assert GUARDED & set(links) == expected
    assert {"首页", "我的待办", "待领取", "已办", "文件台账"} <= set(links)
    for label, url in links.items():
        assert client.get(url).status_code == 200, (who, label)


def test_a_staff_user_gets_the_admin_link(client, bureau):
    admin = make_user("admin", bureau, Role.ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    assert "系统管理" in menu(as_user(client, admin))


def test_the_403_page_is_in_the_layout_says_why_and_links_back(client, registrar):
    as_user(client, registrar)
    response = client.get(reverse("desk:document_new"), HTTP_REFERER="http://testserver/tasks/")
    assert response.status_code == 403
    page = response.text
    assert 'aria-label="主导航"' in page and "无权访问" in page
    assert 'href="http://testserver/tasks/"' in page and "返回首页" in page
    audit = client.get(reverse("desk:filing_audit")).text
    assert "只有审计人员、备案审查人员和系统管理员可以查看" in audit  # the view's own reason


def test_the_404_page_is_in_the_layout_with_a_link_home(client, drafter):
    response = as_user(client, drafter).get("/documents/999999/")
    assert response.status_code == 404
    assert 'aria-label="主导航"' in response.text and "页面不存在" in response.text
    assert f'href="{reverse("desk:home")}"' in response.text
    assert "返回上一页" not in response.text  # no referer: only home


def test_a_link_back_never_leads_off_the_site(client, drafter):
    response = as_user(client, drafter).get("/nowhere/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 404 and "evil.example" not in response.text


def test_a_refused_csrf_check_gets_the_403_page_in_the_layout(drafter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(drafter)
    response = client.post(reverse("desk:document_new"), {"title": "x"})
    assert response.status_code == 403
    assert "表单已过期" in response.text and 'aria-label="主导航"' in response.text
    assert "返回首页" in response.text


def test_the_500_page_needs_no_request_context(rf):
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.text and "返回首页" in response.text


def test_the_lockout_page_still_works(client, drafter, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _attempt in range(3):
        response = client.post(
            reverse("desk:login"), {"username": drafter.username, "password": "wrong"}
        )
    assert response.status_code == 429
    assert "已被锁定" in response.text and 'name="password"' in response.text


def next_steps(client, document):
    page = client.get(reverse("desk:document", args=[document.pk])).text
    return page.partition('id="h-next"')[2].partition("</section>")[0]


def test_every_step_listed_on_the_document_page_has_its_control(client, document, actors):
    IssuingFlow.start.run(document=document)
    steps = next_steps(as_user(client, actors.drafter), document)
    draft = task_url(open_task(document, IssuingFlow.draft))
    assert "送合法性审核" in steps and f'href="{draft}"' in steps and "撤回" in steps

    walk_to_filing_review(document, actors)
    steps = next_steps(as_user(client, actors.filing_reviewer), document)
    register = task_url(open_task(document, FilingReviewFlow.register))
    assert "予以备案登记" in steps and f'href="{register}"' in steps  # 备案条例 art. 7
    perform(
        open_task(document, FilingReviewFlow.register),
        actors.filing_reviewer,
        lambda d: actions.register_filing(d, by=actors.filing_reviewer),
    )
    steps = next_steps(client, document)
    assert "延长审查期限" in steps and 'href="#extend"' in steps
    with at(START):
        perform(
            open_task(document, FilingReviewFlow.review),
            actors.filing_reviewer,
            lambda d: actions.accept_filing(
                d, by=actors.filing_reviewer, substantive=FILING_ALL_OK
            ),
        )
    # In force: 废止, 修改 and 宣布失效 are the registrar's forms on this page; the
    # expiry the daily command records and 撤回 (before publication only) are not listed.
    steps = next_steps(as_user(client, actors.registrar), document)
    assert "废止" in steps and 'href="#h-end"' in steps and "撤回" not in steps
    steps = next_steps(as_user(client, actors.drafter), document)
    assert "废止" in steps and 'href="#h-end"' not in steps and "有效期届满失效" not in steps
