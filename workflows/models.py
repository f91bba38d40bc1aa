from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from review.models import NormativeDocument

from .nodes import document_of


class DocumentProcess(Process):
    """A process working on one NormativeDocument, linked as `process.artifact`."""

    class Meta:
        proxy = True
        verbose_name = _("文件流程")
        verbose_name_plural = _("文件流程")

    @property
    def document(self):
        return document_of(self)


def processes_of(document):
    """Every process (of either flow) working on `document`."""
    ct = ContentType.objects.get_for_model(NormativeDocument)
    return DocumentProcess.objects.filter(artifact_content_type=ct, artifact_object_id=document.pk)
