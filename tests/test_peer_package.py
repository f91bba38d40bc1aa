"""The filing package's shape, checked before anything in it is trusted (issue 22)."""

import io
import json
import zipfile

import pytest

from review.peers import keys, package
from review.peers.package import PackageRefused


@pytest.fixture
def own_key(settings, tmp_path):
    settings.GUIFAN_PEER_KEY_FILE = tmp_path / "key.pem"
    keys.own_private_key(create=True)


def rebuilt(data, change):
    """The package `data` with its members passed through `change(members) -> members`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: source.read(name) for name in source.namelist()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in change(members).items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_package_reads_back_with_its_files_and_a_signature_that_verifies(own_key):
    data = package.build("filing", {"x": 1}, [("正文.txt", "第一条".encode())], "k" * 64)
    pkg = package.read(data)
    assert pkg.files == {"正文.txt": "第一条".encode()} and pkg.payload == {"x": 1}
    public = keys.public_pem(keys.own_private_key().public_key())
    assert keys.verifies(public, pkg.signature, pkg.manifest_bytes)
    assert not keys.verifies(public, pkg.signature, pkg.manifest_bytes + b" ")


def test_an_unlisted_member_is_refused(own_key):
    data = package.build("filing", {}, [("a.txt", b"a")], "k" * 64)
    extra = rebuilt(data, lambda m: {**m, "files/b.txt": b"b"})
    with pytest.raises(PackageRefused, match="清单未列出"):
        package.read(extra)


def test_a_missing_file_is_refused(own_key):
    data = package.build("filing", {}, [("a.txt", b"a")], "k" * 64)
    missing = rebuilt(data, lambda m: {k: v for k, v in m.items() if k != "files/a.txt"})
    with pytest.raises(PackageRefused, match="缺少清单列出的文件"):
        package.read(missing)


def test_a_name_that_leaves_the_files_folder_is_refused(own_key):
    data = package.build("filing", {}, [("a.txt", b"a")], "k" * 64)

    def escape(members):
        manifest = json.loads(members["manifest.json"])
        manifest["files"][0]["name"] = "../a.txt"
        return {**members, "manifest.json": json.dumps(manifest), "files/../a.txt": b"a"}

    with pytest.raises(PackageRefused):
        package.read(rebuilt(data, escape))


def test_a_zip_bomb_is_refused_before_it_is_inflated(own_key, settings):
    settings.GUIFAN_PACKAGE_MAX_BYTES = 1_000_000
    data = package.build("filing", {}, [("zeros.txt", b"\0" * 2_000_000)], "k" * 64)
    assert len(data) < 1_000_000  # small on the wire, large inflated
    with pytest.raises(PackageRefused, match="解压后超过大小上限"):
        package.read(data)


def test_something_that_is_not_a_package_is_refused(own_key):
    with pytest.raises(PackageRefused, match="不是有效的备案互联包"):
        package.read(b"PK not really a zip")
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(PackageRefused, match="缺少清单或签名"):
        package.read(plain.getvalue())


def test_a_public_key_that_is_not_ed25519_is_refused():
    with pytest.raises(keys.KeyRefused, match="不是有效的公钥文件"):
        keys.load_public_pem("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
