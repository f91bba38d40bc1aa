# ruff: noqa: F811  (pytest fixtures imported from test_comments_actions are redefined as arguments)
"""The Content Security Policy (issue 15, part 3): every staff page, the admin and the
public portal work under it with no violation. Chromium reports a violation both as a
`securitypolicyviolation` event and on the console; either fails the test."""

import os

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache

from .test_comments_actions import DURING, important, period  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside the live server

PASSWORD = "x-test-only"

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " @" + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


class Watched:
    """A browser context whose pages record every CSP violation."""

    def __init__(self, browser, base):
        self.base = base
        self.context = browser.new_context(locale="zh-CN")
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.console = []
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )
        self.seen = {}

    def visit(self, path, expect="main, #content"):
        response = self.page.goto(f"{self.base}{path}")
        assert response.status < 400, (path, response.status)
        assert "content-security-policy" in response.headers, path
        self.page.wait_for_selector(expect)
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(50)  # violation events are dispatched asynchronously
        self.seen[path] = self.page.evaluate("window.__csp") + self.console
        self.console = []

    def log_in(self, username, url="/accounts/login/"):
        self.page.goto(f"{self.base}{url}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.locator("form [type=submit]").last.click()
        self.page.wait_for_load_state("load")

    def violations(self):
        return {path: found for path, found in self.seen.items() if found}


@pytest.mark.browser
def test_staff_pages_admin_and_portal_have_no_csp_violation(
    transactional_db, live_server, browser, period, drafter
):
    cache.clear()
    document = period.document
    root = get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD)
    with time_machine.travel(DURING, tick=True):
        public = Watched(browser, live_server.url)
        for path in [
            "/public/",
            f"/public/documents/{document.pk}/",
            "/public/receipts/",
            "/public/catalogue/?title=x",
        ]:
            public.visit(path)

        staff = Watched(browser, live_server.url)
        staff.visit("/accounts/login/")
        staff.log_in("drafter")
        for path in [
            "/tasks/",
            "/tasks/queue/",
            "/tasks/archive/",
            "/documents/",
            "/documents/new/",
            f"/documents/{document.pk}/",
            "/comments/",
            "/catalogue/",
            "/catalogue/?kind=annual&year=2020",
            f"/documents/{document.pk}/comments/",
            "/accounts/2fa/",
            "/accounts/2fa/enrol/",  # the QR code, an inline SVG element
        ]:
            staff.visit(path)

        admin = Watched(browser, live_server.url)
        admin.visit("/admin/login/", expect="#content")
        admin.log_in("root", url="/admin/login/")
        for path in [
            "/admin/",
            "/admin/review/normativedocument/",
            f"/admin/review/normativedocument/{document.pk}/change/",
            "/admin/auth/user/",
            f"/admin/auth/user/{root.pk}/change/",
            "/admin/review/membership/add/",
            "/admin/review/calendaroverride/add/",  # the date widget's script
            "/admin/review/auditevent/",
            "/admin/axes/accessattempt/",
        ]:
            admin.visit(path, expect="#content")
        # The admin's scripts ran: the date widget added its calendar link.
        admin.visit("/admin/review/calendaroverride/add/", expect="#content")
        assert admin.page.locator(".datetimeshortcuts").count() >= 1

        assert public.violations() == {}
        assert staff.violations() == {}
        assert admin.violations() == {}

        # And the watch would have seen one: an inline style is refused and reported.
        try:
            staff.page.add_style_tag(content="body { color: red; }")
        except Exception:  # noqa: BLE001  Playwright may reject the blocked tag
            pass
        staff.page.wait_for_timeout(100)
        assert staff.page.evaluate("window.__csp"), "the CSP watch saw nothing"
