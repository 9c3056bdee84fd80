"""Hidden content stays hidden, on every public surface.

A small site holds one visible article and one hidden article of every kind
(`tests/hidden_articles.py`: draft, in review, scheduled, embargoed, embargo
time unknown, withheld by the agency, withdrawn, in the trash), all in the
same section, region, tag, rails and by the same author, each with a photo
of its own.
Every public URL is fetched, with the page cache off and on (then twice, the
second answer coming from the cache), and none may mention a hidden article:
not its headline, its address, its id in an API, nor its photo's image
address.

Every named URL of the project must be listed in SURFACES or, with the
reason, in NOT_SURFACES: a new public URL that nobody added here fails
`test_every_public_url_is_checked`.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.models import (
    Article,
    Gallery,
    GalleryPicture,
    LiveEntry,
    LiveEntryChange,
    Photo,
    SitePage,
)
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.public.sitemaps import SITEMAPS, article_page_number
from articles.workflow.services import add_note, send_back, withdraw_article
from articles.workflow.trash import trash_article
from teasers.models import Rail, SponsoredSlot
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    RegionFactory,
    SectionFactory,
    SponsoredSlotFactory,
    TagFactory,
    UserFactory,
)
from tests.hidden_articles import hidden_variants

# Public pages: with and without the speed helpers (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_paths")]


class Site:
    """The visible article, the hidden ones, and what names them."""

    def __init__(self):
        self.section = SectionFactory(slug="lokales", name="Lokales")
        self.region = RegionFactory(slug="rheinland")
        self.tag = TagFactory(slug="hafen")
        self.author = AuthorFactory(slug="anna-schmidt")
        self.agency = AgencyFactory()
        for kind in SitePage.Kind.values:
            SitePage.objects.create(kind=kind, title=kind, body="<p>Text</p>")
        newest = RailFactory(
            slug="neueste", kind=Rail.Kind.AUTOMATIC, size=20, skips_shown=False
        )
        curated = RailFactory(slug="kuratiert", kind=Rail.Kind.CURATED, size=20)
        SponsoredSlotFactory(rail=newest, photo=PhotoFactory())
        self.visible = self.article("Sichtbarkeitsprobe am Rhein", newest, curated)
        self.hidden = {
            kind: self.article(f"Geheimprobe {kind}", newest, curated, **fields)
            for kind, fields in hidden_variants().items()
        }

    def article(self, headline, *rails, **fields):
        article = ArticleFactory(
            headline=headline,
            teaser=f"Vorspann {headline}",
            section=self.section,
            agency=self.agency,
            is_live_ticker=True,
            **fields,
        )
        article.regions.add(self.region)
        article.tags.add(self.tag)
        article.authors.add(self.author)
        ArticlePhotoFactory(article=article, photo=PhotoFactory())
        # Every article a live ticker whose entry names it: no entry of a
        # hidden ticker may show on its page, the endpoint or anywhere.
        entry = LiveEntry.objects.create(
            article=article, title=f"Eintrag {headline}", body=f"<p>{headline}</p>"
        )
        LiveEntryChange.objects.create(
            article=article, entry_id=entry.pk, action="added"
        )
        for rail in rails:
            if rail.kind == Rail.Kind.CURATED:
                RailItemFactory(rail=rail, article=article)
        return article

    @staticmethod
    def traces(article: Article) -> list[str]:
        """What would give an article away on a page, a feed or an API."""
        photo = article.article_photos.get().photo
        return [
            article.headline,
            article.get_absolute_url(),
            f"/bild/{photo.pk}/",
            f'"{article.get_absolute_url()}"',
            # as an element's text or a JSON string: never a prefix of another
            f"{article.urn}<",
            f'{article.urn}"',
        ]

    def hidden_addresses(self) -> set[str]:
        """A hidden article's own page and API item."""
        return {
            address
            for article in self.hidden.values()
            for address in (
                article.get_absolute_url(),
                f"/api/ninjs/{article.pk}/",
                *live_ticker_addresses(article),
            )
        } | getattr(self, "hidden_galleries", set())

    def gallery_addresses(self) -> list[str]:
        shown = Gallery.objects.create(
            title="Galerie", published_at=timezone.now() - timedelta(hours=1)
        )
        GalleryPicture.objects.create(gallery=shown, photo=PhotoFactory())
        unpublished = Gallery.objects.create(title="Ohne eigene Seite")
        for article in self.hidden.values():
            GalleryPicture.objects.create(
                gallery=unpublished, photo=article.article_photos.get().photo
            )
        # A gallery without a page of its own answers 404 (issue #16).
        self.hidden_galleries = {unpublished.get_absolute_url()}
        return [shown.get_absolute_url(), unpublished.get_absolute_url()]

    def hidden_traces(self) -> dict[str, list[str]]:
        return {kind: self.traces(article) for kind, article in self.hidden.items()}


