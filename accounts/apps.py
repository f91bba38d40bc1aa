from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """The staff account's second factor (TOTP): enrolment, verification, recovery
    codes, the administrator's reset. Pages only; the records are written by
    review.actions.second_factor."""

    name = "accounts"
    verbose_name = "账号安全"
