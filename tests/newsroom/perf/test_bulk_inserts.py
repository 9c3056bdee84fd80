import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from articles.models import (
    AgencyVersion,
    Article,
    ArticlePhoto,
    ArticleRevision,
    Photo,
)
from newsroom.perf.bulk_inserts import bulk_insert
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Set by the database, the clock or the file storage, not by the objects.
GENERATED = {"id", "created_at", "modified_at", "received_at", "image"}


def stored(objs) -> list[dict]:
    model = type(objs[0])
    rows = model.objects.filter(pk__in=[obj.pk for obj in objs]).order_by("pk")
    return [
        {name: value for name, value in row.items() if name not in GENERATED}
        for row in rows.values()
    ]


@pytest.fixture
def related():
    """What the new rows point to, and the time they hold."""
    return {
        "section": SectionFactory(),
        "agency": AgencyFactory(),
        "editor": UserFactory(),
        "article": ArticleFactory(),
        "photo": PhotoFactory(),
        "now": timezone.now(),
    }


def articles(related, external_id: str) -> list[Article]:
    """Unsaved articles with every kind of value an article field holds."""
    earlier = related["now"] - timedelta(hours=1)
    return [
        Article(
            headline="Schlagzeile",
            slug="schlagzeile",
            body="<p>Straße &amp; Brücke</p>",
            section=related["section"],
            status=Article.Status.PUBLISHED,
            published_at=earlier,
            first_published_at=earlier,
            agency=related["agency"],
            external_id=external_id,
            agency_version=7,
            agency_version_created=related["now"],
            agency_status=Article.AgencyStatus.USABLE,
            is_top=True,
            created_by=related["editor"],
        ),
        Article(headline="Entwurf", section=related["section"]),
    ]


def test_bulk_insert_stores_the_articles_bulk_create_stores(related):
    by_django = stored(Article.objects.bulk_create(articles(related, "urn:a")))
    inserted = bulk_insert(articles(related, "urn:b"))
    assert all(article.pk and not article._state.adding for article in inserted)
    by_django[0]["external_id"] = "urn:b"
    assert stored(inserted) == by_django


def agency_version(related) -> AgencyVersion:
    return AgencyVersion(
        article=related["article"],
        version=2,
        version_created=related["now"],
        version_key="2@x",
        format="digitalwires",
        status="usable",
        payload='{"urn": "x"}',
        # A time (the encoder writes it), text that looks like JSON, a list.
        fields={"at": related["now"], "text": '{"a": 1}', "list": [1, "ü", None]},
    )


def revision(related) -> ArticleRevision:
    return ArticleRevision(article_id=related["article"].pk, number=3, data=["ü"])


def photo_link(related) -> ArticlePhoto:
    return ArticlePhoto(article=related["article"], photo=related["photo"], position=2)


def photo(related) -> Photo:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(picture, "JPEG")
    return Photo(
        # The file is stored under a new name each time.
        image=ContentFile(picture.getvalue(), name="bild.jpg"),
        external_id="urn:bild:1",
        width=64,
        height=48,
        caption="Der Rat tagt.",
        web_statement="https://example.org/rechte",
        agency=related["agency"],
        licence_expires_at=related["now"],
        focal_x=0.25,
    )


@pytest.mark.parametrize(
    "new_row", [agency_version, revision, photo_link, photo], ids=lambda f: f.__name__
)
def test_bulk_insert_stores_json_and_ids_as_bulk_create_does(related, new_row):
    model = type(new_row(related))
    by_django = stored(model.objects.bulk_create([new_row(related)]))
    model.objects.all().delete()
    [inserted] = bulk_insert([new_row(related)])
    assert stored([inserted]) == by_django
    if model is Photo:
        assert inserted.image.storage.exists(inserted.image.name)


def test_bulk_insert_splits_what_one_statement_cannot_hold():
    section = SectionFactory()
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    count = connection.ops.bulk_batch_size(fields, [Article()]) + 1
    inserted = bulk_insert(
        [Article(headline=f"Nr. {n}", section=section) for n in range(count)]
    )
    assert len({article.pk for article in inserted}) == count
    assert Article.objects.get(pk=inserted[-1].pk).headline == f"Nr. {count - 1}"
