"""Every staff page type passes axe-core with no serious or critical violation (issue
14 §5), at 1280 px and at phone width, on the seeded demo in a real browser: home,
the task lists, a document, a task, a version's text, a comparison, the register,
the catalogue, the audit report, the comment queue and moderation, the security log,
the second-factor pages, a form with errors, and the 403 and 404 pages."""

import datetime
import os
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from viewflow.workflow.models import Task

from review.models import CommentPeriod, NormativeDocument
from workflows.flows import IssuingFlow
from workflows.management.commands.seed_demo import DEMO_PASSWORD

from .test_browser_public import browser_type_launch_args  # noqa: F401

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
AXE = Axe()
PHONE = {"width": 390, "height": 844}


class Staff:
    """One demo user's browser, logged in through the login page; every page visited
    is run through axe and its serious or critical violations kept."""

    def __init__(self, browser, base, username, found, viewport=None):
        self.context = browser.new_context(
            locale="zh-CN", viewport=viewport or {"width": 1280, "height": 900}
        )
        self.page = self.context.new_page()
        self.base, self.username, self.found = base, username, found
        self.width = "phone" if viewport else "wide"
        self.page.goto(f"{base}/accounts/login/")
        self.check("login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{base}/tasks/")

    def check(self, name):
        SHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SHOTS / f"staff-{self.width}-{name}.png"), full_page=self.width == "wide"
        )
        # Lazy chart images (the full-page shot shows them) may still be loading: the
        # next page's request would race them for a table lock on the shared in-memory
        # SQLite test database.
        if self.page.locator("img[loading=lazy]").count():
            self.page.wait_for_load_state("networkidle")
        violations = AXE.run(self.page).response["violations"]
        for v in violations:
            if v.get("impact") in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                self.found.append((self.width, name, v["id"], v["help"], targets))

    def visit(self, name, path, status=200):
        response = self.page.goto(f"{self.base}{path}")
        assert response.status == status, (self.username, path, response.status)
        self.check(name)

    def close(self):
        self.context.close()


def _demo_pages():
    """{name: path} of one page of each type in the seeded demo, as the legal reviewer."""
    document = (
        NormativeDocument.objects.annotate(n=Count("versions")).filter(n__gte=2).order_by("pk")
    ).first()
    task = Task.objects.filter(flow_task=IssuingFlow.legal_review, status="NEW").first()
    period = CommentPeriod.objects.order_by("pk").first()
    return {
        "home": "/",
        "inbox": "/tasks/",
        "queue": "/tasks/queue/?sort=-created",
        "archive": "/tasks/archive/",
        "register": "/documents/?sort=title&overdue=on",
        "document": f"/documents/{document.pk}/",
        "task": f"/tasks/issuing/{task.process_id}/{task.pk}/",
        "version-text": f"/documents/{document.pk}/versions/2/",
        "compare": f"/documents/{document.pk}/compare/?a=1&b=2",
        "catalogue": "/catalogue/",
        "comment-queue": "/comments/",
        "comments": f"/documents/{period.document_id}/comments/",
        "comment-answers": f"/documents/{period.document_id}/comments/answers/",
        "second-factor": "/accounts/2fa/",
        "enrol": "/accounts/2fa/enrol/",
        "password": "/accounts/2fa/password/",
    }


# At phone width, the pages whose layout changes most (tables, the task's two columns).
PHONE_PAGES = ("home", "inbox", "register", "document", "task", "compare")


def visit_phone(browser, base, found):
    legal = Staff(browser, base, "legal", found, PHONE)
    for name, path in _demo_pages().items():
        if name in PHONE_PAGES:
            legal.visit(name, path)
    legal.close()


def visit_all(browser, base, found):
    legal = Staff(browser, base, "legal", found)
    for name, path in _demo_pages().items():
        legal.visit(name, path)
    legal.page.goto(f"{base}/accounts/2fa/password/")
    legal.page.fill("#id_old_password", "not-the-password")
    legal.page.fill("#id_new_password1", "short")
    legal.page.fill("#id_new_password2", "different")
    legal.page.get_by_role("button", name="修改密码").click()
    legal.page.wait_for_selector(".error-summary")
    legal.check("form-errors")
    legal.visit("403", "/documents/new/", status=403)
    legal.visit("404", "/documents/999999/", status=404)
    legal.close()
    drafter = Staff(browser, base, "drafter", found)
    drafter.visit("document-new", "/documents/new/")
    drafter.close()
    auditor = Staff(browser, base, "auditor", found)
    auditor.visit("filing-audit", "/reports/filing-audit/")
    auditor.close()
    security = Staff(browser, base, "sec_auditor", found)
    security.visit("security-log", "/accounts/2fa/security-log/?sort=kind")
    security.close()


@pytest.mark.django_db(transaction=True)
def test_every_staff_page_type_passes_axe_at_desk_and_phone_width(live_server, browser):
    found = []
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=StringIO())
        visit_all(browser, live_server.url, found)
        visit_phone(browser, live_server.url, found)
    assert not found, found
