import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticlePhoto
from articles.purging import purge_pages
from articles.workflow.services import publish_article
from teasers.counting import flush_counts
from teasers.models import HourlyViews, Rail, RailItem, SponsoredSlot
from teasers.services import sponsored_click_url
from tests.factories import (
    ArticlePhotoFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    RegionFactory,
    SectionFactory,
    SponsoredSlotFactory,
    TagFactory,
    UserFactory,
)
from tests.http import cache_control, shared_cache_seconds

# Public pages: with and without the speed helpers (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_paths")]


def sponsored_blocks(html: str) -> list[str]:
    return re.findall(
        r'<article class="teaser teaser--sponsored">(.*?)</article>', html, re.S
    )


def test_front_page_renders_teasers_and_sponsored_slot(client):
    rail = RailFactory(title="Top-Themen")
    RailItemFactory(
        rail=rail,
        is_top=True,
        article__kicker="In der Heimat",
        article__headline='"Game of Thrones"-Star hat sich getraut',
        article__view_count=19467,
    )
    SponsoredSlotFactory(rail=rail, position=2)
    response = client.get(reverse("teasers:front_page"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Top-Themen" in html
    assert "&quot;Game of Thrones&quot;-Star hat sich getraut" in html
    assert '<span class="badge badge--top">Top</span>' in html
    assert "19.467" in html
    [block] = sponsored_blocks(html)
    visible_text = re.sub(r"<[^>]+>", " ", block).split()
    assert visible_text[0] == "Anzeige"
    assert 'rel="sponsored noopener"' in block
    # No public count on an advertisement (issue 15, point 8).
    assert "4.839" not in block
    assert "Aufrufe" not in block


def test_teaser_photo_carries_its_credit_in_the_figure(client):
    use = ArticlePhotoFactory(photo__credit_line="Steve Helber/AP/dpa")
    RailItemFactory(article=use.article)
    html = client.get("/").content.decode()
    figure = re.search(r'<figure class="photo teaser__photo">.*?</figure>', html, re.S)
    assert "Foto: Steve Helber/AP/dpa" in figure.group()


def test_front_page_hides_unpublished_articles(client):
    rail = RailFactory()
    RailItemFactory(rail=rail, article__headline="Öffentlich")
    RailItemFactory(rail=rail, article__draft=True, article__headline="Entwurf")
    RailItemFactory(rail=rail, article__scheduled=True, article__headline="Geplant")
    html = client.get("/").content.decode()
    assert "Öffentlich" in html
    assert "Entwurf" not in html
    assert "Geplant" not in html


def build_front_page(number_of_articles: int):
    """Rails of every kind over `number_of_articles` articles, in bulk."""
    now = timezone.now()
    section, region, tag = SectionFactory(), RegionFactory(), TagFactory()
    photo = PhotoFactory()
    articles = Article.objects.bulk_create(
        Article(
            headline=f"Artikel {n}",
            slug=f"artikel-{n}",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 1),
            first_published_at=now - timedelta(minutes=n + 1),
        )
        for n in range(number_of_articles)
    )
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo=photo) for article in articles
    )
    Article.regions.through.objects.bulk_create(
        Article.regions.through(article=article, region=region) for article in articles
    )
    Article.tags.through.objects.bulk_create(
        Article.tags.through(article=article, tag=tag) for article in articles
    )
    hour = now.replace(minute=0, second=0, microsecond=0)
    HourlyViews.objects.bulk_create(
        HourlyViews(article=article, hour=hour, views=n + 1)
        for n, article in enumerate(articles)
    )
    curated = RailFactory(order=1, size=60)
    RailItem.objects.bulk_create(
        RailItem(rail=curated, article=article, position=n + 1)
        for n, article in enumerate(articles)
    )
    mixed = RailFactory(order=2, kind=Rail.Kind.MIXED, section=section)
    RailItemFactory(rail=mixed, article=articles[-1], position=2)
    RailFactory(order=3, kind=Rail.Kind.AUTOMATIC, region=region)
    RailFactory(order=4, kind=Rail.Kind.AUTOMATIC, tag=tag, skips_shown=False)
    RailFactory(order=5, kind=Rail.Kind.AUTOMATIC, fill=Rail.Fill.MOST_READ_DAY)
    for rail in Rail.objects.all():
        SponsoredSlotFactory(rail=rail, photo=photo, position=2)


