"""What a stored file is called and what type it is when someone downloads it.

The pages serve every uploaded file through a view that checks who may see the
document and reads the bytes through Django's storage API (the FileField's
storage: local disk, a shared volume or S3-compatible storage alike); these
functions only name the file and its type, so the staff and public pages agree.
"""

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "wps": "application/vnd.ms-works",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}
DEFAULT_TYPE = "application/octet-stream"
TEXT = "text/plain; charset=utf-8"


def extension_of_file(field):
    name = (field.name or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(ext):
    return CONTENT_TYPES.get(ext, DEFAULT_TYPE)


def _named(stem, ext):
    stem = stem.replace("/", "／").replace("\\", "＼").strip() or "file"
    return stem if not ext or stem.lower().endswith(f".{ext}") else f"{stem}.{ext}"


def version_name(version, suffix=""):
    """(file name, content type) of a version: 《title》（第N稿） with the upload's
    extension, or .txt for a typed text."""
    ext = extension_of_file(version.file) if version.file else "txt"
    stem = f"{version.document.title}（{suffix or f'第{version.number}稿'}）"
    return _named(stem, ext), content_type(ext)


def attachment_name(attachment):
    """(file name, content type) of an attachment: its name with the upload's extension,
    or .txt for a typed one."""
    ext = extension_of_file(attachment.file) if attachment.file else "txt"
    return _named(attachment.name, ext), content_type(ext)
