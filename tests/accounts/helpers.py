"""Helpers of the account tests."""

from __future__ import annotations

import re

PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "violet-harbour-tangerine-42"


def link_in(message, path: str) -> str:
    """The path of the first link to `path` in an e-mail, e.g. '/verify-email/<token>'."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S+)", message.body)
    assert match is not None, message.body
    return match.group(1)
