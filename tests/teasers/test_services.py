from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from teasers.badges import Badge
from teasers.models import HourlyViews, Rail, SponsoredSlot
from teasers.services import (
    assemble_page,
    sponsored_click_url,
    sponsored_slot_for_click,
)
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    RailFactory,
    RailItemFactory,
    RegionFactory,
    SectionFactory,
    SponsoredSlotFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def assemble_rails(**kwargs):
    return assemble_page(**kwargs).rails


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


def test_automatic_rail_fills_with_the_latest_of_its_section():
    news = SectionFactory(slug="nachrichten")
    now = timezone.now()
    for hours in (3, 1, 2):
        ArticleFactory(
            section=news,
            headline=f"vor {hours} h",
            published_at=now - timedelta(hours=hours),
        )
    ArticleFactory(headline="anderes Ressort")
    RailFactory(kind=Rail.Kind.AUTOMATIC, section=news, size=2)
    assert headlines(assemble_rails()[0]) == ["vor 1 h", "vor 2 h"]


def test_automatic_rail_sorts_an_embargoed_story_by_its_release():
    news = SectionFactory(slug="nachrichten")
    now = timezone.now()
    ArticleFactory(
        section=news, headline="ohne Sperrfrist", published_at=now - timedelta(hours=2)
    )
    # Filed four hours ago, readers saw it an hour ago.
    ArticleFactory(
        section=news,
        headline="Sperrfrist",
        published_at=now - timedelta(hours=4),
        embargo_until=now - timedelta(hours=1),
        first_published_at=now - timedelta(hours=1),
    )
    RailFactory(kind=Rail.Kind.AUTOMATIC, section=news, size=2)
    assert headlines(assemble_rails()[0]) == ["Sperrfrist", "ohne Sperrfrist"]


def test_automatic_rail_can_follow_a_region_or_a_tag():
    cologne, flood = RegionFactory(), TagFactory()
    in_cologne = ArticleFactory(headline="Köln")
    in_cologne.regions.add(cologne)
    tagged = ArticleFactory(headline="Hochwasser")
    tagged.tags.add(flood)
    ArticleFactory(headline="Sonstiges")
    RailFactory(order=1, kind=Rail.Kind.AUTOMATIC, region=cologne, skips_shown=False)
    RailFactory(order=2, kind=Rail.Kind.AUTOMATIC, tag=flood, skips_shown=False)
    assert [headlines(r) for r in assemble_rails()] == [["Köln"], ["Hochwasser"]]


def test_mixed_rail_keeps_pins_in_place_and_fills_the_rest():
    now = timezone.now()
    latest = [
        ArticleFactory(headline=f"Neu {n}", published_at=now - timedelta(minutes=n))
        for n in (1, 2, 3)
    ]
    rail = RailFactory(kind=Rail.Kind.MIXED, size=3)
    RailItemFactory(
        rail=rail,
        position=2,
        article__headline="Fest",
        article__published_at=now - timedelta(days=2),
    )
    assert headlines(assemble_rails()[0]) == ["Neu 1", "Fest", "Neu 2"]
    assert latest[2].headline not in headlines(assemble_rails()[0])


def test_expired_pin_falls_back_to_automatic_fill_by_itself():
    now = timezone.now()
    ArticleFactory(headline="Automatisch", published_at=now - timedelta(minutes=5))
    rail = RailFactory(kind=Rail.Kind.MIXED, size=1)
    RailItemFactory(
        rail=rail,
        position=1,
        is_top=True,
        pinned_until=now + timedelta(hours=1),
        article__headline="Top bis gleich",
        article__published_at=now - timedelta(days=1),
    )
    assert headlines(assemble_rails()[0]) == ["Top bis gleich"]
    later = now + timedelta(hours=1, seconds=1)
    assert headlines(assemble_rails(at=later)[0]) == ["Automatisch"]


def test_curated_rail_drops_an_expired_pin_and_respects_its_size():
    now = timezone.now()
    rail = RailFactory(size=2)
    RailItemFactory(rail=rail, position=1, article__headline="A")
    RailItemFactory(
        rail=rail,
        position=2,
        article__headline="B",
        pinned_until=now - timedelta(minutes=1),
    )
    RailItemFactory(rail=rail, position=3, article__headline="C")
    RailItemFactory(rail=rail, position=4, article__headline="D")
    assert headlines(assemble_rails()[0]) == ["A", "C"]


def test_a_rail_may_allow_articles_shown_above():
    article = ArticleFactory(headline="Zweimal erlaubt")
    RailItemFactory(rail=RailFactory(order=1), article=article)
    RailItemFactory(rail=RailFactory(order=2, skips_shown=False), article=article)
    assert [headlines(r) for r in assemble_rails()] == [
        ["Zweimal erlaubt"],
        ["Zweimal erlaubt"],
    ]


