from django.core.management.base import BaseCommand

from articles.stored_text import clean_stored_text


class Command(BaseCommand):
    help = (
        "Remove control characters from text stored before text fields cleaned "
        "it on saving (run once after the upgrade)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, verbosity, **options):
        cleaned = clean_stored_text(dry_run=dry_run)
        if verbosity >= 2:
            for label, count in cleaned.items():
                self.stdout.write(f"{label}: {count}")
        verb = "would be cleaned" if dry_run else "cleaned"
        self.stdout.write(f"{sum(cleaned.values())} row(s) {verb}.")
