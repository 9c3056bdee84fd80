"""The article page's read path: what it reads and its memoized markup, on
both paths (tests/articles/public/conftest.py). The speed helpers it uses are
tested in tests/newsroom/perf/."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import Article, ArticlePhoto, Author, Photo
from articles.public.article_page import (
    UNDER_ARTICLE,
    ArticleDocument,
    _document_around,
    _rendered_document,
    public_article_page,
)
from articles.public.site_frame import site_frame
from articles.purging import purge_pages
from tests.body_blocks import photo_block, saved
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    PhotoFactory,
    RegionFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def test_the_article_markup_is_never_stale(client, page_cache_off):
    """Changes that bypass every service (no version, no purge) still show:
    the memo is keyed by every value shown, read on each request."""
    author = AuthorFactory(name="Erika Muster")
    article = ArticleFactory(view_count=1234)
    article.authors.add(author)
    use = ArticlePhotoFactory(article=article, caption="Der Rathausplatz")
    url = article.get_absolute_url()
    first = client.get(url).content.decode()
    assert "Erika Muster" in first and "Der Rathausplatz" in first
    assert client.get(url).content.decode() == first

    Author.objects.filter(pk=author.pk).update(name="Erika Beispiel")
    ArticlePhoto.objects.filter(pk=use.pk).update(caption="Der Marktplatz")
    Article.objects.filter(pk=article.pk).update(view_count=19467)
    html = client.get(url).content.decode()
    assert "Erika Beispiel" in html and "Erika Muster" not in html
    assert "Der Marktplatz" in html and "Der Rathausplatz" not in html
    assert "19.467" in html

    Photo.objects.filter(pk=use.photo_id).update(killed_at=timezone.now())
    html = client.get(url).content.decode()
    assert "Der Marktplatz" not in html
    assert f"/bild/{use.photo_id}/" not in html


def templates_of(response) -> set[str]:
    return {template.name for template in response.templates}


def test_the_document_around_the_article_is_rendered_once_per_content(
    client, page_cache_off
):
    """The page around the article's markup is memoised by the values of its
    parts (the frame of every page is one of them), on both paths: the memo
    relies on no Django internal."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    first = client.get(url)
    assert "articles/article_detail.html" in templates_of(first)
    again = client.get(url)
    assert again.content == first.content
    assert "articles/article_detail.html" not in templates_of(again)
    # What teasers puts under the article is asked for on each request, and
    # a change there ("Mehr zum Thema", the rails) leaves the document as is.
    assert "articles/_under_article.html" in templates_of(again)
    ArticleFactory(headline="Neu im Ressort", section=article.section)
    purge_pages()  # what the publication does
    newer = client.get(url)
    assert "Neu im Ressort" in newer.content.decode()
    assert "articles/article_detail.html" not in templates_of(newer)

    SectionFactory(name="Kultur", slug="kultur")
    purge_pages()  # what the admin's save of a section does
    changed = client.get(url)
    assert "articles/article_detail.html" in templates_of(changed)
    assert '<a href="/kultur/">Kultur</a>' in changed.content.decode()


def test_the_spliced_page_is_the_page_rendered_whole(
    client, page_cache_off, monkeypatch
):
    """What goes under the article is put into the memoised document at its
    place: byte for byte what rendering the whole page gives."""
    from articles.public import article_page

    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    ArticleFactory(section=article.section)  # "Mehr zum Thema"
    url = article.get_absolute_url()
    spliced = client.get(url).content
    assert b"more-on-topic" in spliced
    monkeypatch.setattr(article_page, "_document_around", lambda document: None)
    assert client.get(url).content == spliced


def test_the_memo_keeps_the_host_apart(client, page_cache_off, settings):
    settings.ALLOWED_HOSTS = ["www.example.de", "m.example.de"]
    article = ArticleFactory()
    url = article.get_absolute_url()
    www = client.get(url, HTTP_HOST="www.example.de").content.decode()
    mobile = client.get(url, HTTP_HOST="m.example.de").content.decode()
    assert f"http://www.example.de{url}" in www
    assert f"http://m.example.de{url}" in mobile
    assert "www.example.de" not in mobile


def test_the_article_page_reads_what_it_shows(django_assert_num_queries):
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    # article, photos, authors, corrections, regions, tags
    with django_assert_num_queries(6):
        page = public_article_page(article.pk, timezone.now())
        assert page.article.lead_photo_use.photo.agency.short_name
    assert public_article_page(ArticleFactory(draft=True).pk, timezone.now()) is None


def test_the_page_shows_the_photos_usable_at_its_moment_in_order():
    """The uses are read whole and sorted by Photo.is_usable(): the same as
    ArticlePhoto.objects.usable() at every moment."""
    now = timezone.now()
    article = ArticleFactory()
    second = ArticlePhotoFactory(article=article, position=1)
    first = ArticlePhotoFactory(article=article, position=0)
    expiring = ArticlePhotoFactory(article=article, position=2)
    killed = ArticlePhotoFactory(article=article, position=3)
    to_review = ArticlePhotoFactory(article=article, position=4)
    deleted = ArticlePhotoFactory(article=article, position=5)
    Photo.objects.filter(pk=expiring.photo_id).update(
        licence_expires_at=now + timedelta(hours=1)
    )
    Photo.objects.filter(pk=killed.photo_id).update(killed_at=now)
    Photo.objects.filter(pk=to_review.photo_id).update(credit_needs_review=True)
    Photo.objects.filter(pk=deleted.photo_id).update(deleted_at=now)
    for at, expected in [
        (now, [first, second, expiring]),
        (now + timedelta(hours=2), [first, second]),
    ]:
        shown = public_article_page(article.pk, at).article.photo_uses
        assert shown == expected
        assert shown == list(ArticlePhoto.objects.usable(at).filter(article=article))


