import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Article, ArticlePhoto, Gallery, Photo, Section, SitePage
from articles.workflow import services
from articles.workflow.trash import trash_article
from teasers.models import Rail, RailItem, SponsoredSlot

pytestmark = pytest.mark.django_db

HEADLINE = "WhatsApp soll bald für einige Geld kosten!"
CAPTION = "WhatsApp will künftig von Unternehmen Geld für die Nutzung verlangen."


@pytest.fixture
def demo(settings):
    settings.NEWSROOM_ALLOW_DEMO = True
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts():
    return [
        model.objects.count()
        for model in (Section, Article, Photo, ArticlePhoto, RailItem, SponsoredSlot)
    ]


def test_front_page_shows_the_seed_rails(client, demo):
    html = client.get("/").content.decode()
    assert "Schluss mit goldenem Oktober!" in html
    assert html.count('<article class="teaser') >= 40
    for badge in ("Top", "Neu", "Update"):
        assert f">{badge}</span>" in html
    assert "Mitmachen und Traumreise gewinnen!" in html
    block = re.search(
        r'<article class="teaser teaser--sponsored">(.*?)</article>', html, re.S
    ).group(1)
    assert re.sub(r"<[^>]+>", " ", block).split()[0] == "Anzeige"
    # No public count on an advertisement (issue 15, point 8).
    assert "4.839" not in block
    assert "Aufrufe" not in block


def test_article_page_shows_the_seed_article(client, demo):
    article = Article.objects.get(headline=HEADLINE)
    html = client.get(article.get_absolute_url()).content.decode()
    assert HEADLINE in html
    # Its search-engine and social-network fields.
    assert "<title>WhatsApp will Geld von Unternehmen verlangen" in html
    assert "WhatsApp: Bald zahlen Unternehmen für Chats mit Kunden" in html
    assert CAPTION in html
    assert "Der Kurzmitteilungsdienst ist bald nicht mehr für alle" in html
    assert '<span class="dateline">Mountain View</span> - WhatsApp will von' in html
    assert "die Pläne auf Eis." in html
    assert "19.467" in html
    assert '<p class="article__credits">Foto: dpa</p>' in html
    assert "Anzeige" in html  # the rails below carry sponsored slots


def test_running_again_creates_nothing_new(demo, settings):
    before = row_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert row_counts() == before
    assert "nothing new" in out.getvalue()


def test_reset_restores_seed_texts_without_duplicates(demo):
    article = Article.objects.get(headline=HEADLINE)
    article.kicker = "Von Hand geändert"
    article.save()
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.get(pk=article.pk).kicker == "Von Hand geändert"
    before = row_counts()
    call_command("load_demo", "--reset", stdout=StringIO())
    assert Article.objects.get(pk=article.pk).kicker == "Kurzmitteilungsdienst"
    assert row_counts() == before


def test_demo_users_can_log_into_the_admin(client, demo):
    assert "redakteur" in demo
    assert "newsroom-demo" in demo
    for username in ("admin", "redakteur", "cvd", "bildredaktion", "anzeigen"):
        assert client.login(username=username, password="newsroom-demo")
        assert client.get("/admin/").status_code == 200


def test_demo_is_refused_without_permission(settings):
    settings.NEWSROOM_ALLOW_DEMO = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=StringIO())
    assert not Article.objects.exists()


def test_demo_fills_the_editors_dashboard_without_touching_the_public_site(
    client, demo
):
    html = client.get("/").content.decode()
    assert "Rheinuferweg" not in html and "Pendler" not in html
    client.login(username="cvd", password="newsroom-demo")
    dashboard = client.get("/admin/").content.decode()
    for headline in ("Neue Buslinie", "Weihnachtsmarkt", "Pendler"):
        assert headline in dashboard
    client.login(username="redakteur", password="newsroom-demo")
    assert "Rheinuferweg" in client.get("/admin/").content.decode()  # own draft


