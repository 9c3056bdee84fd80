"""What agencies sent: every received version, and where their categories go."""

from collections.abc import Mapping

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.articles import Article
from articles.models.taxonomy import Agency, Section
from articles.sanitising import sanitise_body_html

# Article fields an agency version writes, and the parsed field each comes
# from (the field lengths cut what is longer).
AGENCY_TEXT_FIELDS = {
    "headline": "headline",
    "kicker": "kicker",
    "teaser": "teaser",
    "body": "body_html",
    "byline": "byline",
    "dateline": "dateline",
}


def agency_text(parsed: Mapping) -> dict[str, str]:
    """The article's text fields as an agency item with `parsed` fields sets
    them (before the body is sanitised on save)."""
    text = {}
    for name, source in AGENCY_TEXT_FIELDS.items():
        value = parsed.get(source) or ""
        limit = Article._meta.get_field(name).max_length
        text[name] = value[:limit] if limit else value
    return text


def cut_text_fields(parsed: Mapping) -> list[str]:
    """The article fields (their names) that `agency_text` cuts for `parsed`."""
    cut = []
    for name, source in AGENCY_TEXT_FIELDS.items():
        field = Article._meta.get_field(name)
        if field.max_length and len(parsed.get(source) or "") > field.max_length:
            cut.append(str(field.verbose_name))
    return cut


class AgencyVersion(models.Model):
    """One received version of an agency item, raw and parsed, never changed.

    Kept whether or not it was applied, so editors can see what the agency
    changed (and what waits while an article is edited locally).
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="agency_versions",
    )
    version = models.PositiveIntegerField(_("Version"))
    version_created = models.DateTimeField(_("Versionszeit"), null=True, blank=True)
    # Version and time as one non-null value: a re-send is recognised even
    # when the agency sends no version time (NULLs never compare equal).
    version_key = models.CharField(
        _("Versionsschlüssel"), max_length=80, editable=False
    )
    received_at = models.DateTimeField(_("Empfangen"), auto_now_add=True)
    format = models.CharField(_("Format"), max_length=20)
    status = models.CharField(_("Status"), max_length=20)
    signal = models.CharField(_("Signal"), max_length=20, blank=True)
    payload = models.TextField(_("Rohdaten"))
    # Times in the parsed item are stored as ISO strings.
    fields = models.JSONField(_("Gelesene Felder"), encoder=DjangoJSONEncoder)
    applied = models.BooleanField(_("Übernommen"), default=False)

    class Meta:
        verbose_name = _("Agentur-Version")
        verbose_name_plural = _("Agentur-Versionen")
        ordering = ["-version", "-version_created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "version_key"],
                name="agency_version_received_once",
                violation_error_message=_(
                    "Diese Agentur-Version ist für den Artikel schon gespeichert."
                ),
            )
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version}"

    def article_text(self) -> dict[str, str]:
        """The article's text fields as applying this version stores them."""
        text = agency_text(self.fields)
        text["body"] = sanitise_body_html(text["body"])
        return text


class CategoryMapping(models.Model):
    """An agency's desk or category → our section ("wi" → Wirtschaft)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("Agentur"), on_delete=models.CASCADE
    )
    category = models.CharField(
        _("Ressort/Kategorie der Agentur"),
        max_length=120,
        help_text=_("So, wie die Agentur sie sendet, z. B. „wi“ oder „Sport“."),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("Unser Ressort"), on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("Ressort-Zuordnung")
        verbose_name_plural = _("Ressort-Zuordnungen")
        ordering = ["agency", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "category"],
                name="one_section_per_agency_category",
                violation_error_message=_(
                    "Für diese Kategorie der Agentur gibt es schon eine Zuordnung."
                ),
            )
        ]

    def __str__(self):
        return f"{self.agency} {self.category} → {self.section}"


def version_key(version: int, version_created) -> str:
    return f"{version}@{version_created.isoformat() if version_created else ''}"
