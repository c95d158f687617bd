"""manage.py demo_login: where to sign in to the demo, and as whom."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from huntaze.web.demo import DEMO_PASSWORD, OWNER_EMAIL


class Command(BaseCommand):
    help = "Print the demo's login URL, e-mail and password."

    def handle(self, *args: Any, **options: Any) -> None:
        lines = [
            "Huntaze demo",
            "",
            f"URL       {settings.PUBLIC_URL}/login",
            f"E-mail    {OWNER_EMAIL}",
            f"Password  {DEMO_PASSWORD}",
            "",
            "Every demo user shares this password: manager., chatter1.,",
            "chatter2. and analyst.<creator>@demo.huntaze.local.",
        ]
        width = max(len(line) for line in lines)
        self.stdout.write("┌" + "─" * (width + 2) + "┐")
        for line in lines:
            self.stdout.write(f"│ {line:<{width}} │")
        self.stdout.write("└" + "─" * (width + 2) + "┘")
