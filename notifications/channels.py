"""Where an outbox message goes: one `Channel` per `OutboxMessage.channel`.

Email (Django's email framework: SMTP from the environment, console in development)
is built in. SMS or 政务微信 is a plug-in point, not a vendor integration: write a
class with `name` and `send(message)`, list it in the setting
`GUIFAN_NOTIFICATION_CHANNELS` (`{"sms": "mybureau.sms.SmsChannel"}`), and write outbox
rows with `channel="sms"` and the phone number or WeCom user id as `recipient`.
`send` raises on failure (the row is retried with backoff) and must be safe to call
twice for one row (use `message.message_id` as the vendor's idempotency key).
See docs/notifications.md.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


class Channel:
    name = ""

    def send(self, message):  # pragma: no cover - the interface
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def send(self, message):
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"Message-ID": message.message_id},
        )
        email.send(fail_silently=False)


def channel(name):
    path = settings.GUIFAN_NOTIFICATION_CHANNELS.get(name)
    if path is None:
        raise LookupError(f"no notification channel named {name!r}")
    return import_string(path)()
