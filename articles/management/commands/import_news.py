from pathlib import Path

from django.core.management.base import BaseCommand

from articles.importers.detect import FORMATS
from articles.importers.news import import_news
from articles.importers.runs import ImportOptions
from articles.importers.sources import source_files
from articles.management.commands._import_command import run_import_command


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
        run_import_command(
            self,
            lambda progress: import_news(
                sources,
                format=format,
                options=ImportOptions(
                    publish=publish and not draft, section=section, dry_run=dry_run
                ),
                progress=progress,
            ),
            count_files=lambda: sum(1 for _file in source_files(sources)),
            verbosity=verbosity,
            json_report=json_report,
            noun="item",
            show_file=True,
        )
