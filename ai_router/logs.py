"""Logging for the router process: one JSON object per line on stdout.

Given to uvicorn as its ``log_config`` so every worker process applies it (workers are spawned
and do not inherit the parent's handlers). Not applied by ``create_app``: an application that
embeds the router keeps its own logging.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

USAGE_LOGGER = "ai_router.usage"
QUIET_LOGGERS = ("httpx", "httpx2", "httpcore", "httpcore2", "openai")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; usage records are already JSON and pass through."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == USAGE_LOGGER:
            return message
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(level: str) -> dict[str, Any]:
    level = level.upper()
    # One line per outgoing HTTP request is noise next to the usage line, and costs time.
    quiet_level = max(logging.WARNING, logging.getLevelName(level))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ai_router.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            **{name: {"level": logging.getLevelName(quiet_level)} for name in QUIET_LOGGERS},
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
        },
    }
