"""Factories whose defaults build valid, published, visible objects."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import (
    Agency,
    Article,
    ArticlePhoto,
    Author,
    Gallery,
    GalleryPicture,
    Photo,
    Region,
    Section,
    Tag,
)
from articles.photos.saving import save_photo
from teasers.models import Rail, RailItem, SponsoredSlot


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Ressort {n}")
    slug = factory.Sequence(lambda n: f"ressort-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["short_name"]

    name = "Deutsche Presse-Agentur"
    short_name = "dpa"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Autorin {n}")
    slug = factory.Sequence(lambda n: f"autorin-{n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.django.ImageField(width=160, height=90, color="teal")
    caption = factory.Sequence(lambda n: f"Bildunterschrift {n}")
    alt_text = "Ein türkisfarbenes Rechteck"
    creator = "Peter Kneffel"
    agency = factory.SubFactory(AgencyFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The real path: file checked, size recorded, metadata pre-filled.
        return save_photo(model_class(*args, **kwargs))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Schlagwort {n}")
    slug = factory.Sequence(lambda n: f"schlagwort-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    kicker = "Dachzeile"
    headline = factory.Sequence(lambda n: f"Überschrift Nummer {n}")
    teaser = "Ein kurzer Vorspann."
    body = "<p>Erster Absatz.</p><p>Zweiter Absatz.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=12))
    first_published_at = factory.SelfAttribute("published_at")
    view_count = 1234

    class Params:
        draft = factory.Trait(
            status=Article.Status.DRAFT, published_at=None, first_published_at=None
        )
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(
                lambda: timezone.now() + timedelta(hours=2)
            ),
        )


class ArticlePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePhoto

    article = factory.SubFactory(ArticleFactory)
    photo = factory.SubFactory(PhotoFactory)
    position = 0


class RailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rail
        django_get_or_create = ["slug"]

    title = factory.Sequence(lambda n: f"Leiste {n}")
    slug = factory.Sequence(lambda n: f"leiste-{n}")
    order = factory.Sequence(int)


class RailItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RailItem

    rail = factory.SubFactory(RailFactory)
    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n + 1)


class SponsoredSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SponsoredSlot

    advertiser = "Traumlos Soziallotterie"
    kicker = "Spenden für guten Zweck"
    headline = "Mitmachen und Traumreise gewinnen!"
    target_url = "https://www.example.com/traumreise"
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    rail = factory.SubFactory(RailFactory)
    position = 1
    click_count = 4839


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("secret-password-1")


def make_gallery(photos, title="Das Stadtfest in Bildern", **fields) -> Gallery:
    """A gallery of `photos` in this order, each with a caption of its own."""
    gallery = Gallery.objects.create(title=title, **fields)
    for position, photo in enumerate(photos):
        GalleryPicture.objects.create(
            gallery=gallery, photo=photo, position=position, caption=f"Bild {position}"
        )
    return gallery
