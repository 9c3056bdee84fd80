from datetime import timedelta

import pytest
from django.utils import timezone

from articles.badges import Badge
from teasers.services import assemble_rails
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    SponsoredSlotFactory,
)

pytestmark = pytest.mark.django_db


def headlines(assembled_rail):
    return [teaser.headline for teaser in assembled_rail.teasers]


def test_rails_come_in_order_with_items_in_position():
    second = RailFactory(order=2, title="Zweite")
    first = RailFactory(order=1, title="Erste")
    RailItemFactory(rail=first, position=2, article__headline="B")
    RailItemFactory(rail=first, position=1, article__headline="A")
    RailItemFactory(rail=second, position=1, article__headline="C")
    rails = assemble_rails()
    assert [r.rail.title for r in rails] == ["Erste", "Zweite"]
    assert headlines(rails[0]) == ["A", "B"]


def test_hidden_articles_are_skipped():
    rail = RailFactory()
    RailItemFactory(rail=rail, article__headline="Sichtbar")
    RailItemFactory(rail=rail, article__draft=True)
    RailItemFactory(rail=rail, article__scheduled=True)
    assert headlines(assemble_rails()[0]) == ["Sichtbar"]


def test_scheduled_article_appears_in_a_preview_at_its_time():
    item = RailItemFactory(article__scheduled=True, article__headline="Später")
    at = item.article.published_at + timedelta(minutes=1)
    assert headlines(assemble_rails(at=at)[0]) == ["Später"]


def test_an_article_appears_only_once_per_page():
    article = ArticleFactory(headline="Doppelt")
    RailItemFactory(rail=RailFactory(order=1), article=article)
    RailItemFactory(rail=RailFactory(order=2), article=article)
    RailItemFactory(rail__order=3, article__headline="Anderes")
    rails = assemble_rails()
    assert [headlines(r) for r in rails] == [["Doppelt"], ["Anderes"]]


def test_excluded_article_is_skipped():
    item = RailItemFactory()
    assert assemble_rails(exclude_article_ids=[item.article_id]) == []


def test_overrides_replace_article_texts():
    RailItemFactory(
        kicker="Eigene Dachzeile", headline="Eigene Überschrift", teaser="Eigener"
    )
    teaser = assemble_rails()[0].teasers[0]
    assert (teaser.kicker, teaser.headline, teaser.teaser) == (
        "Eigene Dachzeile",
        "Eigene Überschrift",
        "Eigener",
    )


def test_top_flag_and_rules_give_badges():
    rail = RailFactory()
    RailItemFactory(rail=rail, is_top=True, position=1)
    RailItemFactory(
        rail=rail,
        position=2,
        article__first_published_at=timezone.now() - timedelta(minutes=10),
    )
    assert [t.badge for t in assemble_rails()[0].teasers] == [Badge.TOP, Badge.NEW]


def test_sponsored_slot_takes_its_position_and_is_labelled():
    rail = RailFactory()
    for position in range(1, 4):
        RailItemFactory(rail=rail, position=position, article__headline=f"E{position}")
    SponsoredSlotFactory(rail=rail, position=2, headline="Gekauft")
    teasers = assemble_rails()[0].teasers
    assert [t.headline for t in teasers] == ["E1", "Gekauft", "E2", "E3"]
    sponsored = teasers[1]
    assert sponsored.is_sponsored
    assert sponsored.label == "Anzeige"
    assert sponsored.link_rel == "sponsored noopener"
    assert teasers[0].label == ""


def test_sponsored_slot_outside_its_flight_appears_nowhere():
    rail = RailFactory()
    RailItemFactory(rail=rail)
    now = timezone.now()
    SponsoredSlotFactory(rail=rail, starts_at=now + timedelta(hours=1))
    SponsoredSlotFactory(
        rail=rail, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
    )
    assert not any(t.is_sponsored for t in assemble_rails()[0].teasers)
    preview = assemble_rails(at=now + timedelta(hours=2))[0].teasers
    assert [t.is_sponsored for t in preview] == [True, False]
