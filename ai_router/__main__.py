"""``python -m ai_router``: serve the router with uvicorn on ``AI_ROUTER_PORT`` (8000).

``AI_ROUTER_WORKERS`` worker processes (default 1), ``AI_ROUTER_LOG_LEVEL`` (default info).
"""

from __future__ import annotations

import gc
import os
import socket

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess

from ai_router.logs import logging_config
from ai_router.main import create_app
from ai_router.settings import Settings


def listening_socket(host: str, port: int, *, is_reuse_port: bool = False) -> socket.socket:
    """A TCP socket for worker processes. Its protocol is IPPROTO_TCP on purpose: asyncio
    sets TCP_NODELAY only on accepted sockets that say so, and without it responses written
    in two parts wait for a delayed ACK (about 40 ms)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if is_reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class BalancedMultiprocess(Multiprocess):
    """uvicorn's supervisor, with one ``SO_REUSEPORT`` socket per worker so that the kernel
    spreads new connections over the workers.

    On one shared socket, the worker that wakes first accepts every connection waiting
    (libuv accepts until the queue is empty): a client opening its keep-alive pool at once
    (the web app, the benchmark) lands on a single worker while the others idle. The
    parent's own socket is bound, never listening: it holds the port and takes no
    connection."""

    def __init__(self, config: uvicorn.Config, *, host: str, port: int) -> None:
        self._port_holder = listening_socket(host, port, is_reuse_port=True)
        self._host = host
        self._port = int(self._port_holder.getsockname()[1])
        super().__init__(config, sockets=[])

    @property  # type: ignore[override]
    def sockets(self) -> list[socket.socket]:
        """A new socket for each worker started (uvicorn reads this once per worker)."""
        return [listening_socket(self._host, self._port, is_reuse_port=True)]

    @sockets.setter
    def sockets(self, value: list[socket.socket]) -> None:
        """uvicorn's ``__init__`` stores the shared sockets here; there are none."""


def create_served_app() -> FastAPI:
    """The app of a worker process. What start-up built lives as long as the process, so the
    garbage collector stops scanning it: shorter collections, fewer slow requests."""
    app = create_app()
    gc.collect()
    gc.freeze()
    return app


def main() -> None:
    settings = Settings.from_env()
    log_level = os.environ.get("AI_ROUTER_LOG_LEVEL", "info").lower()
    workers = int(os.environ.get("AI_ROUTER_WORKERS", "1"))
    config = uvicorn.Config(
        "ai_router.__main__:create_served_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_level=log_level,
        log_config=logging_config(log_level),
        access_log=False,
        # The router reads no client address, so the proxy-headers middleware would only
        # cost time; uvloop and httptools are the fast event loop and HTTP parser (here
        # writing each answer's head and body in one socket write: ``serving.py``).
        proxy_headers=False,
        loop="uvloop",
        http="ai_router.serving:CoalescingHttpToolsProtocol",
    )
    if workers <= 1:
        uvicorn.Server(config).run()
        return
    if hasattr(socket, "SO_REUSEPORT"):
        BalancedMultiprocess(config, host=settings.host, port=settings.port).run()
        return
    Multiprocess(config, sockets=[listening_socket(settings.host, settings.port)]).run()


if __name__ == "__main__":
    main()
