"""Uploaded files are served by views that check who may see the document and read
the bytes through the storage API: the right type, the right (UTF-8) name, the exact
bytes uploaded; another organisation's file is a 404; the public may fetch a draft
only while it is out for comment."""

import datetime
import io
from urllib.parse import quote

import docx
import pytest
import time_machine
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import actions
from review.models import AttachmentKind, NormativeDocument

from .test_comments_actions import TZ

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes():
    d = docx.Document()
    for line in ["第一条　为了规范养老服务。", "第二条　自公布之日起施行。"]:
        d.add_paragraph(line)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def uploaded(document, drafter, media):
    data = docx_bytes()
    actions.add_version(document, by=drafter, upload=SimpleUploadedFile("送审稿.docx", data))
    attachment = actions.add_attachment(
        document,
        by=drafter,
        kind=AttachmentKind.LEGAL_BASIS,
        upload=SimpleUploadedFile("依据.pdf", PDF),
        name="上位法依据",
    )
    return data, attachment


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_version_downloads_with_its_type_utf8_name_and_exact_bytes(
    client, document, drafter, uploaded
):
    data, _attachment = uploaded
    client.force_login(drafter)

    response = client.get(reverse("desk:version_file", args=[document.pk, 1]))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    name = f"{document.title}（第1稿）.docx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert body(response) == data
    assert "no-store" in response["Cache-Control"]


def test_an_attachment_downloads_as_uploaded(client, document, legal_reviewer, uploaded):
    _data, attachment = uploaded
    client.force_login(legal_reviewer)

    response = client.get(reverse("desk:attachment_file", args=[document.pk, attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("上位法依据.pdf") in response["Content-Disposition"]
    assert body(response) == PDF


def test_a_typed_version_downloads_as_its_text(client, document, drafter):
    actions.add_version(document, by=drafter, text="第一条 甲。")
    client.force_login(drafter)
    response = client.get(reverse("desk:version_file", args=[document.pk, 1]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "第一条 甲。"


def test_another_organisations_files_are_a_404(client, document, outsider, uploaded):
    _data, attachment = uploaded
    client.force_login(outsider)
    assert client.get(reverse("desk:version_file", args=[document.pk, 1])).status_code == 404
    assert (
        client.get(reverse("desk:attachment_file", args=[document.pk, attachment.pk])).status_code
        == 404
    )


def test_an_attachment_of_another_document_is_a_404(client, document, drafter, bureau, uploaded):
    _data, attachment = uploaded
    other = actions.create_document(organisation=bureau, title="另一份文件", by=drafter)
    client.force_login(drafter)
    url = reverse("desk:attachment_file", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_a_stranger_is_sent_to_log_in(client, document, uploaded):
    response = client.get(reverse("desk:version_file", args=[document.pk, 1]))
    assert response.status_code == 302 and "login" in response.url


def test_the_document_page_links_no_media_url(client, document, drafter, uploaded):
    client.force_login(drafter)
    page = client.get(reverse("desk:document", args=[document.pk])).content.decode()
    assert "/media/" not in page
    assert reverse("desk:version_file", args=[document.pk, 1]) in page
    assert reverse("desk:attachment_file", args=[document.pk, uploaded[1].pk]) in page


# --- the public draft ----------------------------------------------------------------


@pytest.fixture
def out_for_comment(document, drafter, uploaded):
    NormativeDocument.objects.filter(pk=document.pk).update(is_important=True)
    document.refresh_from_db()
    actions.open_comment_period(
        document,
        by=drafter,
        opens_on=datetime.date(2020, 3, 2),
        closes_on=datetime.date(2020, 3, 13),
        on=datetime.date(2020, 3, 1),
    )
    return document


def public_draft(client, document, day):
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ)
    with time_machine.travel(moment, tick=False):
        return client.get(reverse("public:draft", args=[document.pk]))


def test_the_public_fetches_the_draft_while_it_is_out_for_comment(
    client, out_for_comment, uploaded
):
    response = public_draft(client, out_for_comment, datetime.date(2020, 3, 5))

    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert quote("征求意见稿") in response["Content-Disposition"]
    assert body(response) == uploaded[0]


def test_the_public_draft_is_not_served_before_the_period_opens(client, out_for_comment):
    assert public_draft(client, out_for_comment, datetime.date(2020, 3, 1)).status_code == 404


def test_the_public_draft_is_not_served_once_the_period_is_over(client, out_for_comment, drafter):
    assert public_draft(client, out_for_comment, datetime.date(2020, 3, 14)).status_code == 404
    actions.close_comment_period(out_for_comment, by=drafter, on=datetime.date(2020, 3, 16))
    assert public_draft(client, out_for_comment, datetime.date(2020, 3, 16)).status_code == 404


def test_a_draft_never_out_for_comment_is_not_public(client, document, uploaded):
    assert public_draft(client, document, datetime.date(2020, 3, 5)).status_code == 404


def test_files_are_read_through_the_storage_api_not_a_path(client, document, drafter, settings):
    """Nothing on disk: a download that works from InMemoryStorage works from S3 too."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    data = docx_bytes()
    version = actions.add_version(
        document, by=drafter, upload=SimpleUploadedFile("送审稿.docx", data)
    )
    assert isinstance(storages["default"], InMemoryStorage)
    assert version.file.storage.exists(version.file.name)
    client.force_login(drafter)

    response = client.get(reverse("desk:version_file", args=[document.pk, 1]))

    assert response.status_code == 200 and body(response) == data