def test_most_read_ranks_by_views_inside_the_window_not_all_time():
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    old_hit = ArticleFactory(headline="Früher viel gelesen", view_count=900_000)
    today = ArticleFactory(headline="Heute gefragt", view_count=50)
    steady = ArticleFactory(headline="Die ganze Woche", view_count=400)
    HourlyViews.objects.create(
        article=old_hit, hour=hour - timedelta(days=3), views=5000
    )
    HourlyViews.objects.create(article=today, hour=hour, views=40)
    HourlyViews.objects.create(article=steady, hour=hour - timedelta(hours=2), views=30)
    for days in range(2, 6):
        HourlyViews.objects.create(
            article=steady, hour=hour - timedelta(days=days), views=100
        )
    RailFactory(order=1, kind=Rail.Kind.AUTOMATIC, fill=Rail.Fill.MOST_READ_DAY)
    RailFactory(
        order=2,
        kind=Rail.Kind.AUTOMATIC,
        fill=Rail.Fill.MOST_READ_WEEK,
        skips_shown=False,
    )
    day, week = assemble_rails()
    assert headlines(day) == ["Heute gefragt", "Die ganze Woche"]
    assert headlines(week) == [
        "Früher viel gelesen",
        "Die ganze Woche",
        "Heute gefragt",
    ]


def viewed(section, views: list[int], hour, **kwargs):
    articles = [ArticleFactory(section=section, **kwargs) for _ in views]
    HourlyViews.objects.bulk_create(
        HourlyViews(article=article, hour=hour, views=count)
        for article, count in zip(articles, views, strict=True)
    )
    return [article.pk for article in articles]


def test_most_read_ranks_the_windows_top_candidates_in_one_query(
    django_assert_num_queries,
):
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    section = SectionFactory()
    ids = viewed(section, [10, 50, 30, 40, 20], hour)
    # The most read of all, but not public: never a candidate that counts.
    viewed(section, [999], hour, draft=True)
    with django_assert_num_queries(1):
        top = HourlyViews.objects.most_read_article_ids(
            Article.objects.published(now), since=hour, until=now, limit=3
        )
    assert top == [ids[1], ids[3], ids[2]]


def test_most_read_of_a_small_section_looks_past_the_sites_candidates():
    # The site's most read (5 candidates per place) are all elsewhere: the
    # section's rail still fills with its own, by their views.
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    viewed(SectionFactory(), [1000 + n for n in range(12)], hour)
    small = SectionFactory()
    ids = viewed(small, [5, 7], hour)
    top = HourlyViews.objects.most_read_article_ids(
        Article.objects.published(now).in_section(small),
        since=hour,
        until=now,
        limit=2,
    )
    assert top == [ids[1], ids[0]]


def test_crop_ratio_comes_from_the_item_else_the_rail():
    rail = RailFactory(crop_ratio="4x3")
    RailItemFactory(rail=rail, position=1, crop_ratio="1x1")
    RailItemFactory(rail=rail, position=2)
    SponsoredSlotFactory(rail=rail, position=3)
    assert [t.crop_ratio for t in assemble_rails()[0].teasers] == ["1x1", "4x3", "4x3"]


def test_an_article_marked_top_shows_top_everywhere():
    RailItemFactory(article__is_top=True)
    assert assemble_rails()[0].teasers[0].badge == Badge.TOP


def test_sponsored_slot_can_repeat_every_nth_place():
    rail = RailFactory()
    for position in range(1, 6):
        RailItemFactory(rail=rail, position=position, article__headline=f"E{position}")
    SponsoredSlotFactory(rail=rail, every_nth=3, headline="Anz")
    assert headlines(assemble_rails()[0]) == [
        "E1",
        "E2",
        "Anz",
        "E3",
        "E4",
        "Anz",
        "E5",
    ]


def test_sponsored_slot_does_not_push_top_out_of_first_place():
    rail = RailFactory()
    RailItemFactory(rail=rail, position=1, is_top=True, article__headline="Top")
    RailItemFactory(rail=rail, position=2, article__headline="Zwei")
    SponsoredSlotFactory(rail=rail, position=1, headline="Anz")
    assert headlines(assemble_rails()[0]) == ["Top", "Anz", "Zwei"]
    rail.keeps_top_first = False
    rail.save()
    assert headlines(assemble_rails()[0]) == ["Anz", "Top", "Zwei"]


def test_competing_slots_take_turns_by_weight(settings):
    settings.NEWSROOM_SPONSORED_ROTATION_SECONDS = 600
    rail = RailFactory()
    RailItemFactory(rail=rail)
    now = timezone.now()
    SponsoredSlotFactory(
        rail=rail, position=1, headline="Schwer", priority=3,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=2),
    )  # fmt: skip
    SponsoredSlotFactory(
        rail=rail, position=1, headline="Leicht", priority=1,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=2),
    )  # fmt: skip
    shown = Counter()
    for window in range(40):
        page = assemble_page(at=now + timedelta(minutes=10 * window))
        sponsored = [t.headline for t in page.rails[0].teasers if t.is_sponsored]
        assert len(sponsored) == 1
        shown[sponsored[0]] += 1
        # The cached page expires when the next turn starts.
        assert page.changes_at <= page.at + timedelta(minutes=10)
    assert shown == {"Schwer": 30, "Leicht": 10}


