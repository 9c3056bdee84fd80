from django.core.management.base import BaseCommand, CommandError

from articles.workflow.publication_events import process_publication_events


class Command(BaseCommand):
    help = (
        "Purge caches and ping subscribers for articles that went live or were "
        "withdrawn since the last run. Run it every minute from cron; it catches "
        "up on anything it missed and is safe to run twice at once."
    )

    def handle(self, *args, verbosity, **options):
        events = process_publication_events()
        if verbosity:
            self.stdout.write(events.summary())
        problems = []
        if events.purge_failed:
            problems.append("Page cache unreachable: purging again on the next run")
        if events.failed_pings:
            problems.append("Ping failed: " + ", ".join(events.failed_pings))
        if problems:
            raise CommandError("; ".join(problems), returncode=2)
