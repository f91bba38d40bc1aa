from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("规范性文件")
    default_auto_field = "django.db.models.BigAutoField"
