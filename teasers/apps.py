from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeasersConfig(AppConfig):
    name = "teasers"
    verbose_name = _("Startseite und Anzeigen")

    def ready(self):
        # Connects the receiver that counts article page views.
        from teasers import counting  # noqa: F401
