from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baqylau.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup (baqylau backup) into this deployment's database and media folder. "
        "Both must be empty, unless --force: then everything in them is replaced. Stop the servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace a database that is not empty")

    def handle(self, *args, archive, force, **options):
        if not archive.is_file():
            raise CommandError(f"{archive}: no such file.")
        try:
            manifest = restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['media_files']} uploaded files). "
            "Run `baqylau migrate` before starting, in case this version is newer than the backup's."
        )
