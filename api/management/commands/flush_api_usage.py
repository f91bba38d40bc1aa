"""Move the API's per-token request counters from the cache into the daily rows
(api.usage). Run after midnight and before a restart; requests flush themselves at
most once a minute per token in between."""

from django.core.management.base import BaseCommand

from api import usage


class Command(BaseCommand):
    help = "把缓存中的接口请求计数写入每日用量 (flush API usage counters)."

    def handle(self, *args, **options):
        self.stdout.write(f"{usage.flush_all()}")
