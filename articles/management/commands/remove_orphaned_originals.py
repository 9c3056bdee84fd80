from django.core.management.base import BaseCommand

from articles.photos.orphans import remove_orphaned_originals


class Command(BaseCommand):
    help = (
        "Delete original photo files under photos/ that no photo refers to "
        "(left by an import or upload killed before it committed), if older "
        "than a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, verbosity, **options):
        removed = remove_orphaned_originals(dry_run=dry_run)
        if verbosity >= 2:
            for name in removed:
                self.stdout.write(name)
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(f"{len(removed)} orphaned original file(s) {verb}.")
