import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importers.apply import ImportOptions, write_report
from articles.importers.detect import FORMATS
from articles.importers.runs import import_news
from articles.importers.sources import SourceUnavailable


class Command(BaseCommand):
    help = (
        "Import agency news from files, directories or http(s) URLs. Exit code 0: "
        "all handled; 1: could not run; 2: ran, but some items failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="SOURCE")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--dry-run", action="store_true")
        publishing = parser.add_mutually_exclusive_group()
        publishing.add_argument("--publish", action="store_true")
        publishing.add_argument("--draft", action="store_true")
        parser.add_argument("--section", default="", metavar="SLUG")
        parser.add_argument("--json-report", type=Path, metavar="FILE")

    def handle(self, *args, sources, format, dry_run, publish, draft, section,
               json_report, verbosity, **options):  # fmt: skip
        show_progress = verbosity == 1 and sys.stdout.isatty()
        done = 0

        def progress(file, item, outcome):
            nonlocal done
            done += 1
            if verbosity >= 2:
                self.stdout.write(f"{outcome:10} {item}  ({file})")
            elif show_progress:
                self.stdout.write(f"\r{done} …", ending="")

        try:
            report = import_news(
                sources,
                format=format,
                options=ImportOptions(
                    publish=publish and not draft, section=section, dry_run=dry_run
                ),
                progress=progress,
            )
        except SourceUnavailable as error:
            raise CommandError(str(error)) from error
        if show_progress:
            self.stdout.write("")
        write_report(self, report, json_report=json_report, verbosity=verbosity)
        if report.failed:
            raise CommandError(f"{report.failed} item(s) failed", returncode=2)
