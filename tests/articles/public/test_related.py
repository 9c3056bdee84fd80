from datetime import timedelta

import pytest
from django.utils import timezone

from articles.public.related import ArticleTopic, related_article_rows
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def topic_of(article) -> ArticleTopic:
    return ArticleTopic(
        article_id=article.pk,
        section_id=article.section_id,
        tag_ids=tuple(article.tags.values_list("pk", flat=True)),
        region_ids=tuple(article.regions.values_list("pk", flat=True)),
    )


def story(hours_ago, *, section, tags=(), regions=(), **fields):
    article = ArticleFactory(
        section=section,
        published_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )
    article.tags.add(*tags)
    article.regions.add(*regions)
    return article


@pytest.fixture
def newsroom():
    city, sport = SectionFactory(slug="koeln"), SectionFactory(slug="sport")
    flood, bonn = TagFactory(slug="hochwasser"), RegionFactory(slug="bonn")
    article = story(1, section=city, tags=[flood], regions=[bonn], headline="Pegel")
    return {
        "article": article,
        "by_tag_old": story(30, section=sport, tags=[flood], headline="Tag alt"),
        "by_region": story(5, section=sport, regions=[bonn], headline="Region"),
        "by_tag_new": story(2, section=sport, tags=[flood], headline="Tag neu"),
        "section_new": story(3, section=city, headline="Ressort neu"),
        "section_old": story(40, section=city, headline="Ressort alt"),
        "section_older": story(50, section=city, headline="Ressort älter"),
        "elsewhere": story(1, section=sport, headline="Anderswo"),
        "hidden": story(1, section=city, tags=[flood], draft=True, headline="Geheim"),
    }


def test_shared_tags_and_regions_first_then_the_section_newest_first(newsroom):
    rows = related_article_rows(topic_of(newsroom["article"]), at=timezone.now())
    assert [row["headline"] for row in rows] == [
        "Tag neu",
        "Region",
        "Tag alt",
        "Ressort neu",
        "Ressort alt",
    ]


def test_what_the_page_shows_already_is_left_out(newsroom):
    shown = {newsroom["by_tag_new"].pk, newsroom["section_new"].pk}
    rows = related_article_rows(
        topic_of(newsroom["article"]), at=timezone.now(), exclude_ids=shown
    )
    assert [row["headline"] for row in rows] == [
        "Region",
        "Tag alt",
        "Ressort alt",
        "Ressort älter",
    ]


def test_at_most_two_queries_whatever_the_archive(newsroom, django_assert_num_queries):
    topic = topic_of(newsroom["article"])
    for _ in range(30):
        story(10, section=newsroom["article"].section)
    with django_assert_num_queries(2):  # by tags or regions, by section
        related_article_rows(topic, at=timezone.now())
    flood = newsroom["article"].tags.get()
    for hours in range(5):
        story(hours + 0.5, section=newsroom["elsewhere"].section, tags=[flood])
    with django_assert_num_queries(1):  # five by tags or regions suffice
        related_article_rows(topic, at=timezone.now())


def test_the_setting_caps_the_list(newsroom, settings):
    settings.NEWSROOM_RELATED_ARTICLES = 2
    rows = related_article_rows(topic_of(newsroom["article"]), at=timezone.now())
    assert [row["headline"] for row in rows] == ["Tag neu", "Region"]


def test_the_article_page_shows_more_on_topic_but_not_the_rails_teasers(
    client, newsroom
):
    rail = RailFactory(slug="top", size=5)
    RailItemFactory(rail=rail, article=newsroom["by_tag_new"])
    html = client.get(newsroom["article"].get_absolute_url()).content.decode()
    block = html[html.index('id="mehr-zum-thema"') : html.index("</section>")]
    assert "Region" in block and "Ressort älter" in block
    assert "Tag neu" not in block  # in the rail below
    assert "Geheim" not in html and "Anderswo" not in block
    assert 'class="teaser__date"' in block


def test_an_article_going_live_joins_the_cached_list_on_time(
    client, newsroom, settings, clock
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    story(
        -0.5,
        section=newsroom["by_region"].section,
        regions=newsroom["by_region"].regions.all(),
        headline="Gleich live",
    )
    url = newsroom["article"].get_absolute_url()
    assert "Gleich live" not in client.get(url).content.decode()
    clock.move(minutes=31)
    assert "Gleich live" in client.get(url).content.decode()


def test_articles_of_one_topic_share_the_list_but_not_themselves(
    client, newsroom, settings, both_paths, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request builds the page
    settings.NEWSROOM_RELATED_ARTICLES = 2

    def more_on_topic(article) -> str:
        html = client.get(article.get_absolute_url()).content.decode()
        return html[html.index('id="mehr-zum-thema"') : html.index("</section>")]

    block = more_on_topic(newsroom["section_new"])
    assert "Pegel" in block and "Ressort alt" in block
    assert "Ressort neu" not in block
    # Same section, no tags or regions: the list is shared. Only the
    # article's own reads (article, photos, authors, corrections, regions,
    # tags) are left.
    with django_assert_num_queries(6):
        block = more_on_topic(newsroom["section_old"])
    assert "Pegel" in block and "Ressort neu" in block
    assert "Ressort alt" not in block  # its own teaser, kept for the others
