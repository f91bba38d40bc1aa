"""Settings, read from the environment.

Development defaults are safe to run on a laptop; production is selected with
DJANGO_ENV=production, which refuses to start without SECRET_KEY and turns on
every transport protection so that `manage.py check --deploy` is clean.
"""

import datetime
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GUIFAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)


def _secret_key():
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "生产环境必须设置 SECRET_KEY 环境变量 (SECRET_KEY is required in production)."
        )
    # Development: a random key kept outside the repository, so sessions survive restarts.
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.apps.GuifanStaticFilesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "health_check",
    "django_fsm",
    "viewflow",
    "viewflow.workflow",
    "review",
    "workflows",
    "desk",
    "portal",
    "accounts",
    "notifications",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    # First: every later log line of the request carries its id (docs/security.md).
    "config.requestlog.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTP: a required role's unverified session goes to enrolment or verification.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the second factor: an expired password goes to the change page first.
    "accounts.policy.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.policy.session_idle",
                "notifications.context_processors.bell",
            ],
        },
    },
]
# Every form sums its errors up at the top and shows each beside its field (desk/rendering.py).
FORM_RENDERER = "desk.rendering.FormRenderer"

# SQLite (WAL) is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guifan.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}


def _sqlite_synchronous():
    value = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").upper()
    if value not in {"FULL", "NORMAL", "EXTRA"}:
        raise ImproperlyConfigured(
            "SQLITE_SYNCHRONOUS 只能是 FULL、NORMAL 或 EXTRA (SQLITE_SYNCHRONOUS must be FULL, NORMAL or EXTRA)"
        )
    return value


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Django's own SQLite backend, configured through its OPTIONS (tests/test_settings.py).
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the write lock when it begins, so two
        # requests never both read a state and then both write it.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        # synchronous=FULL (SQLite's default): a commit reaches the disk before it is
        # acknowledged. Under WAL, NORMAL may lose the last commits to a power cut, and
        # a 文号 already printed would then be issued again. SQLITE_SYNCHRONOUS=NORMAL
        # trades that away for throughput where the disk is protected otherwise.
        # wal_autocheckpoint=10000 pages (40 MB): the WAL is copied into the database
        # ten times less often than SQLite's default 1000, and a page written by many
        # commits in between (a document's row, the audit chain's head) is copied once.
        # docs/performance.md, "Session 3", has the figures.
        "init_command": (
            "PRAGMA journal_mode=WAL; "
            f"PRAGMA synchronous={_sqlite_synchronous()}; "
            "PRAGMA foreign_keys=ON; "
            "PRAGMA wal_autocheckpoint=10000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One process: its own memory is enough. Several app processes (gunicorn workers,
# more machines) must share the cache, or each counts the public rate limits alone.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "guifan",
        }
    }

