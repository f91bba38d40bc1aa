from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class DocumentProcess(Process):
    """A process working on one NormativeDocument, linked as `process.artifact`."""

    class Meta:
        proxy = True
        verbose_name = _("文件流程")
        verbose_name_plural = _("文件流程")

    @property
    def document(self):
        return document_of(self)


def document_of(process):
    from .nodes import document_of as _document_of

    return _document_of(process)