def test_front_page_query_count_does_not_grow(
    client, settings, count_queries, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # every request builds the page
    build_front_page(10)
    few = count_queries(lambda: client.get("/"))
    SponsoredSlot.objects.all().delete()
    Rail.objects.all().delete()
    Article.objects.all().delete()
    build_front_page(10_000)
    # navigation, breaking news banner; rails, pins, sponsored slots, next
    # scheduled change; one query per automatic or mixed rail (4); shown
    # articles and their photos; "Meistgelesen" ranks its candidates in one
    # query and, only when they cannot fill it (10 articles, most of them
    # shown above), all viewed ones
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert few == 13
    assert response.content.decode().count('class="teaser') > 60


def test_front_page_is_the_same_byte_for_byte_on_both_paths(client, settings):
    """The prepared rail queries and memoised markup change no byte: every
    kind of rail, "Meistgelesen" with its second try, badges, sponsored
    slots and view counts."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    build_front_page(10)
    Article.objects.filter(pk=Article.objects.order_by("pk")[0].pk).update(
        view_count=12345
    )
    pages = []
    for fast in (True, True, False):  # compiling, compiled, the plain ORM
        settings.NEWSROOM_FAST_PATH = fast
        pages.append(client.get("/").content)
    assert pages[0] == pages[1] == pages[2]
    html = pages[0].decode()
    assert html.count('class="teaser') > 20
    assert "12.345" in html and "Anzeige" in html


def test_cached_front_page_needs_no_query(client, django_assert_num_queries):
    RailItemFactory(article__headline="Gespeichert")
    client.get("/")
    with django_assert_num_queries(0):
        response = client.get("/")
    assert "Gespeichert" in response.content.decode()
    directives = cache_control(response)
    assert {"public", "max-age=0"} <= directives
    [shared] = [d for d in directives if d.startswith("s-maxage=")]
    assert 55 <= int(shared.removeprefix("s-maxage=")) <= 60


def test_cached_front_page_expires_when_a_scheduled_article_goes_live(client):
    rail = RailFactory()
    RailItemFactory(rail=rail)
    RailItemFactory(
        rail=rail,
        article__headline="Um 18 Uhr",
        article__published_at=timezone.now() + timedelta(seconds=25),
    )
    response = client.get("/")
    seconds = shared_cache_seconds(response)
    assert 20 <= seconds <= 25
    assert "Um 18 Uhr" not in response.content.decode()


def test_publishing_purges_the_cached_front_page(
    client, django_capture_on_commit_callbacks
):
    item = RailItemFactory(article__draft=True, article__headline="Eilmeldung")
    assert "Eilmeldung" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_article(item.article, by=None)
    assert "Eilmeldung" in client.get("/").content.decode()


def test_editors_get_a_fresh_uncached_page(client, django_assert_max_num_queries):
    RailItemFactory()
    client.force_login(UserFactory())
    response = client.get("/")
    assert cache_control(response) == {"private", "no-store"}
    client.logout()
    with django_assert_max_num_queries(20) as captured:
        client.get("/")
    assert len(captured) > 0  # nothing was stored for anonymous readers


def test_click_redirects_to_the_target_only_with_a_valid_signature(client):
    slot = SponsoredSlotFactory(target_url="https://werbung.example/angebot")
    url = sponsored_click_url(slot)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "https://werbung.example/angebot"
    assert "no-store" in response["Cache-Control"]
    token = url.rstrip("/").rsplit("/", 1)[1]
    value, signature = token.split(":")
    tampered = reverse(
        "teasers:sponsored_click", args=[f"{int(value) + 1}:{signature}"]
    )
    assert client.get(tampered).status_code == 404
    unsigned = reverse("teasers:sponsored_click", args=[value])
    assert client.get(unsigned).status_code == 404


def test_click_on_an_ended_slot_still_lands_but_does_not_count(client):
    now = timezone.now()
    slot = SponsoredSlotFactory(
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1)
    )
    response = client.get(sponsored_click_url(slot), headers={"User-Agent": "Firefox"})
    assert response.status_code == 302
    flush_counts(at=now + timedelta(minutes=3))
    slot.refresh_from_db()
    assert slot.click_count == 4839


def first_visible_words(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", " ", block).split()[0] for block in sponsored_blocks(html)
    ]


def test_anzeige_is_the_first_text_of_every_sponsored_slot_on_every_surface(client):
    rail = RailFactory()
    items = [RailItemFactory(rail=rail, position=n) for n in range(1, 5)]
    photo = PhotoFactory()
    SponsoredSlotFactory(rail=rail, position=1, photo=photo)
    SponsoredSlotFactory(rail=rail, every_nth=2, kicker="", photo=None)
    admin = UserFactory(username="chefin", is_superuser=True)
    preview = reverse("admin:teasers_front_page_preview")
    surfaces = {
        "front page": "/",
        "article page": items[0].article.get_absolute_url(),
    }
    for name, url in surfaces.items():
        words = first_visible_words(client.get(url).content.decode())
        assert len(words) >= 2, name
        assert set(words) == {"Anzeige"}, name
    client.force_login(admin)
    for url in (preview, f"{preview}?leiste={rail.slug}"):
        words = first_visible_words(client.get(url).content.decode())
        assert len(words) >= 2 and set(words) == {"Anzeige"}, url


def test_anzeige_label_is_legible_and_the_slot_framed():
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    label_rule = re.search(r"\.teaser__label \{(.*?)\}", css, re.S).group(1)
    size = float(re.search(r"font-size: ([\d.]+)rem", label_rule).group(1))
    assert size >= 0.8125  # 13 px at the default root size
    frame_rule = re.search(r"\.teaser--sponsored \{(.*?)\}", css, re.S).group(1)
    assert "border" in frame_rule and "background" in frame_rule


def test_time_preview_shows_the_future_front_page_to_editors_only(client):
    now = timezone.now()
    rail = RailFactory()
    RailItemFactory(rail=rail, article__headline="Jetzt")
    RailItemFactory(
        rail=rail,
        article__headline="Heute Abend",
        article__published_at=now + timedelta(hours=3),
    )
    url = reverse("admin:teasers_front_page_preview")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory(username="ohne-rechte"))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    future = timezone.localtime(now + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    response = client.get(url, {"zeit": future})
    html = response.content.decode()
    assert "Heute Abend" in html and "Jetzt" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "Heute Abend" not in client.get(url).content.decode()
    assert "Heute Abend" not in client.get("/").content.decode()


def test_teaser_shows_the_first_usable_photo_of_the_article(client):
    item = RailItemFactory()
    later_photo = PhotoFactory(alt_text="Zweites Bild", credit_line="B/dpa")
    lead = PhotoFactory(alt_text="Aufmacher", credit_line="A/AFP")
    ArticlePhotoFactory(article=item.article, photo=later_photo, position=1)
    ArticlePhotoFactory(article=item.article, photo=lead, position=0)
    html = client.get("/").content.decode()
    assert 'alt="Aufmacher"' in html and "Foto: A/AFP" in html
    assert "Zweites Bild" not in html
    lead.killed_at = timezone.now() - timedelta(minutes=1)
    lead.save()
    purge_pages()  # what the photo desk's save purges (see test_admin)
    html = client.get("/").content.decode()
    assert "Aufmacher" not in html and 'alt="Zweites Bild"' in html


def test_a_changed_alt_text_is_not_hidden_by_memoised_markup(client):
    use = ArticlePhotoFactory(photo__alt_text="Alt")
    RailItemFactory(article=use.article)
    assert 'alt="Alt"' in client.get("/").content.decode()
    use.photo.alt_text = "Neu beschrieben"
    use.photo.save()
    purge_pages()
    assert 'alt="Neu beschrieben"' in client.get("/").content.decode()


@pytest.mark.parametrize("zeit", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_time_preview_at_the_edges_of_the_calendar_is_a_form_error(client, zeit):
    RailItemFactory(article__headline="Jetzt")
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    url = reverse("admin:teasers_front_page_preview")
    response = client.get(url, {"zeit": zeit})
    assert response.status_code == 200
    assert "zwischen den Jahren 1000 und 9998" in str(
        response.context["preview_form"].errors
    )
    assert "Bitte Datum und Uhrzeit angeben" in response.content.decode()
