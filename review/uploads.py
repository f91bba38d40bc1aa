"""Upload checks: size, type, zip bombs and macros, before anything is stored.

A .docx is a zip: it is opened without extracting, every member's declared and
actual sizes are bounded, and macro-enabled content is refused outright.
"""

import io
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import Refused
from .text import clean_text

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MACRO_MARKERS = ("vbaproject.bin", "vbadata.xml", "activex")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRejected(Refused):
    pass


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_upload(upload, allowed=("docx",)):
    """Read an uploaded file (Django UploadedFile or anything with .name and .read())
    and return (bytes, extension) after checking size and type."""
    name = getattr(upload, "name", "") or ""
    ext = extension_of(name)
    limit = settings.GUIFAN_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(
            _("文件过大（%(size)s 字节），上限为 %(limit)s 字节") % {"size": size, "limit": limit}
        )
    if ext in ("docm", "dotm", "xlsm"):
        raise UploadRejected(
            _("不接受启用宏的文档（.%(ext)s），请另存为 .docx 后上传") % {"ext": ext}
        )
    if ext not in allowed:
        raise UploadRejected(
            _("不支持的文件类型“.%(ext)s”，只接受：%(allowed)s")
            % {"ext": ext or "?", "allowed": "、".join("." + a for a in allowed)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(_("文件过大，上限为 %(limit)s 字节") % {"limit": limit})
    if not data:
        raise UploadRejected(_("文件为空"))
    if ext == "docx":
        check_docx(data)
    elif ext == "pdf" and not data.startswith(b"%PDF-"):
        raise UploadRejected(_("文件内容不是 PDF"))
    elif ext in ("doc", "wps") and not data.startswith(OLE_MAGIC):
        # Word 97-2003 and WPS files are OLE compound documents: anything else is
        # something renamed.
        raise UploadRejected(
            _("文件内容不是 .%(ext)s 文档（应为 Word 97-2003 或 WPS 格式）") % {"ext": ext}
        )
    elif ext == "txt":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UploadRejected(_("文本文件须为 UTF-8 编码")) from exc
    return data, ext


def check_docx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UploadRejected(_("文件不是有效的 .docx 文档")) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UploadRejected(_("文档内部文件过多，疑似压缩炸弹，已拒绝"))
        names = {m.filename.lower() for m in members}
        if "[content_types].xml" not in names or "word/document.xml" not in names:
            raise UploadRejected(_("文件不是有效的 .docx 文档"))
        total = 0
        for member in members:
            if member.filename.startswith("/") or ".." in member.filename.split("/"):
                raise UploadRejected(_("文档内部路径非法，已拒绝"))
            if any(marker in member.filename.lower() for marker in MACRO_MARKERS):
                raise UploadRejected(_("文档包含宏或控件，已拒绝；请删除宏后另存为 .docx"))
            total += member.file_size
            if total > MAX_UNCOMPRESSED:
                raise UploadRejected(_("文档解压后过大，疑似压缩炸弹，已拒绝"))
            if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
                raise UploadRejected(_("文档压缩比异常，疑似压缩炸弹，已拒绝"))
        # A damaged member (bad CRC, broken deflate stream, a declared size that lies,
        # encryption) is a bad upload, not a server error.
        try:
            content_types = _read_bounded(archive, "[Content_Types].xml")
            if b"macroEnabled" in content_types or b"vbaProject" in content_types:
                raise UploadRejected(_("文档包含宏（启用宏的文档），已拒绝"))
            # Declared sizes can lie: read the body with a hard cap.
            _read_bounded(archive, "word/document.xml")
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            KeyError,
            NotImplementedError,
            RuntimeError,
        ) as exc:
            raise UploadRejected(_("文件不是有效的 .docx 文档")) from exc


def _read_bounded(archive, name):
    with archive.open(name) as handle:
        data = handle.read(MAX_UNCOMPRESSED + 1)
    if len(data) > MAX_UNCOMPRESSED:
        raise UploadRejected(_("文档解压后过大，疑似压缩炸弹，已拒绝"))
    return data


def docx_text(data):
    """The text of a .docx: paragraphs, then table cells, one per line, without
    control characters (review.text)."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (
        Exception
    ) as exc:  # untrusted input: python-docx fails in many ways on a malformed package
        raise UploadRejected(_("文件不是有效的 .docx 文档")) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return clean_text("\n".join(lines)).strip()
