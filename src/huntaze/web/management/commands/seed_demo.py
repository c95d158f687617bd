"""manage.py seed_demo --size small|large --seed N [--if-empty] [--reset] [--anchor ISO]"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huntaze.web.demo import SIZES, DemoDataExists, demo_reset, seed_demo


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("the anchor needs a timezone, e.g. 2025-06-01T12:00:00+00:00")
    return moment


class Command(BaseCommand):
    help = "Seed a deterministic demo agency (creators, team, fans, inbox, sales, rollups)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any creator exists."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo creators and users first."
        )
        parser.add_argument(
            "--anchor",
            type=_aware,
            default=None,
            help="The demo's 'now' (ISO 8601 with a timezone); default: now, to the hour.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"] and not options["if_empty"]:
            deleted = demo_reset()
            if deleted:
                self.stdout.write(f"Removed the previous demo data: {deleted}")
        try:
            summary = seed_demo(
                size=options["size"],
                seed=options["seed"],
                anchor=options["anchor"],
                if_empty=options["if_empty"],
                progress=lambda line: (
                    self.stdout.write(f"  {line}") if options["verbosity"] > 1 else None
                ),
            )
        except DemoDataExists as error:
            raise CommandError(str(error)) from error
        if summary.skipped:
            self.stdout.write("Creators exist already: nothing seeded (--if-empty).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded the {summary.size} demo (seed {summary.seed}, "
                f"anchor {summary.anchor.isoformat()}) in {summary.total_s:.1f} s"
            )
        )
        width = max(len(name) for name in summary.rows)
        for name, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {name:<{width}}  {count:>10,}")
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.timings_s.items())
        self.stdout.write(f"  ({steps})")
