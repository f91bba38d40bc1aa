"""The signed package: one zip an archive or a court can check without guifan.

    manifest.json   {"format", "version", "kind", "sender", "idempotency_key",
                     "created_at", "payload", "files": [{"name", "sha256", "size"}]}
    signature       Ed25519 signature of manifest.json's exact bytes (base64)
    files/<name>    each file the manifest lists, and nothing else

Reading checks the shape before anything is trusted: size and member count bounded
(GUIFAN_PACKAGE_MAX_BYTES, GUIFAN_PACKAGE_MAX_FILES), each member's declared size
checked before it is read (a zip bomb is refused unread), names without paths
outside `files/`, every listed file present with its hash, nothing unlisted. The
signature is checked by the caller against the trusted key the manifest names.
"""

import base64
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import Refused
from . import keys

FORMAT = "guifan-filing-package"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature"


class PackageRefused(Refused):
    """A package that is not well formed, does not verify or is not for this deployment."""


@dataclass
class Package:
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    files: dict  # name → bytes
    sha256: str

    @property
    def kind(self):
        return self.manifest["kind"]

    @property
    def sender(self):
        return self.manifest["sender"]

    @property
    def idempotency_key(self):
        return self.manifest["idempotency_key"]

    @property
    def payload(self):
        return self.manifest["payload"]


def build(kind, payload, files, idempotency_key):
    """The package's bytes, signed with this deployment's key. `files`: (name, bytes)."""
    listed = [
        {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for name, data in files
    ]
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "sender": keys.own_key_id(),
        "idempotency_key": idempotency_key,
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "payload": payload,
        "files": listed,
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, base64.b64encode(keys.sign(manifest_bytes)))
        for name, data in files:
            archive.writestr(f"files/{name}", data)
    return out.getvalue()


def _member(archive, name, budget):
    info = archive.getinfo(name)
    if info.file_size > budget:
        raise PackageRefused(_("包内文件过大：%(name)s") % {"name": name})
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise PackageRefused(_("包内文件大小与声明不符：%(name)s") % {"name": name})
    return data


def _manifest(archive, names, budget):
    if MANIFEST not in names or SIGNATURE not in names:
        raise PackageRefused(_("包中缺少清单或签名"))
    raw = _member(archive, MANIFEST, budget)
    try:
        manifest = json.loads(raw)
        signature = base64.b64decode(_member(archive, SIGNATURE, 1024), validate=True)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PackageRefused(_("包的清单或签名无法读取")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRefused(_("不是备案互联包"))
    if manifest.get("version") != VERSION:
        raise PackageRefused(_("不支持的备案互联包版本：%(v)s") % {"v": manifest.get("version")})
    for field in ("kind", "sender", "idempotency_key", "payload", "files"):
        if field not in manifest:
            raise PackageRefused(_("包的清单缺少字段：%(f)s") % {"f": field})
    return raw, manifest, signature


def read(data):
    """The package in `data`, its shape and file hashes checked (not yet its signature)."""
    limit = settings.GUIFAN_PACKAGE_MAX_BYTES
    if len(data) > limit:
        raise PackageRefused(_("包超过大小上限（%(n)s 字节）") % {"n": limit})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise PackageRefused(_("不是有效的备案互联包（zip）")) from exc
    if len(names) > settings.GUIFAN_PACKAGE_MAX_FILES + 2 or len(set(names)) != len(names):
        raise PackageRefused(_("包内文件过多或重名"))
    if sum(info.file_size for info in archive.infolist()) > limit:
        raise PackageRefused(_("包解压后超过大小上限（%(n)s 字节）") % {"n": limit})
    raw, manifest, signature = _manifest(archive, names, limit)
    files = {}
    listed = {f"files/{item.get('name', '')}": item for item in manifest["files"]}
    unlisted = set(names) - set(listed) - {MANIFEST, SIGNATURE}
    if unlisted:
        raise PackageRefused(
            _("包内有清单未列出的文件：%(n)s") % {"n": "、".join(sorted(unlisted))}
        )
    for member, item in listed.items():
        name = item.get("name", "")
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise PackageRefused(_("包内文件名无效：%(n)s") % {"n": name})
        if member not in names:
            raise PackageRefused(_("包中缺少清单列出的文件：%(n)s") % {"n": name})
        content = _member(archive, member, limit)
        if hashlib.sha256(content).hexdigest() != item.get("sha256"):
            raise PackageRefused(_("文件的 SHA-256 与清单不符：%(n)s") % {"n": name})
        files[name] = content
    return Package(
        manifest=manifest,
        manifest_bytes=raw,
        signature=signature,
        files=files,
        sha256=hashlib.sha256(data).hexdigest(),
    )
