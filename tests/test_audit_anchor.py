"""Signed anchors outside the database: a rewrite with every later hash recomputed is
caught, anchors keep verifying across a key rotation, production needs a real key."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from review import audit, audit_anchor, checks
from review.audit import _EVENT_FIELDS
from review.models import AuditEvent
from tests.test_settings import PRODUCTION, run_manage


@pytest.fixture
def chain(walk):
    walk.prepare()
    assert audit.verify() == 4
    return 4


def verify_audit(*args):
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def anchor_files(directory):
    return sorted(directory.glob("anchor-*.json"))


def rewrite_and_recompute(seq, note):
    """What a database administrator can do: change event `seq` by raw SQL, then
    recompute every later hash and the head so that the chain itself is consistent."""
    rows = AuditEvent.objects.order_by("seq").values_list(*_EVENT_FIELDS)
    prev = audit.GENESIS
    with connection.cursor() as cursor:
        for row in rows:
            fields = dict(zip(_EVENT_FIELDS, row, strict=True))
            if fields["seq"] == seq:
                fields["note"] = note
            if fields["seq"] >= seq:
                content = {k: v for k, v in fields.items() if k not in ("prev_hash", "hash")}
                digest = audit.chain_hash(prev, audit.canonical(**content))
                cursor.execute(
                    "UPDATE review_auditevent SET note = %s, prev_hash = %s, hash = %s"
                    " WHERE seq = %s",
                    [fields["note"], prev, digest, fields["seq"]],
                )
                fields["hash"] = digest
            prev = fields["hash"]
        cursor.execute("UPDATE review_auditchainhead SET last_hash = %s WHERE id = 1", [prev])


def test_the_command_signs_the_head_into_one_new_file_with_seq_hash_time_and_key_id(
    chain, audit_anchor_dir, settings
):
    out = verify_audit()

    [path] = anchor_files(audit_anchor_dir)
    anchor = json.loads(path.read_text())
    head = AuditEvent.objects.get(seq=4)
    assert anchor["seq"] == 4 and anchor["head_hash"] == head.hash
    assert anchor["key_id"] == settings.GUIFAN_AUDIT_KEY_ID
    assert anchor["at"].endswith("+00:00") and len(anchor["signature"]) == 64
    assert "已写入签名锚点：第 4 号" in out
    # Nothing new since: no second anchor; the one written is checked.
    assert "与签名锚点一致：至第 4 号" in verify_audit()
    assert len(anchor_files(audit_anchor_dir)) == 1


def test_an_anchor_file_is_never_overwritten(chain, audit_anchor_dir):
    anchor = audit_anchor.sign(4, AuditEvent.objects.get(seq=4).hash)
    store = audit_anchor.DirectoryAnchorStore()
    store.append(anchor)

    with pytest.raises(FileExistsError):
        store.append(anchor)


def test_a_rewritten_event_with_every_later_hash_recomputed_is_caught_by_the_anchor(
    chain, walk, document
):
    verify_audit()  # anchors event 4
    walk.submit_for_review()  # the chain goes on after the anchor
    verify_audit()
    rewrite_and_recompute(2, "改写的说明")

    # The chain alone cannot see it: every hash was recomputed.
    assert audit.verify() == AuditEvent.objects.count()
    with pytest.raises(CommandError, match="第 4 号签名锚点.*锚点之前的记录被改写"):
        verify_audit()


def test_a_rewrite_after_the_latest_anchor_is_only_the_chains_to_catch(chain, walk):
    """The guarantee covers events up to the latest anchor; run verify_audit often."""
    verify_audit()
    walk.submit_for_review()
    rewrite_and_recompute(5, "锚点之后")

    assert "审计链完整" in verify_audit("--no-anchor")


def test_events_deleted_back_to_before_the_anchor_are_caught(chain):
    verify_audit()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM review_auditevent WHERE seq = 4")
        cursor.execute(
            "UPDATE review_auditchainhead SET last_seq = 3, last_hash = %s WHERE id = 1",
            [AuditEvent.objects.get(seq=3).hash],
        )
    assert audit.verify() == 3

    with pytest.raises(CommandError, match="锚定的记录已不在审计链上"):
        verify_audit()


def test_a_forged_anchor_without_the_key_is_refused(chain, audit_anchor_dir):
    verify_audit()
    rewrite_and_recompute(2, "改写")
    forged = audit_anchor.Anchor(
        seq=4,
        head_hash=AuditEvent.objects.get(seq=4).hash,
        at="2030-01-01T00:00:00+00:00",
        key_id="dev-not-secret",
        signature="0" * 64,
    )
    audit_anchor.DirectoryAnchorStore().append(forged)

    with pytest.raises(CommandError, match="签名无效"):
        verify_audit()


def test_after_a_key_rotation_old_anchors_verify_with_their_own_key_id(chain, walk, settings):
    settings.GUIFAN_AUDIT_KEY_ID = "2025"
    settings.GUIFAN_AUDIT_KEYS = {"2025": "k" * 40}
    verify_audit()
    # Rotation: a new current key, the old one kept as retired.
    settings.GUIFAN_AUDIT_KEY_ID = "2026"
    settings.GUIFAN_AUDIT_KEYS = {"2025": "k" * 40, "2026": "n" * 40}
    walk.submit_for_review()

    out = verify_audit()

    assert "（密钥 2025）" in out and "已写入签名锚点" in out
    key_ids = [a.key_id for a in audit_anchor.store().anchors()]
    assert key_ids == ["2025", "2026"]
    assert "（密钥 2026）" in verify_audit()
    # A retired key that is dropped from the environment leaves its anchors unverifiable.
    settings.GUIFAN_AUDIT_KEYS = {"2026": "n" * 40}
    with pytest.raises(CommandError, match="签名密钥 '2025' 未配置"):
        verify_audit()
    # A retired key with another secret does not verify them either.
    settings.GUIFAN_AUDIT_KEYS = {"2025": "x" * 40, "2026": "n" * 40}
    with pytest.raises(CommandError, match="签名无效"):
        verify_audit()


def test_production_refuses_a_missing_or_development_audit_key(settings):
    settings.PRODUCTION = True
    settings.GUIFAN_AUDIT_KEY_ID = ""
    settings.GUIFAN_AUDIT_KEYS = {}
    assert [e.id for e in checks.audit_signing_key(None)] == ["review.E001"]
    settings.GUIFAN_AUDIT_KEY_ID = settings.GUIFAN_AUDIT_DEV_KEY_ID
    settings.GUIFAN_AUDIT_KEYS = {settings.GUIFAN_AUDIT_DEV_KEY_ID: "z" * 64}
    assert [e.id for e in checks.audit_signing_key(None)] == ["review.E001"]
    settings.GUIFAN_AUDIT_KEY_ID = "2026"
    settings.GUIFAN_AUDIT_KEYS = {"2026": "short"}
    assert [e.id for e in checks.audit_signing_key(None)] == ["review.E001"]
    settings.GUIFAN_AUDIT_KEYS = {"2026": "z" * 64}
    assert checks.audit_signing_key(None) == []


def test_the_production_check_fails_without_the_audit_key(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if not k.startswith("GUIFAN_AUDIT_KEY")}

    result = run_manage("check", **env, GUIFAN_VAR_DIR=str(tmp_path))

    assert result.returncode != 0
    assert "review.E001" in result.stderr and "GUIFAN_AUDIT_KEY" in result.stderr
