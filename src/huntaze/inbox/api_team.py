"""Inbox team API: assignment, split, review log."""

from ninja import Router

router = Router(tags=["inbox-team"])
