"""Settings shared by every environment. Everything comes from the environment, with the
seed's variable names; with nothing set, the embedded default works on one machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import dj_database_url

from huntaze.config.env import env_bool, env_int, env_list, env_str, redis_url

BASE_DIR = Path(__file__).resolve().parents[4]
VAR_DIR = Path(env_str("HUNTAZE_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("NEXTAUTH_SECRET") or env_str("JWT_SECRET")

PUBLIC_URL = env_str("NEXTAUTH_URL", "http://127.0.0.1:3000").rstrip("/")
_public = urlparse(PUBLIC_URL)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [_public.hostname or "127.0.0.1", "127.0.0.1", "localhost"]
)
CSRF_TRUSTED_ORIGINS = [f"{_public.scheme}://{_public.netloc}"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "ninja",
    "huntaze.core",
    "huntaze.accounts",
    "huntaze.fans",
    "huntaze.inbox",
    "huntaze.commerce",
    "huntaze.content",
    "huntaze.marketing",
    "huntaze.automations",
    "huntaze.integrations",
    "huntaze.analytics",
    "huntaze.ai",
    "huntaze.billing",
    "huntaze.web",
]

MIDDLEWARE = [
    "huntaze.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "huntaze.core.middleware.SecurityHeadersMiddleware",
    "huntaze.core.middleware.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "huntaze.web.middleware.WorkspaceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "huntaze.core.middleware.MetricsMiddleware",
]

ROOT_URLCONF = "huntaze.config.urls"
ASGI_APPLICATION = "huntaze.config.asgi.application"
# Threads per web process that run requests (huntaze.core.asgi_handler).
WEB_THREADS = env_int("WEB_THREADS", 4)
WSGI_APPLICATION = "huntaze.config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/home"
LOGOUT_REDIRECT_URL = "/login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huntaze.web.context_processors.workspace",
            ],
        },
    }
]

# Database: DATABASE_URL, SQLite in the var folder by default.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'huntaze.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, channel layer, broker: Redis when REDIS_URL / REDIS_HOST is set, in-process otherwise.
REDIS_URL = redis_url()
ENABLE_CACHING = env_bool("ENABLE_CACHING", True)
ENABLE_RATE_LIMITING = env_bool("ENABLE_RATE_LIMITING", True)
if not ENABLE_CACHING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "huntaze.core.cache_backends.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "huntaze"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Lockouts and rate limits must count even when page caching is off.
CACHES["counters"] = (
    {
        "BACKEND": "huntaze.core.cache_backends.SharedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "huntaze") + ":c",
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters"}
)

# The channel layer's Redis pool. redis-py 8 defaults to a 5 s read timeout and 100 connections
# a process; channels_redis waits for messages with a 5 s blocking pop, so an empty answer read
# a moment late (a busy event loop) raised TimeoutError and closed that member's socket, and
# more than 100 layer calls at once (sockets closing together) raised MaxConnectionsError and
# left dead channels in the group. Reads may take longer than the pop; Redis's own client limit
# (maxclients, 10000 by default) is the cap.
CHANNEL_LAYER_REDIS_OPTIONS = {"socket_timeout": 15, "max_connections": 10_000}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **CHANNEL_LAYER_REDIS_OPTIONS}],
                "prefix": env_str("CACHE_KEY_PREFIX", "huntaze"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Sessions live in the database and are read through the cache (Redis when configured).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Celery: a broker when one is configured, tasks in-process otherwise.
_sqs_queue_url = env_str("AWS_SQS_QUEUE_URL")
CELERY_BROKER_URL = (
    env_str("CELERY_BROKER_URL") or REDIS_URL or ("sqs://" if _sqs_queue_url else "")
)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "huntaze.inbox.tasks.suggestions_*": {"queue": "ai"},
    "huntaze.inbox.tasks.memory_*": {"queue": "ai"},
    "huntaze.analytics.tasks.insights_*": {"queue": "ai"},
    "huntaze.ai.*": {"queue": "ai"},
    "huntaze.content.tasks.video_*": {"queue": "video"},
    "huntaze.content.tasks.publish_*": {"queue": "publish"},
    "huntaze.integrations.*": {"queue": "publish"},
}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Passwords: argon2 first.
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
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_S = env_int("LOGIN_LOCKOUT_S", 15 * 60)

# Languages: English and French, the user's choice, the browser's by default.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "src" / "huntaze" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static files: built by the setup step into static/vendor, served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "src" / "huntaze" / "web" / "assets"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
AWS_S3_BUCKET = env_str("AWS_S3_BUCKET")
AWS_REGION = env_str("AWS_REGION", "us-east-2")
CDN_URL = env_str("CDN_URL")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if AWS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_S3_BUCKET,
            "region_name": AWS_REGION,
            "endpoint_url": env_str("AWS_ENDPOINT_URL") or None,
            "custom_domain": urlparse(CDN_URL).netloc if CDN_URL else None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

# E-mail: console by default, SMTP or SES when configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Huntaze <no-reply@huntaze.local>")

# Secrets at rest (platform tokens): MultiFernet over TOKEN_ENCRYPTION_KEY then ENCRYPTION_KEY.
TOKEN_ENCRYPTION_KEYS = [
    k for k in (env_str("TOKEN_ENCRYPTION_KEY"), env_str("ENCRYPTION_KEY")) if k
]

AI_ROUTER_URL = env_str("AI_ROUTER_URL")
AI_ROUTER_KEY = env_str("AI_ROUTER_KEY")
CRON_SECRET = env_str("CRON_SECRET")
METRICS_TOKEN = env_str("METRICS_TOKEN")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # huntaze.core.logging.configure() gives "console" structlog's format (JSON in production).
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "uvicorn.access": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
