from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.workflow import counting_marks


def local_date(value: str) -> datetime:
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from error
    return timezone.make_aware(datetime.combine(day, time.min))


class Command(BaseCommand):
    help = (
        "Read the VG Wort counting marks (Zählmarken) from the CSV VG Wort "
        "issues; with --assign-missing-since, give marks to published "
        "articles that got none because no mark was free."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", nargs="?", help="the CSV from VG Wort")
        parser.add_argument(
            "--assign-missing-since",
            type=local_date,
            metavar="YYYY-MM-DD",
            help="assign marks to eligible articles first published since then",
        )

    def handle(self, *args, csv_file, assign_missing_since, **options):
        if not csv_file and not assign_missing_since:
            raise CommandError("give a CSV file, --assign-missing-since, or both")
        failures = []
        if csv_file:
            try:
                with open(csv_file, "rb") as source:
                    data = source.read(counting_marks.MAX_CSV_BYTES + 1)
            except OSError as error:
                raise CommandError(f"cannot read {csv_file}: {error}") from error
            result = counting_marks.import_marks(data)
            for failure in result.failures:
                self.stderr.write(failure)
            failures = result.failures
            self.stdout.write(
                f"{result.created} mark(s) imported, {result.known} known already, "
                f"{len(result.failures)} failed."
            )
        if assign_missing_since:
            given = counting_marks.assign_missing(since=assign_missing_since)
            self.stdout.write(f"{given} article(s) got a mark.")
        if failures:
            raise CommandError(f"{len(failures)} row(s) failed", returncode=2)
