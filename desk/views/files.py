"""Downloads of a document's uploaded files: its versions and attachments.

Never a /media/ URL: each file is served by a view that finds the document among
those the user may see (another organisation's document is a 404, as on the
document page) and reads the bytes through the FileField's storage, so a shared
volume or S3-compatible storage serves them as the local disk does. The name is
sent as RFC 5987 UTF-8 (filename*=utf-8''…) and the type from the upload's kind.
A typed version or attachment (no file) downloads as its text.
"""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from review import downloads
from review.models import Attachment, DocumentVersion, SecurityKind

from .common import log_security, login_required, visible_documents


def stored_file(field, text, filename, content_type):
    """The file's bytes from its storage, or `text` when nothing was uploaded."""
    if field:
        response = FileResponse(
            field.open("rb"), as_attachment=True, filename=filename, content_type=content_type
        )
    else:
        response = HttpResponse(text, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    # The files of a document in progress are not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def version_file(request, pk, number):
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    version = get_object_or_404(DocumentVersion, document=document, number=number)
    version.document = document
    filename, content_type = downloads.version_name(version)
    log_security(
        request,
        SecurityKind.FILE_DOWNLOADED,
        document_id=document.pk,
        version=number,
        file=filename,
    )
    return stored_file(version.file, version.text, filename, content_type)


@login_required
def attachment_file(request, pk, attachment_pk):
    document = get_object_or_404(visible_documents(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, document=document, pk=attachment_pk)
    filename, content_type = downloads.attachment_name(attachment)
    log_security(
        request,
        SecurityKind.FILE_DOWNLOADED,
        document_id=document.pk,
        attachment=attachment.pk,
        file=filename,
    )
    return stored_file(attachment.file, attachment.text, filename, content_type)
