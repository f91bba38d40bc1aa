"""A member of the public finds a published document, sends a 审查建议 (one refused
first, for want of a contact), keeps the receipt and reads its status; an outside
expert answers through a one-time link. Every page passes axe-core with no serious
or critical violation, like the comment portal's."""

import datetime
import os

import pytest
import time_machine
from django.core.cache import cache

from review import actions
from review.models import ReviewSuggestion
from review.states import State
from review.suggestions import consultation as consulting

from .test_browser_public import assert_accessible, browser_type_launch_args  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

JUNE_1 = datetime.datetime(2020, 6, 1, 10, tzinfo=datetime.UTC)


@pytest.mark.browser
def test_public_sends_a_suggestion_and_reads_its_status(
    transactional_db, live_server, browser, walk, document
):
    cache.clear()
    walk.to(State.FILED)
    base = live_server.url
    with time_machine.travel(JUNE_1, tick=True):
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/public/suggestions/")
        assert_accessible(page, "s01-form")
        page.get_by_label("文件标题或文号").fill("政府信息公开")
        page.get_by_role("button", name="查找").click()
        page.get_by_role("link", name=document.title).click()
        page.wait_for_selector("#chosen")
        page.get_by_label("所涉条款").fill("第五条")
        page.get_by_label("建议理由").fill("第五条与上位法不一致。")
        page.get_by_label("姓名或单位名称").fill("张三")
        page.get_by_role("button", name="提交审查建议").click()
        page.wait_for_selector(".error-summary")
        assert "请填写联系方式" in page.inner_text(".error-summary")
        assert_accessible(page, "s02-refused")
        assert not ReviewSuggestion.objects.exists()
        page.get_by_label("联系方式").fill("zhang@example.com")
        page.get_by_role("button", name="提交审查建议").click()
        page.wait_for_selector("#receipt-code")
        receipt = page.inner_text("#receipt-code").strip()
        assert ReviewSuggestion.objects.get(receipt=receipt).document_id == document.pk
        text = page.inner_text("main")
        assert "审查建议已提交" in text and "zhang@example.com" not in text
        assert_accessible(page, "s03-status")

        reviewer = walk.actors.filing_reviewer
        actions.reopen_review(document, by=reviewer, reason="收到审查建议")
        _consultation, token = consulting.ask(
            document,
            by=reviewer,
            addressee="安康学院法学院",
            question="请提出意见",
            due_on=datetime.date(2020, 6, 10),
            outside=True,
        )
        page.goto(f"{base}/public/consult/{token}/")
        assert "请提出意见" in page.inner_text("main")
        assert_accessible(page, "s04-consult")
        context.close()
