import redis
from django.core.management.base import BaseCommand, CommandError

from teasers.counting import flush_counts


class Command(BaseCommand):
    help = (
        "Add buffered article views and sponsored impressions and clicks to the "
        "database. Run it every minute from cron; safe to run twice at once."
    )

    def handle(self, *args, verbosity, **options):
        try:
            report = flush_counts()
        except (OSError, redis.RedisError) as error:
            raise CommandError(f"Counter buffer unavailable: {error}") from error
        if verbosity:
            self.stdout.write(report.summary())
        if report.ignored and verbosity:
            self.stderr.write(
                self.style.WARNING(f"{report.ignored} unreadable increment(s) ignored")
            )
