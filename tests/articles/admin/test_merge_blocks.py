"""Conflicts on the body: the saved version is offered block by block, the
blocks my body lacks marked, to copy into mine; the save writes what is
posted, checked against the version merged with."""

import html as html_module
import re

import pytest

from articles.admin.merging import block_text, copyable_blocks, top_level_blocks
from articles.workflow import services
from tests.articles.admin.article_form import change_url, edit_form, live
from tests.articles.admin.test_merging import editors, merge_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

__all__ = ["editors"]  # the fixture, shared

BLOCK = re.compile(
    r'<li class="merge-block( merge-block--theirs)?" data-html="([^"]*)"'
)


def test_sanitised_markup_splits_into_its_top_level_blocks():
    markup = (
        "<p>Eins <b>fett</b></p>\n<h2>Zwei &amp; drei</h2><ul><li>a</li><li>b<br>c"
        '</li></ul>lose &amp; Text<figure data-block="photo"><img src="x" alt="">'
        "</figure><hr><p>Ende</p>"
    )
    assert top_level_blocks(markup) == [
        "<p>Eins <b>fett</b></p>",
        "<h2>Zwei &amp; drei</h2>",
        "<ul><li>a</li><li>b<br>c</li></ul>",
        "lose &amp; Text",
        '<figure data-block="photo"><img src="x" alt=""></figure>',
        "<hr>",
        "<p>Ende</p>",
    ]
    assert "".join(top_level_blocks(markup)) == markup.replace("\n", "")
    assert block_text("<h2>Zwei &amp;\n  drei</h2>") == "Zwei & drei"


def test_the_blocks_mine_lacks_are_marked_whatever_their_markup():
    blocks = copyable_blocks(
        "<p>Eins</p><p>Zwei,   neu</p>",
        "<p><i>Eins</i></p><p>Zwei, alt</p><h2>Drei</h2>",
    )
    assert [(b.text, b.only_theirs) for b in blocks] == [
        ("Eins", False),
        ("Zwei, alt", True),
        ("Drei", True),
    ]


@pytest.fixture
def article():
    article = ArticleFactory(draft=True, body="<p>Erster.</p><p>Zweiter.</p>")
    services.save_article(article, by=None)
    services.record_revision(article, by=None)
    return article


def test_the_body_conflict_offers_the_saved_blocks_and_saves_the_copy(editors, article):
    anna, ben = editors
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    anna_body = "<p>Erster.</p><p>Annas <b>neuer</b> Absatz.</p><p>Zweiter.</p>"
    saved = anna.post(change_url(article), anna_form | {"body": anna_body})
    assert saved.status_code == 302
    ben_form["body"] = "<p>Erster.</p><p>Zweiter.</p><p>Bens Schluss.</p>"
    page = ben.post(change_url(article), ben_form).content.decode()
    choices, open_fields = merge_form(page)
    assert open_fields == {"body"}
    offered = [
        (bool(flag), html_module.unescape(markup))
        for flag, markup in BLOCK.findall(page)
    ]
    assert offered == [
        (False, "<p>Erster.</p>"),
        (True, "<p>Annas <b>neuer</b> Absatz.</p>"),
        (False, "<p>Zweiter.</p>"),
    ]
    assert "Absatz 2 in meine Fassung übernehmen" in page
    # What the browser's "Übernehmen" posts: my body with her block in it.
    merged = (
        "<p>Erster.</p><p>Annas <b>neuer</b> Absatz.</p><p>Zweiter.</p>"
        "<p>Bens Schluss.</p>"
    )
    response = ben.post(
        change_url(article),
        ben_form | choices | {"merge-body": "mine", "body": merged},
    )
    assert response.status_code == 302
    assert live(article).body == merged


def test_a_copy_made_against_an_older_version_is_a_conflict_again(editors, article):
    anna, ben = editors
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    anna.post(change_url(article), anna_form | {"body": "<p>Erster.</p><p>A.</p>"})
    ben_form["body"] = "<p>Erster.</p><p>B.</p>"
    choices, _open = merge_form(
        ben.post(change_url(article), ben_form).content.decode()
    )
    # Anna saves again while Ben copies: his merged body does not overwrite it.
    anna.post(
        change_url(article),
        edit_form(anna, article) | {"body": "<p>Erster.</p><p>A.</p><p>A2.</p>"},
    )
    response = ben.post(
        change_url(article),
        ben_form
        | choices
        | {"merge-body": "mine", "body": "<p>Erster.</p><p>A.</p><p>B.</p>"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zusammenführen mit Fassung" in page
    assert "A2." in page
    assert live(article).body == "<p>Erster.</p><p>A.</p><p>A2.</p>"