def live_ticker_addresses(article: Article) -> list[str]:
    """A ticker's endpoint: what changed since the start, and the page of
    entries before its one entry (empty, but answered only if visible)."""
    base = article.get_absolute_url() + "live/"
    return [f"{base}?seit=0", f"{base}?vor={article.live_entries.get().pk}"]


# url name → (addresses to fetch for a site, whether the visible article
# must show there: proof that the surface lists articles at all)
SURFACES = {
    "teasers:front_page": (lambda site: ["/"], True),
    "articles:section": (lambda site: [site.section.get_absolute_url()], True),
    "articles:detail": (
        lambda site: (
            [site.visible.get_absolute_url()]
            + [article.get_absolute_url() for article in site.hidden.values()]
        ),
        True,
    ),
    "articles:live_ticker_updates": (
        lambda site: [
            address
            for article in [site.visible, *site.hidden.values()]
            for address in live_ticker_addresses(article)
        ],
        True,
    ),
    "articles:region": (lambda site: [f"/region/{site.region.slug}/"], True),
    "articles:tag": (lambda site: [f"/thema/{site.tag.slug}/"], True),
    "articles:author": (lambda site: [f"/autor/{site.author.slug}/"], True),
    "articles:archive_day": (
        lambda site: sorted(
            {
                f"/archiv/{day:%Y/%m/%d}/"
                for article in [site.visible, *site.hidden.values()]
                if article.published_at
                for day in [timezone.localdate(article.published_at)]
            }
        ),
        True,
    ),
    "articles:archive_month": (
        lambda site: [
            f"/archiv/{timezone.localdate(site.visible.published_at):%Y/%m}/"
        ],
        True,
    ),
    "articles:search": (
        lambda site: [
            "/suche/",
            "/suche/?q=Geheimprobe",
            "/suche/?q=Sichtbarkeitsprobe",
            f"/suche/?ressort={site.section.slug}&region={site.region.slug}"
            f"&autor={site.author.slug}&agentur={site.agency.pk}",
            f"/suche/?q=Vorspann&von={timezone.localdate() - timedelta(days=3)}",
        ],
        True,
    ),
    "teasers:front_feed": (lambda site: ["/feed/"], True),
    "teasers:front_feed_atom": (lambda site: ["/feed/atom/"], True),
    "articles:section_feed": (lambda site: [f"/{site.section.slug}/feed/"], True),
    "articles:section_feed_atom": (
        lambda site: [f"/{site.section.slug}/feed/atom/"],
        True,
    ),
    "articles:sitemap_index": (lambda site: ["/sitemap.xml"], False),
    "articles:sitemap": (
        lambda site: (
            [f"/sitemap-{name}.xml" for name in SITEMAPS]
            # The articles' pages holding the visible and the hidden ones.
            + sorted(
                {
                    f"/sitemap-artikel-{article_page_number(article.pk)}.xml"
                    for article in [site.visible, *site.hidden.values()]
                }
            )
        ),
        True,
    ),
    "articles:robots": (lambda site: ["/robots.txt"], False),
    "articles:ninjs_list": (lambda site: ["/api/ninjs/"], True),
    "articles:ninjs_item": (
        lambda site: (
            [f"/api/ninjs/{site.visible.pk}/"]
            + [f"/api/ninjs/{article.pk}/" for article in site.hidden.values()]
        ),
        True,
    ),
    "articles:site_page": (
        lambda site: ["/impressum/", "/datenschutz/", "/kontakt/"],
        False,
    ),
    # A published gallery, and one without its own page holding the hidden
    # articles' photos: its address answers 404 and shows none of them.
    "articles:gallery": (lambda site: site.gallery_addresses(), False),
    "articles:rendition": (
        lambda site: [
            rendition_url(
                article.article_photos.get().photo, RenditionSpec("16x9", 320, "jpg")
            )
            for article in site.hidden.values()
        ],
        False,
    ),
}

NOT_SURFACES = {
    "teasers:sponsored_click": "a signed redirect to an advertiser; no content",
    "articles:shared_preview": "a signed preview link for one unpublished article",
    "favicon.ico": "a redirect to a static file",
}


def named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # staff only, behind a login
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else str(pattern.pattern)


def test_every_public_url_is_checked():
    names = set(named_urls(get_resolver().url_patterns))
    unchecked = names - SURFACES.keys() - NOT_SURFACES.keys()
    assert not unchecked, f"add these URLs to SURFACES in {__name__}: {unchecked}"
    assert not (SURFACES.keys() | NOT_SURFACES.keys()) - names, "stale entries"


def fetch_all(client, site):
    """{address: (status, body)} for every surface, and the visible hits."""
    answers, visible_on = {}, set()
    visible_traces = site.traces(site.visible)
    for name, (addresses, lists_articles) in SURFACES.items():
        for address in addresses(site):
            response = client.get(address)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            answers[address] = (response.status_code, text)
            if lists_articles and any(trace in text for trace in visible_traces):
                visible_on.add(name)
    return answers, visible_on


