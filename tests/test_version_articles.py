"""A version's text split into stored articles at upload, read article by article,
compared by content with changes marked by character, and noted by the reviewers."""

import io
from types import SimpleNamespace

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import actions, articles, reports
from review.models import ArticleNote, AuditEvent, VersionArticle
from review.uploads import UploadRejected

LAW = [
    "安康市养老服务管理办法",
    "第一章　总则",
    "第一条　为了规范养老服务，制定本办法。",
    "第二条　本办法适用于本市行政区域内的养老服务。",
    "第二章　服务",
    "第一节　居家养老",
    "第三条　街道应当设立服务站。",
    "服务站由民政部门指导。",
    "第四条　本办法自公布之日起施行。",
]


def docx_bytes(lines):
    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_docx_version_is_split_once_into_chapters_and_articles(document, drafter, media):
    upload = SimpleUploadedFile("送审稿.docx", docx_bytes(LAW))
    version = actions.add_version(document, by=drafter, upload=upload)

    rows = list(version.articles.order_by("position"))
    assert [(r.label, r.number) for r in rows] == [
        ("", None),
        ("第一条", 1),
        ("第二条", 2),
        ("第三条", 3),
        ("第四条", 4),
    ]
    assert rows[0].text == "安康市养老服务管理办法"
    assert rows[1].chapter == "第一章 总则"
    assert rows[3].chapter == "第二章 服务 第一节 居家养老"
    assert rows[3].text == "街道应当设立服务站。\n服务站由民政部门指导。"
    assert version.splits_into_articles


def test_a_typed_version_is_split_too(document, drafter):
    version = actions.add_version(document, by=drafter, text="第一条 甲。\n第二条 乙。")
    assert list(version.articles.values_list("label", "text")) == [
        ("第一条", "甲。"),
        ("第二条", "乙。"),
    ]


