from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from .signals import remember_if_free


class AccountsConfig(AppConfig):
    """The staff account's second factor (TOTP): enrolment, verification, recovery
    codes, the administrator's reset. Pages only; the records are written by
    review.actions.second_factor."""

    name = "accounts"
    verbose_name = "账号安全"

    def ready(self):
        user_logged_in.connect(remember_if_free, dispatch_uid="guifan-second-factor")
        from . import security  # models are loaded only now (tests/test_import_graph.py)

        security.connect()