# Password policy (issue 16, part 5; docs/security.md): at least 10 characters, not a
# common password, not all digits, not like the user's name; GUIFAN_PASSWORD_CLASSES
# (0 = off) of lower, upper, digit and other characters. The recorder checks nothing:
# it notes when a password was set (GUIFAN_PASSWORD_MAX_DAYS) in the security log.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator"},
    {"NAME": "accounts.passwords.PasswordChangeRecorder"},
]
GUIFAN_PASSWORD_CLASSES = int(os.environ.get("GUIFAN_PASSWORD_CLASSES", "0"))
# Days after which a password must be changed at the next page (0 = never).
GUIFAN_PASSWORD_MAX_DAYS = int(os.environ.get("GUIFAN_PASSWORD_MAX_DAYS", "0"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Media: a directory (local, or shared by every app machine over NFS) by default.
# GUIFAN_MEDIA_STORAGE names another Django storage backend, e.g. S3-compatible object
# storage with django-storages (installed separately: storages.backends.s3.S3Storage),
# and GUIFAN_MEDIA_STORAGE_OPTIONS its OPTIONS as a JSON object (docs/deploy.md).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "GUIFAN_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("GUIFAN_MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "desk:login"


def _positive_int(name, default):
    value = os.environ.get(name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(
            f"{name} 必须是正整数 ({name} must be a positive whole number): {value!r}"
        )
    return int(value)


# Login throttling (django-axes). AxesStandaloneBackend comes first and refuses a
# locked-out username before any password is checked; it acts only on
# authenticate() calls that carry a request, which are the two login forms (the
# site's and the admin's). Token authentication never calls authenticate(), so
# API tokens are never counted or locked (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.superuser.SeparatedDutiesBackend",
]
# 三员分立: the Django superuser is for installation only. Once the system, security and
# audit administrators (Role.ADMIN, SECURITY_ADMIN, SECURITY_AUDITOR) each have an
# active holder, a superuser's login is refused — by default in production with DEBUG
# off; GUIFAN_REFUSE_SUPERUSER_LOGIN=0/1 decides otherwise (docs/deploy.md).
GUIFAN_REFUSE_SUPERUSER_LOGIN = env_bool(
    "GUIFAN_REFUSE_SUPERUSER_LOGIN", default=PRODUCTION and not DEBUG
)
# Lock the username, whatever the address: a guesser who changes addresses is
# still stopped, and a bureau is not locked out as a whole by one person's typing
# (behind the reverse proxy every request comes from the proxy's address; in an
# office, from one NAT address). Anyone who knows a username can lock it for the
# cool-off; an administrator can unlock it at once (docs/security.md). axes warns
# (W006) about a lock without the address because of user-agent or cookie
# parameters, which rotate; a username alone does not, hence silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_FAILURE_LIMIT = _positive_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_positive_int("LOGIN_LOCKOUT_MINUTES", 30))
# A successful login clears the username's failures: the user proved the password.
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout are refused without being counted, so the unlock time
# the page shows holds, whoever keeps trying meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
# Failed attempts are kept in the database (axes' default handler): every app
# process sees the same count, and the admin lists and deletes (unlocks) them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Uploads: the form-level limit; review.uploads enforces per-file limits and zip checks.
GUIFAN_UPLOAD_MAX_BYTES = int(os.environ.get("GUIFAN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# A session ends after GUIFAN_SESSION_IDLE_MINUTES without a request: every request
# saves the session and so moves its expiry on. Pages warn 2 minutes before
# (static/desk/session.js reads the time from <body data-session-idle>).
GUIFAN_SESSION_IDLE_MINUTES = _positive_int("GUIFAN_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = GUIFAN_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# The security log is kept this many days, never fewer than 180 (网络安全法 art. 21):
# `manage.py prune_security_log` deletes what is older (docs/security.md).
GUIFAN_SECURITY_LOG_DAYS = _positive_int("GUIFAN_SECURITY_LOG_DAYS", 180)
# Commenters' contact details are erased this many days after the comment period's
# last day (个人信息保护法 art. 19, 47): `manage.py erase_contact_details`.
GUIFAN_CONTACT_RETENTION_DAYS = _positive_int("GUIFAN_CONTACT_RETENTION_DAYS", 365)
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"  # the 403 page in the site layout
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preload puts the domain in the browsers' built-in lists, hard to undo: opt in.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # check --deploy's W021 asks for preload; off by default on purpose (above).
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# The audit chain's signing keys (docs/deploy.md, "审计链签名密钥"). verify_audit signs the
# chain's head with the current key and appends the signed anchor to
# GUIFAN_AUDIT_ANCHOR_DIR, which should live on storage the database administrator
# cannot rewrite. Retired keys stay listed ("id=secret,id=secret") so that anchors
# signed with them keep verifying. Outside production a development key is used;
# in production the system check review.E001 refuses to run without a real one.
GUIFAN_AUDIT_DEV_KEY_ID = "dev-not-secret"
GUIFAN_AUDIT_KEY_ID = os.environ.get("GUIFAN_AUDIT_KEY_ID", "") or (
    "" if PRODUCTION else GUIFAN_AUDIT_DEV_KEY_ID
)
GUIFAN_AUDIT_KEYS = dict(
    item.split("=", 1)
    for item in os.environ.get("GUIFAN_AUDIT_RETIRED_KEYS", "").split(",")
    if "=" in item
)
if os.environ.get("GUIFAN_AUDIT_KEY"):
    GUIFAN_AUDIT_KEYS[GUIFAN_AUDIT_KEY_ID] = os.environ["GUIFAN_AUDIT_KEY"]
elif not PRODUCTION:
    GUIFAN_AUDIT_KEYS[GUIFAN_AUDIT_KEY_ID] = "guifan-development-audit-key"
GUIFAN_AUDIT_ANCHOR_DIR = Path(os.environ.get("GUIFAN_AUDIT_ANCHOR_DIR", VAR_DIR / "audit-anchors"))
# Where anchors go: a class with append(anchor) and anchors(); the directory by default.
GUIFAN_AUDIT_ANCHOR_STORE = os.environ.get(
    "GUIFAN_AUDIT_ANCHOR_STORE", "review.audit_anchor.DirectoryAnchorStore"
)


# ---------------------------------------------------------------------------
# Production hardening (issue 15): reverse proxy, second factor, CSP, logs, health.
# docs/security.md explains each.

# Addresses of our own reverse proxies, comma-separated. Only from them is
# X-Forwarded-For (rate limits) or X-Request-ID (logs) believed.
GUIFAN_TRUSTED_PROXIES = [
    a.strip() for a in os.environ.get("GUIFAN_TRUSTED_PROXIES", "").split(",") if a.strip()
]

# Second factor (django-otp, TOTP). Required for system administrators, legal
# reviewers, legal advisors and filing reviewers (review.roles.SECOND_FACTOR_ROLES);
# optional for the others. Required by default in production only, so that the demo
# (`make run`, DEBUG) logs in with its password alone; GUIFAN_OTP_REQUIRED=1/0 decides.
GUIFAN_OTP_REQUIRED = env_bool("GUIFAN_OTP_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "规范性文件备案审查系统")

# Content Security Policy (django-csp 4). No inline script or style anywhere: every
# page, the admin and the portal load their scripts and styles from our own origin.
_CSP_SELF, _CSP_NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],
        "style-src": [_CSP_SELF],
        "img-src": [_CSP_SELF, "data:"],
        "font-src": [_CSP_SELF],
        "connect-src": [_CSP_SELF],
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
        "report-uri": [os.environ.get("CSP_REPORT_URI", "/csp-report/")],
    }
}

# Structured logs: one JSON object a line (LOG_FORMAT=json, the production default),
# each with the request's id; LOG_FORMAT=text for reading on a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.requestlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request, whatever LOG_LEVEL says of the rest.
        "guifan.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# --- filing between deployments (issue 22, docs/filing-peers.md) -------------------------
# This deployment's Ed25519 signing key (PEM, made on first use by `manage.py filing_peer
# key`, mode 0600); keep it with the audit key, outside the database and its backups.
GUIFAN_PEER_KEY_FILE = Path(os.environ.get("GUIFAN_PEER_KEY_FILE", VAR_DIR / "filing-peer-key.pem"))
# The largest filing package accepted (bytes), and the most files in one.
GUIFAN_PACKAGE_MAX_BYTES = int(os.environ.get("GUIFAN_PACKAGE_MAX_BYTES", 100 * 1024 * 1024))
GUIFAN_PACKAGE_MAX_FILES = int(os.environ.get("GUIFAN_PACKAGE_MAX_FILES", 200))
# Pushing packages to a peer's API (manage.py filing_push): a failed push is tried again
# after GUIFAN_PUSH_RETRY_SECONDS, doubling each time up to GUIFAN_PUSH_RETRY_MAX_SECONDS;
# each request waits at most GUIFAN_PUSH_TIMEOUT_SECONDS.
GUIFAN_PUSH_RETRY_SECONDS = int(os.environ.get("GUIFAN_PUSH_RETRY_SECONDS", 60))
GUIFAN_PUSH_RETRY_MAX_SECONDS = int(os.environ.get("GUIFAN_PUSH_RETRY_MAX_SECONDS", 6 * 3600))
GUIFAN_PUSH_TIMEOUT_SECONDS = int(os.environ.get("GUIFAN_PUSH_TIMEOUT_SECONDS", 30))
# Notifications (issue 20, docs/notifications.md): email through Django's email
# framework; SMTP from the environment in production, the console in development.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "guifan@localhost")
GUIFAN_SITE_URL = os.environ.get("GUIFAN_SITE_URL", "http://127.0.0.1:8000")
GUIFAN_MAIL_DOMAIN = os.environ.get("GUIFAN_MAIL_DOMAIN", "guifan.local")
GUIFAN_MAIL_SUBJECT_PREFIX = os.environ.get("GUIFAN_MAIL_SUBJECT_PREFIX", "规范性文件")
GUIFAN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("GUIFAN_NOTIFY_MAX_ATTEMPTS", "10"))
GUIFAN_NOTIFY_MAX_DELAY_MINUTES = int(os.environ.get("GUIFAN_NOTIFY_MAX_DELAY_MINUTES", "360"))
GUIFAN_NOTIFICATION_CHANNELS = {"email": "notifications.channels.EmailChannel"}
GUIFAN_OUTBOX_WARN_MINUTES = int(os.environ.get("GUIFAN_OUTBOX_WARN_MINUTES", "15"))

# The API (issue 21, docs/api.md): tokens only (no session: the pages' second factor
# and CSRF stay the pages' own), read throttled per token and, without a token, per
# address; the counters are in the cache (Redis when REDIS_URL is set).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenRequired"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.TokenRateThrottle",
        "api.throttling.PublicRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("GUIFAN_API_TOKEN_RATE", "6000/hour"),
        "anon": os.environ.get("GUIFAN_API_PUBLIC_RATE", "1200/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Behind our reverse proxy the client is the last address it adds; else REMOTE_ADDR.
    "NUM_PROXIES": 1 if GUIFAN_TRUSTED_PROXIES else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "规范性文件备案审查系统 API",
    "DESCRIPTION": (
        "文件、目录、台账、备案审查统计、征求意见与审计记录（只读）；"
        "另有互联部署推送备案互联包的接收端。见 docs/api.md、docs/filing-peers.md。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
