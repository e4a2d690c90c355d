"""Settings for Jiayuan, read from the environment.

Zero set-up by default: an SQLite file beside the code, Huey on SQLite, DEBUG on. Production sets
DATABASE_URL (PostgreSQL), SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIAYUAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "jiayuan.core",
    "jiayuan.audit",
    "jiayuan.policy",
    "jiayuan.rules",
    "jiayuan.regions",
    "jiayuan.workdays",
    "jiayuan.accounts",
    "jiayuan.imports",
    "jiayuan.estates",
    "jiayuan.enterprises",
    "jiayuan.governance",
    "jiayuan.cases",
    "jiayuan.dashboard",
    "jiayuan.demo",
    "jiayuan.notifications",
    "jiayuan.open311",
    "jiayuan.intake",
    "jiayuan.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "jiayuan.accounts.middleware.IdleSessionTimeoutMiddleware",
    "jiayuan.accounts.middleware.PasswordChangeRequiredMiddleware",
    "jiayuan.core.middleware.ResponseHeadersMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiayuan.core.context_processors.actor",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiayuan.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) exist on PostgreSQL; SQLite builds the same index without the extra
# columns, which is all a zero-set-up database needs.
# HSTS preloading (security.W021) is a request to browser vendors to list a public domain; a city's
# platform on a government intranet is not such a domain. SECURE_HSTS_PRELOAD=1 opts in.
SILENCED_SYSTEM_CHECKS = ["models.W040", "security.W021"]
# The public address of the platform, for links in text messages (no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failed logins (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# 等保 2.0 level 3: a session left idle ends (minutes; the 8 hours above bound even a busy one).
JIAYUAN_SESSION_IDLE_MINUTES = int(os.environ.get("JIAYUAN_SESSION_IDLE_MINUTES", "30"))

# Transport, for the usual production deployment behind a reverse proxy that terminates TLS and
# sets X-Forwarded-Proto (docs/operations.md). Each is an environment variable; with DEBUG off the
# defaults are the safe ones, with DEBUG on (a developer's machine, plain http) they are off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# "HEADER,VALUE" (default HTTP_X_FORWARDED_PROTO,https with DEBUG off); empty: no proxy in front.
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", "" if DEBUG else "HTTP_X_FORWARDED_PROTO,https")
SECURE_PROXY_SSL_HEADER = (
    (_proxy_ssl_header[0], _proxy_ssl_header[1]) if len(_proxy_ssl_header) == 2 else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# What the pages may ask the browser for: nothing of the sort (photos are chosen with a file input).
JIAYUAN_PERMISSIONS_POLICY = os.environ.get(
    "JIAYUAN_PERMISSIONS_POLICY",
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "magnetometer=(), gyroscope=(), accelerometer=()",
)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Case attachments (photos, documents): the largest file accepted, and how many files one case holds.
# They are stored under MEDIA_ROOT and served only through the case's scoped download view.
JIAYUAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("JIAYUAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
JIAYUAN_ATTACHMENTS_PER_CASE = int(os.environ.get("JIAYUAN_ATTACHMENTS_PER_CASE", 20))
# An import that reads longer than this is refused (seconds): no request waits on a file built to
# hold it. Rows, columns and cell sizes have limits of their own (jiayuan/core/xlsx/reading.py).
JIAYUAN_IMPORT_MAX_SECONDS = float(os.environ.get("JIAYUAN_IMPORT_MAX_SECONDS", "20"))
# An uploaded ledger larger than this (bytes) is imported by the worker, not in the request: the
# page redirects to the job's page, which shows its progress (docs/imports.md).
JIAYUAN_IMPORT_BACKGROUND_BYTES = int(os.environ.get("JIAYUAN_IMPORT_BACKGROUND_BYTES", 256 * 1024))

# Every asset is served from this site: government intranets have no internet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        # The hash admits the one inline <style> of drf-spectacular's Swagger UI page (/api/docs/).
        "style-src": ["'self'", "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jiayuan.core.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "jiayuan.core.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiayuan.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "jiayuan.core.metadata.ApiMetadata",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"auth": "20/minute"},
}
# API tokens (django-rest-knox): stored hashed, expiring after this many hours, one per log-in.
JIAYUAN_API_TOKEN_HOURS = float(os.environ.get("JIAYUAN_API_TOKEN_HOURS", str(7 * 24)))
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": dt.timedelta(hours=JIAYUAN_API_TOKEN_HOURS),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiayuan API",
    "DESCRIPTION": (
        "家园: supervision of residential property management. Scoped to the caller: an object outside "
        "the caller's jurisdiction is 404, like a missing one. Authenticate with "
        "`Authorization: Bearer <token>` (POST /api/v1/auth/token/). Every error is "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from this site (drf-spectacular-sidecar): government intranets have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "jiayuan.enterprises.choices.ContractStatus",
        "ContractKindEnum": "jiayuan.enterprises.choices.ContractKind",
        "BodyStatusEnum": "jiayuan.governance.choices.BodyStatus",
        "OrganisationKindEnum": "jiayuan.accounts.choices.OrganisationKind",
        "OwnerKindEnum": "jiayuan.estates.choices.OwnerKind",
    },
}

# API throttle counters live in the cache: per process by default; several web processes must
# share one, so a production deployment sets CACHE_REDIS_URL. (Axes keeps lock-outs in the database.)
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL", "")
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_REDIS_URL}
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# SMS codes asked for from one network address (the preset limits them per phone); behind a reverse
# proxy, RATELIMIT_IP_META_KEY names the header holding the client's address.
JIAYUAN_CODES_PER_ADDRESS = os.environ.get("JIAYUAN_CODES_PER_ADDRESS", "20/h")
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

# The key that signs the audit chain's checkpoints (docs/audit.md): keep it out of the database and
# its backups. Unset, a key derived from SECRET_KEY is used and `check --deploy` warns. After a
# rotation, the retired keys (comma-separated) still verify the checkpoints they signed.
JIAYUAN_AUDIT_KEY = os.environ.get("JIAYUAN_AUDIT_KEY", "")
JIAYUAN_AUDIT_PREVIOUS_KEYS = env_list("JIAYUAN_AUDIT_PREVIOUS_KEYS", "")

# Background work: Huey on SQLite by default, Redis when HUEY_REDIS_URL is set.
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL", "")
HUEY: dict[str, object] = {"name": "jiayuan", "immediate": env_bool("HUEY_IMMEDIATE", False)}
if HUEY_REDIS_URL:
    HUEY.update({"huey_class": "huey.PriorityRedisHuey", "url": HUEY_REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# The policy preset this deployment runs: a name under jiayuan/policy/presets or a file path.
JIAYUAN_POLICY_PRESET = os.environ.get("JIAYUAN_POLICY_PRESET", "yinchuan")
JIAYUAN_CITY_NAME = os.environ.get("JIAYUAN_CITY_NAME", "")

# Where SMS go (dotted path of a class with `send(message)`): by default the log (the console of
# `make run`), codes included, which suits a developer's machine and no other. Production names the
# gateway's backend; docs/notifications.md says how to write one for a provider.
JIAYUAN_SMS_BACKEND = os.environ.get("JIAYUAN_SMS_BACKEND", "jiayuan.notifications.backends.LoggingBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
