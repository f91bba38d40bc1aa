from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The staff pages: task lists, the document page, the register, comment
    moderation and the official outputs."""

    name = "desk"
