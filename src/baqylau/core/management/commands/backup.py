from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baqylau.core.backup import BackupError, backup, backup_into


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one archive: -o FILE, or --into DIR "
        "(a timestamped file) with --keep N (the N newest kept)."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("-o", "--output", type=Path, metavar="FILE", help="the archive to write (.tar.gz)")
        where.add_argument(
            "--into", type=Path, metavar="DIR", help="write baqylau-YYYYMMDD-HHMMSS.tar.gz in DIR"
        )
        parser.add_argument("--keep", type=int, metavar="N", help="with --into: remove all but the N newest")

    def handle(self, *args, output, into, keep, **options):
        if keep is not None and (into is None or keep < 1):
            raise CommandError("--keep N needs --into DIR and N of at least 1.")
        try:
            if output:
                manifest, removed = backup(output), []
            else:
                output, manifest, removed = backup_into(into, keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = output.stat().st_size / 1_048_576
        self.stdout.write(
            f"Backup written: {output} ({manifest['vendor']} database, "
            f"{manifest['media_files']} uploaded files, {size:.1f} MB)."
        )
        for old in removed:
            self.stdout.write(f"Removed the older backup {old}.")
