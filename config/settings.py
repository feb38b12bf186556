"""Approdi settings: one module, driven by environment variables.

Every secret can also be read from a file named by ``<NAME>_FILE`` (Docker and
systemd credentials). Without ``DATABASE_URL`` Approdi runs *embedded*: SQLite
under ``var/`` and secrets generated once into ``var/secrets/``, so a newcomer
needs nothing but Python. With ``DATABASE_URL`` set, every secret must be given
explicitly and start-up stops with a clear message when one is missing.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("APPRODI_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file that NAME_FILE points to."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


EMBEDDED = not env("DATABASE_URL")


def private_dir(path: Path) -> Path:
    """A directory of var/ (database, keys, mail): the service user's alone, also when it already existed."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        path.chmod(0o700)
    except PermissionError as error:
        raise ImproperlyConfigured(
            f"{path} holds people's data or keys and must be private (mode 0700), but this user cannot change "
            "its mode. Give it to the user that runs Approdi (chown), or set APPRODI_VAR_DIR."
        ) from error
    return path


def private_file(path: Path) -> Path:
    """Creates ``path`` empty with mode 0600 before anything writes into it (no moment world-readable)."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    path.chmod(0o600)
    return path


def embedded_secret(name: str, make) -> str:
    """A secret kept under var/secrets/, created on first use (embedded mode only)."""
    path = private_dir(VAR_DIR / "secrets") / f"{name.lower()}.txt"
    if not path.exists() or not path.read_text(encoding="utf-8").strip():
        private_file(path).write_text(make(), encoding="utf-8")
    path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def required_secret(name: str, make) -> str:
    value = env(name)
    if value:
        return value
    if EMBEDDED:
        return embedded_secret(name, make)
    raise ImproperlyConfigured(
        f"{name} is not set. With DATABASE_URL set Approdi runs in production mode and "
        f"needs {name} (or {name}_FILE naming a file that holds it). See README.md, 'Configuration'."
    )


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = required_secret("SECRET_KEY", lambda: secrets.token_urlsafe(64))
# Comma-separated Fernet keys, newest first: the first encrypts, all decrypt.
APPRODI_ENCRYPTION_KEYS = [
    key.strip() for key in required_secret("APPRODI_ENCRYPTION_KEYS", _new_fernet_key).split(",") if key.strip()
]
# Key of the encrypted archives of `manage.py backup` (approdi/core/backup.py): a key of its own, kept apart from
# the backups and from the data keys; read only when a backup is made or restored.
APPRODI_BACKUP_KEY = env("APPRODI_BACKUP_KEY") or ""
# Key of the blind indexes and pseudonymous person codes. It never rotates:
# a person code is derived from facts Approdi does not store.
APPRODI_INDEX_KEY = required_secret("APPRODI_INDEX_KEY", lambda: secrets.token_urlsafe(48))

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("APPRODI_HTTPS", not EMBEDDED)
ALLOWED_HOSTS = [h.strip() for h in (env("ALLOWED_HOSTS") or "127.0.0.1,localhost,[::1]").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_countries",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "bootstrap_italia_template",
    "approdi.core",
    "approdi.audit",
    "approdi.network",
    "approdi.accounts",
    "approdi.oncall",
    "approdi.directory",
    "approdi.training",
    "approdi.people",
    "approdi.shelter",
    "approdi.outreach",
    "approdi.intake",
    "approdi.public",
    "approdi.cases",
    "approdi.governance",
    "approdi.reports",
    "approdi.api",
    "approdi.demo",
]

MIDDLEWARE = [
    "approdi.core.db_router.ReplicaReadsMiddleware",
    "approdi.core.observability.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "approdi.core.middleware.NoStoreMiddleware",
    "approdi.core.static.StaticFilesMiddleware",
    "approdi.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "approdi.core.middleware.SessionIdleRefreshMiddleware",
    "approdi.core.locale.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "approdi.api.auth.ApiTokenMiddleware",
    "approdi.accounts.middleware.RequireTwoFactorMiddleware",
    "approdi.accounts.middleware.MembershipScopeMiddleware",
    "approdi.core.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form fields and API bodies: 2.5 MB (a larger API body is answered 413). Uploaded files do not count here:
# above FILE_UPLOAD_MAX_MEMORY_SIZE they are spooled to a temporary file. An import is limited in rows
# (APPRODI_IMPORT_MAX_ROWS) and in bytes by as many of the widest rows (approdi.core.importing.max_bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
APPRODI_IMPORT_MAX_ROWS = int(env("APPRODI_IMPORT_MAX_ROWS") or 200_000)
# Documents kept with a person or a case (approdi/core/files.py): PDF, JPEG or PNG up to this size, stored
# encrypted with APPRODI_ENCRYPTION_KEYS in a private directory of var/ (never under a public media URL), served
# only through the permission-checked download page. The web server's own limit (deploy/nginx-approdi.conf,
# client_max_body_size) must stay above it.
APPRODI_DOCUMENT_MAX_BYTES = int(env("APPRODI_DOCUMENT_MAX_BYTES") or 10_000_000)
APPRODI_DOCUMENTS_DIR = Path(env("APPRODI_DOCUMENTS_DIR") or VAR_DIR / "documents")

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
                "approdi.accounts.context_processors.membership",
                "approdi.cases.context_processors.emergency_accesses",
            ],
        },
    }
]

DATABASES: dict[str, dict]
if EMBEDDED:
    private_dir(VAR_DIR)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # An empty file is an empty database; SQLite gives its journals the file's mode. Every new
            # connection tightens an older, world-readable file too (approdi/core/apps.py).
            "NAME": private_file(VAR_DIR / "approdi.sqlite3"),
            # Placements race for the last bed: wait for the write lock instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            # One connection per server thread, kept as PostgreSQL's are: opening one reads the whole schema
            # (nearly 500 tables, indexes and triggers), about 5 ms of every request (docs/benchmarks.md).
            "CONN_MAX_AGE": 60,
        }
    }
else:
    DATABASES = {"default": dict(dj_database_url.parse(env("DATABASE_URL") or "", conn_max_age=60))}
    if env("DATABASE_REPLICA_URL") and "pytest" not in sys.modules:
        # Reports and background exports may read it (approdi/core/db_router.py). The test suite has none:
        # tests/platform/test_read_replica.py makes one of its own, with content the primary lacks.
        DATABASES["replica"] = dict(dj_database_url.parse(env("DATABASE_REPLICA_URL") or "", conn_max_age=60))
        # An unreachable replica is given up quickly: its reads go to the primary (approdi/core/db_router.py).
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    for database in DATABASES.values():
        if database.get("ENGINE", "").endswith("postgresql"):
            # PostgreSQL's JIT compiles the expressions of any plan it estimates costly before running it: 10–100 ms
            # on statements that take less, every list page 10–20 % slower at national scale (docs/benchmarks.md).
            # Approdi's statements are many and short; an operator may still set "options" in its own way.
            database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# A replica further behind the primary than this is left aside, its reads sent to the primary.
APPRODI_REPLICA_MAX_LAG_SECONDS = int(env("APPRODI_REPLICA_MAX_LAG_SECONDS") or 30)
# Every read and write goes to the primary unless a report asks for the replica (and there is one).
DATABASE_ROUTERS = ["approdi.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "approdi.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "approdi.accounts.validators.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "approdi.accounts.backends.PasswordBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after this much idle time. Activity pushes the expiry forward, but at most once a minute
# (approdi/core/middleware.py SessionIdleRefreshMiddleware): a database write on every request cost about
# 90 % of signed-in throughput. With a shared cache (REDIS_URL) sessions are read from it and written
# through to the database; without one they stay in the database only, since a per-process cache would
# keep a signed-out session alive in the other processes.
SESSION_IDLE_MINUTES = int(env("APPRODI_SESSION_IDLE_MINUTES") or 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Failed sign-ins: counted in the database, so every worker process shares them. They lock the account they
# were typed for; an address only once it has tried many accounts (approdi/accounts/lockout.py), since every
# colleague behind one proxy or office network shares it.
AXES_FAILURE_LIMIT = int(env("APPRODI_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("APPRODI_LOGIN_COOLOFF_MINUTES") or 15))
AXES_LOCKOUT_PARAMETERS = "approdi.accounts.lockout.lockout_parameters"
APPRODI_LOGIN_IP_ACCOUNT_LIMIT = max(int(env("APPRODI_LOGIN_IP_ACCOUNT_LIMIT") or 10), AXES_FAILURE_LIMIT)
# Password-reset e-mails: at most this many per account and per address in an hour (approdi/accounts/views.py).
APPRODI_PASSWORD_RESET_LIMIT = int(env("APPRODI_PASSWORD_RESET_LIMIT") or 3)
APPRODI_PASSWORD_RESET_IP_LIMIT = int(env("APPRODI_PASSWORD_RESET_IP_LIMIT") or 20)
AXES_LOCKOUT_CALLABLE = "approdi.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Approdi"

# Single sign-on through OpenID Connect (approdi/accounts/sso.py, README "Single sign-on"): off unless
# OIDC_RP_CLIENT_ID is set. The provider never creates users or roles: it signs in an invited, active user,
# found by the subject linked at her first provider sign-in or, that first time, by her verified e-mail.
# Approdi's second factor is still asked unless the provider asserts one through an accepted acr or amr value.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID") or ""
APPRODI_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET") or ""
if APPRODI_OIDC_ENABLED:
    _oidc_missing = [
        name
        for name in (
            "APPRODI_OIDC_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not env(name)
    ]
    if _oidc_missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so single sign-on is on, but {', '.join(_oidc_missing)} is not. "
            "Copy them from the provider's /.well-known/openid-configuration (README.md, 'Single sign-on')."
        )
APPRODI_OIDC_ISSUER = env("APPRODI_OIDC_ISSUER") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT") or ""
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT") or ""
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT") or ""
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT") or ""
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO") or "RS256"
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES") or "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# The level asked of the provider, e.g. SPID's "https://www.spid.gov.it/SpidL2" (space-separated values).
_acr_values = env("APPRODI_OIDC_ACR_VALUES")
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"acr_values": _acr_values} if _acr_values else {}
# The button's words on the sign-in page, e.g. "CIE" or "SPID / CIE" or the administration's name.
APPRODI_OIDC_LABEL = env("APPRODI_OIDC_LABEL") or "SSO"
# acr and amr values that mean the provider checked a second factor (comma-separated). Empty: never trusted.
APPRODI_OIDC_MFA_ACR = [v.strip() for v in (env("APPRODI_OIDC_MFA_ACR") or "").split(",") if v.strip()]
APPRODI_OIDC_MFA_AMR = [v.strip() for v in (env("APPRODI_OIDC_MFA_AMR") or "").split(",") if v.strip()]
# The first provider sign-in links the account found by e-mail, only when the provider says it verified it.
APPRODI_OIDC_LINK_BY_EMAIL = env_bool("APPRODI_OIDC_LINK_BY_EMAIL", True)

SECURE_SSL_REDIRECT = HTTPS
# Prometheus scrapes each app process on its loopback port, over plain HTTP: a redirect to HTTPS would fail it.
SECURE_REDIRECT_EXEMPT = [r"^metrics$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: only our own files run or style pages; no inline script, handler or style
# (templates use data- attributes and static/approdi/approdi.js). data: images and fonts are the theme's
# icons and icon font, inlined in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if env_bool("APPRODI_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates for people: day before month in English too, and Italian months in lower case (approdi/core/formats/).
FORMAT_MODULE_PATH = ["approdi.core.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("APPRODI_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = EMBEDDED or DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if EMBEDDED or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT") or 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER") or ""
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # No mail server configured: messages are written to var/mail/ to be read there.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = private_dir(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL") or "approdi@localhost"
# The address people open Approdi at (https://approdi.example.org): the links of e-mails (notices, the morning notice
# of emergency accesses) lead there. Unset, they carry the page's path alone.
APPRODI_SITE_URL = env("APPRODI_SITE_URL") or ""
SERVER_EMAIL = DEFAULT_FROM_EMAIL

APPRODI_TOKEN_DAYS = int(env("APPRODI_TOKEN_DAYS") or 90)

# Exports that leave the network (docs/disclosure.md): counts below k are hidden, and every
# combination of quasi-identifiers of the HTCDS file is shared by at least k people. 11 as CTDC
# publishes; an export may ask for a higher k, never a lower one.
APPRODI_SMALL_CELL_K = int(env("APPRODI_SMALL_CELL_K") or 11)
if APPRODI_SMALL_CELL_K < 2:
    raise ImproperlyConfigured("APPRODI_SMALL_CELL_K must be at least 2 (with 1 nothing would be hidden).")

# Background work (exports, deadline alerts, removing expired export files) goes through Django's tasks
# interface (django-tasks) and its database backend: a job is a row written in the transaction that asks for
# it, taken by one worker with SELECT ... FOR UPDATE SKIP LOCKED. In production workers are processes of their
# own (`manage.py run_worker`, deploy/); embedded, one thread of the web process is the worker
# (approdi/core/taskqueue.py), so `make run` starts nothing else. The test suite runs tasks at once.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if "pytest" in sys.modules
        else "django_tasks_db.DatabaseBackend"
    }
}
APPRODI_WORKER_IN_WEB = env_bool("APPRODI_WORKER_IN_WEB", EMBEDDED)
# Queued by `manage.py run_scheduled` (a timer, deploy/) and by the embedded worker every 15 minutes.
APPRODI_SCHEDULED_TASKS = [
    "approdi.reports.jobs.services.remove_expired_exports",
    "approdi.cases.alerts.send_deadline_alerts",
]
# Break-glass (approdi/cases/services/break_glass.py): an emergency access to a case lasts this many hours.
APPRODI_BREAK_GLASS_HOURS = int(env("APPRODI_BREAK_GLASS_HOURS") or 4)
if not 1 <= APPRODI_BREAK_GLASS_HOURS <= 24:
    raise ImproperlyConfigured("APPRODI_BREAK_GLASS_HOURS must be between 1 and 24.")
# Export files are kept this many hours.
APPRODI_EXPORT_HOURS = int(env("APPRODI_EXPORT_HOURS") or 24)

# The logo at the top of a programme's PDFs (approdi/core/pdf.py: funder report, dashboard, reimbursement):
# a PNG or JPEG file, or a folder holding one `<organisation code>.png` (or .jpg) per lead entity. Unset: the
# documents carry the lead entity's name only.
APPRODI_REPORT_LOGO = env("APPRODI_REPORT_LOGO") or ""

# /metrics (approdi/core/metrics.py): answered to these addresses or networks (comma-separated, e.g.
# "127.0.0.1,10.0.0.0/8") and to "Authorization: Bearer <APPRODI_METRICS_TOKEN>"; a 404 to anyone else.
# Neither set: a 404 to everyone.
try:
    APPRODI_METRICS_ALLOWED = [
        ipaddress.ip_network(value.strip(), strict=False)
        for value in (env("APPRODI_METRICS_ALLOWED") or "").split(",")
        if value.strip()
    ]
except ValueError as _error:
    raise ImproperlyConfigured(f"APPRODI_METRICS_ALLOWED: {_error}") from _error
APPRODI_METRICS_TOKEN = env("APPRODI_METRICS_TOKEN") or ""

# APPRODI_LOG_FORMAT=json: one JSON object a line, each with the request id the audit log records, and one
# line per request (method, route name, status, duration; never the path or the query, which may carry names).
JSON_LOGS = (env("APPRODI_LOG_FORMAT") or "").strip().lower() == "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "approdi.core.observability.JsonFormatter"}},
    "filters": {"one_line_refusals": {"()": "approdi.core.logging.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": sys.stderr,
            **({"formatter": "json"} if JSON_LOGS else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL") or "WARNING"},
    "loggers": {
        "approdi.requests": {"level": "INFO" if JSON_LOGS else "WARNING"},
        # A 403 or 404 is an expected answer: one line in the console; a 500 keeps its traceback.
        "django.request": {"filters": ["one_line_refusals"]},
    },
}
