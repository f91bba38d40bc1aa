"""Never hit a wall, see what waits, act with the context in front of you — in a
browser on the seeded demo (one live server, one seed for the module): every menu
link of every demo role answers without an error, the 403 and 404 pages are in
the site's layout with a way back, and the registrar and the legal reviewer claim
from their inbox and complete their tasks. Screenshots go to test-results/."""

import datetime
import os
import re
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from review.demo_data import USERS
from review.models import CHECKLIST_KEYS, NormativeDocument, NumberSequence
from review.states import State
from workflows.management.commands.seed_demo import DEMO_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="browser tests run on SQLite; PostgreSQL runs the rest",
    ),
]

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
GUARDED = {"新建文件": "drafter", "意见审核": "moderator", "备案审查报告": "auditor"}


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


class Desk:
    """A browser of one demo user, logged in through the login form: every write (the
    session, last_login) then happens in the live server's thread, never beside it in
    the test's (SQLite's shared in-memory test database locks tables)."""

    def __init__(self, browser, base, username):
        self.context = browser.new_context(locale="zh-CN")
        self.page = self.context.new_page()
        self.base = base
        self.username = username
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{base}/tasks/")

    def shot(self, name):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"desk-{name}.png"), full_page=True)

    def done(self):
        self.page.get_by_role("button", name="提交并办结").click()
        self.page.wait_for_selector(".messages, .errorlist")
        assert "已办结" in self.page.inner_text("main"), self.page.inner_text("main")

    def close(self):
        self.context.close()


def crawl(desk):
    """Every menu link answers 200; the home page shows its four parts."""
    home = desk.page.request.get(f"{desk.base}/")
    assert home.status == 200
    html = home.text()
    for heading in ("我的待办", "已逾期", "可领取的任务", "我送出的、等待他人办理的"):
        assert f">{heading}</h2>" in html, (desk.username, heading)
    nav = html.partition('aria-label="主导航"')[2].partition("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    for href, label in links:
        response = desk.page.request.get(f"{desk.base}{href}")
        assert response.status == 200, (desk.username, label, href, response.status)
    return {label for _href, label in links}


def walls(desk):
    """A page the role may not open, and one that does not exist: both in the layout,
    both with a way back that works."""
    # As if followed from the inbox (a typed address sends no Referer).
    response = desk.page.goto(f"{desk.base}/documents/new/", referer=f"{desk.base}/tasks/")
    assert response.status == 403
    assert desk.page.get_by_role("navigation", name="主导航").count() == 1
    assert "无权访问" in desk.page.inner_text("main")
    desk.shot("403")
    desk.page.get_by_role("link", name="返回上一页").click()
    desk.page.wait_for_url(f"{desk.base}/tasks/")
    response = desk.page.goto(f"{desk.base}/documents/999999/")
    assert response.status == 404
    assert "页面不存在" in desk.page.inner_text("main")
    desk.shot("404")
    desk.page.get_by_role("link", name="返回首页").click()
    desk.page.wait_for_url(f"{desk.base}/")


def claim_from_inbox(desk, task_title, document_title):
    desk.page.goto(f"{desk.base}/tasks/")
    free = desk.page.locator("section", has=desk.page.locator("#h-free"))
    free.get_by_role("button", name=f"领取“{task_title}”：{document_title}").click()
    desk.page.wait_for_selector(".messages")
    assert "已领取" in desk.page.inner_text(".messages")


def registrar_registers_and_publishes(desk):
    title = "安康市困境儿童分类保障实施办法"
    claim_from_inbox(desk, "统一登记编号", title)
    main = desk.page.inner_text("main")
    number = re.search(r"安民发〔2026〕\d+号", main).group(0)  # the preview
    before = list(NumberSequence.objects.values_list("pk", "last"))
    desk.page.reload()
    assert list(NumberSequence.objects.values_list("pk", "last")) == before  # nothing burnt
    desk.shot("registrar-register")
    desk.done()
    assert number in desk.page.inner_text("main")
    # 公布 follows in the same registrar's inbox: no second claim.
    desk.page.goto(f"{desk.base}/tasks/")
    mine = desk.page.locator("table").first
    mine.get_by_role("link", name="公布", exact=True).click()
    desk.page.fill("#id_published_on", NOW.date().isoformat())
    desk.page.fill("#id_effective_from", "2027-01-01")  # as the document states them
    desk.page.fill("#id_valid_until", "2031-12-31")
    desk.shot("registrar-publish")
    desk.done()
    assert NormativeDocument.objects.get(title=title).state == State.FILING


def legal_reviewer_reviews(desk):
    title = "安康市惠民殡葬政策实施办法"
    claim_from_inbox(desk, "合法性审核", title)
    # One decision at a time: 不属于 hides the conclusion and the checklist.
    desk.page.get_by_label("不属于行政规范性文件（不予登记编号）").check()
    assert not desk.page.locator("#id_outcome").is_visible()
    desk.page.get_by_label("属于行政规范性文件", exact=True).check()
    assert desk.page.locator("#id_outcome").is_visible()
    desk.page.select_option("#id_outcome", "lawful")
    desk.page.fill("#id_opinion", "经审核，该文件制定主体合法，内容符合上位法规定。")
    for key in CHECKLIST_KEYS:  # nothing is answered in advance
        desk.page.check(f"#id_{key}_answer_0")  # 无问题
    desk.shot("legal-review")
    desk.done()


@pytest.mark.django_db(transaction=True)
def test_every_role_works_the_desk_without_hitting_a_wall(live_server, browser):
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=StringIO())
        roles = {spec.username: spec.role for spec in USERS}
        for username in roles:
            desk = Desk(browser, live_server.url, username)
            labels = crawl(desk)
            assert ("新建文件" in labels) == (roles[username] == "drafter"), username
            assert ("备案审查报告" in labels) == (
                roles[username] in ("auditor", "filing_reviewer", "admin")
            ), username
            assert ("意见审核" in labels) == (roles[username] in ("drafter", "legal_reviewer")), (
                username
            )
            assert "文件目录" in labels, username  # every role reads its bodies' catalogue
            if username == "registrar":
                desk.page.goto(f"{desk.base}/")
                desk.shot("registrar-home")
                walls(desk)
                registrar_registers_and_publishes(desk)
            if username == "legal":
                legal_reviewer_reviews(desk)
            desk.close()
