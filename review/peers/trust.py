"""Trust, set up once by each side's system administrator (issue 22).

`add_peer` trusts another deployment's public key for named organisations of this
deployment's register and gives the peer its service user: a user without a usable
password (it cannot log in) holding the one role the peer plays here —
备案审查人员 of an authority that local bodies file with, or 报备人员 of a body that
files with a local authority. Every change is in the security log.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import security_log
from ..errors import Refused
from ..models import FilingPeer, Membership, Organisation, SecurityKind
from ..states import Role
from . import keys


def role_for(organisation):
    """The role a peer speaking for `organisation` plays here: an authority that local
    bodies file with decides on their filings; any other body files."""
    if organisation.filers.exists():
        return Role.FILING_REVIEWER
    return Role.FILING_CLERK


def _organisations(codes):
    found = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Refused(_("未知的单位代码：%(codes)s") % {"codes": "、".join(unknown)})
    if not codes:
        raise Refused(_("请至少指定一个对方代表的单位（--organisation）"))
    return [found[code] for code in codes]


@transaction.atomic
def add_peer(*, name, public_key_pem, organisation_codes, url="", by=None):
    name = (name or "").strip()
    if not name:
        raise Refused(_("请填写对方部署的名称"))
    key = keys.load_public_pem(public_key_pem)
    key_id = keys.fingerprint(key)
    if key_id == keys.fingerprint(keys.own_private_key(create=True).public_key()):
        raise Refused(_("这是本部署自己的公钥"))
    if FilingPeer.objects.filter(key_id=key_id).exists():
        raise Refused(_("该公钥已被信任"))
    if FilingPeer.objects.filter(name=name).exists():
        raise Refused(_("已有同名的互联部署：%(name)s") % {"name": name})
    organisations = _organisations(organisation_codes)
    user = get_user_model().objects.create(
        username=f"peer-{slugify(name, allow_unicode=False) or key_id[:12]}"[:150],
        first_name=name[:150],
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    peer = FilingPeer.objects.create(
        name=name, key_id=key_id, public_key=keys.public_pem(key), url=url, service_user=user
    )
    peer.organisations.set(organisations)
    for organisation in organisations:
        Membership.objects.create(user=user, organisation=organisation, role=role_for(organisation))
    security_log.record(
        SecurityKind.SETTINGS_CHANGED,
        user=by,
        change="filing_peer_added",
        peer=name,
        key_id=key_id,
        organisations=[o.code for o in organisations],
    )
    return peer


@transaction.atomic
def revoke_peer(name, *, by=None):
    peer = FilingPeer.objects.select_for_update().filter(name=name).first()
    if peer is None:
        raise Refused(_("没有名为“%(name)s”的互联部署") % {"name": name})
    if peer.revoked_at is None:
        peer.revoked_at = timezone.now()
        peer.save(update_fields=["revoked_at"])
        user = peer.service_user
        user.is_active = False
        user.save(update_fields=["is_active"])
        security_log.record(
            SecurityKind.SETTINGS_CHANGED,
            user=by,
            change="filing_peer_revoked",
            peer=name,
            key_id=peer.key_id,
        )
    return peer


@transaction.atomic
def set_peer_url(name, url, *, by=None):
    """The address a peer's packages are pushed to (its server moved, or pushing starts
    or stops: an empty address means offline packages only). In the security log."""
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise Refused(
                _("地址无效：%(url)s（应为 http:// 或 https:// 开头的完整地址）") % {"url": url}
            ) from error
    peer = FilingPeer.objects.select_for_update().filter(name=name).first()
    if peer is None:
        raise Refused(_("没有名为“%(name)s”的互联部署") % {"name": name})
    before = peer.url
    if before != url:
        peer.url = url
        peer.save(update_fields=["url"])
        security_log.record(
            SecurityKind.SETTINGS_CHANGED,
            user=by,
            change="filing_peer_url",
            peer=name,
            before=before,
            after=url,
        )
    return peer
