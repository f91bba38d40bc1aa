import hashlib
import io
import random
import struct
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from review import actions, uploads
from review.errors import Refused
from review.models import AuditEvent, DocumentVersion
from review.uploads import UploadRejected

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = "第一条 为规范本市社会救助工作，制定本办法。"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # conftest's users get passwords; the default PBKDF2 costs a quarter second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def docx_bytes(*paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data, replace=None, add=None):
    """The package `data` with some members' content replaced and others added."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def zeros_zip(megabytes):
    """A package whose word/document.xml is `megabytes` MB of zeros, written in chunks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
    return out.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type=DOCX_TYPE)


def assert_rejected(document, drafter, file, *, says):
    """The upload is refused with a Chinese message containing `says`, and nothing is written."""
    versions, events = DocumentVersion.objects.count(), AuditEvent.objects.count()

    with pytest.raises(UploadRejected) as rejected:
        actions.add_version(document, by=drafter, upload=file)

    assert says in rejected.value.message
    assert DocumentVersion.objects.count() == versions
    assert AuditEvent.objects.count() == events
    return rejected.value


# --- a good .docx ---------------------------------------------------------


def test_a_docx_version_keeps_its_paragraph_text_and_the_sha256_of_its_bytes(document, drafter):
    data = docx_bytes("安康市社会救助管理办法", BODY)

    version = actions.add_version(
        document, by=drafter, upload=upload("送审稿.docx", data), note="送审稿"
    )

    assert BODY in version.text
    assert "安康市社会救助管理办法" in version.text
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    with version.file.open("rb") as stored:
        assert stored.read() == data
    event = document.audit_events.order_by("seq").last()
    assert (event.action, event.data["sha256"]) == ("add_version", version.sha256)


# --- refused, with nothing written ----------------------------------------


def test_an_upload_rejection_is_a_refusal_the_page_can_show(document, drafter):
    rejected = assert_rejected(
        document, drafter, upload("送审稿.txt", b"text"), says="不支持的文件类型"
    )

    assert isinstance(rejected, Refused)


def test_a_pdf_version_that_is_not_a_pdf_is_refused(document, drafter):
    # A .pdf is accepted as a version (kept for download, 无法分条显示), if it is one.
    assert_rejected(document, drafter, upload("送审稿.pdf", b"<html>"), says="文件内容不是 PDF")


def test_an_exe_is_not_accepted_as_a_version(document, drafter):
    assert_rejected(
        document, drafter, upload("setup.exe", b"MZ\x90\x00"), says="不支持的文件类型“.exe”"
    )


def test_a_file_without_an_extension_is_not_accepted(document, drafter):
    assert_rejected(document, drafter, upload("送审稿", docx_bytes(BODY)), says="不支持的文件类型")


def test_a_docm_is_refused_as_macro_enabled_whatever_its_content(document, drafter):
    assert_rejected(
        document, drafter, upload("送审稿.docm", docx_bytes(BODY)), says="不接受启用宏的文档"
    )


def test_a_docx_whose_content_types_declare_macros_is_refused(document, drafter):
    data = docx_bytes(BODY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert "wordprocessingml.document.main+xml" in types
    macro_types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
    )

    assert_rejected(
        document,
        drafter,
        upload("送审稿.docx", rezip(data, replace={"[Content_Types].xml": macro_types})),
        says="文档包含宏",
    )


def test_a_docx_containing_a_vba_project_is_refused(document, drafter):
    data = rezip(docx_bytes(BODY), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really ole"})

    assert_rejected(document, drafter, upload("送审稿.docx", data), says="文档包含宏")


def test_a_file_over_the_upload_limit_is_refused(document, drafter, settings):
    data = docx_bytes(BODY)
    settings.GUIFAN_UPLOAD_MAX_BYTES = len(data) - 1

    assert_rejected(document, drafter, upload("送审稿.docx", data), says="文件过大")


def test_a_file_over_the_upload_limit_is_refused_even_when_it_does_not_say_its_size(
    document, drafter, settings
):
    data = docx_bytes(BODY)
    settings.GUIFAN_UPLOAD_MAX_BYTES = len(data) - 1
    file = upload("送审稿.docx", data)
    file.size = None

    assert_rejected(document, drafter, file, says="文件过大")


def test_a_zip_bomb_is_refused_by_its_compression_ratio(document, drafter):
    bomb = zeros_zip(20)  # 20 MB of zeros in about 20 KB
    assert len(bomb) * uploads.MAX_RATIO < 20 << 20

    assert_rejected(document, drafter, upload("送审稿.docx", bomb), says="疑似压缩炸弹")


def test_a_zip_bomb_is_refused_by_its_uncompressed_size(document, drafter, monkeypatch):
    # The real limit is 200 MB; a smaller one keeps the bomb small and the test fast.
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED", 2 << 20)
    monkeypatch.setattr(uploads, "MAX_RATIO", 10**6)

    rejected = assert_rejected(
        document, drafter, upload("送审稿.docx", zeros_zip(3)), says="疑似压缩炸弹"
    )

    assert "解压后过大" in rejected.message


def test_a_docx_whose_declared_size_lies_is_refused_not_a_server_error(document, drafter):
    data = docx_bytes(BODY)
    # The central directory entry of word/document.xml (46 fixed bytes, then the name):
    # declare 100 bytes uncompressed, so the ratio and size checks pass.
    entry = data.index(b"PK\x01\x02")
    while data[entry + 46 : entry + 46 + len(b"word/document.xml")] != b"word/document.xml":
        entry = data.index(b"PK\x01\x02", entry + 1)
    lying = data[: entry + 24] + struct.pack("<I", 100) + data[entry + 28 :]
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 100

    assert_rejected(document, drafter, upload("送审稿.docx", lying), says="不是有效的 .docx")


def test_a_docx_with_a_damaged_member_is_refused_not_a_server_error(document, drafter):
    data = bytearray(docx_bytes(BODY))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        body = archive.getinfo("word/document.xml")
    start = body.header_offset + 30 + len(body.filename.encode()) + len(body.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0xFF

    assert_rejected(document, drafter, upload("送审稿.docx", bytes(data)), says="不是有效的 .docx")


def test_a_zip_that_is_not_a_word_package_is_refused_not_a_server_error(document, drafter):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "这不是 XML")

    assert_rejected(
        document, drafter, upload("送审稿.docx", out.getvalue()), says="不是有效的 .docx"
    )


def test_random_bytes_named_docx_are_refused(document, drafter):
    noise = random.Random(2020).randbytes(4096)

    assert_rejected(document, drafter, upload("送审稿.docx", noise), says="不是有效的 .docx")


def test_an_empty_file_is_refused(document, drafter):
    assert_rejected(document, drafter, upload("送审稿.docx", b""), says="文件为空")
