"""Inbox composer API: scripts, vault media, PPV messages."""

from ninja import Router

router = Router(tags=["inbox-composer"])
