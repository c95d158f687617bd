"""manage.py vault_thumbnails: give the vault images stored before thumbnails existed theirs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huntaze.content.services_thumbnails import DEFAULT_BATCH_SIZE, vault_thumbnails_backfill


class Command(BaseCommand):
    help = (
        "Make the missing WebP thumbnails of vault images (one creator's with --creator, else "
        "every creator's). A rerun makes nothing; a missing or damaged file is counted and logged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--creator", type=int, dest="creator_id", metavar="ID")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        creator_id: int | None = options["creator_id"]
        batch_size: int = options["batch_size"]
        if creator_id is not None and creator_id < 1:
            raise CommandError("--creator is a creator id (1 or more).")
        if batch_size < 1:
            raise CommandError("--batch-size is at least 1.")

        def progress(done: int, total: int) -> None:
            self.stdout.write(f"{done}/{total}")

        result = vault_thumbnails_backfill(
            creator_id=creator_id, batch_size=batch_size, progress=progress
        )
        self.stdout.write(
            f"made {result.made}, skipped (not images) {result.skipped_not_image}, "
            f"failed {result.failed}"
        )
        if result.failed:
            self.stderr.write(
                f"{result.failed} image(s) could not be read: see the "
                "content.thumbnail_backfill_failed log lines."
            )