def editors_changes():
    """What editors do with demo content between runs, through the services."""
    editor = get_user_model().objects.get(username="cvd")
    withdrawn = Article.objects.get(headline=HEADLINE)
    services.withdraw_article(withdrawn, by=editor, reason="Veraltet")
    edited = RailItem.objects.order_by("pk")[0].article
    edited.headline = "Von der Redaktion umgeschrieben"
    services.save_article(edited, by=editor)
    services.record_revision(edited, by=editor)
    deleted = RailItem.objects.order_by("pk")[1].article
    deleted_headline = deleted.headline
    deleted.delete()
    unpublished = Article.objects.get(headline__startswith="Weihnachtsmarkt")
    services.unpublish_article(unpublished, by=editor)
    sport = Section.objects.get(slug="sport")
    sport.slug = "sport-aktuell"
    sport.save()
    return withdrawn, edited, deleted_headline, unpublished


def test_a_rerun_leaves_the_editors_changes_alone(demo):
    withdrawn, edited, deleted_headline, unpublished = editors_changes()
    seed_headline = RailItem.objects.get(article=edited).article.headline
    before = row_counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo content ready" in out.getvalue()
    assert row_counts() == before
    withdrawn.refresh_from_db()
    assert withdrawn.status == Article.Status.WITHDRAWN
    assert Article.objects.get(pk=edited.pk).headline == seed_headline
    assert not Article.objects.filter(headline=deleted_headline).exists()
    unpublished.refresh_from_db()
    assert unpublished.status == Article.Status.DRAFT
    assert not Section.objects.filter(slug="sport").exists()


def test_reset_really_resets_whatever_editors_did(demo):
    fresh = row_counts()
    withdrawn, edited, deleted_headline, unpublished = editors_changes()
    call_command("load_demo", "--reset", stdout=StringIO())
    # The deleted article's photo stays in the library; it got a new one.
    fresh[2] += 1
    assert row_counts() == fresh
    visible = Article.objects.published()
    withdrawn.refresh_from_db()
    assert visible.filter(pk=withdrawn.pk).exists()
    assert Article.objects.get(pk=edited.pk).headline != edited.headline
    assert visible.filter(headline=deleted_headline).exists()
    assert Article.objects.scheduled().filter(pk=unpublished.pk).exists()
    assert Section.objects.filter(slug="sport").exists()
    # Again: nothing new.
    call_command("load_demo", "--reset", stdout=StringIO())
    assert row_counts() == fresh


def test_the_demo_ships_the_site_pages_and_keeps_the_editors_text(client, demo):
    for kind in ["impressum", "datenschutz", "kontakt"]:
        response = client.get(f"/{kind}/")
        assert response.status_code == 200, kind
        assert "Platzhalter" in response.content.decode()
    assert "§ 18 Abs. 2 MStV" in client.get("/impressum/").content.decode()
    impressum = SitePage.objects.get(kind="impressum")
    impressum.body = "<p>Rheinblick Medien GmbH</p>"
    impressum.save()
    SitePage.objects.filter(kind="kontakt").delete()
    call_command("load_demo", stdout=StringIO())
    assert SitePage.objects.get(kind="impressum").body == impressum.body
    assert not SitePage.objects.filter(kind="kontakt").exists()
    call_command("load_demo", "--reset", stdout=StringIO())
    assert "Platzhalter" in SitePage.objects.get(kind="impressum").body
    assert SitePage.objects.filter(kind="kontakt").exists()


def test_the_demo_has_an_article_with_every_body_element(client, demo):
    from teasers.demo_data import BODY_ELEMENTS_ARTICLE

    article = Article.objects.get(headline=BODY_ELEMENTS_ARTICLE["headline"])
    assert article.status == Article.Status.PUBLISHED
    html = client.get(article.get_absolute_url()).content.decode()
    for shown in (
        '<div class="body-box body-box--info">',
        '<div class="body-box body-box--facts">',
        '<figure class="body-quote">',
        'data-embed-provider="youtube"',
        'data-embed-provider="x"',
        "Beim Probeaufbau im Herbst stand die Wand in acht Stunden.",
        "Foto: Pierre Martin/AFP",
        "Hochwasser am Rhein: Die Bilder vom letzten Winter",
        "Foto: Lena Hartmann/dpa",
        '<p class="article__credits">Fotos: dpa, AFP</p>',
        "<title>Mobile Hochwasserschutzwand am Rheinufer: Zeitplan und Kosten",
    ):
        assert shown in html, shown
    assert html.count('class="gallery__item"') == 4
    assert article.body_photos.count() == 1 and article.body_galleries.count() == 1
    assert article.social_photo_id == article.body_photos.get().photo_id
    # A reset makes nothing new: the same photos, gallery and pictures.
    counts = [Photo.objects.count(), Gallery.objects.count(), Article.objects.count()]
    call_command("load_demo", "--reset", stdout=StringIO())
    assert [
        Photo.objects.count(),
        Gallery.objects.count(),
        Article.objects.count(),
    ] == counts
    article.refresh_from_db()
    assert 'data-block="gallery"' in article.body
    # A re-run keeps what an editor changed in it.
    edited = article.body.replace("Was ist eine mobile Schutzwand?", "Die Wand")
    Article.objects.filter(pk=article.pk).update(body=edited)
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.get(pk=article.pk).body == edited


