from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeasersConfig(AppConfig):
    name = "teasers"
    verbose_name = _("Startseite und Anzeigen")

    def ready(self):
        from articles.models import register_photo_use_finder
        from teasers import counting  # noqa: F401  (connects the view counting)
        from teasers.models import sponsored_slot_uses

        # A photo a running slot shows keeps its credit (Photo.clean asks).
        register_photo_use_finder(sponsored_slot_uses)
