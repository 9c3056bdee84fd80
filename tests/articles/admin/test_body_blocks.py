"""The body elements in the admin: what the editor sends is stored as the
sanitised blocks and comes back unchanged (round trip), an embed from an
unknown provider is refused with a German message, the embed dialog's
check answers only editors, and the revision diff names each element."""

import pytest
from django.urls import reverse

from articles.admin.diffs import word_diff
from articles.models import Article
from articles.sanitising import sanitise_body_html
from teasers.demo_data import BODY_ELEMENTS_ARTICLE
from tests import factories
from tests.articles.admin.article_form import management_forms
from tests.articles.admin.staff import client_for, user_in

EVERY_ELEMENT = BODY_ELEMENTS_ARTICLE["body"]
# What the editor (body_blocks.js) sends for the same body: ProseMirror's
# serialiser writes the same elements and attributes.
INFOBOX = (
    '<div data-block="infobox"><h3>Gut zu wissen</h3><p>Die <em>Wand</em> '
    "hält.</p><ul><li><p>Punkt</p></li></ul></div>"
)
QUOTE = (
    '<figure data-block="quote"><blockquote>Wir bauen <strong>jetzt</strong>.'
    "</blockquote><figcaption>Petra Berg</figcaption></figure>"
)
FACTLIST = (
    '<div data-block="factlist"><h3>Zahlen</h3><ul><li><p>1,2 km</p></li>'
    "<li><p>14,5 Mio. Euro</p></li></ul></div>"
)
EMBED = (
    '<div data-block="embed" data-provider="youtube" data-id="jNQXAC9IVRw" '
    'data-url="https://www.youtube.com/watch?v=jNQXAC9IVRw&amp;t=10"></div>'
)


@pytest.mark.parametrize("block", [INFOBOX, QUOTE, FACTLIST, EMBED, EVERY_ELEMENT])
def test_each_element_survives_the_sanitiser_unchanged(block):
    assert sanitise_body_html(block) == block


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        # Each kind keeps exactly its own attributes.
        (
            '<div data-block="infobox" data-url="https://x.example/" data-id="1" '
            'class="x" style="color:red" onclick="x()"><h3>T</h3><p>a</p></div>',
            '<div data-block="infobox"><h3>T</h3><p>a</p></div>',
        ),
        # An unknown kind, or a kind on the wrong element, is no block.
        (
            '<div data-block="script" data-provider="youtube"><p>a</p></div>',
            "<div><p>a</p></div>",
        ),
        (
            '<figure data-block="embed" data-url="https://youtu.be/x"></figure>',
            "<figure></figure>",
        ),
        (
            '<div data-block="quote"><blockquote>a</blockquote></div>',
            "<div><blockquote>a</blockquote></div>",
        ),
        # An embed's address is a web address or nothing.
        (
            '<div data-block="embed" data-provider="x" data-url="javascript:alert(1)">'
            "</div>",
            '<div data-block="embed" data-provider="x"></div>',
        ),
        # Data attributes outside a block go.
        ('<div data-provider="x"><p data-id="1">a</p></div>', "<div><p>a</p></div>"),
    ],
)
def test_the_sanitiser_allows_each_kind_only_its_own_attributes(sent, stored):
    assert sanitise_body_html(sent) == stored


@pytest.fixture
def reporter():
    user = user_in("Redakteur", "rita")
    return client_for(user), user


def post_body(client, article, body):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {
            "headline": article.headline,
            "section": article.section_id,
            "body": body,
            "loaded_version": Article.objects.get(pk=article.pk).version,
            **management_forms(),
        },
    )


