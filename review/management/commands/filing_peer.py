"""Trust between deployments (issue 22, docs/filing-peers.md).

manage.py filing_peer key --output 本部署公钥.pem      # make (once) and write this side's public key
manage.py filing_peer add --name 安康市司法局 --public-key 对方公钥.pem --organisation aksfj [--url URL]
manage.py filing_peer url --name 安康市司法局 --url URL     # the address moved ("" = offline only)
manage.py filing_peer revoke --name 安康市司法局
manage.py filing_peer list
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.errors import Refused
from review.models import FilingPeer
from review.peers import keys, trust


class Command(BaseCommand):
    help = gettext_lazy(
        "互联部署的信任设置：写出本部署公钥；信任对方公钥（代表哪些单位）；撤销；列出。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        key = sub.add_parser("key", help=gettext_lazy("写出本部署的公钥（首次运行时生成密钥）"))
        key.add_argument("--output", required=True, metavar="PATH")
        add = sub.add_parser("add", help=gettext_lazy("信任另一部署的公钥"))
        add.add_argument("--name", required=True)
        add.add_argument("--public-key", required=True, metavar="PATH")
        add.add_argument("--organisation", action="append", default=[], metavar="CODE")
        add.add_argument("--url", default="")
        url = sub.add_parser("url", help=gettext_lazy("更改另一部署的推送地址（留空：只用离线包）"))
        url.add_argument("--name", required=True)
        url.add_argument("--url", required=True)
        revoke = sub.add_parser("revoke", help=gettext_lazy("撤销对另一部署的信任"))
        revoke.add_argument("--name", required=True)
        sub.add_parser("list", help=gettext_lazy("列出互联部署"))

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except Refused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _key(self, options):
        public = keys.own_private_key(create=True).public_key()
        Path(options["output"]).write_text(keys.public_pem(public), encoding="ascii")
        self.stdout.write(
            _("本部署公钥已写出：%(path)s（指纹 %(id)s）")
            % {"path": options["output"], "id": keys.fingerprint(public)}
        )

    def _add(self, options):
        path = Path(options["public_key"])
        if not path.is_file():
            raise CommandError(_("公钥文件不存在：%(path)s") % {"path": path})
        peer = trust.add_peer(
            name=options["name"],
            public_key_pem=path.read_text(encoding="ascii", errors="replace"),
            organisation_codes=options["organisation"],
            url=options["url"],
        )
        codes = "、".join(peer.organisations.values_list("code", flat=True))
        self.stdout.write(
            _("已信任：%(name)s（指纹 %(id)s…），代表 %(codes)s")
            % {"name": peer.name, "id": peer.key_id[:16], "codes": codes}
        )

    def _url(self, options):
        peer = trust.set_peer_url(options["name"], options["url"])
        self.stdout.write(
            _("“%(name)s”的推送地址：%(url)s") % {"name": peer.name, "url": peer.url}
            if peer.url
            else _("“%(name)s”不再推送，只用离线包") % {"name": peer.name}
        )

    def _revoke(self, options):
        peer = trust.revoke_peer(options["name"])
        self.stdout.write(
            _("已撤销信任：%(name)s（%(at)s）")
            % {"name": peer.name, "at": f"{peer.revoked_at:%Y-%m-%d %H:%M}"}
        )

    def _list(self, options):
        for peer in FilingPeer.objects.prefetch_related("organisations"):
            status = _("已撤销") if peer.revoked_at else _("有效")
            codes = "、".join(o.code for o in peer.organisations.all())
            self.stdout.write(f"{peer.name}\t{peer.key_id[:16]}\t{status}\t{codes}\t{peer.url}")