@pytest.mark.parametrize(
    "name,data",
    [
        ("送审稿.pdf", b"%PDF-1.4\n%test\n"),
        ("送审稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
        ("送审稿.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\1" * 100),
    ],
)
def test_a_pdf_doc_or_wps_version_is_kept_for_download_and_says_it_cannot_be_split(
    client, document, drafter, media, name, data
):
    version = actions.add_version(document, by=drafter, upload=SimpleUploadedFile(name, data))

    assert not version.splits_into_articles
    assert not VersionArticle.objects.filter(version=version).exists()
    client.force_login(drafter)
    page = client.get(reverse("desk:version_text", args=[document.pk, 1])).content.decode()
    assert "无法分条显示" in page
    assert (
        "无法分条显示" in client.get(reverse("desk:document", args=[document.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "name,data",
    [("假的.doc", b"PK\x03\x04 not ole"), ("假的.pdf", b"<html>"), ("宏.docm", b"x")],
)
def test_a_version_whose_bytes_are_not_its_type_is_refused(document, drafter, media, name, data):
    with pytest.raises(UploadRejected):
        actions.add_version(document, by=drafter, upload=SimpleUploadedFile(name, data))
    assert not document.versions.exists()


def test_the_version_text_page_shows_each_article_under_its_chapter(client, document, drafter):
    actions.add_version(document, by=drafter, text="\n".join(LAW))
    client.force_login(drafter)

    page = client.get(reverse("desk:version_text", args=[document.pk, 1])).content.decode()

    assert (
        page.index("第一章 总则") < page.index("第一条") < page.index("第二章 服务 第一节 居家养老")
    )
    assert 'id="article-3"' in page and "服务站由民政部门指导。" in page


def test_another_organisations_version_text_is_a_404(client, document, drafter, outsider):
    actions.add_version(document, by=drafter, text="第一条 甲。")
    client.force_login(outsider)
    assert client.get(reverse("desk:version_text", args=[document.pk, 1])).status_code == 404
    assert client.get(reverse("desk:compare", args=[document.pk])).status_code == 404


# --- comparison ------------------------------------------------------------------


def pieces(*texts):
    return [SimpleNamespace(label=f"第{i}条", text=t, position=i) for i, t in enumerate(texts, 1)]


def test_an_article_inserted_in_the_middle_is_the_only_one_marked_new():
    old = pieces(
        "为了规范养老服务。", "本办法适用于本市。", "街道设立服务站。", "自公布之日起施行。"
    )
    new = pieces(
        "为了规范养老服务。",
        "本办法适用于本市。",
        "民政部门负责监督管理养老服务机构。",
        "街道设立服务站。",
        "自公布之日起施行。",
    )

    rows = articles.compare(old, new)

    assert [row.kind for row in rows] == ["same", "same", "inserted", "same", "same"]
    assert rows[2].new.label == "第三条" or rows[2].new.text == "民政部门负责监督管理养老服务机构。"
    assert rows[3].renumbered and rows[3].old.label == "第3条" and rows[3].new.label == "第4条"
    assert articles.changed(rows) == 1


def test_a_deleted_and_a_revised_article_are_told_apart():
    old = pieces("为了规范养老服务。", "收取管理费用。", "自公布之日起施行。")
    new = pieces("为了规范和促进养老服务。", "自公布之日起施行。")

    rows = articles.compare(old, new)

    assert [row.kind for row in rows] == ["changed", "deleted", "same"]


def test_changes_are_marked_by_character():
    assert articles.char_diff("为了规范养老服务。", "为了规范和促进养老服务。") == [
        ("equal", "为了规范"),
        ("insert", "和促进"),
        ("equal", "养老服务。"),
    ]
    assert articles.char_diff("三十日内", "十五日内") == [
        ("delete", "三"),
        ("equal", "十"),
        ("insert", "五"),
        ("equal", "日内"),
    ]


def test_the_comparison_page_escapes_the_text_and_marks_changes_with_ins_and_del(
    client, document, drafter
):
    actions.add_version(document, by=drafter, text="第一条 为了规范<b>养老</b>服务。\n第二条 乙。")
    actions.add_version(
        document, by=drafter, text="第一条 为了规范和促进<b>养老</b>服务。\n第二条 乙。"
    )
    client.force_login(drafter)

    page = client.get(reverse("desk:compare", args=[document.pk]) + "?a=1&b=2").content.decode()

    assert "<ins>和促进</ins>" in page
    assert "&lt;b&gt;养老&lt;/b&gt;" in page and "<b>养老" not in page
    assert "+++" not in page and "@@" not in page


# --- notes ------------------------------------------------------------------------


@pytest.fixture
def under_review(walk, document):
    walk.text = "\n".join(LAW)
    walk.prepare()
    walk.submit_for_review()
    return document


def test_a_reviewer_notes_an_article_with_one_audit_event(under_review, legal_reviewer):
    article = VersionArticle.objects.get(version__document=under_review, label="第三条")
    before = AuditEvent.objects.filter(document=under_review).count()

    note = actions.add_article_note(article, by=legal_reviewer, text="服务站设立缺乏上位法依据。")

    assert note.article == article and note.author == legal_reviewer
    event = AuditEvent.objects.filter(document=under_review).order_by("-seq").first()
    assert AuditEvent.objects.filter(document=under_review).count() == before + 1
    assert event.action == "article_note" and event.data["article"] == "第三条"


def test_a_drafter_cannot_note_an_article(under_review, drafter):
    article = VersionArticle.objects.filter(version__document=under_review).first()
    with pytest.raises(actions.NotPermitted):
        actions.add_article_note(article, by=drafter, text="自己批注")
    assert not ArticleNote.objects.exists()


def test_an_empty_note_is_refused(under_review, advisor):
    article = VersionArticle.objects.filter(version__document=under_review).first()
    with pytest.raises(actions.Refused, match="批注"):
        actions.add_article_note(article, by=advisor, text="   ")
    assert not ArticleNote.objects.exists()


def test_a_note_outside_the_legality_review_is_refused(document, drafter, legal_reviewer):
    version = actions.add_version(document, by=drafter, text="第一条 甲。")
    with pytest.raises(actions.Refused):
        actions.add_article_note(version.articles.get(), by=legal_reviewer, text="意见")


def test_notes_posted_from_the_page_appear_in_the_legality_opinion(
    client, walk, under_review, legal_reviewer, advisor
):
    client.force_login(advisor)
    response = client.post(
        reverse("desk:article_note", args=[under_review.pk, 1, 3]),
        {"text": "建议明确服务站的设立标准。"},
    )
    assert response.status_code == 302
    walk.review()

    data = reports.build("legality_opinion", under_review, "docx")
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "条文批注" in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "第三条" in text and "建议明确服务站的设立标准。" in text


@pytest.mark.parametrize("role", ["legal_reviewer", "advisor"])
def test_the_legality_review_and_advisor_tasks_show_the_text_beside_the_form(
    client, actors, bureau, division, role
):
    from workflows.driving import open_task
    from workflows.flows import IssuingFlow

    from .conftest import START
    from .test_pages_workflow import as_user, create_via_http, post_task, task_url
    from .test_workflow_issuing import at

    with at(START):
        doc = create_via_http(client, actors.drafter, bureau, division)
        c = as_user(client, actors.drafter)
        c.post(reverse("desk:add_version", args=[doc.pk]), {"version-text": "\n".join(LAW)})
        for kind in ("drafting_note", "legal_basis"):
            c.post(
                reverse("desk:add_attachment", args=[doc.pk]),
                {"attachment-kind": kind, "attachment-text": "说明"},
            )
        post_task(client, actors.drafter, doc, IssuingFlow.draft, {"decision": "submit"})
        node = IssuingFlow.legal_review if role == "legal_reviewer" else IssuingFlow.advisor_signoff
        page = as_user(client, getattr(actors, role)).get(task_url(open_task(doc, node)))

    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("送审稿正文") < html.index('id="h-task"')
    assert "服务站由民政部门指导。" in html and "保存批注" in html


def test_the_text_and_comparison_pages_read_a_fixed_number_of_queries(
    client, document, drafter, django_assert_max_num_queries
):
    lines = [f"第{i}条　第{i}条的内容。" for i in range(1, 51)]
    actions.add_version(document, by=drafter, text="\n".join(lines))
    lines.insert(20, "第二十一条　新增的一条。")
    actions.add_version(document, by=drafter, text="\n".join(lines))
    client.force_login(drafter)
    # + 3: the session is saved on every request (idle timeout, issue 16): SAVEPOINT, UPDATE, RELEASE
    with django_assert_max_num_queries(10 + 3 + 1):  # + 1: the bell (issue 20)
        text = client.get(reverse("desk:version_text", args=[document.pk, 2]))
    with django_assert_max_num_queries(10 + 3 + 1):  # + 1: the bell (issue 20)
        diff = client.get(reverse("desk:compare", args=[document.pk]) + "?a=1&b=2")

    assert text.content.decode().count('class="article"') == 51
    assert diff.content.decode().count('<tr class="inserted">') == 1


def test_the_document_page_shows_one_page_of_its_audit_trail(client, document, drafter):
    from review.audit import record

    for i in range(120):
        record(action="add_attachment", document=document, actor=drafter, note=f"第{i}件")
    client.force_login(drafter)

    first = client.get(reverse("desk:document", args=[document.pk])).content.decode()
    last = client.get(reverse("desk:document", args=[document.pk]) + "?events=3").content.decode()

    assert first.count("<li><time") == 50 and "第119件" in first and "第0件" not in first
    assert last.count("<li><time") == 21 and "第0件" in last


def test_posting_a_note_is_403_for_a_drafter_and_404_for_another_organisation(
    client, under_review, drafter, outsider
):
    url = reverse("desk:article_note", args=[under_review.pk, 1, 1])
    client.force_login(drafter)
    assert client.post(url, {"text": "意见"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"text": "意见"}).status_code == 404
    assert not ArticleNote.objects.exists()


def test_the_text_pages_render_in_english_too(client, document, drafter):
    actions.add_version(document, by=drafter, text="第一条 甲。")
    actions.add_version(document, by=drafter, text="第一条 甲乙。\n第二条 丙。")
    client.force_login(drafter)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    text = client.get(reverse("desk:version_text", args=[document.pk, 2])).content.decode()
    diff = client.get(reverse("desk:compare", args=[document.pk])).content.decode()
    page = client.get(reverse("desk:document", args=[document.pk])).content.decode()

    assert "Compare with the previous draft" in text
    assert "2 changes" in diff and "Added" in diff
    assert "events, newest first" in page