@pytest.mark.django_db
def test_every_element_round_trips_through_the_edit_form(reporter):
    client, user = reporter
    article = factories.ArticleFactory(draft=True, created_by=user, body="")
    body = EVERY_ELEMENT + INFOBOX + QUOTE + FACTLIST + EMBED
    response = post_body(client, article, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get(pk=article.pk).body == body
    # Reopened: the form hands the editor exactly what was stored ...
    form = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert form.context["adminform"].form["body"].value() == body
    # ... and saving it again changes nothing.
    edited = body.replace("Gut zu wissen", "Gut zu wissen (neu)")
    assert post_body(client, article, edited).status_code == 302
    assert Article.objects.get(pk=article.pk).body == edited


@pytest.mark.django_db
def test_a_forged_embed_gets_provider_and_id_from_its_address(reporter):
    client, user = reporter
    article = factories.ArticleFactory(draft=True, created_by=user, body="")
    forged = (
        '<div data-block="embed" data-provider="vimeo" data-id="666" '
        'data-url="https://x.com/jack/status/20"></div>'
    )
    assert post_body(client, article, forged).status_code == 302
    assert Article.objects.get(pk=article.pk).body == (
        '<div data-block="embed" data-provider="x" data-id="20" '
        'data-url="https://x.com/jack/status/20"></div>'
    )


@pytest.mark.django_db
def test_an_embed_from_an_unknown_provider_is_refused_in_german(reporter):
    client, user = reporter
    article = factories.ArticleFactory(
        draft=True, created_by=user, body="<p>Bleibt.</p>"
    )
    response = post_body(
        client,
        article,
        '<p>Neu</p><div data-block="embed" data-provider="evil" '
        'data-url="https://evil.example/video/1"></div>',
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors == [
        "Einbettung nicht möglich: Inhalte von „evil.example“ können nicht "
        "eingebettet werden. Bekannte Anbieter: YouTube, Vimeo, X, Instagram, "
        "TikTok, Facebook, Bluesky, Mastodon, Datawrapper, Flourish, "
        "dpa-Webgrafik, Spotify, Apple Podcasts, OpenStreetMap, Google Maps."
    ]
    assert Article.objects.get(pk=article.pk).body == "<p>Bleibt.</p>"


@pytest.mark.django_db
def test_the_embed_dialog_asks_the_server_from_the_address_alone(
    reporter, django_assert_max_num_queries
):
    client, _user = reporter
    url = reverse("admin:articles_article_embed_check")
    # Session, user and the user's and groups' permissions: nothing else,
    # the address is all it looks at.
    with django_assert_max_num_queries(4):
        answer = client.get(url, {"url": "https://youtu.be/jNQXAC9IVRw"})
    assert answer.status_code == 200
    assert answer.json() == {
        "provider": "youtube",
        "name": "YouTube",
        "id": "jNQXAC9IVRw",
        "url": "https://youtu.be/jNQXAC9IVRw",
    }
    refused = client.get(url, {"url": "https://www.youtube.com/@tagesschau"})
    assert refused.status_code == 200
    assert refused.json()["error"].startswith("Die Adresse ist von YouTube, zeigt")
    assert client.get(url).json() == {"error": "Bitte eine Adresse eingeben."}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["Anzeigen", None])
def test_the_embed_check_answers_editors_only(role, client):
    url = reverse("admin:articles_article_embed_check")
    if role:
        client = client_for(user_in(role, "anna"))
        assert client.get(url, {"url": "https://youtu.be/x"}).status_code == 403
    else:
        # Not logged in: the admin's login page.
        assert client.get(url).status_code == 302


def test_the_revision_diff_names_each_element():
    before = "<p>Vorher.</p>"
    diff = word_diff(before, before + INFOBOX + QUOTE + FACTLIST + EMBED, is_html=True)
    assert diff == (
        "<p>Vorher.</p>"
        "<p><ins>[Info-Kasten]</ins></p><p><ins>Gut zu wissen</ins></p>"
        "<p><ins>Die Wand hält.</ins></p><p><ins>Punkt</ins></p>"
        "<p><ins>[Zitat]</ins></p><p><ins>Wir bauen jetzt.</ins></p>"
        "<p><ins>– Petra Berg</ins></p>"
        "<p><ins>[Faktenliste]</ins></p><p><ins>Zahlen</ins></p>"
        "<p><ins>1,2 km</ins></p><p><ins>14,5 Mio. Euro</ins></p>"
        "<p><ins>[Einbettung: YouTube, "
        "https://www.youtube.com/watch?v=jNQXAC9IVRw&amp;t=10]</ins></p>"
    )
    # A changed embed address is a changed word, not a silent change.
    other = EMBED.replace("jNQXAC9IVRw", "rC0NFSVA7M0")
    changed = word_diff(EMBED, other, is_html=True)
    assert "<del>https://www.youtube.com/watch?v=jNQXAC9IVRw&amp;t=10]</del>" in changed
    assert "<ins>https://www.youtube.com/watch?v=rC0NFSVA7M0&amp;t=10]</ins>" in changed
