"""Make, list or revoke API tokens from the shell, as the token page does.

    manage.py api_token create --org akmz --by admin --name 省平台 --roles auditor,registrar [--scope read] [--days 90]
    manage.py api_token list [--org akmz]
    manage.py api_token revoke PREFIX --by admin

`create` prints the token once, on the last line; only its digest is kept.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api import tokens
from api.models import ApiToken, TokenScope
from review.errors import Refused
from review.models import Organisation


class Command(BaseCommand):
    help = "创建、列出或撤销接口令牌 (make, list or revoke API tokens)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        create = sub.add_parser("create")
        create.add_argument("--org", required=True, metavar="CODE")
        create.add_argument("--by", required=True, metavar="USERNAME", help="本单位系统管理员")
        create.add_argument("--name", required=True)
        create.add_argument("--roles", required=True, help="逗号分隔，如 auditor,registrar")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        create.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS)
        listing = sub.add_parser("list")
        listing.add_argument("--org", metavar="CODE")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        revoke.add_argument("--by", required=True, metavar="USERNAME")

    def _user(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username} (no such user).")
        return user

    def handle(self, *args, **o):
        try:
            getattr(self, f"_{o['what']}")(o)
        except Refused as refusal:
            raise CommandError(refusal.message) from refusal

    def _create(self, o):
        organisation = Organisation.objects.filter(code=o["org"]).first()
        if organisation is None:
            raise CommandError(f"没有单位 {o['org']} (no such organisation).")
        token, clear = tokens.create_token(
            organisation=organisation,
            by=self._user(o["by"]),
            name=o["name"],
            roles=[r.strip() for r in o["roles"].split(",") if r.strip()],
            scope=o["scope"],
            days=o["days"],
        )
        self.stdout.write(f"令牌 {token.prefix} 有效期至 {token.expires_at:%Y-%m-%d}；仅显示一次：")
        self.stdout.write(clear)

    def _list(self, o):
        listed = ApiToken.objects.select_related("organisation")
        if o["org"]:
            listed = listed.filter(organisation__code=o["org"])
        for t in listed:
            state = "revoked" if t.revoked_at else ("active" if t.is_usable() else "expired")
            self.stdout.write(
                f"{t.prefix}\t{t.organisation.code}\t{t.scope}\t{t.expires_at:%Y-%m-%d}\t{state}\t{t.name}"
            )

    def _revoke(self, o):
        token = ApiToken.objects.select_related("organisation").filter(prefix=o["prefix"]).first()
        if token is None:
            raise CommandError(f"没有令牌 {o['prefix']} (no such token).")
        tokens.revoke_token(token, by=self._user(o["by"]))
        self.stdout.write(f"令牌 {token.prefix} 已撤销 (revoked).")
