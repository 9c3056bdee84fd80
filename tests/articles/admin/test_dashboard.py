from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.articles.admin.staff import client_in
from tests.factories import AgencyFactory, ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

DESK_LISTS = (
    "Agenturmeldungen im Entwurf",
    "Agentur-Updates nicht übernommen (lokal bearbeitet)",
    "Sperrfrist ohne Zeit",
)
PHOTO_LISTS = ("Fotos ohne Bildquelle", "Fotos mit ablaufender Lizenz")


def fill(n: int, start: int = 0) -> None:
    agency = AgencyFactory()
    for i in range(start, start + n):
        ArticleFactory(
            draft=True, agency=agency, external_id=f"urn:a:{i}", headline=f"Agentur {i}"
        )
        ArticleFactory(
            agency=agency,
            external_id=f"urn:b:{i}",
            locally_edited=True,
            pending_agency_version=3,
            headline=f"Lokal geändert {i}",
        )
        ArticleFactory(embargo_time_unknown=True, headline=f"Ohne Zeit {i}")
        PhotoFactory(caption=f"Namenlos {i}", creator="", credit_line="", agency=None)
        PhotoFactory(licence_expires_at=timezone.now() + timedelta(days=2))


def test_the_desk_sees_agency_copy_updates_and_embargoes_without_time(
    count_queries, django_assert_max_num_queries
):
    desk = client_in("Chef vom Dienst", "cvd")
    fill(2)
    few = count_queries(lambda: desk.get(reverse("admin:index")))
    fill(10, start=2)
    with django_assert_max_num_queries(few):
        html = desk.get(reverse("admin:index")).content.decode()
    for title in DESK_LISTS:
        assert title in html
    assert "Agentur 11" in html
    assert "Lokal geändert 11" in html and "Version 3 wartet" in html
    assert "Ohne Zeit 11" in html
    # Credits and licences are the photo desk's to set.
    for title in PHOTO_LISTS:
        assert title not in html


def test_the_desk_lists_open_in_full_in_the_article_list():
    desk = client_in("Chef vom Dienst", "cvd")
    fill(1)
    ArticleFactory(draft=True, headline="Eigener Entwurf")
    changelist = reverse("admin:articles_article_changelist")
    expected = {
        "agentur-entwurf": "Agentur 0",
        "agentur-update": "Lokal geändert 0",
        "sperrfrist-ohne-zeit": "Ohne Zeit 0",
    }
    for value, headline in expected.items():
        response = desk.get(changelist, {"offen": value})
        shown = [a.headline for a in response.context["cl"].result_list]
        assert shown == [headline], value


def test_the_photo_desk_sees_photos_without_credit_and_no_article_lists():
    fill(1)
    PhotoFactory(caption="Mit Agentur", creator="", credit_line="")
    PhotoFactory(caption="Zu prüfen", credit_line="Foto: ?", credit_needs_review=True)
    photo_desk = client_in("Bildredaktion", "bild")
    html = photo_desk.get(reverse("admin:index")).content.decode()
    for title in PHOTO_LISTS:
        assert title in html
    assert "Namenlos 0" in html and "Zu prüfen" in html
    assert "Mit Agentur" not in html
    for title in (*DESK_LISTS, "Meine Entwürfe", "Warten auf Prüfung"):
        assert title not in html
    listed = photo_desk.get(
        reverse("admin:articles_photo_changelist"), {"bildquelle": "fehlt"}
    )
    assert sorted(p.caption for p in listed.context["cl"].result_list) == [
        "Namenlos 0",
        "Zu prüfen",
    ]


def test_ad_ops_and_reporters_see_only_what_they_may_act_on():
    fill(1)
    PhotoFactory(caption="Eigenes", licence_expires_at=timezone.now())
    ad_ops = client_in("Anzeigen", "anzeigen")
    html = ad_ops.get(reverse("admin:index")).content.decode()
    for title in (*DESK_LISTS, *PHOTO_LISTS, "Meine Entwürfe"):
        assert title not in html
    reporter = client_in("Redakteur", "rita")
    html = reporter.get(reverse("admin:index")).content.decode()
    assert "Meine Entwürfe" in html
    for title in (*DESK_LISTS, *PHOTO_LISTS):
        assert title not in html


def test_a_withdrawn_article_is_no_embargo_to_settle():
    ArticleFactory(
        status=Article.Status.WITHDRAWN,
        embargo_time_unknown=True,
        headline="Längst zurückgezogen",
    )
    html = client_in("Chef vom Dienst", "cvd").get(reverse("admin:index"))
    assert "Längst zurückgezogen" not in html.content.decode()
