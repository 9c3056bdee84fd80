from pathlib import Path

from django.core.management.base import BaseCommand

from articles.importers.photo_files import import_photos, photo_files
from articles.management.commands._import_command import run_import_command


class Command(BaseCommand):
    help = (
        "Import photo files (or folders of them); credit, caption and rights come "
        "from their IPTC/XMP/EXIF metadata. Exit codes as for import_news."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json-report", type=Path, metavar="FILE")

    def handle(self, *args, sources, dry_run, json_report, verbosity, **options):
        run_import_command(
            self,
            lambda progress: import_photos(sources, dry_run=dry_run, progress=progress),
            count_files=lambda: sum(1 for _path in photo_files(sources)),
            verbosity=verbosity,
            json_report=json_report,
            noun="file",
            show_file=False,
        )
