"""The body elements on the public page (both paths): info box, fact list
and quote in their reader markup; an embed as a two-click placeholder with
the provider's name, the privacy notice and a link, and nothing from the
provider in the page; no extra query for any of them."""

import re

import pytest

from articles.public.body_blocks import render_body_blocks
from teasers.demo_data import BODY_ELEMENTS_ARTICLE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

EVERY_ELEMENT = BODY_ELEMENTS_ARTICLE["body"]


def test_boxes_and_quotes_get_their_reader_markup():
    html = render_body_blocks(EVERY_ELEMENT)
    assert (
        '<div class="body-box body-box--info"><h2 class="body-box__title">'
        "Was ist eine mobile Schutzwand?</h2><p>Aluminiumelemente" in html
    )
    assert (
        '<div class="body-box body-box--facts"><h2 class="body-box__title">'
        "Die Schutzwand in Zahlen</h2><ul><li><p>Länge: 1,2 Kilometer</p></li>"
    ) in html
    assert (
        '<figure class="body-quote"><blockquote>Wir wollen nicht warten, bis das '
        "nächste Hochwasser die Altstadt erreicht.</blockquote><figcaption>Petra "
        "Berg, Leiterin der Hochwasserschutzzentrale</figcaption></figure>"
    ) in html
    assert "data-block" not in html


def test_an_embed_is_a_placeholder_with_notice_and_link():
    html = render_body_blocks(EVERY_ELEMENT)
    youtube = re.search(
        r'<figure class="embed[^"]*" data-embed-provider="youtube".*?</figure>', html
    ).group(0)
    assert youtube == (
        '<figure class="embed embed--wide" data-embed-provider="youtube" '
        'data-embed-name="YouTube" '
        'data-embed-frame="https://www.youtube-nocookie.com/embed/jNQXAC9IVRw">'
        '<div class="embed__consent">'
        '<p class="embed__provider">Eingebetteter Inhalt von YouTube</p>'
        '<p class="embed__notice">Beim Laden werden Daten an YouTube (Google '
        "Ireland Ltd.) übertragen, auch Ihre IP-Adresse; der Anbieter kann "
        "Cookies setzen.</p>"
        '<p><a class="embed__link" href="https://www.youtube.com/watch?v='
        'jNQXAC9IVRw">Inhalt bei YouTube ansehen</a></p></div></figure>'
    )
    assert 'data-embed-provider="x"' in html
    assert "Beim Laden werden Daten an X (Twitter International Unlimited " in html
    # Nothing the browser would fetch from a provider before the click.
    assert "<iframe" not in html and "<script" not in html
    assert not re.search(r'\s(src|srcset|poster)="https?://', html)


def test_a_mastodon_notice_names_the_server():
    html = render_body_blocks(
        '<div data-block="embed" data-provider="mastodon" data-id="x" '
        'data-url="https://social.bund.de/@BMI/113456789012345678"></div>'
    )
    assert "Daten an den Mastodon-Server social.bund.de übertragen" in html


@pytest.mark.parametrize(
    "stored",
    [
        # An address no provider knows (any more), or one that names another
        # provider than stored: no placeholder, no link.
        '<div data-block="embed" data-provider="youtube" '
        'data-url="https://evil.example/watch?v=jNQXAC9IVRw"></div>',
        '<div data-block="embed" data-provider="vimeo" '
        'data-url="https://youtu.be/jNQXAC9IVRw"></div>',
        '<div data-block="embed" data-provider="youtube"></div>',
    ],
)
def test_an_embed_no_longer_recognised_is_left_out(stored):
    assert render_body_blocks(f"<p>a</p>{stored}<p>b</p>") == "<p>a</p><p>b</p>"


def test_text_around_and_unknown_kinds_pass_through():
    body = (
        '<p>a</p><div><p>plain</p></div><figure data-block="photo"><p>x</p>'
        '</figure><div data-block="infobox"><h3>T</h3><div><p>inner</p></div>'
        "</div><p>b</p>"
    )
    assert render_body_blocks(body) == (
        '<p>a</p><div><p>plain</p></div><figure data-block="photo"><p>x</p>'
        '</figure><div class="body-box body-box--info"><h2 class="body-box__title">'
        "T</h2><div><p>inner</p></div></div><p>b</p>"
    )
    assert render_body_blocks("<p>nur Text</p>") == "<p>nur Text</p>"


def test_the_article_page_shows_every_element_without_extra_queries(
    client, django_assert_max_num_queries, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    plain = ArticleFactory(body="<p>Nur Text.</p>")
    client.get(plain.get_absolute_url())
    article = ArticleFactory(body=EVERY_ELEMENT, dateline="Köln")
    # Both once before: the shared parts of each topic ("Mehr zum Thema")
    # are kept as fragments.
    client.get(article.get_absolute_url())
    # The same budget as an article without elements (test_views.py): the
    # elements are rendered from the body alone.
    with django_assert_max_num_queries(12) as plain_queries:
        client.get(plain.get_absolute_url())
    with django_assert_max_num_queries(len(plain_queries)):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.count('class="embed ') == 2
    assert '<p><span class="dateline">Köln</span> - Die Stadt beginnt' in html
    assert '<script src="/static/js/embeds.js" defer></script>' in html
    policy = response.headers["Content-Security-Policy"]
    assert "frame-src 'self' https://www.youtube-nocookie.com " in policy
    assert "unsafe-inline" not in policy