LIVE_TICKER = "Großbrand im Hafen: Feuerwehr im Dauereinsatz"


def test_the_demo_ships_a_running_live_ticker_and_keeps_the_desks_changes(
    client, demo, settings
):
    from articles.models import LiveEntry
    from articles.workflow import live_ticker

    ticker = Article.objects.get(headline=LIVE_TICKER)
    assert ticker.is_running_ticker and ticker.is_public()
    html = client.get(ticker.get_absolute_url()).content.decode()
    assert "Warnung für Anwohner" in html and "Das Wichtigste" in html
    assert (
        '<span class="badge badge--live">Live</span>'
        in client.get(ticker.section.get_absolute_url()).content.decode()
    )
    entries = list(LiveEntry.objects.of_ticker(ticker.pk).newest_first())
    assert len(entries) == 4 and entries[0].at > entries[-1].at
    # The desk corrects one entry and adds one; a rerun keeps both.
    live_ticker.correct_live_entry(ticker, entries[0], by=None, body="<p>Korrektur</p>")
    live_ticker.add_live_entry(ticker, by=None, body="<p>Vom Desk</p>")
    call_command("load_demo", stdout=StringIO())
    bodies = set(LiveEntry.objects.of_ticker(ticker.pk).values_list("body", flat=True))
    assert {"<p>Korrektur</p>", "<p>Vom Desk</p>"} <= bodies and len(bodies) == 5
    call_command("load_demo", "--reset", stdout=StringIO())
    bodies = set(LiveEntry.objects.of_ticker(ticker.pk).values_list("body", flat=True))
    assert len(bodies) == 4 and "<p>Vom Desk</p>" not in bodies


def test_an_article_a_newcomer_publishes_shows_on_the_front_page(
    client, demo, django_capture_on_commit_callbacks
):
    newcomer = get_user_model().objects.get(username="cvd")
    article = Article.objects.create(
        headline="Mein erster Artikel im Demo",
        teaser="Frisch geschrieben.",
        section=Section.objects.get(slug="nachrichten"),
    )
    assert "Mein erster Artikel im Demo" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the purge
        services.publish_article(article, by=newcomer)
    html = client.get("/").content.decode()
    rail = html[html.index("Neu auf der Seite") :]
    assert "Mein erster Artikel im Demo" in rail


def test_a_rerun_keeps_the_editors_automatic_rails_as_they_are(demo):
    rail = Rail.objects.get(slug="neu-auf-der-seite")
    assert (rail.kind, rail.fill) == (Rail.Kind.AUTOMATIC, Rail.Fill.LATEST)
    rail.title, rail.size = "Frisch", 3
    rail.save()
    call_command("load_demo", stdout=StringIO())
    rail.refresh_from_db()
    assert (rail.title, rail.size) == ("Frisch", 3)
    rail.delete()
    call_command("load_demo", stdout=StringIO())
    assert not Rail.objects.filter(slug="neu-auf-der-seite").exists()
    call_command("load_demo", "--reset", stdout=StringIO())
    rail = Rail.objects.get(slug="neu-auf-der-seite")
    assert (rail.title, rail.size) == ("Neu auf der Seite", 6)


def test_reset_takes_demo_articles_out_of_the_trash(demo):
    article = Article.objects.get(headline=HEADLINE)
    trash_article(article, by=None)
    call_command("load_demo", stdout=StringIO())
    assert Article.objects.get(pk=article.pk).deleted_at is not None
    call_command("load_demo", "--reset", stdout=StringIO())
    assert Article.objects.published().filter(pk=article.pk).exists()
