"""The production settings with psycopg's connection pool (Django 5.1+), for
`bench/run_web.py --db-pool`: an experiment, not a settings file the app ships."""

from huntaze.config.settings.production import *  # noqa: F403
from huntaze.config.settings.production import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 2, "max_size": 8}
