from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import checks  # noqa: F401  (registers review.E001: production's audit signing key)


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("规范性文件")
    default_auto_field = "django.db.models.BigAutoField"
