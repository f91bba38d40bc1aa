from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public comment portal: the only pages strangers reach (no login)."""

    name = "portal"
