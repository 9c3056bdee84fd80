from django.core.management.base import BaseCommand, CommandError

from articles.models import Photo
from articles.photos.renditions import generate_renditions


class Command(BaseCommand):
    help = (
        "Render every rendition (ratios × widths × formats) of every usable photo "
        "ahead of time. Resumable: stored renditions are skipped, photos "
        "whose renditions are all stored are not read again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--photo", type=int, action="append", help="Only these ids."
        )

    def handle(self, *args, dry_run, photo, verbosity, **options):
        # Through the partial index: photos done before cost nothing.
        photos = Photo.objects.usable().filter(renditions_complete=False).order_by("pk")
        if photo:
            photos = photos.filter(pk__in=photo)
        photos = list(photos)
        show_progress = verbosity >= 1 and self.stdout.isatty()

        def progress(photo, done, total):
            if verbosity >= 2:
                self.stdout.write(f"Foto {photo.pk}: fertig ({done}/{total})")
            elif show_progress:
                self.stdout.write(f"\r{done}/{total} Fotos", ending="")

        run = generate_renditions(photos, dry_run=dry_run, progress=progress)
        if show_progress:
            self.stdout.write("")
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{len(photos)} photos: {run.created} renditions {verb}, "
            f"{run.existing} already stored, {len(run.failed)} failed."
        )
        for failure in run.failed:
            self.stderr.write(self.style.ERROR(failure))
        if run.failed:
            raise CommandError(f"{len(run.failed)} rendition(s) failed", returncode=2)
