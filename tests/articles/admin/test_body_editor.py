"""The body's rich-text editor: what it may produce stays inside the body's
allow-list, the edit form carries it (and the length guides), and only the
edit form's policy allows the nonce the editor needs."""

import re

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from articles.admin.body_editor import BODY_EXTENSIONS
from articles.models import Article
from articles.sanitising import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitise_body_html
from tests import factories
from tests.articles.admin.article_form import management_forms
from tests.articles.admin.staff import client_for, user_in

# What the editor's schema may emit that the stored form drops on purpose:
# rel (the sanitiser sets its own on every link) and the list style, which
# the site's stylesheet decides.
DROPPED = {"a": {"rel"}, "ol": {"type", "data-type"}}


def test_the_editor_produces_nothing_outside_the_body_allow_list():
    editor = allowlist_from_extensions(BODY_EXTENSIONS)
    assert editor["tags"] <= ALLOWED_TAGS
    assert {"h2", "h3", "strong", "em", "a", "ul", "ol", "li", "blockquote"} <= (
        editor["tags"]
    )
    assert {"table", "tr", "th", "td", "br", "p"} <= editor["tags"]
    assert not {"h1", "h4", "img", "span"} & editor["tags"]
    # div and figure only as the body elements (data-block), which the
    # sanitiser checks kind by kind (tests/articles/admin/test_body_blocks.py):
    # info box, fact list, embed; quote, photo, gallery (body_photos.js).
    assert editor["attributes"]["div"] == {
        "data-block",
        "data-provider",
        "data-id",
        "data-url",
    }
    assert editor["attributes"]["figure"] == {
        "data-block",
        "data-photo",
        "data-crop",
        "data-gallery",
    }
    for tag, attributes in editor["attributes"].items():
        assert set(attributes) - DROPPED.get(tag, set()) <= ALLOWED_ATTRIBUTES.get(
            tag, set()
        ), tag


@pytest.mark.parametrize(
    ("pasted", "stored"),
    [
        # Word: classes, inline styles, its own namespaced elements, spans.
        (
            '<p class="MsoNormal" style="margin:0cm"><b><span style="font-size:'
            '12pt;font-family:Calibri">Rat</span></b> tagt<o:p></o:p></p>',
            "<p><b>Rat</b> tagt</p>",
        ),
        # The link dialog's empty title and the table's default spans.
        (
            '<p><a href="https://example.org/" title="" target="_blank">x</a></p>'
            '<table style="min-width: 50px"><colgroup><col></colgroup><tbody><tr>'
            '<th colspan="1" rowspan="1"><p>A</p></th><td colspan="2"><p>B</p></td>'
            "</tr></tbody></table>",
            '<p><a href="https://example.org/" rel="noopener noreferrer">x</a></p>'
            '<table><tbody><tr><th><p>A</p></th><td colspan="2"><p>B</p></td>'
            "</tr></tbody></table>",
        ),
        ('<ol start="1"><li><p>a</p></li></ol>', "<ol><li><p>a</p></li></ol>"),
        (
            '<ol start="4"><li><p>d</p></li></ol>',
            '<ol start="4"><li><p>d</p></li></ol>',
        ),
        ('<p title="  ">x</p><p>a<br>b</p>', "<p>x</p><p>a<br>b</p>"),
    ],
)
def test_what_the_editor_sends_is_stored_as_plain_structure(pasted, stored):
    assert sanitise_body_html(pasted) == stored
    assert sanitise_body_html(stored) == stored


@pytest.fixture
def reporter_client():
    user = user_in("Redakteur", "rita")
    return client_for(user), user


@pytest.mark.django_db
def test_edit_form_offers_the_editor_and_length_guides(reporter_client, settings):
    client, user = reporter_client
    settings.NEWSROOM_HEADLINE_GUIDE_CHARS = 80
    article = factories.ArticleFactory(draft=True, created_by=user)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert re.search(r'<textarea name="body"[^>]*data-django-prose-editor', html)
    assert '<script type="importmap"' in html
    assert re.search(r'<input[^>]*name="headline"[^>]*data-guide-chars="80"', html)
    assert re.search(r'<input[^>]*name="kicker"[^>]*data-guide-chars="40"', html)
    assert re.search(r'<textarea[^>]*name="teaser"[^>]*data-guide-chars="300"', html)
    # The nonce on the import map and Tiptap's style element is the one
    # the policy allows.
    nonce = re.search(r'<script type="importmap" nonce="([^"]+)"', html).group(1)
    assert f'<style data-tiptap-style nonce="{nonce}">' in html
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_other_pages_keep_the_policy_without_nonce(reporter_client):
    client, _user = reporter_client
    policy = client.get(reverse("admin:index")).headers["Content-Security-Policy"]
    assert "nonce" not in policy
    assert "script-src 'self';" in policy


@pytest.mark.django_db
def test_a_post_without_the_editor_is_cleaned_the_same_way(reporter_client):
    client, user = reporter_client
    article = factories.ArticleFactory(draft=True, created_by=user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "headline": article.headline,
        "section": article.section_id,
        "body": '<h2 style="color:red">Neu</h2><script>alert(1)</script>'
        '<p><a href="javascript:alert(1)" title="">x</a></p>',
        "loaded_version": article.version,
        **management_forms(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(pk=article.pk).body == (
        '<h2>Neu</h2><p><a rel="noopener noreferrer">x</a></p>'
    )
