"""Inbox AI API: rewrite, shorten, tone, translate, memory extraction."""

from ninja import Router

router = Router(tags=["inbox-ai"])
