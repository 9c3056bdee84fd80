"""Conflicts without loss for the photo list: two editors changing an
article's photos meet in the merge, which shows both lists; saving it
writes exactly the chosen list."""

import re

import pytest

from articles.workflow import live_drafts, services
from tests.articles.admin.staff import client_for, user_in
from tests.articles.admin.test_live_drafts_admin import (
    change_url,
    form_with_inlines,
    live,
)
from tests.articles.admin.test_merging import merge_form
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors():
    anna = user_in("Chef vom Dienst", "anna", first_name="Anna", last_name="Alt")
    ben = user_in("Chef vom Dienst", "ben", first_name="Ben", last_name="Bau")
    return client_for(anna), client_for(ben)


def with_article(published: bool = False):
    """An article with one photo (caption "Eins") and its first revision."""
    article = ArticleFactory(
        headline="Original", teaser="Vorspann", draft=not published
    )
    ArticlePhotoFactory(article=article, caption="Eins")
    services.save_article(article, by=None)
    services.record_revision(article, by=None)
    return article


def adding(form: dict, photo, position: int) -> dict:
    """`form` (form_with_inlines) with one more photo card."""
    index = int(form["article_photos-TOTAL_FORMS"])
    return form | {
        "article_photos-TOTAL_FORMS": str(index + 1),
        f"article_photos-{index}-photo": str(photo.pk),
        f"article_photos-{index}-position": str(position),
    }


def photo_list(article) -> list[tuple[int, str]]:
    return [
        (use.photo_id, use.caption)
        for use in live(article).article_photos.order_by("position", "pk")
    ]


def conflicting_photo_edits(editors, article):
    """Anna adds a photo and saves; Ben, from the same version, changes
    only the first photo's caption and saves: refused. Returns Ben's form,
    the merge page, and Anna's new photo."""
    anna, ben = editors
    anna_form = form_with_inlines(anna, article)
    ben_form = form_with_inlines(ben, article)
    annas = PhotoFactory(credit_line="Anna Fotografin/dpa")
    assert (
        anna.post(change_url(article), adding(anna_form, annas, 1)).status_code == 302
    )
    ben_form["article_photos-0-caption"] = "Bens Unterschrift"
    response = ben.post(change_url(article), ben_form)
    assert response.status_code == 200
    return ben_form, response.content.decode(), annas


def test_a_save_that_differs_only_in_the_photos_is_refused_and_shows_both_lists(
    editors,
):
    article = with_article()
    first = live(article).article_photos.get().photo
    _form, html, annas = conflicting_photo_edits(editors, article)
    assert "Anna Alt hat diesen Artikel am" in html
    assert "unterscheidet sich in keinem Feld" not in html
    _choices, open_fields = merge_form(html)
    assert open_fields == {"photos"}  # no base knows the photos: choose
    assert 'data-field="photos"' in html and "(bitte wählen)" in html
    # Anna's photo, with its credit, marked as missing in Ben's list, to take.
    assert "Foto: Anna Fotografin/dpa" in html
    assert "fehlt in Ihrer Fassung" in html
    assert f'name="merge-photos-take" value="{annas.pk}"' in html
    assert "Stelle oder Bildunterschrift geändert" in html
    assert photo_list(article) == [(first.pk, "Eins"), (annas.pk, "")]


def test_the_merge_keeps_my_caption_and_the_colleague_s_photo(editors):
    article = with_article()
    first = live(article).article_photos.get().photo
    ben_form, html, annas = conflicting_photo_edits(editors, article)
    _anna, ben = editors
    choices, _open = merge_form(html)

    # Without a choice for the photos nothing is written.
    response = ben.post(change_url(article), ben_form | choices)
    assert response.status_code == 200
    assert "Bitte wählen Sie für jedes markierte Feld eine Fassung: Fotos" in (
        response.content.decode()
    )
    assert photo_list(article) == [(first.pk, "Eins"), (annas.pk, "")]

    merged = (
        ben_form
        | choices
        | {
            "merge-photos": "mine",
            "merge-photos-take": str(annas.pk),
        }
    )
    assert ben.post(change_url(article), merged).status_code == 302
    assert photo_list(article) == [(first.pk, "Bens Unterschrift"), (annas.pk, "")]
    saved = live(article)
    assert (saved.headline, saved.teaser) == ("Original", "Vorspann")


def test_choosing_theirs_writes_exactly_the_saved_list(editors):
    article = with_article()
    first = live(article).article_photos.get().photo
    ben_form, html, annas = conflicting_photo_edits(editors, article)
    _anna, ben = editors
    choices, _open = merge_form(html)
    merged = ben_form | choices | {"merge-photos": "theirs"}
    assert ben.post(change_url(article), merged).status_code == 302
    assert photo_list(article) == [(first.pk, "Eins"), (annas.pk, "")]


def test_a_third_photo_change_during_the_merge_is_refused_again(editors):
    article = with_article()
    first = live(article).article_photos.get().photo
    carl = client_for(user_in("Chef vom Dienst", "carl"))
    ben_form, html, annas = conflicting_photo_edits(editors, article)
    _anna, ben = editors
    choices, _open = merge_form(html)
    shown = re.search(r'name="merge-photos-shown" value="([^"]*)"', html)[1]

    # Carl, on the newest version, removes Anna's photo meanwhile.
    carl_form = form_with_inlines(carl, article)
    carl_form["article_photos-1-DELETE"] = "on"
    assert carl.post(change_url(article), carl_form).status_code == 302
    assert photo_list(article) == [(first.pk, "Eins")]

    merged = (
        ben_form
        | choices
        | {
            "merge-photos": "mine",
            "merge-photos-take": str(annas.pk),
            "merge-photos-shown": shown.replace("&quot;", '"'),
        }
    )
    response = ben.post(change_url(article), merged)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zusammenführen mit Fassung" in html
    # Carl's change is not undone unseen: the photos are to choose again.
    assert merge_form(html)[1] == {"photos"}
    assert photo_list(article) == [(first.pk, "Eins")]


def test_editors_of_a_live_article_merge_the_photos_into_its_draft(editors):
    article = with_article(published=True)
    first = live(article).article_photos.get().photo
    ben_form, html, annas = conflicting_photo_edits(editors, article)
    _anna, ben = editors
    choices, _open = merge_form(html)
    merged = (
        ben_form
        | choices
        | {
            "merge-photos": "mine",
            "merge-photos-take": str(annas.pk),
        }
    )
    assert ben.post(change_url(article), merged).status_code == 302
    # Readers still see the live list; the draft holds the merged one.
    assert photo_list(article) == [(first.pk, "Eins")]
    assert live_drafts.photo_uses(live(article)) == [
        {"photo": first.pk, "position": 0, "caption": "Bens Unterschrift"},
        {"photo": annas.pk, "position": 1, "caption": ""},
    ]
