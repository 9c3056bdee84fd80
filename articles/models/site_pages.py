"""The site's own pages: Impressum, Datenschutzerklärung, Kontakt.

One row per kind, maintained by editors in the admin. § 5 DDG and § 18 MStV
require an Impressum reachable from every page, so the kinds are fixed (the
footer links them all) rather than free pages with free addresses.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models.fields import CleanCharField, CleanTextField
from articles.sanitising import sanitise_body_html


class SitePage(models.Model):
    class Kind(models.TextChoices):
        IMPRESSUM = "impressum", _("Impressum")
        DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
        KONTAKT = "kontakt", _("Kontakt")

    kind = models.CharField(
        _("Seite"),
        max_length=20,
        choices=Kind.choices,
        unique=True,
        help_text=_("Bestimmt die Adresse, z. B. /impressum/."),
    )
    title = CleanCharField(_("Überschrift"), max_length=200)
    body = CleanTextField(
        _("Text"),
        help_text=_(
            "HTML wie im Artikeltext (Absätze, Zwischenüberschriften, Listen, "
            "Links); alles andere wird beim Speichern entfernt."
        ),
    )
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Seite (Impressum, Datenschutz, Kontakt)")
        verbose_name_plural = _("Seiten (Impressum, Datenschutz, Kontakt)")
        ordering = ["kind"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitise_body_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:site_page", args=[self.kind])
