from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from teasers.archive import ArchiveNotEmpty, generate_archive


class Command(BaseCommand):
    help = (
        "Generate an archive of N articles (German bodies, sections, tags, "
        "authors, photos, 165 articles a day) for measuring the site at scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--append",
            action="store_true",
            help="Add to a database that holds articles already.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run although DEBUG is off (this writes thousands of articles).",
        )

    def handle(self, *args, articles, seed, append, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: this looks like production. Generated articles "
                "would go public; pass --allow-production if that is meant."
            )
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        show_progress = options["verbosity"] >= 1 and self.stdout.isatty()

        def progress(done, total):
            if show_progress:
                self.stdout.write(f"\r{done}/{total} Artikel", ending="")

        try:
            report = generate_archive(
                articles=articles, seed=seed, append=append, progress=progress
            )
        except ArchiveNotEmpty:
            raise CommandError(
                "The database holds articles already; pass --append to add more."
            ) from None
        if show_progress:
            self.stdout.write("")
        self.stdout.write(
            f"{report.articles} articles, {report.photos} photos, "
            f"{report.hourly_views} hourly view rows generated."
        )
