"""PPV API: create, send, analytics, price suggestions."""

from ninja import Router

router = Router(tags=["ppv"])
