import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.models import CheckConstraint, UniqueConstraint
from django.urls import reverse

from teasers.models import RailItem
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    SponsoredSlotFactory,
    UserFactory,
)
from tests.teasers.test_admin import rail_form, slot_form

PROJECT_APPS = ("articles", "teasers")


def project_constraints():
    return [
        pytest.param(constraint, id=constraint.name)
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for constraint in model._meta.constraints
    ]


@pytest.mark.parametrize("constraint", project_constraints())
def test_every_constraint_explains_itself_in_german(constraint):
    assert isinstance(constraint, CheckConstraint | UniqueConstraint)
    message = str(constraint.violation_error_message)
    assert message != str(constraint.default_violation_error_message)
    assert constraint.name not in message and "%(name)s" not in message


def desk_client(client):
    user = UserFactory(username="cvd", password="!")
    user.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_two_teasers_on_one_fixed_place_are_refused(client):
    desk_client(client)
    rail = RailFactory(title="Kuratiert")
    first = RailItemFactory(rail=rail, position=1, article__headline="Erster")
    second = ArticleFactory(headline="Zweiter")
    response = client.post(
        reverse("admin:teasers_rail_change", args=[rail.pk]),
        rail_form(
            rail,
            [
                {"id": first.pk, "rail": rail.pk, "position": "1",
                 "article": first.article_id},
                {"rail": rail.pk, "position": "1", "article": second.pk},
            ],
        ),
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Platz 1 ist in dieser Leiste mehrfach vergeben" in html
    assert "„Erster“ und „Zweiter“" in html
    assert list(rail.items.values_list("article_id", flat=True)) == [first.article_id]


@pytest.mark.django_db
def test_two_teasers_may_swap_places_in_one_save(client):
    desk_client(client)
    rail = RailFactory()
    one = RailItemFactory(rail=rail, position=1)
    two = RailItemFactory(rail=rail, position=2)
    response = client.post(
        reverse("admin:teasers_rail_change", args=[rail.pk]),
        rail_form(
            rail,
            [
                {"id": one.pk, "rail": rail.pk, "position": "2",
                 "article": one.article_id},
                {"id": two.pk, "rail": rail.pk, "position": "1",
                 "article": two.article_id},
            ],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert list(rail.items.values_list("pk", flat=True)) == [two.pk, one.pk]


@pytest.mark.django_db
def test_a_teaser_edited_alone_cannot_take_a_taken_place(client):
    desk_client(client)
    rail = RailFactory()
    RailItemFactory(rail=rail, position=1, article__headline="Schon da")
    mover = RailItemFactory(rail=rail, position=2, article__headline="Neu hier")
    response = client.post(
        reverse("admin:teasers_railitem_change", args=[mover.pk]),
        {"rail": rail.pk, "article": mover.article_id, "position": "1"},
    )
    html = response.content.decode()
    assert "Platz 1 ist in dieser Leiste mehrfach vergeben" in html
    assert RailItem.objects.get(pk=mover.pk).position == 2


@pytest.mark.django_db
@pytest.mark.parametrize("saved_before", [True, False])
def test_the_same_article_twice_in_a_rail_gets_a_german_message(client, saved_before):
    desk_client(client)
    rail = RailFactory()
    article = ArticleFactory()
    first = {"rail": rail.pk, "position": "1", "article": article.pk}
    if saved_before:
        first["id"] = RailItemFactory(rail=rail, position=1, article=article).pk
    response = client.post(
        reverse("admin:teasers_rail_change", args=[rail.pk]),
        rail_form(
            rail, [first, {"rail": rail.pk, "position": "2", "article": article.pk}]
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "jeder Artikel nur einmal" in html
    assert "article_once_per_rail" not in html
    assert "doppelten Daten" not in html  # Django's message names the field


@pytest.mark.django_db
def test_a_flight_ending_before_it_starts_gets_a_german_message(client):
    user = UserFactory(username="anzeigen", password="!")
    user.groups.add(Group.objects.get(name="Anzeigen"))
    client.force_login(user)
    slot = SponsoredSlotFactory()
    response = client.post(
        reverse("admin:teasers_sponsoredslot_change", args=[slot.pk]),
        slot_form(slot.rail, ends_at_0="01.01.2001", ends_at_1="00:00:00"),
    )
    html = response.content.decode()
    assert "Das Ende der Laufzeit muss nach ihrem Beginn liegen." in html
    assert "sponsored_flight_ends_after_start" not in html
