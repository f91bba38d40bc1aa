# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""A member of the public reads a draft, comments on one article, keeps the receipt,
and after the period has closed and staff have answered, reads the answer. Every
public page passes axe-core with no serious or critical violation."""

import os
from pathlib import Path

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache

from review import actions
from review.models import Comment

from .test_comments_actions import AFTER, DURING, important, period  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PASSWORD = "x-test-only"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


AXE = Axe()


def assert_accessible(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"public-{name}.png"), full_page=True)
    violations = AXE.run(page).response["violations"]
    bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not bad, [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad
    ]


@pytest.mark.browser
def test_public_reads_comments_on_an_article_and_later_reads_the_answer(
    transactional_db,
    live_server,
    browser,
    period,
    drafter,
    settings,  # noqa: F811
):
    cache.clear()
    base = live_server.url
    title = period.document.title
    with time_machine.travel(DURING, tick=True) as traveller:
        public = browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}
        )  # a phone
        page = public.new_page()
        page.goto(f"{base}/public/")
        assert_accessible(page, "01-index")
        page.get_by_role("link", name=title).click()
        page.wait_for_selector("#article-3")
        assert "社区养老服务站应当公示服务项目和收费标准" in page.inner_text("#article-3")
        assert "起草说明" in page.inner_text("main")
        assert_accessible(page, "02-document-open")

        # Keyboard only: focus the link for article 3 and follow it
        page.get_by_role("link", name="对第三条提出意见").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**article=3**")
        assert page.input_value("#id_article") == "3"
        page.get_by_label("个人").check()
        page.get_by_label("姓名或单位名称").fill("张三")
        page.get_by_label("联系方式（选填）").fill("zhang@example.com")
        page.get_by_label("意见内容").fill("建议第三条同时公示投诉电话。<script>alert(1)</script>")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_selector("#receipt-code")
        receipt = page.inner_text("#receipt-code").strip()
        assert "意见已提交" in page.inner_text("main")
        assert_accessible(page, "03-receipt")
        comment = Comment.objects.get(receipt=receipt)  # committed before the receipt was shown
        assert comment.article == 3 and comment.text.endswith("<script>alert(1)</script>")

        # A refused submission explains itself, and is accessible too
        page.goto(f"{base}/public/documents/{period.document_id}/")
        page.get_by_label("匿名").check()
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_selector(".error-summary")
        assert "请填写意见内容" in page.inner_text(".error-summary")
        assert_accessible(page, "04-refused")

        settings.GUIFAN_COMMENT_RATE_PER_IP_DOCUMENT = (0, 600)
        page.get_by_label("意见内容").fill("再来一条")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_selector("text=提交过于频繁")
        assert_accessible(page, "05-rate-limited")

        # Staff publish the comment during the period. The clock then jumps to the
        # period's end with the drafter's page open: past the idle timeout (issue 16).
        settings.SESSION_COOKIE_AGE = 60 * 60 * 24 * 60
        staff = browser.new_context(locale="zh-CN")
        desk = staff.new_page()
        desk.goto(f"{base}/accounts/login/")
        desk.fill("#id_username", drafter.username)
        desk.fill("#id_password", PASSWORD)
        desk.get_by_role("button", name="登录").click()
        desk.wait_for_url(f"{base}/tasks/")
        desk.goto(f"{base}/documents/{period.document_id}/comments/")
        desk.locator(f"#comment-{comment.pk}").get_by_role(
            "button", name="公开", exact=True
        ).click()
        desk.wait_for_selector(".messages")

        # The period ends; the drafter closes it (as close_comment_periods would) and answers
        traveller.move_to(AFTER)
        actions.close_comment_period(period.document, by=drafter, on=AFTER.date())
        desk.goto(f"{base}/documents/{period.document_id}/comments/answers/")
        desk.select_option("#response-1", "partly")
        desk.fill("#reason-1", "已在第三条中增加公示投诉电话的规定。")
        desk.get_by_role("button", name="答复", exact=True).click()
        desk.wait_for_selector(".messages")
        assert "已答复" in desk.inner_text(".messages")
        staff.close()

        # Later, the public finds the comment by its receipt and reads the answer
        page.goto(f"{base}/public/receipts/")
        assert_accessible(page, "06-lookup")
        page.get_by_label("回执号").fill(receipt)
        page.get_by_role("button", name="查询").click()
        page.wait_for_selector("#receipt-code")
        text = page.inner_text("main")
        assert "部分采纳" in text and "已在第三条中增加公示投诉电话的规定。" in text
        assert_accessible(page, "07-receipt-answered")

        page.goto(f"{base}/public/documents/{period.document_id}/")
        text = page.inner_text("main")
        assert "征求意见及采纳情况" in text and "部分采纳" in text and "张三" not in text
        assert "<script>alert(1)</script>" in text  # shown as text, not run
        assert_accessible(page, "08-document-closed")
        page.goto(f"{base}/public/")
        assert_accessible(page, "09-index-closed")
        page.get_by_role("link", name="查询现行有效规范性文件目录").click()
        page.get_by_label("标题").fill("办法")
        page.get_by_role("button", name="查询").click()
        page.wait_for_selector("text=共 0 件")
        assert_accessible(page, "10-catalogue")
        public.close()
