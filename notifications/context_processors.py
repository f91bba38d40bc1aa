"""The bell's numbers on every page, read only when a template uses them (lazily)."""

from django.utils.functional import SimpleLazyObject

from .models import Notification

BELL_SIZE = 5


class Bell:
    def __init__(self, user):
        self.user = user

    def unread(self):
        return Notification.objects.filter(user=self.user, read_at__isnull=True).count()

    def latest(self):
        return list(
            Notification.objects.filter(user=self.user, read_at__isnull=True).order_by(
                "-created_at", "-pk"
            )[:BELL_SIZE]
        )


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": SimpleLazyObject(lambda: _read(user))}


def _read(user):
    bell = Bell(user)
    latest = bell.latest()
    count = len(latest) if len(latest) < BELL_SIZE else bell.unread()
    return {"unread": count, "latest": latest}
