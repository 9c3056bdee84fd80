import os

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from teasers.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo content (the seed page's front page, article and "
        "sponsored slots) and demo users. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Put the seed's texts, timestamps and demo passwords back.",
        )

    def handle(self, *args, reset, **options):
        try:
            report = load_demo(reset=reset)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        created = ", ".join(f"{n} {name}" for name, n in report.created.items())
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready ({created or 'nothing new'}).")
        )
        self.stdout.write(f"Demo logins for {admin_address()}:")
        for username, role in report.users:
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD:<16} {role}")


def admin_address() -> str:
    """Where `make run` serves the admin: the Makefile hands its HOST and
    PORT (make run PORT=8080) to this command in the environment."""
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}/admin/"
