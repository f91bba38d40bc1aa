"""The bell's numbers on every page: one query, read only when a template uses them
(lazily), the same cost with 3 unread notifications or 3,000."""

from django.utils.functional import SimpleLazyObject

from .models import Notification

BELL_SIZE = 5  # listed under the bell
COUNT_CAP = 99  # shown as "99+" beyond


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"bell": SimpleLazyObject(lambda: read(user))}


def read(user):
    unread = list(
        Notification.objects.filter(user=user, read_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values("pk", "title")[: COUNT_CAP + 1]
    )
    shown = f"{COUNT_CAP}+" if len(unread) > COUNT_CAP else str(len(unread))
    return {"unread": shown, "count": len(unread), "latest": unread[:BELL_SIZE]}
