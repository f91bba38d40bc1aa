"""A browser takes one document from drafting to 予以备案登记, each role logging in
in turn; a screenshot of every step is kept in test-results/ as the artifact."""

import datetime
import os
from pathlib import Path

import pytest
import time_machine

from review.models import CHECKLIST_KEYS, FILING_REVIEW_KEYS, NormativeDocument
from review.states import State

from .conftest import START

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


class Session:
    def __init__(self, browser, live_server, user):
        self.context = browser.new_context(locale="zh-CN")
        self.page = self.context.new_page()
        self.base = live_server.url
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{self.base}/tasks/")

    def shot(self, name):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"browser-{name}.png"), full_page=True)

    def open_from_queue(self, title):
        self.page.goto(f"{self.base}/tasks/queue/")
        self.page.get_by_role("link", name=title, exact=True).first.click()
        self.page.wait_for_selector("h1")

    def open_from_inbox(self, title):
        """A task already mine (a follow-up of the one I just finished): in 我的待办."""
        self.page.goto(f"{self.base}/tasks/")
        self.page.locator("table").first.get_by_role("link", name=title, exact=True).click()
        self.page.wait_for_selector("h1")

    def submit_task(self):
        self.page.get_by_role("button", name="提交并办结").click()
        self.page.wait_for_selector(".messages")
        assert "已办结" in self.page.inner_text(".messages"), self.page.inner_text("main")

    def close(self):
        self.context.close()


@pytest.mark.browser
def test_each_role_takes_the_document_one_step_in_the_browser(
    transactional_db, live_server, browser, actors, bureau, division
):
    with time_machine.travel(datetime.datetime.combine(START, datetime.time(9)), tick=True):
        # 起草人: create, submit the draft and its attachments, send to the legality review
        s = Session(browser, live_server, actors.drafter)
        s.page.goto(f"{s.base}/documents/new/")
        s.page.fill("#id_title", "安康市民政局政府信息公开制度")
        s.page.select_option("#id_drafting_unit", str(division.pk))
        s.page.fill("#id_legal_basis", "《中华人民共和国政府信息公开条例》")
        s.page.get_by_role("button", name="创建").click()
        s.page.wait_for_selector(".messages")
        s.shot("01-drafter-created")
        s.page.get_by_role("link", name="起草与送审").click()
        s.page.fill(
            "#id_version-text",
            "第一条 为规范本局政府信息公开工作，制定本制度。\n第二条 本制度自公布之日起施行。",
        )
        s.page.get_by_role("button", name="提交版本").click()
        s.page.wait_for_selector(".messages")
        for kind, text in [
            ("drafting_note", "起草说明：目的、依据和过程。"),
            ("legal_basis", "《政府信息公开条例》"),
        ]:
            s.page.select_option("#id_attachment-kind", kind)
            s.page.fill("#id_attachment-text", text)
            s.page.get_by_role("button", name="添加附件").click()
            s.page.wait_for_selector(".messages")
        s.shot("02-drafter-materials")
        s.page.get_by_label("送合法性审核").check()
        s.submit_task()
        s.shot("03-drafter-submitted")
        s.close()

        # 合法性审核人员 classifies and finds it lawful, answering every item; then the
        # 法律顾问 gives an opinion on that conclusion (nothing is ticked for either)
        s = Session(browser, live_server, actors.legal_reviewer)
        s.open_from_queue("合法性审核")
        s.page.get_by_label("属于行政规范性文件", exact=True).check()
        s.page.select_option("#id_outcome", "lawful")
        s.page.fill("#id_opinion", "经审核，该文件制定主体合法，内容符合上位法规定。")
        for key in CHECKLIST_KEYS:
            s.page.check(f"#id_{key}_answer_0")  # 无问题
        s.shot("04-legal-review-form")
        s.submit_task()
        s.close()

        s = Session(browser, live_server, actors.advisor)
        s.open_from_queue("法律顾问签署意见")
        s.page.fill("#id_opinion", "经审阅，同意合法性审核意见。")
        s.page.get_by_label("同意", exact=True).check()
        s.shot("05-advisor-form")
        s.submit_task()
        assert "集体审议" in s.page.inner_text("main")
        s.shot("06-sent-to-deliberation")
        s.close()

        # 集体审议秘书 records the bureau meeting
        s = Session(browser, live_server, actors.secretary)
        s.open_from_queue("集体审议")
        s.page.select_option("#id_meeting_type", "bureau")
        s.page.fill("#id_meeting_name", "2020年第3次局务会")
        s.page.fill("#id_meeting_date", START.isoformat())
        s.page.fill("#id_attendance", "局长、副局长、各科室负责人")
        s.page.select_option("#id_outcome", "passed")
        s.page.fill("#id_minutes", "会议审议并原则通过。")
        s.submit_task()
        s.shot("07-deliberated")
        s.close()

        # 登记发布人员 registers, numbers and publishes
        s = Session(browser, live_server, actors.registrar)
        s.open_from_queue("统一登记编号")
        s.submit_task()
        assert "安民发〔2020〕1号" in s.page.inner_text("main")
        s.shot("08-registered")
        s.open_from_inbox("公布")  # the follow-up of 登记编号 is already the registrar's
        s.page.fill("#id_published_on", START.isoformat())
        s.page.fill("#id_effective_from", "2020-04-01")  # as the document states them
        s.page.fill("#id_valid_until", "2025-03-31")
        s.submit_task()
        s.shot("09-published")
        s.close()

        # 报备人员 files it with 市司法局
        s = Session(browser, live_server, actors.filing_clerk)
        s.open_from_queue("报送备案")
        s.submit_task()
        s.shot("10-filed")
        s.close()

        # 备案审查人员 of the authority registers the filing at receipt (备案条例 art. 7)
        s = Session(browser, live_server, actors.filing_reviewer)
        s.open_from_queue("备案登记")
        s.shot("11-filing-registration-form")
        # No decision is chosen in advance: submitting without one changes nothing.
        s.page.get_by_role("button", name="提交并办结").click()
        s.page.wait_for_selector(".errorlist")
        assert "请选择登记结论" in s.page.inner_text("main")
        assert NormativeDocument.objects.get().state == State.FILING_REVIEW
        s.page.get_by_label("予以备案登记").check()
        s.submit_task()
        assert "已登记·审查中" in s.page.inner_text("main")
        # then reviews it (art. 10): the follow-up task is already in the reviewer's inbox
        s.open_from_inbox("备案审查")
        s.shot("11b-filing-review-form")
        s.page.get_by_label("审查无问题").check()
        for key in FILING_REVIEW_KEYS:
            s.page.check(f"#id_{key}_answer_0")  # 无问题
        s.submit_task()
        assert "已备案" in s.page.inner_text("main")
        s.shot("12-registered-as-filed")
        s.close()

    assert NormativeDocument.objects.get().state == State.FILED
