"""/health/ for the load balancer (django-health-check).

Failures (HTTP 500): the database, the cache, the media storage. Warnings (HTTP 200,
named in the body): next year's holiday calendar not yet entered, and — when the
project has an outbox — its backlog. A warning is something for the administrator to
do, never a reason to take a healthy process out of the pool.
"""

import dataclasses
import datetime

from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceWarning
from health_check.views import HealthCheckView

from review.calendar import CalendarMissing, WorkingCalendar


@dataclasses.dataclass
class NextYearCalendar(HealthCheck):
    """Warns while next year's 节假日与调休 are unknown: deadlines running into it
    cannot be computed (the State Council publishes them each November or December)."""

    def run(self):
        year = timezone.localdate().year + 1
        try:
            WorkingCalendar().is_working_day(datetime.date(year, 6, 1))
        except CalendarMissing as missing:
            raise ServiceWarning(
                f"no holiday calendar for {year}: enter it under 节假日与调休 (admin)"
            ) from missing


# The hook for an outbox (notifications to send, issue 15 part 5): when its model
# lands, add a check here that raises ServiceWarning when more than N messages are
# older than M minutes, and list it in CHECKS. There is no outbox model yet.

CHECKS = (
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
    NextYearCalendar,
)


class HealthView(HealthCheckView):
    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        failures = [r for r in self.results if r.error and not isinstance(r.error, ServiceWarning)]
        if response.status_code == 500 and not failures:
            response.status_code = 200  # warnings only: healthy
        return response
