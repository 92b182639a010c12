"""``manage.py backup``: one backup now, or one every day at a given time (docker-compose)."""

import datetime
import logging
import time

from django.core.management.base import BaseCommand, CommandError

from iscg.backup import prune_backups, take_backup

logger = logging.getLogger(__name__)


def _seconds_until(at: datetime.time, now: datetime.datetime) -> float:
    target = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if target <= now:
        target += datetime.timedelta(days=1)
    return (target - now).total_seconds()


class Command(BaseCommand):
    help = "Sauvegarde la base et les fichiers privés dans BACKUP_ROOT, puis élague."

    def add_arguments(self, parser):
        parser.add_argument(
            "--daily-at",
            help="HH:MM : reste actif et sauvegarde chaque jour à cette heure (service backup).",
        )

    def handle(self, *args, **options):
        if not options["daily_at"]:
            self._once()
            return
        try:
            at = datetime.time.fromisoformat(options["daily_at"])
        except ValueError as error:
            raise CommandError("--daily-at attend une heure HH:MM, par exemple 02:30.") from error
        while True:
            # The server's local time (TZ of the container), as an operator reads 02:30.
            time.sleep(_seconds_until(at, datetime.datetime.now().astimezone()))
            try:
                self._once()
            except Exception:  # noqa: BLE001 - logged; the next day's backup still runs
                logger.exception("Backup failed")

    def _once(self):
        folder = take_backup()
        removed = prune_backups()
        self.stdout.write(f"Sauvegarde écrite : {folder}")
        if removed:
            self.stdout.write(f"{len(removed)} sauvegarde(s) plus ancienne(s) supprimée(s).")