def test_a_social_photo_the_page_shows_is_not_read_again(django_assert_num_queries):
    article = ArticleFactory()
    use = ArticlePhotoFactory(article=article)
    Article.objects.filter(pk=article.pk).update(social_photo=use.photo)
    with django_assert_num_queries(6):
        page = public_article_page(article.pk, timezone.now())
        assert page.article.social_photo == use.photo
        assert page.article.social_photo.agency.short_name


def test_a_social_photo_in_the_body_is_not_read_again(django_assert_num_queries):
    """As in the demo: the social photo is one of the body's photos."""
    article = ArticleFactory()
    photo = PhotoFactory()
    saved(article, photo_block(photo))
    Article.objects.filter(pk=article.pk).update(social_photo=photo)
    # article, photo uses, the body's photos, authors, corrections, regions,
    # tags: no query for the social photo
    with django_assert_num_queries(7):
        page = public_article_page(article.pk, timezone.now())
        assert page.article.social_photo == photo
        assert page.article.social_photo.agency.short_name


def test_a_social_photo_of_its_own_is_read_if_usable(django_assert_num_queries):
    now = timezone.now()
    article = ArticleFactory()
    ArticlePhotoFactory(article=article)
    social = ArticlePhotoFactory().photo
    Article.objects.filter(pk=article.pk).update(social_photo=social)
    with django_assert_num_queries(7):
        page = public_article_page(article.pk, now)
        assert page.article.social_photo == social
        assert page.article.social_photo.agency.short_name
    Photo.objects.filter(pk=social.pk).update(licence_expires_at=now)
    page = public_article_page(article.pk, now)
    assert page.article.social_photo is None and page.article.social_photo_id is None


def test_the_article_links_its_authors_regions_and_tags(client):
    article = ArticleFactory()
    article.authors.add(AuthorFactory(name="Anna Alt", slug="anna-alt"))
    article.regions.add(RegionFactory(name="Bonn", slug="bonn"))
    article.tags.add(TagFactory(name="Hochwasser", slug="hochwasser"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/autor/anna-alt/">Anna Alt</a>' in html
    assert '<a href="/region/bonn/">Bonn</a>' in html
    assert '<a href="/thema/hochwasser/">Hochwasser</a>' in html
    # A tag added later is a new markup key, not a stale memo.
    article.tags.add(TagFactory(name="Pegel", slug="pegel"))
    purge_pages()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="/thema/pegel/">Pegel</a>' in html


def test_photos_and_corrections_keep_their_order(client):
    """Ordered by Python (position, time, id), as the models order them."""
    article = ArticleFactory()
    # Created in the other order: ids alone would put them wrong.
    ArticlePhotoFactory(article=article, position=2, caption="Zweites Bild")
    ArticlePhotoFactory(article=article, position=1, caption="Erstes Bild")
    now = timezone.now()
    later = article.corrections.create(text="Spätere Korrektur", created_at=now)
    article.corrections.create(
        text="Frühere Korrektur", created_at=now - timedelta(hours=1)
    )
    tie = article.corrections.create(text="Gleichzeitige Korrektur", created_at=now)
    assert later.pk < tie.pk
    page = public_article_page(article.pk, timezone.now())
    assert [use.caption for use in page.article.photo_uses] == [
        "Erstes Bild",
        "Zweites Bild",
    ]
    html = client.get(article.get_absolute_url()).content.decode()
    positions = [
        html.index(text)
        for text in (
            "Erstes Bild",
            "Zweites Bild",
            "Frühere Korrektur",
            "Spätere Korrektur",
            "Gleichzeitige Korrektur",
        )
    ]
    assert positions == sorted(positions)


def test_the_document_parts_follow_the_article(client, page_cache_off):
    """Title, description, robots tag and scripts are kept with the memoized
    markup: an edit that bypasses every service still shows."""
    article = ArticleFactory(seo_title="Alter Titel", meta_description="Alt")
    url = article.get_absolute_url()
    html = client.get(url).content.decode()
    assert "<title>Alter Titel – " in html
    assert '<meta name="description" content="Alt">' in html
    assert 'name="robots"' not in html and "live_ticker" not in html

    Article.objects.filter(pk=article.pk).update(
        seo_title="Neuer Titel",
        meta_description="Neu " + "x" * 200,
        noindex=True,
        is_live_ticker=True,
    )
    html = client.get(url).content.decode()
    assert "<title>Neuer Titel – " in html and "Alter Titel" not in html
    assert f'<meta name="description" content="Neu {"x" * 155}…">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert "live_ticker" in html and "embeds" in html


def test_the_place_for_the_rails_must_be_found_exactly_once():
    """Else the document is rendered whole, with what goes under the article
    (a NUL cannot reach an article: clean_text drops control characters)."""
    document = ArticleDocument(
        article_html=mark_safe(f"<article>{UNDER_ARTICLE}</article>"),
        head=None,
        parts=None,
        counting_pixel_url="",
        ticker_html="",
        frame=site_frame(),
        site=(),
        language="de",
    )
    assert _document_around.__wrapped__(document) is None
    clean = replace(document, article_html=mark_safe("<article></article>"))
    before, after = _document_around.__wrapped__(clean)
    assert before + "RAILS" + after == _rendered_document(clean, mark_safe("RAILS"))