def test_page_knows_when_it_changes_by_itself():
    now = timezone.now()
    rail = RailFactory()
    RailItemFactory(rail=rail, pinned_until=now + timedelta(hours=5))
    ArticleFactory(scheduled=True, published_at=now + timedelta(hours=4))
    SponsoredSlotFactory(rail=rail, starts_at=now + timedelta(hours=3))
    running = SponsoredSlotFactory(rail=rail, ends_at=now + timedelta(hours=2))
    ArticleFactory(embargo_until=now + timedelta(hours=1, minutes=30))
    fresh = RailItemFactory(rail=rail, article__first_published_at=now)
    page = assemble_page(at=now)
    assert page.changes_at == now + timedelta(hours=1, minutes=30)
    moments = [now + timedelta(hours=h) for h in (2, 3, 4, 5)]
    assert assemble_page(at=now + timedelta(hours=1, minutes=45)).changes_at == (
        running.ends_at
    )
    assert moments[0] == running.ends_at
    new_badge_ends = fresh.article.first_published_at + timedelta(hours=6)
    assert assemble_page(at=now + timedelta(hours=5, minutes=30)).changes_at == (
        new_badge_ends
    )


def test_sponsored_label_is_enforced_by_the_database():
    slot = SponsoredSlotFactory()
    assert slot.label == "Anzeige"
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsoredSlot.objects.filter(pk=slot.pk).update(label="Partner")
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsoredSlotFactory(label="")


def test_click_tokens_are_signed():
    slot = SponsoredSlotFactory()
    token = sponsored_click_url(slot).rstrip("/").rsplit("/", 1)[1]
    assert sponsored_slot_for_click(token) == slot
    other = SponsoredSlotFactory()
    forged = token.replace(f"{slot.pk}:", f"{other.pk}:", 1)
    assert sponsored_slot_for_click(forged) is None
    assert sponsored_slot_for_click(str(slot.pk)) is None


def test_fixed_and_repeating_slots_count_places_in_the_finished_rail():
    rail = RailFactory()
    for position in range(1, 7):
        RailItemFactory(rail=rail, position=position, article__headline=f"E{position}")
    SponsoredSlotFactory(rail=rail, every_nth=3, headline="Jede3", position=1)
    SponsoredSlotFactory(rail=rail, position=3, headline="Fest3")
    SponsoredSlotFactory(rail=rail, position=5, headline="Fest5")
    assert headlines(assemble_rails()[0]) == [
        "E1", "E2", "Fest3", "E3", "Fest5", "Jede3", "E4", "E5", "Jede3", "E6",
    ]  # fmt: skip


def test_repeating_slots_with_the_same_interval_take_turns():
    rail = RailFactory()
    for position in range(1, 7):
        RailItemFactory(rail=rail, position=position)
    SponsoredSlotFactory(rail=rail, every_nth=3, position=1, headline="A")
    SponsoredSlotFactory(rail=rail, every_nth=3, position=2, headline="B")
    page = assemble_page()
    sponsored = [t.headline for t in page.rails[0].teasers if t.is_sponsored]
    assert len(sponsored) == 2 and len(set(sponsored)) == 1
    assert len(page.sponsored_slot_ids) == 1  # one impression per page view


def test_top_keeps_first_place_and_fixed_slots_keep_their_order():
    rail = RailFactory()
    RailItemFactory(rail=rail, position=1, is_top=True, article__headline="Top")
    RailItemFactory(rail=rail, position=2, article__headline="E2")
    RailItemFactory(rail=rail, position=3, article__headline="E3")
    SponsoredSlotFactory(rail=rail, position=1, headline="Anz1")
    SponsoredSlotFactory(rail=rail, position=2, headline="Anz2")
    assert headlines(assemble_rails()[0]) == ["Top", "Anz2", "Anz1", "E2", "E3"]


def test_a_pin_on_a_taken_place_moves_down_not_up():
    now = timezone.now()
    ArticleFactory(headline="Auto", published_at=now - timedelta(minutes=1))
    rail = RailFactory(kind=Rail.Kind.MIXED, size=4)
    old = now - timedelta(days=1)
    RailItemFactory(
        rail=rail, position=2, article__headline="A", article__published_at=old
    )
    RailItemFactory(
        rail=rail, position=2, article__headline="B", article__published_at=old
    )
    RailItemFactory(
        rail=rail, position=9, article__headline="Weit", article__published_at=old
    )
    assert headlines(assemble_rails()[0]) == ["Auto", "A", "B", "Weit"]


def test_a_photo_kill_in_the_future_ends_the_cached_page():
    now = timezone.now()
    use = ArticlePhotoFactory(photo__killed_at=now + timedelta(minutes=10))
    RailItemFactory(article=use.article)
    page = assemble_page(at=now)
    assert page.changes_at == now + timedelta(minutes=10)
    later = assemble_page(at=now + timedelta(minutes=11))
    assert later.rails[0].teasers[0].photo is None


def test_the_reader_s_article_never_shows_in_rails_below_it():
    article = ArticleFactory()
    RailItemFactory(rail=RailFactory(skips_shown=False), article=article)
    assert assemble_rails(exclude_article_ids=[article.pk]) == []
