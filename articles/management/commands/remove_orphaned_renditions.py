from django.core.management.base import BaseCommand

from articles.photos.renditions import remove_orphaned_renditions


class Command(BaseCommand):
    help = (
        "Delete rendition files of replaced images or moved focal points, and "
        "files under renditions/ that no rendition row refers to."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, verbosity, **options):
        removed = remove_orphaned_renditions(dry_run=dry_run)
        if verbosity >= 2:
            for name in removed:
                self.stdout.write(name)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(removed)} orphaned rendition file(s) {verb}.")
