"""Walk the audit hash chain, check it against the signed anchors, anchor its head.

Run it from cron: a broken chain or an anchor the chain no longer matches exits
non-zero, so the scheduler's mail reaches the administrator with the first event or
anchor that does not match. When all is well, the head is signed and appended to the
anchor store (GUIFAN_AUDIT_ANCHOR_DIR), so that from now on a change to any event up
to it is detected even if every later hash is recomputed.
"""

from django.core.management.base import BaseCommand, CommandError

from review import audit_anchor
from review.audit import ChainBroken, hashes_at, verify_chain
from review.comments import verify_digests


class Command(BaseCommand):
    help = (
        "校验审计链：逐条核对审计记录的序号和哈希，并与库外保存的签名锚点比对；"
        "链条完整则报告记录条数并为链头写入新的签名锚点，发现断裂或与锚点不符则指出"
        "第一条出问题的记录并以非零状态退出。"
        " (Verify the audit hash chain against the signed anchors kept outside the database,"
        " then anchor its head; exits non-zero at the first broken event or anchor.)"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-anchor",
            action="store_true",
            help="只校验，不写入新锚点（例如在恢复演练的副本上）(verify only, write no anchor)",
        )

    def handle(self, *args, no_anchor=False, **options):
        try:
            count, head = verify_chain()
        except ChainBroken as exc:
            raise CommandError(
                f"审计链在第 {exc.seq} 号记录处断裂：{exc.reason} (audit chain broken at event {exc.seq})"
            ) from exc
        problems = verify_digests()
        if problems:
            period, reason = problems[0]
            raise CommandError(
                f"第 {period} 号征求意见期：{reason} (comments changed after the period closed)"
            )
        store = audit_anchor.store()
        try:
            latest = audit_anchor.check_anchors(store.anchors(), hashes_at)
        except audit_anchor.AnchorMismatch as exc:
            raise CommandError(
                f"审计链与第 {exc.seq} 号签名锚点不符：{exc.reason}"
                f" (audit chain does not match the signed anchor at event {exc.seq}: tampering)"
            ) from exc
        self.stdout.write(f"审计链完整：共 {count} 条记录 (audit chain intact: {count} events)")
        if latest:
            self.stdout.write(
                f"与签名锚点一致：至第 {latest.seq} 号（密钥 {latest.key_id}）"
                f" (matches the signed anchors up to event {latest.seq})"
            )
        if no_anchor or head is None or (latest and tuple(head) == (latest.seq, latest.head_hash)):
            return
        try:
            anchor = audit_anchor.sign(*head)
            where = store.append(anchor)
        except (audit_anchor.AnchorMismatch, OSError) as exc:
            raise CommandError(f"无法写入签名锚点 (cannot write the anchor): {exc}") from exc
        self.stdout.write(f"已写入签名锚点：第 {anchor.seq} 号 → {where} (anchor written)")
