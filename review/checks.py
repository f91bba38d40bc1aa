"""System checks of the settings the law's records depend on."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def audit_signing_key(app_configs, **kwargs):
    """Production refuses to run without its own audit signing key: the development
    key is public, and an anchor signed with it proves nothing."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    key_id = settings.GUIFAN_AUDIT_KEY_ID
    key = settings.GUIFAN_AUDIT_KEYS.get(key_id, "")
    if not key_id or key_id == settings.GUIFAN_AUDIT_DEV_KEY_ID or len(key) < 32:
        return [
            Error(
                "生产环境必须设置审计链签名密钥 GUIFAN_AUDIT_KEY（至少 32 个字符）和"
                "密钥编号 GUIFAN_AUDIT_KEY_ID。",
                hint="GUIFAN_AUDIT_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
                " GUIFAN_AUDIT_KEY_ID=2026-01 (docs/deploy.md)",
                obj="settings.GUIFAN_AUDIT_KEY",
                id="review.E001",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Several app processes share their counters (the public comment's rate limit)
    only through a shared cache; a process-local one lets each count alone."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Warning(
                "生产环境未设置共享缓存 REDIS_URL：公众意见的限流按每个进程分别计数，"
                "N 个应用进程的实际上限是 N 倍。",
                hint="REDIS_URL=redis://127.0.0.1:6379/0 (docs/deploy.md)",
                obj="settings.CACHES",
                id="review.W001",
            )
        ]
    return []
