import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from articles.admin.diffs import word_diff
from articles.models import AgencyVersion
from articles.workflow import services
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory


def test_a_changed_word_is_marked_not_the_whole_paragraph():
    before = "<p>Die Stadt zahlt 4,2 Millionen Euro.</p><p>Zweiter Absatz.</p>"
    after = "<p>Die Stadt zahlt 4,5 Millionen Euro.</p><p>Zweiter Absatz.</p>"
    assert word_diff(before, after, is_html=True) == (
        "<p>Die Stadt zahlt <del>4,2</del> <ins>4,5</ins> Millionen Euro.</p>"
        "<p>Zweiter Absatz.</p>"
    )


def test_markup_is_compared_as_text_and_shown_escaped():
    assert word_diff("<p>Gleich</p>", "<p><em>Gleich</em></p>", is_html=True) is None
    diff = word_diff("Alt", "Neu <b>fett</b> & mehr")
    assert (
        diff
        == "<p><del>Alt</del> <ins>Neu &lt;b&gt;fett&lt;/b&gt; &amp; mehr</ins></p>"
    )


def test_added_and_removed_paragraphs():
    diff = word_diff("<p>Eins.</p><p>Zwei.</p>", "<p>Eins.</p>", is_html=True)
    assert diff == "<p>Eins. <del>¶ Zwei.</del></p>"
    diff = word_diff("<p>Eins.</p>", "<p>Eins.</p><p>Neu.</p>", is_html=True)
    assert diff == "<p>Eins.</p><p><ins>Neu.</ins></p>"


def desk_client() -> Client:
    user = user_in("Chef vom Dienst", "cvd")
    client = client_for(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_history_and_diff_pages_load_their_stylesheet_and_keep_tokens_out_of_urls():
    client = desk_client()
    article = ArticleFactory(body="<p>Der Rat tagt am Montag.</p>")
    for body in ("<p>Der Rat tagt am Montag.</p>", "<p>Der Rat tagt am Dienstag.</p>"):
        article.body = body
        services.save_article(article, by=client.user)
        services.record_revision(article, by=client.user)
    stylesheet = f'href="{settings.STATIC_URL}articles/admin.css"'
    history = client.get(
        reverse("admin:articles_article_revisions", args=[article.pk])
    ).content.decode()
    assert stylesheet in history
    compare = re.search(r'<form method="get".*?</form>', history, re.S).group(0)
    assert "csrfmiddlewaretoken" not in compare
    # Restoring still posts with its token, from a form of its own.
    restore = reverse("admin:articles_article_restore", args=[article.pk, 1])
    assert re.search(
        rf'<form id="restore-1" method="post" action="{restore}" hidden>'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        history,
    )
    assert 'form="restore-1"' in history
    diff = client.get(
        reverse("admin:articles_article_revision_diff", args=[article.pk]),
        {"a": 1, "b": 2},
    ).content.decode()
    assert stylesheet in diff
    assert "am <del>Montag.</del> <ins>Dienstag.</ins>" in diff
    assert "&lt;p&gt;" not in diff and 'class="diff"' not in diff


@pytest.mark.django_db
def test_the_agency_version_diff_marks_words_too():
    client = desk_client()
    article = ArticleFactory(headline="Rat tagt am Montag", external_id="urn:x")
    version = AgencyVersion.objects.create(
        article=article,
        version=2,
        version_key="2",
        format="ninjs",
        status="usable",
        payload="{}",
        fields={"headline": "Rat tagt am Dienstag", "body": article.body},
    )
    html = client.get(
        reverse(
            "admin:articles_article_agency_version_diff", args=[article.pk, version.pk]
        )
    ).content.decode()
    assert f'href="{settings.STATIC_URL}articles/admin.css"' in html
    assert "am <del>Montag</del> <ins>Dienstag</ins>" in html


TEMPLATES = Path(settings.BASE_DIR) / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


@pytest.mark.parametrize(
    "template",
    [
        pytest.param(path, id=str(path.relative_to(TEMPLATES)))
        for path in sorted(TEMPLATES.rglob("*.html"))
    ],
)
def test_no_form_that_sends_by_get_carries_a_csrf_token(template):
    for attributes, content in FORM.findall(template.read_text()):
        method = re.search(r'method="(\w+)"', attributes)
        if method is None or method.group(1).lower() == "get":
            assert "csrf_token" not in content, attributes
