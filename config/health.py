"""/health/ for the load balancer (django-health-check).

Failures (HTTP 500): the database, the cache, the media storage. Warnings (HTTP 200,
named in the body): next year's holiday calendar not yet entered, and — when the
project has an outbox — its backlog. A warning is something for the administrator to
do, never a reason to take a healthy process out of the pool.
"""

import dataclasses

from django.conf import settings
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceWarning
from health_check.views import HealthCheckView

from notifications import delivery
from review.calendar import WorkingCalendar


@dataclasses.dataclass
class NextYearCalendar(HealthCheck):
    """Warns while next year's 节假日与调休 are not known (neither chinesecalendar has
    it nor an administrator marked it complete): deadlines running into it are only
    provisional (暂定). The State Council publishes the schedule around November;
    docs/calendar.md says how to enter it."""

    def run(self):
        year = timezone.localdate().year + 1
        if not WorkingCalendar().knows(year):
            raise ServiceWarning(
                f"no holiday calendar for {year}: deadlines in it are provisional; "
                f"enter it under 年度节假日安排 (admin)"
            )


@dataclasses.dataclass
class OutboxBacklog(HealthCheck):
    """Warns while notifications wait: outbox rows pending longer than
    `GUIFAN_OUTBOX_WARN_MINUTES` (the sender, `send_notifications`, is not running or
    the mail server refuses), or rows that failed for good (docs/notifications.md)."""

    def run(self):
        pending, failed = delivery.backlog(settings.GUIFAN_OUTBOX_WARN_MINUTES)
        if pending or failed:
            raise ServiceWarning(
                f"notification outbox: {pending} message(s) pending longer than "
                f"{settings.GUIFAN_OUTBOX_WARN_MINUTES} min, {failed} failed; "
                f"check that send_notifications runs (cron) and the mail server"
            )


CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    NextYearCalendar,
    OutboxBacklog,
)


class HealthView(HealthCheckView):
    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        failures = [r for r in self.results if r.error and not isinstance(r.error, ServiceWarning)]
        if response.status_code == 500 and not failures:
            response.status_code = 200  # warnings only: healthy
        return response
