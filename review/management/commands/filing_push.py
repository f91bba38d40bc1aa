"""Push the queued filing packages to the peers' APIs (issue 22, docs/filing-peers.md).
A periodic command (every 5 minutes, like the other timers): each due package is sent;
one that cannot be delivered waits, the wait doubling (GUIFAN_PUSH_RETRY_SECONDS up to
GUIFAN_PUSH_RETRY_MAX_SECONDS).

manage.py filing_push
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.peers import push


class Command(BaseCommand):
    help = gettext_lazy(
        "发送到期的待发送备案互联包（报送、审查决定、纠正情况报告）；未送达的按退避时间重试。"
    )

    def handle(self, *args, **options):
        for row in push.send_due():
            facts = {
                "kind": row.get_kind_display(),
                "title": row.document.title if row.document else "",
                "peer": row.peer.name,
            }
            if row.status == row.Status.ACCEPTED:
                line = _("已送达：%(kind)s《%(title)s》→ %(peer)s，接收日期 %(on)s") % {
                    **facts,
                    "on": row.accepted_on,
                }
            elif row.status == row.Status.QUEUED:
                line = _(
                    "未送达：%(kind)s《%(title)s》→ %(peer)s（第 %(n)s 次），%(at)s 重试：%(error)s"
                ) % {
                    **facts,
                    "n": row.attempts,
                    "at": timezone.localtime(row.next_attempt_at).strftime("%Y-%m-%d %H:%M"),
                    "error": row.last_error,
                }
            else:
                line = _("被拒收：%(kind)s《%(title)s》→ %(peer)s：%(error)s") % {
                    **facts,
                    "error": row.last_error,
                }
            self.stdout.write(line)
