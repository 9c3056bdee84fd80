"""Photo galleries (Bildergalerien) and the photos and galleries an
article's body shows.

A gallery is an ordered set of photos, each with its own caption. It is
shown inside article bodies (a `gallery` block) and, once published, on a
page of its own. Its own page follows its own publication time
(`published_at`, empty: no page of its own); inside an article it is shown
with the article, whatever that time says.

`BodyPhoto` and `BodyGallery` record what a saved body refers to
(articles/photos/body_uses.py writes them on every save): they answer
"does a public page show this photo?" in a query, as `ArticlePhoto` does
for the lead and closing photos, and the article page shows only what
they record.
"""

from datetime import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.articles import Article
from articles.models.fields import CleanCharField, CleanTextField
from articles.models.photos import (
    Photo,
    PhotoUse,
    register_photo_use_finder,
    usable_photo_q,
)
from articles.models.taxonomy import german_slugify


class GalleryQuerySet(models.QuerySet):
    def published(self, at: datetime | None = None):
        """Galleries whose own page the public may see at `at`."""
        return self.filter(published_at__lte=at or timezone.now())

    def listed(self, at: datetime | None = None):
        """Published galleries with a usable picture: the sitemap's."""
        at = at or timezone.now()
        return self.published(at).filter(
            Exists(
                GalleryPicture.objects.filter(
                    usable_photo_q(at, prefix="photo__"), gallery=OuterRef("pk")
                )
            )
        )

    def next_publication(self, at: datetime | None = None) -> datetime | None:
        """When the next gallery's own page goes live after `at`."""
        return (
            self.filter(published_at__gt=at or timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def shown(self, at: datetime | None = None):
        """Galleries a public page shows at `at`: their own page, or the
        body of a published article."""
        at = at or timezone.now()
        in_articles = BodyGallery.objects.filter(
            gallery=OuterRef("pk"), article__in=Article.objects.published(at)
        )
        return self.filter(Q(published_at__lte=at) | Exists(in_articles))


class Gallery(models.Model):
    title = CleanCharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname (Adresse)"), max_length=200, blank=True)
    description = CleanTextField(
        _("Beschreibung"),
        blank=True,
        help_text=_("Ein, zwei Sätze über der Galerie auf ihrer eigenen Seite."),
    )
    published_at = models.DateTimeField(
        _("Eigene Seite veröffentlicht ab"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "Leer: Die Galerie hat keine eigene öffentliche Seite und erscheint "
            "nur in den Artikeln, die sie zeigen (mit deren Veröffentlichung)."
        ),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    modified_at = models.DateTimeField(_("Zuletzt gespeichert"), auto_now=True)

    objects = GalleryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Bildergalerie")
        verbose_name_plural = _("Bildergalerien")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = german_slugify(self.title)[:200].strip("-") or "galerie"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # An unsaved form may have emptied the slug; save() fills it again.
        return reverse("articles:gallery", args=[self.slug or "galerie", self.pk])

    def is_published(self, at: datetime | None = None) -> bool:
        """Python twin of `GalleryQuerySet.published()` for one row."""
        return self.published_at is not None and self.published_at <= (
            at or timezone.now()
        )


class GalleryPictureQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None):
        """Pictures whose photo the public may see at `at`, in order, with
        what their credits need."""
        return self.filter(
            usable_photo_q(at or timezone.now(), prefix="photo__")
        ).select_related("photo__agency")


class GalleryPicture(models.Model):
    gallery = models.ForeignKey(
        Gallery,
        verbose_name=_("Galerie"),
        on_delete=models.CASCADE,
        related_name="pictures",
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("Foto"),
        on_delete=models.PROTECT,
        related_name="gallery_pictures",
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    caption = CleanTextField(
        _("Bildunterschrift in dieser Galerie"),
        blank=True,
        help_text=_("Leer lassen, um die Bildunterschrift des Fotos zu verwenden."),
    )

    objects = GalleryPictureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Galeriebild")
        verbose_name_plural = _("Galeriebilder")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gallery", "photo"],
                name="photo_once_per_gallery",
                violation_error_message=_(
                    "Dieses Foto ist schon in der Galerie; jedes Foto nur einmal."
                ),
            )
        ]

    def __str__(self):
        return f"{self.gallery} – {self.photo}"

    @property
    def display_caption(self) -> str:
        return self.caption or self.photo.caption


class BodyPhoto(models.Model):
    """A photo block in an article's saved body (derived from the body)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey(Photo, on_delete=models.PROTECT, related_name="body_uses")

    class Meta:
        verbose_name = _("Foto im Artikeltext")
        verbose_name_plural = _("Fotos im Artikeltext")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"],
                name="body_photo_once_per_article",
                violation_error_message=_(
                    "Dieses Foto steht schon einmal im Text des Artikels."
                ),
            )
        ]

    def __str__(self):
        return f"{self.article_id} – {self.photo_id}"


class BodyGallery(models.Model):
    """A gallery block in an article's saved body (derived from the body)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="body_galleries"
    )
    gallery = models.ForeignKey(
        Gallery, on_delete=models.PROTECT, related_name="body_uses"
    )

    class Meta:
        verbose_name = _("Galerie im Artikeltext")
        verbose_name_plural = _("Galerien im Artikeltext")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "gallery"],
                name="body_gallery_once_per_article",
                violation_error_message=_(
                    "Diese Galerie steht schon einmal im Text des Artikels."
                ),
            )
        ]

    def __str__(self):
        return f"{self.article_id} – {self.gallery_id}"


def body_and_gallery_uses(photo: Photo) -> list[PhotoUse]:
    """Published articles (live or scheduled) whose body shows `photo`,
    alone or in a gallery, and published galleries that show it."""
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    headlines = published.filter(
        Q(body_photos__photo=photo) | Q(body_galleries__gallery__pictures__photo=photo)
    ).values_list("headline", flat=True)
    titles = Gallery.objects.filter(
        published_at__isnull=False, pictures__photo=photo
    ).values_list("title", flat=True)
    return [
        *(
            PhotoUse(_("Artikel „%(headline)s“") % {"headline": headline})
            for headline in headlines.distinct()[:20]
        ),
        *(
            PhotoUse(_("Bildergalerie „%(title)s“") % {"title": title})
            for title in titles[:20]
        ),
    ]


register_photo_use_finder(body_and_gallery_uses)
