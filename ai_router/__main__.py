"""``python -m ai_router``: serve the router with uvicorn on ``AI_ROUTER_PORT`` (8000).

``AI_ROUTER_WORKERS`` worker processes (default 1), ``AI_ROUTER_LOG_LEVEL`` (default info).
"""

from __future__ import annotations

import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from ai_router.logs import logging_config
from ai_router.settings import Settings


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket for worker processes to share. Its protocol is IPPROTO_TCP on purpose:
    asyncio sets TCP_NODELAY only on accepted sockets that say so, and without it responses
    written in two parts wait for a delayed ACK (about 40 ms)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main() -> None:
    settings = Settings.from_env()
    log_level = os.environ.get("AI_ROUTER_LOG_LEVEL", "info").lower()
    workers = int(os.environ.get("AI_ROUTER_WORKERS", "1"))
    config = uvicorn.Config(
        "ai_router.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=log_level,
        log_config=logging_config(log_level),
        access_log=False,
        proxy_headers=True,
    )
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    Multiprocess(config, sockets=[listening_socket(settings.host, settings.port)]).run()


if __name__ == "__main__":
    main()
