"""Every demo role does its job in a browser on the seeded demo (one live server, one
seed for the module): a new document goes from a blank draft to 已备案, each role
claiming its step from the inbox, reading the version text it works on and
downloading every file the document page offers (200, the right type, the bytes
stored); the auditors, the security auditor and the administrator then read their
pages. Every role's main page is kept as a screenshot in test-results/roles/.

Elements are found by role, label, visible text, id or field name, never by a CSS
class: the look of the pages changes without these tests changing."""

import datetime
import io
import os
import re
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from desk.views.outputs import CONTENT_TYPES as OUTPUT_TYPES
from review.downloads import CONTENT_TYPES
from review.models import CHECKLIST_KEYS, FILING_REVIEW_KEYS, NormativeDocument
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

SHOTS = Path(__file__).resolve().parent.parent / "test-results" / "roles"
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TITLE = "安康市社区养老服务设施建设管理办法"
ARTICLES = [
    "第一章　总则",
    "第一条　为了规范社区养老服务设施的建设和管理，制定本办法。",
    "第二条　本市行政区域内社区养老服务设施的规划、建设和管理，适用本办法。",
    "第二章　附则",
    "第三条　本办法自2027年1月1日起施行，有效期5年。",
]
MAGIC = {"docx": b"PK", "pdf": b"%PDF"}


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


