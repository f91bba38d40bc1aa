"""This deployment's signing key and the keys of the peers it trusts.

Ed25519 (RFC 8032) through `cryptography`: small keys, deterministic signatures. A key
is named by its fingerprint, the SHA-256 of its raw public bytes in hex, which a
package carries so that the receiver finds the peer without trying every key.
"""

import hashlib
import os

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.utils.translation import gettext as _

from ..errors import Refused


class KeyRefused(Refused):
    """A public key file that is not an Ed25519 public key in PEM."""


def _private_pem(key):
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def own_private_key(create=False):
    """The deployment's private key from GUIFAN_PEER_KEY_FILE; made there (mode 0600)
    when `create` and there is none yet."""
    path = settings.GUIFAN_PEER_KEY_FILE
    if not path.exists():
        if not create:
            raise Refused(
                _("本部署尚无互联签名密钥，请先运行 manage.py filing_peer key --output 公钥文件")
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(_private_pem(Ed25519PrivateKey.generate()))
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_pem(public_key):
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def fingerprint(public_key):
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def load_public_pem(text):
    try:
        key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise KeyRefused(_("不是有效的公钥文件（PEM）")) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyRefused(_("公钥须为 Ed25519 公钥"))
    return key


def own_key_id():
    return fingerprint(own_private_key().public_key())


def sign(data):
    return own_private_key().sign(data)


def verifies(public_pem_text, signature, data):
    try:
        load_public_pem(public_pem_text).verify(signature, data)
    except (InvalidSignature, KeyRefused):
        return False
    return True
