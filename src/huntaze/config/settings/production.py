"""Production: the same code, configured by the environment. Refuses to start on a missing or
placeholder secret."""

from django.core.exceptions import ImproperlyConfigured

from huntaze.config.env import env_bool, env_int
from huntaze.config.settings.base import *  # noqa: F403
from huntaze.config.settings.base import DATABASES, SECRET_KEY, TOKEN_ENCRYPTION_KEYS

_PLACEHOLDER_MARKERS = ("<", "changeme", "change-me", "placeholder", "generate-with", "secret-here")


def _require_secret(name: str, value: str, min_length: int) -> None:
    lowered = value.lower()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set; production refuses to start without it.")
    if len(value) < min_length or any(marker in lowered for marker in _PLACEHOLDER_MARKERS):
        raise ImproperlyConfigured(f"{name} looks like a placeholder; set a real random value.")


_require_secret("NEXTAUTH_SECRET (or JWT_SECRET)", SECRET_KEY, 32)
if not TOKEN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("TOKEN_ENCRYPTION_KEY is not set; platform tokens cannot be stored.")
for _key in TOKEN_ENCRYPTION_KEYS:
    _require_secret("TOKEN_ENCRYPTION_KEY", _key, 32)

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^health", r"^metrics"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# PostgreSQL through a connection pool per process (psycopg_pool): a new connection costs
# ~6 ms of the request otherwise. Django's persistent connections (CONN_MAX_AGE) must stay off
# with the pool.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 2),
        "max_size": env_int("DATABASE_POOL_MAX", 20),
        "timeout": 10,
    }