def docx_bytes(lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Desk:
    """One demo user's browser, logged in through the login form (every write then
    happens in the live server's thread: SQLite's shared test database locks tables)."""

    def __init__(self, browser, base, username):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.base = base
        self.username = username
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_url(f"{base}/tasks/")

    def open(self, path):
        """PATH, once nothing more is loading: the report's charts are lazy images the
        browser fetches after the load event, and a request of the test's own racing
        them meets a table lock on the test run's shared in-memory SQLite (which waits
        for no busy timeout) and answers 400."""
        response = self.page.goto(f"{self.base}{path}", wait_until="networkidle")
        assert response.status == 200, (self.username, path, response.status)
        return response

    def shot(self, name):
        """The page as the role sees it, kept for the note (test-results/ is not committed)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.username}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        # A full-page shot brings every lazy image into view: let them finish (see open).
        self.page.wait_for_load_state("networkidle")
        return path

    def home(self):
        self.open("/")
        expect(self.page.get_by_role("heading", name="我的待办")).to_be_visible()
        return self.shot("home")

    def claim(self, task_title):
        """The task of TITLE, taken from 可领取的任务 on the inbox (or, past the inbox's
        preview, from the queue and the task's own page): the task page opens."""
        self.open("/tasks/")
        button = self.page.get_by_role("button", name=f"领取“{task_title}”：{TITLE}")
        if button.count():
            button.click()
        else:
            self.open("/tasks/queue/")
            self.page.get_by_role("row").filter(has_text=TITLE).get_by_role(
                "link", name=task_title, exact=True
            ).click()
            self.page.get_by_role("button", name="领取", exact=True).click()
        expect(self.page.locator("main")).to_contain_text("已领取")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(task_title)

    def open_mine(self, task_title):
        """A follow-up task already assigned to me: in 我的待办, on TITLE's row."""
        self.open("/tasks/")
        self.page.get_by_role("row").filter(has_text=TITLE).get_by_role(
            "link", name=task_title, exact=True
        ).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(task_title)

    def done(self):
        self.page.get_by_role("button", name="提交并办结").click()
        expect(self.page.locator("main")).to_contain_text("已办结")

    def close(self):
        self.context.close()


def document():
    return NormativeDocument.objects.get(title=TITLE)


def reads_the_versions(desk, doc):
    """Each version's text page shows the articles as stored (第一章 … 第三条)."""
    for version in doc.versions.all():
        desk.open(f"/documents/{doc.pk}/versions/{version.number}/")
        main = desk.page.inner_text("main")
        assert "第二条" in main and "社区养老服务设施" in main, (desk.username, main[:300])


def stored_bytes(field, text):
    if field:
        with field.open("rb") as f:
            return f.read()
    return text.encode("utf-8")


def downloads_everything(desk, doc):
    """Every file the document page offers: versions and attachments byte for byte as
    stored; the generated documents (文书下载) of the right type and format."""
    desk.open(f"/documents/{doc.pk}/")
    links = desk.page.get_by_role("main").get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    expected = {}
    for version in doc.versions.all():
        ext = version.file.name.rsplit(".", 1)[-1] if version.file else "txt"
        expected[f"/documents/{doc.pk}/versions/{version.number}/download/"] = (
            CONTENT_TYPES[ext],
            stored_bytes(version.file, version.text),
        )
    for attachment in doc.attachments.all():
        if attachment.file:
            ext = attachment.file.name.rsplit(".", 1)[-1]
            expected[f"/documents/{doc.pk}/attachments/{attachment.pk}/download/"] = (
                CONTENT_TYPES[ext],
                stored_bytes(attachment.file, attachment.text),
            )
    offered = [h for h in hrefs if h and h.endswith("/download/")]
    assert set(offered) == set(expected), (desk.username, offered, list(expected))
    for href in offered:
        response = desk.page.request.get(f"{desk.base}{href}")
        content_type, body = expected[href]
        assert response.status == 200, (desk.username, href)
        assert response.headers["content-type"] == content_type, (href, response.headers)
        assert response.body() == body, (desk.username, href)
    # The generated documents of every step are listed; only those whose step has
    # happened are links, and every link downloads (no dead end).
    made = set()
    outputs = desk.page.get_by_role("region", name="文书下载").get_by_role("link")
    for i in range(outputs.count()):
        href = outputs.nth(i).get_attribute("href")
        kind, fmt = re.search(r"/outputs/(\w+)\.(\w+)$", href).groups()
        response = desk.page.request.get(f"{desk.base}{href}", max_redirects=0)
        assert response.status == 200, (desk.username, href, response.status)
        assert response.headers["content-type"] == CONTENT_TYPES[fmt], (href, response.headers)
        assert response.body().startswith(MAGIC[fmt]), (desk.username, href)
        made.add(kind)
    return made


# --- the issuing body ---------------------------------------------------------------


def drafter_drafts_and_submits(desk, upload, note):
    desk.home()
    desk.open("/documents/new/")
    desk.page.fill("#id_title", TITLE)
    desk.page.select_option("#id_drafting_unit", index=1)
    desk.page.fill("#id_legal_basis", "《养老机构管理办法》《社区服务体系建设规划》")
    desk.page.get_by_role("button", name="创建").click()
    expect(desk.page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    desk.page.get_by_role("link", name="起草与送审").first.click()
    desk.page.set_input_files(
        "#id_version-upload",
        {"name": "送审稿.docx", "mimeType": CONTENT_TYPES["docx"], "buffer": upload},
    )
    desk.page.get_by_role("button", name="提交版本").click()
    expect(desk.page.locator("main")).to_contain_text("第1稿")
    desk.page.select_option("#id_attachment-kind", "drafting_note")
    desk.page.set_input_files(
        "#id_attachment-upload",
        {"name": "起草说明.docx", "mimeType": CONTENT_TYPES["docx"], "buffer": note},
    )
    desk.page.get_by_role("button", name="添加附件").click()
    expect(desk.page.locator("main")).to_contain_text("起草说明")
    desk.page.select_option("#id_attachment-kind", "legal_basis")
    desk.page.fill("#id_attachment-text", "《养老机构管理办法》第三条。")
    desk.page.get_by_role("button", name="添加附件").click()
    expect(desk.page.locator("main")).to_contain_text("起草说明.docx；制定依据")
    task = desk.page.url
    doc = document()
    reads_the_versions(desk, doc)
    downloads_everything(desk, doc)
    desk.page.goto(task)
    desk.page.get_by_label("送合法性审核").check()
    desk.shot("task")
    desk.done()
    assert document().state == State.LEGALITY_REVIEW


def legal_reviewer_reviews(desk):
    desk.home()
    desk.claim("合法性审核")
    task = desk.page.url
    doc = document()
    reads_the_versions(desk, doc)
    downloads_everything(desk, doc)
    desk.page.goto(task)
    desk.page.get_by_label("属于行政规范性文件", exact=True).check()
    desk.page.select_option("#id_outcome", "lawful")
    desk.page.fill("#id_opinion", "经审核，该文件制定主体合法，内容符合上位法规定。")
    for key in CHECKLIST_KEYS:
        desk.page.check(f"#id_{key}_answer_0")  # 无问题
    desk.shot("task")
    desk.done()


def advisor_signs(desk):
    desk.home()
    desk.claim("法律顾问签署意见")
    task = desk.page.url
    doc = document()
    reads_the_versions(desk, doc)
    made = downloads_everything(desk, doc)
    assert "legality_opinion" in made  # what the advisor signs on
    desk.page.goto(task)
    desk.page.fill("#id_opinion", "经审阅送审稿，同意合法性审核意见。")
    desk.page.get_by_label("同意", exact=True).check()
    desk.shot("task")
    desk.done()
    assert document().state == State.DELIBERATION


def secretary_records_the_meeting(desk):
    desk.home()
    desk.claim("集体审议")
    desk.page.select_option("#id_meeting_type", "bureau")
    desk.page.fill("#id_meeting_name", "2026年第11次局务会")
    desk.page.fill("#id_meeting_date", NOW.date().isoformat())
    desk.page.fill("#id_attendance", "局长、副局长、各科室负责人")
    desk.page.select_option("#id_outcome", "passed")
    desk.page.fill("#id_minutes", "会议审议并原则通过。")
    desk.shot("task")
    desk.done()
    reads_the_versions(desk, document())
    assert document().state == State.REGISTRATION


def registrar_registers_and_publishes(desk):
    desk.home()
    desk.claim("统一登记编号")
    number = re.search(r"安民发〔2026〕\d+号", desk.page.inner_text("main")).group(0)
    desk.shot("task")
    desk.done()
    assert document().registration.number == number
    desk.open_mine("公布")
    desk.page.fill("#id_published_on", NOW.date().isoformat())
    desk.page.fill("#id_effective_from", "2027-01-01")
    desk.page.fill("#id_valid_until", "2031-12-31")
    desk.done()
    assert "official_text" in downloads_everything(desk, document())
    assert document().state == State.FILING


def clerk_files(desk):
    desk.home()
    desk.claim("报送备案")
    desk.shot("task")
    desk.done()
    assert "filing_report" in downloads_everything(desk, document())
    assert document().state == State.FILING_REVIEW


# --- the filing authority -----------------------------------------------------------


def filing_reviewer_registers_and_reviews(desk):
    desk.home()
    desk.claim("备案登记")
    task = desk.page.url
    doc = document()
    reads_the_versions(desk, doc)
    downloads_everything(desk, doc)
    desk.page.goto(task)
    desk.page.get_by_label("予以备案登记").check()
    desk.done()
    desk.open_mine("备案审查")
    desk.page.get_by_label("审查无问题").check()
    for key in FILING_REVIEW_KEYS:
        desk.page.check(f"#id_{key}_answer_0")  # 无问题
    desk.shot("task")
    desk.done()
    assert document().state == State.FILED


# --- the readers ------------------------------------------------------------------


def downloads_the_listed_formats(desk, path):
    """The page's 下载 links (PDF, DOCX, …): each answers 200 with its type; PDF and
    DOCX are what they say they are."""
    desk.open(path)
    fetched = []
    for fmt, content_type in OUTPUT_TYPES.items():
        link = desk.page.get_by_role("main").get_by_role("link", name=fmt.upper(), exact=True)
        if not link.count():
            continue
        response = desk.page.request.get(f"{desk.base}{path}{link.first.get_attribute('href')}")
        assert response.status == 200, (desk.username, path, fmt, response.status)
        assert response.headers["content-type"] == content_type, (path, fmt, response.headers)
        assert response.body().startswith(MAGIC.get(fmt, b"")), (desk.username, path, fmt)
        fetched.append(fmt)
    return fetched


def auditor_reads_the_report(desk):
    desk.home()
    assert {"pdf", "docx"} <= set(downloads_the_listed_formats(desk, "/reports/filing-audit/"))
    charts = desk.page.get_by_role("main").get_by_role("img").all()
    assert charts, desk.username  # the rates, overdue and over-the-years charts
    for image in charts:
        response = desk.page.request.get(f"{desk.base}{image.get_attribute('src')}")
        assert response.status == 200, (desk.username, image.get_attribute("src"))
        assert response.headers["content-type"] == "image/png"
    desk.shot("report")
    assert downloads_the_listed_formats(desk, "/catalogue/"), desk.username
    doc = document()
    downloads_everything(desk, doc)


def security_auditor_reads_the_log(desk):
    desk.home()
    desk.open("/accounts/2fa/security-log/")
    expect(desk.page.get_by_role("heading", level=1)).to_contain_text("安全日志")
    # The downloads of the roles before, each one an entry.
    expect(desk.page.get_by_role("main")).to_contain_text("下载文件")
    desk.shot("log")


def admin_finds_it_filed(desk):
    desk.home()
    desk.open("/documents/")
    desk.page.get_by_label("标题或文号").fill(TITLE)
    desk.page.get_by_label("标题或文号").press("Enter")
    row = desk.page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("已备案")
    desk.shot("register")
    downloads_everything(desk, document())


JOURNEY = [
    ("drafter", None),
    ("legal", legal_reviewer_reviews),
    ("advisor", advisor_signs),
    ("secretary", secretary_records_the_meeting),
    ("registrar", registrar_registers_and_publishes),
    ("clerk", clerk_files),
    ("sfj_reviewer", filing_reviewer_registers_and_reviews),
    ("auditor", auditor_reads_the_report),
    ("sfj_auditor", auditor_reads_the_report),
    ("sec_auditor", security_auditor_reads_the_log),
    ("admin", admin_finds_it_filed),
]


@pytest.mark.django_db(transaction=True)
def test_every_role_does_its_job_from_a_blank_draft_to_filed(
    live_server, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload, note = docx_bytes(ARTICLES), docx_bytes(["起草说明", "一、起草的必要性。"])
    with time_machine.travel(NOW, tick=True):
        call_command("seed_demo", stdout=StringIO())
        for username, job in JOURNEY:
            desk = Desk(browser, live_server.url, username)
            if job is None:
                drafter_drafts_and_submits(desk, upload, note)
            else:
                job(desk)
            desk.close()
    doc = document()
    assert doc.state == State.FILED
    assert doc.versions.get().file.read() == upload
    shots = sorted(SHOTS.glob("*.png"))
    assert {p.name.split("-")[0] for p in shots} >= {u for u, _job in JOURNEY}
