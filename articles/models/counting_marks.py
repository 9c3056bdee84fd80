"""VG Wort's counting marks (Zählmarken): one per published text of our own.

VG Wort pays authors for texts read online, counted by its METIS system
through an invisible pixel on the page. The publisher orders marks in
batches and receives them as a CSV (a public and a private identifier per
mark). A mark belongs to exactly one text for ever: once assigned it is never
given to another article, even if its article is withdrawn or deleted, because
METIS has counted views under it. The private identifier is what the yearly
notification reports; it never appears on a public page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models.articles import Article


class CountingMarkQuerySet(models.QuerySet):
    def free(self):
        """Marks never given to an article (assigned_at is set for ever)."""
        return self.filter(assigned_at__isnull=True)

    def assigned(self):
        return self.filter(assigned_at__isnull=False)


class CountingMark(models.Model):
    public_id = models.CharField(
        _("Öffentlicher Identifikationscode"), max_length=32, unique=True
    )
    private_id = models.CharField(
        _("Privater Identifikationscode"), max_length=32, unique=True
    )
    # The METIS server the pixel is served from (vg01…vg09.met.vgwort.de,
    # one per publisher account); the CSP allows exactly that host.
    host = models.CharField(_("Zählserver"), max_length=100)
    article = models.OneToOneField(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counting_mark",
    )
    assigned_at = models.DateTimeField(_("zugewiesen am"), null=True, blank=True)
    imported_at = models.DateTimeField(_("eingelesen am"), auto_now_add=True)

    objects = CountingMarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("VG-Wort-Zählmarke")
        verbose_name_plural = _("VG-Wort-Zählmarken")
        ordering = ["-assigned_at", "id"]
        indexes = [
            # Handing out the next free mark: the oldest unassigned one.
            models.Index(
                fields=["id"],
                name="counting_mark_free",
                condition=models.Q(assigned_at__isnull=True),
            ),
            models.Index(fields=["assigned_at"], name="counting_mark_assigned"),
        ]
        constraints = [
            # A mark with an article was assigned; one never loses that time.
            models.CheckConstraint(
                condition=models.Q(article__isnull=True)
                | models.Q(assigned_at__isnull=False),
                name="counting_mark_article_has_time",
                violation_error_message=_(
                    "Eine Zählmarke mit Artikel braucht ein Zuweisungsdatum."
                ),
            )
        ]

    def __str__(self):
        return self.public_id

    @property
    def pixel_url(self) -> str:
        return f"https://{self.host}/na/{self.public_id}"
