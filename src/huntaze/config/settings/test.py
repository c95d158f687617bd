"""Test settings: the embedded default, or DATABASE_URL / REDIS_URL when set."""

import os
import re

# Under pytest-xdist each worker gets its own Redis database (the one in REDIS_URL + 1 + its
# number), as it gets its own test database: a worker clearing its cache must not clear
# another's mid-test.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis = re.fullmatch(r"(rediss?://[^/]+)/(\d+)", os.environ.get("REDIS_URL", ""))
if _worker.startswith("gw") and _redis:
    os.environ["REDIS_URL"] = f"{_redis.group(1)}/{int(_redis.group(2)) + 1 + int(_worker[2:])}"

from huntaze.config.env import env_str  # noqa: E402
from huntaze.config.settings.base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
# Fast hashing in tests; production uses argon2 (tested in tests/accounts).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TOKEN_ENCRYPTION_KEYS = ["dGVzdC10b2tlbi1rZXktMzItYnl0ZXMtbG9uZy0wMDA="]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
LOG_FORMAT = "console"
LOG_LEVEL = "WARNING"
CRON_SECRET = "test-cron-secret"  # noqa: S105
METRICS_TOKEN = "test-metrics-token"  # noqa: S105
# No collectstatic in tests: WhiteNoise serves the app's assets through the finders (and does
# not warn about a missing STATIC_ROOT, which filterwarnings=error would turn into a failure).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# SQLite: the test database is a file (one per xdist worker), not Django's shared-cache
# in-memory database. Browser tests serve pages from other threads (live server, uvicorn), and
# shared-cache memory databases answer "table is locked" at once instead of waiting for the
# lock; a file in WAL mode waits up to the busy timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        # The process id keeps two runs at once (two checkouts' sessions) apart.
        "NAME": str(VAR_DIR / f"test-{_worker or 'main'}-{os.getpid()}.sqlite3")  # noqa: F405
    }
