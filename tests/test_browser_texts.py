"""The legality reviewer reads the draft article by article, notes an article, compares
two drafts and downloads the uploaded one, in a real browser; the text and comparison
pages pass axe-core with no serious or critical violation."""

import io
import os

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from review import actions

from .test_browser_public import PASSWORD, assert_accessible, browser_type_launch_args  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def docx_bytes(lines):
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.mark.browser
def test_the_legal_reviewer_reads_notes_compares_and_downloads(
    transactional_db,
    live_server,
    browser,
    walk,
    document,
    drafter,
    legal_reviewer,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    first = docx_bytes(["第一章　总则", "第一条　为了规范养老服务。", "第二条　自公布之日起施行。"])
    actions.add_version(document, by=drafter, upload=SimpleUploadedFile("初稿.docx", first))
    walk.text = "第一章　总则\n第一条　为了规范和促进养老服务。\n第二条　街道设立服务站。\n第三条　自公布之日起施行。"
    walk.prepare()
    walk.submit_for_review()
    base = live_server.url

    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", legal_reviewer.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/tasks/")

    page.goto(f"{base}/documents/{document.pk}/versions/2/")
    assert "第一章 总则" in page.inner_text("main")
    assert_accessible(page, "staff-version-text")
    page.locator("#article-2 summary").click()
    page.fill("#note-2", "服务站的设立标准应当明确。")
    page.locator("#article-2").get_by_role("button", name="保存批注").click()
    page.wait_for_selector("#article-2 .note")
    assert "服务站的设立标准应当明确。" in page.inner_text("#article-2")

    page.goto(f"{base}/documents/{document.pk}/compare/?a=1&b=2")
    assert page.locator("table.compare ins").first.inner_text() == "和促进"
    assert page.locator("tr.inserted").count() == 1
    assert_accessible(page, "staff-version-compare")

    page.goto(f"{base}/catalogue/?kind=annual&year=2020")
    assert "年度规范性文件目录" in page.inner_text("main")
    assert_accessible(page, "staff-catalogue")

    page.goto(f"{base}/documents/{document.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载").first.click()
    download = info.value
    assert download.suggested_filename.endswith("（第1稿）.docx")
    assert open(download.path(), "rb").read() == first
    context.close()
