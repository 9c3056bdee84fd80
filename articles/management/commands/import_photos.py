from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importers.apply import write_report
from articles.importers.photo_files import import_photos, photo_files
from articles.importers.progress import terminal_progress
from articles.importers.sources import SourceUnavailable


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
        try:
            line = terminal_progress(
                self,
                verbosity=verbosity,
                count_files=lambda: sum(1 for _path in photo_files(sources)),
            )
        except SourceUnavailable as error:
            raise CommandError(str(error)) from error

        def progress(file, item, outcome):
            if verbosity >= 2:
                self.stdout.write(f"{outcome:10} {item}")
            elif line:
                line(file, item, outcome)

        try:
            report = import_photos(sources, dry_run=dry_run, progress=progress)
        except SourceUnavailable as error:
            raise CommandError(str(error)) from error
        if line:
            line.finish()
        write_report(self, report, json_report=json_report, verbosity=verbosity)
        if report.failed:
            raise CommandError(f"{report.failed} file(s) failed", returncode=2)
