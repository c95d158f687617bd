"""The embedded default: one machine, nothing else to install."""

from huntaze.config.env import env_bool, env_str
from huntaze.config.settings.base import *  # noqa: F403
from huntaze.config.settings.base import VAR_DIR

DEBUG = env_bool("DEBUG", True)


def _local_secret() -> str:
    """A secret made once per machine and kept in the var folder, so sessions survive restarts."""
    import secrets

    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("NEXTAUTH_SECRET") or env_str("JWT_SECRET") or _local_secret()
LOG_FORMAT = env_str("LOG_FORMAT", "console")
