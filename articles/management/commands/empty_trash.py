from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.workflow.trash import empty_trash


class Command(BaseCommand):
    help = (
        "Delete for good the articles and photos that have been in the trash "
        "for longer than NEWSROOM_TRASH_DAYS. Run it daily from cron; it is "
        "safe to run twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted.",
        )

    def handle(self, *args, dry_run, verbosity, **options):
        report = empty_trash(dry_run=dry_run)
        if verbosity:
            prefix = "Probelauf: " if dry_run else ""
            days = settings.NEWSROOM_TRASH_DAYS
            self.stdout.write(f"{prefix}{report.summary()} (älter als {days} Tage)")
        if verbosity > 1:
            for message in report.failed:
                self.stderr.write(message)
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} item(s) could not be deleted: "
                + "; ".join(report.failed[:5]),
                returncode=2,
            )