def assert_nothing_hidden_shows(answers, site):
    hidden_traces, hidden_addresses = site.hidden_traces(), site.hidden_addresses()
    # Seen once, then taken down: their ninjs item says so (issue #15, 4).
    taken_down = set(Article.objects.taken_down().values_list("pk", flat=True))
    for address, (status, text) in answers.items():
        for kind, traces in hidden_traces.items():
            article = site.hidden[kind]
            if article.pk in taken_down and address == f"/api/ninjs/{article.pk}/":
                # Its own item names it and its status, so partners take
                # it down too; nothing of its content.
                traces = [trace for trace in traces if article.urn not in trace]
            shown = [trace for trace in traces if trace in text]
            assert not shown, f"{kind} article shows on {address}: {shown}"
        if address in hidden_addresses:
            assert status in (404, 410), f"{address} answers {status}"


@pytest.mark.parametrize("page_cache_seconds", [0, 60], ids=["uncached", "cached"])
def test_hidden_articles_show_on_no_public_surface(
    client, settings, page_cache_seconds
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache_seconds
    settings.NEWSROOM_FRAGMENT_CACHE_SECONDS = page_cache_seconds
    site = Site()
    for _ in range(2 if page_cache_seconds else 1):  # then from the cache
        answers, visible_on = fetch_all(client, site)
        assert_nothing_hidden_shows(answers, site)
        must_list = {name for name, (_, lists) in SURFACES.items() if lists}
        assert visible_on == must_list, "the visible article is missing somewhere"
    for kind, article in site.hidden.items():
        photo = article.article_photos.get().photo
        guessed = f"/bild/{photo.pk}/0000000000/16x9-320.jpg"
        assert client.get(guessed).status_code == 404, kind


def test_withdrawing_takes_a_cached_article_off_every_surface(
    client, django_capture_on_commit_callbacks
):
    site = Site()
    fetch_all(client, site)  # now in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_article(site.visible, by=None, reason="Rechtliche Gründe")
    site.hidden["withdrawn later"] = site.visible
    answers, _visible_on = fetch_all(client, site)
    assert_nothing_hidden_shows(answers, site)


@pytest.mark.parametrize("page_cache_seconds", [0, 60], ids=["uncached", "cached"])
def test_more_on_topic_shows_no_hidden_article(client, settings, page_cache_seconds):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = page_cache_seconds
    site = Site()
    # Without rails, every related article would be "Mehr zum Thema".
    SponsoredSlot.objects.all().delete()
    Rail.objects.all().delete()
    sibling = site.article("Nachbarprobe am Rhein")
    for _ in range(2 if page_cache_seconds else 1):
        html = client.get(site.visible.get_absolute_url()).content.decode()
        block = html[html.index('id="mehr-zum-thema"') :]
        assert sibling.headline in block  # the list is there and filled
        assert_nothing_hidden_shows({"related": (200, block)}, site)


def test_internal_notes_show_on_no_public_surface(client):
    """Notes, their mentions and a send-back reason (issue #17) are for the
    newsroom only: not on the visible article's page nor anywhere else, and
    searching for their words finds nothing."""
    site = Site()
    desk = UserFactory(username="notizdesk", is_superuser=True)
    secret = "Notizgeheimnis"
    for article in [site.visible, *site.hidden.values()]:
        add_note(article, user=desk, text=f"{secret} Quelle prüfen @notizdesk")
    in_review = site.hidden["in-review"]
    send_back(in_review, user=desk, reason=f"{secret}grund fehlt")
    answers, visible_on = fetch_all(client, site)
    assert "articles:detail" in visible_on  # the pages were there
    for address, (_status, text) in answers.items():
        assert secret not in text, f"an internal note shows on {address}"
        assert "notizdesk" not in text, f"a note's author shows on {address}"
    # The full-text index behind the search holds no note's words.
    assert not Article.objects.containing(secret).exists()
    assert Article.objects.containing("Sichtbarkeitsprobe").exists()


def test_trashing_takes_a_cached_article_off_every_surface(
    client, django_capture_on_commit_callbacks
):
    site = Site()
    fetch_all(client, site)  # now in the page cache
    with django_capture_on_commit_callbacks(execute=True):
        trash_article(site.visible, by=None)
    site.hidden["trashed later"] = site.visible
    answers, _visible_on = fetch_all(client, site)
    assert_nothing_hidden_shows(answers, site)
    # Readers saw it: its page says it is gone.
    assert client.get(site.visible.get_absolute_url()).status_code == 410


def test_a_trashed_photo_shows_on_no_public_surface(client):
    site = Site()
    photo = site.visible.article_photos.get().photo
    # Trashed while only a draft used it, the draft published since.
    Photo.objects.filter(pk=photo.pk).update(deleted_at=timezone.now())
    answers, _visible_on = fetch_all(client, site)
    for address, (_status, text) in answers.items():
        assert f"/bild/{photo.pk}/" not in text, address
    address = rendition_url(photo, RenditionSpec("16x9", 320, "jpg"))
    assert client.get(address).status_code == 404
