"""The user manual's screenshots (docs/manual/), taken from the seeded demo in a
browser: every demo user's home page and the one page their manual page is about
(a task of theirs, or the page they work in). Each page must answer 200 with its
heading. The pictures go to docs/manual/img/ only with GUIFAN_MANUAL_SHOTS=1 (to
regenerate the committed ones); otherwise to the test's tmp directory, so a test
run never changes the repository."""

import datetime
import os
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from PIL import Image

from workflows.management.commands.seed_demo import DEMO_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="browser tests run on SQLite; PostgreSQL runs the rest",
    ),
]

MANUAL_IMG = Path(__file__).resolve().parent.parent / "docs" / "manual" / "img"
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
VIEWPORT = {"width": 1280, "height": 800}

# username, image prefix (the manual page), the key page: a task title to open from
# the inbox (its <h1> is the title), or a fixed address with its expected <h1>.

PAGES = [
    ("drafter", "drafter", "起草与送审", "/documents/new/", "新建文件"),
    ("legal", "legal_reviewer", "合法性审核", "/comments/", "征求意见审核"),
    ("advisor", "legal_advisor", "法律顾问签署意见", "/tasks/", "我的待办"),
    ("secretary", "deliberation_secretary", "集体审议", "/tasks/", "我的待办"),
    ("registrar", "registrar", "统一登记编号", "/tasks/", "我的待办"),
    ("clerk", "filing_clerk", "报送备案", "/tasks/", "我的待办"),
    ("sfj_reviewer", "filing_reviewer", "备案审查", "/tasks/queue/", None),
    ("auditor", "auditor", None, "/reports/filing-audit/", None),
    ("sec_auditor", "security_auditor", None, "/accounts/2fa/security-log/", "安全日志"),
    ("admin", "admin", None, "/documents/", "文件台账"),
    ("user_admin", "user_admin", None, "/accounts/2fa/people/akmz/", "用户管理"),
    ("sec_admin", "security_admin", None, "/accounts/2fa/lockouts/", "账号锁定"),
    ("expert", "expert", None, "/consultations/", "征求意见答复"),
]


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


@pytest.fixture
def shots(tmp_path):
    if os.environ.get("GUIFAN_MANUAL_SHOTS") == "1":
        MANUAL_IMG.mkdir(parents=True, exist_ok=True)
        return MANUAL_IMG
    return tmp_path


def context_for(browser, base, username=None):
    """A browser context, logged in through the login page when `username` is given:
    every write (the session, last_login) then happens in the live server's thread,
    never beside it in the test's (SQLite's shared in-memory database locks tables)."""
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT)
    if username:
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.press("#id_password", "Enter")
        page.close()
    return context


def visit(page, url, heading, shot):
    response = page.goto(url)
    assert response.status == 200, (url, response.status)
    h1 = page.inner_text("main h1")
    if heading:
        assert heading in h1, (url, h1)
    page.screenshot(path=str(shot))
    # Lazy chart images may still be loading: the next page's request would race them
    # for a table lock on the shared in-memory SQLite test database.
    if page.locator("img[loading=lazy]").count():
        page.wait_for_load_state("networkidle")
    if shot.parent == MANUAL_IMG:  # committed: a 256-colour palette keeps them small
        Image.open(shot).convert("RGB").quantize(256).save(shot, optimize=True)
    return h1


def open_task(page, base, title):
    """The task's link in the inbox (mine first, then the ones to claim): its address."""
    for where in ("/", "/tasks/", "/tasks/queue/"):
        page.goto(f"{base}{where}")
        link = page.locator("main table a", has_text=title).first
        if link.count():
            return link.get_attribute("href")
    return None


@pytest.mark.django_db(transaction=True)
def test_manual_screenshots_of_every_role(live_server, browser, shots):
    base = live_server.url
    taken = []
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=StringIO())
        users = get_user_model().objects
        for username, prefix, task_title, fallback, heading in PAGES:
            context = context_for(browser, base, username)
            page = context.new_page()
            name = users.get(username=username).get_full_name()
            visit(page, f"{base}/", f"{name}，您好", shots / f"{prefix}-home.png")
            taken.append(f"{prefix}-home.png")
            href = open_task(page, base, task_title) if task_title else None
            if href:
                visit(page, f"{base}{href}", task_title, shots / f"{prefix}-task.png")
                taken.append(f"{prefix}-task.png")
            if not href or prefix in ("drafter", "legal_reviewer"):
                visit(page, f"{base}{fallback}", heading, shots / f"{prefix}-page.png")
                taken.append(f"{prefix}-page.png")
            context.close()

        # The public: the portal's list of drafts open for comment, and the catalogue.
        context = context_for(browser, base)
        page = context.new_page()
        visit(page, f"{base}/public/", None, shots / "public-home.png")
        visit(page, f"{base}/public/catalogue/", "规范性文件目录", shots / "public-catalogue.png")
        page.goto(f"{base}/public/")
        link = page.locator("main a[href^='/public/documents/']").first
        if link.count():
            visit(page, f"{base}{link.get_attribute('href')}", None, shots / "public-document.png")
            taken.append("public-document.png")
        visit(page, f"{base}/public/suggestions/", "提出审查建议", shots / "public-suggestion.png")
        taken += ["public-home.png", "public-catalogue.png", "public-suggestion.png"]
        context.close()
    for filename in taken:
        assert (shots / filename).stat().st_size > 5000, filename
    # Every role has its key page: a task of theirs or the page they work in.
    for _username, prefix, *_rest in PAGES:
        assert {f"{prefix}-task.png", f"{prefix}-page.png"} & set(taken), prefix
