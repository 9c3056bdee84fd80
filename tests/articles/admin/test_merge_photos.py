"""Conflicts without loss for the photo list: two editors changing an
article's photos meet in the merge, which shows both lists; saving it
writes exactly the chosen list."""

import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.http import QueryDict

from articles.admin import merging
from articles.models import Article, Photo
from articles.workflow import live_drafts, services
from tests.articles.admin.staff import client_for, user_in
from tests.articles.admin.test_live_drafts_admin import (
    change_url,
    form_with_inlines,
    live,
)
from tests.articles.admin.test_merging import editors, merge_form
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

pytestmark = pytest.mark.django_db

__all__ = ["editors"]  # the fixture, shared


def with_article(published: bool = False) -> Article:
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


@dataclass
class Refused:
    """Ben's refused save: his form, the merge page and the choices it
    preselects; the article's first photo and the one Anna added."""

    form: dict
    html: str
    choices: dict
    first: Photo
    annas: Photo

    def merged(self, photos: str, *, take: bool = False, **more) -> dict:
        """Ben's form posted again with the merge's choices, `photos` for
        the photo list and, with `take`, Anna's photo taken into his."""
        data = self.form | self.choices | {"merge-photos": photos} | more
        if take:
            data["merge-photos-take"] = str(self.annas.pk)
        return data


def conflicting_photo_edits(editors, *, published: bool = False):
    """with_article(); Anna adds a photo and saves; Ben, from the same
    version, changes only the first photo's caption and saves: refused.
    Returns the article and Ben's refused save."""
    article = with_article(published)
    first = live(article).article_photos.get().photo
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
    html = response.content.decode()
    choices, _open = merge_form(html)
    return article, Refused(ben_form, html, choices, first, annas)


def test_a_save_that_differs_only_in_the_photos_is_refused_and_shows_both_lists(
    editors,
):
    article, refused = conflicting_photo_edits(editors)
    html, annas = refused.html, refused.annas
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
    assert photo_list(article) == [(refused.first.pk, "Eins"), (annas.pk, "")]


@pytest.mark.parametrize(
    ("photos", "take", "expected"),
    [
        # Mine (my caption) with the colleague's photo taken over.
        ("mine", True, [("first", "Bens Unterschrift"), ("annas", "")]),
        # Mine alone: the colleague's photo goes.
        ("mine", False, [("first", "Bens Unterschrift")]),
        # Theirs: exactly the saved list.
        ("theirs", False, [("first", "Eins"), ("annas", "")]),
    ],
)
def test_saving_the_merge_writes_exactly_the_chosen_list(
    editors, photos, take, expected
):
    article, refused = conflicting_photo_edits(editors)
    _anna, ben = editors
    first, annas = refused.first, refused.annas

    # Without a choice for the photos nothing is written.
    response = ben.post(change_url(article), refused.form | refused.choices)
    assert response.status_code == 200
    assert "Bitte wählen Sie für jedes markierte Feld eine Fassung: Fotos" in (
        response.content.decode()
    )
    assert photo_list(article) == [(first.pk, "Eins"), (annas.pk, "")]

    merged = refused.merged(photos, take=take)
    assert ben.post(change_url(article), merged).status_code == 302
    ids = {"first": first.pk, "annas": annas.pk}
    assert photo_list(article) == [(ids[name], caption) for name, caption in expected]
    saved = live(article)
    assert (saved.headline, saved.teaser) == ("Original", "Vorspann")


def shown_photos(html: str) -> str:
    """The "theirs" photo list a merge page posts back (SHOWN_PHOTOS)."""
    return unescape(re.search(r'name="merge-photos-shown" value="([^"]*)"', html)[1])


def as_shown(html: str) -> dict:
    """What a browser posts of a merge page saved as shown: its version,
    the choices checked, the photo list shown and the photos ticked."""
    choices, _open = merge_form(html)
    return choices | {
        "merge-photos-shown": shown_photos(html),
        "merge-photos-take": re.findall(
            r'name="merge-photos-take" value="(\d+)" checked', html
        ),
    }


def test_a_third_photo_change_during_the_merge_is_refused_again(editors):
    article, refused = conflicting_photo_edits(editors)
    first = refused.first
    carl = client_for(user_in("Chef vom Dienst", "carl"))
    _anna, ben = editors

    # Carl, on the newest version, removes Anna's photo meanwhile.
    carl_form = form_with_inlines(carl, article)
    carl_form["article_photos-1-DELETE"] = "on"
    assert carl.post(change_url(article), carl_form).status_code == 302
    assert photo_list(article) == [(first.pk, "Eins")]

    merged = refused.merged(
        "mine", take=True, **{"merge-photos-shown": shown_photos(refused.html)}
    )
    response = ben.post(change_url(article), merged)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zusammenführen mit Fassung" in html
    # Carl's change is not undone unseen: the photos are to choose again.
    assert merge_form(html)[1] == {"photos"}
    assert photo_list(article) == [(first.pk, "Eins")]


@pytest.mark.parametrize(
    ("photos", "carls_caption", "choice", "ticked", "written"),
    [
        # Carl left the photos alone: Ben's choice and his taken photo stay,
        # offered again (his list shown as he posts it, the photo ticked).
        ("mine", None, "mine", ["annas"], [("first", "Bens"), ("annas", "")]),
        ("theirs", None, "theirs", [], [("first", "Eins"), ("annas", "")]),
        # Carl saved exactly the list Ben chose: that one, preselected.
        ("mine", "Bens", "theirs", [], [("first", "Bens"), ("annas", "")]),
        # Carl changed the photos otherwise: Ben chooses again, and "mine"
        # is the list his form posts, without the photo taken before.
        ("mine", "Carls", None, [], [("first", "Bens")]),
    ],
)
def test_a_merge_overtaken_by_a_third_save_shows_what_saving_it_writes(
    editors, photos, carls_caption, choice, ticked, written
):
    article, refused = conflicting_photo_edits(editors)
    ids = {"first": refused.first.pk, "annas": refused.annas.pk}
    captions = {"Bens": "Bens Unterschrift", "Carls": "Carls Unterschrift"}
    carl = client_for(user_in("Chef vom Dienst", "carl"))
    _anna, ben = editors

    # Carl, on the newest version, changes the headline (or a caption).
    carl_form = form_with_inlines(carl, article)
    carl_form["headline"] = "Carls Titel"
    if carls_caption:
        carl_form["article_photos-0-caption"] = captions[carls_caption]
    assert carl.post(change_url(article), carl_form).status_code == 302

    merged = refused.merged(
        photos,
        take=photos == "mine",
        **{"merge-photos-shown": shown_photos(refused.html)},
    )
    response = ben.post(change_url(article), merged)
    assert response.status_code == 200
    page = response.content.decode()
    conflict = response.context["adminform"].form.merge.photos
    assert conflict.choice == choice
    # "Mine" as the page shows it is Ben's form's list, as a save posts it.
    assert [card.photo for card in conflict.mine_cards] == [ids["first"]]
    assert as_shown(page)["merge-photos-take"] == [str(ids[n]) for n in ticked]

    again = refused.form | as_shown(page)
    again.setdefault("merge-photos", "mine")  # where Ben must choose again
    assert ben.post(change_url(article), again).status_code == 302
    assert photo_list(article) == [
        (ids[name], captions.get(caption, caption)) for name, caption in written
    ]
    assert live(article).headline == "Carls Titel"


def test_editors_of_a_live_article_merge_the_photos_into_its_draft(editors):
    article, refused = conflicting_photo_edits(editors, published=True)
    first, annas = refused.first, refused.annas
    _anna, ben = editors
    merged = refused.merged("mine", take=True)
    assert ben.post(change_url(article), merged).status_code == 302
    # Readers still see the live list; the draft holds the merged one.
    assert photo_list(article) == [(first.pk, "Eins")]
    assert live_drafts.photo_uses(live(article)) == [
        {"photo": first.pk, "position": 0, "caption": "Bens Unterschrift"},
        {"photo": annas.pk, "position": 1, "caption": ""},
    ]


@pytest.mark.parametrize(
    ("published", "queries"),
    [
        (False, 2),  # the live photo list, the cards' photos
        (True, 1),  # the cards' photos: the draft holds the list
    ],
)
def test_the_photo_conflict_reads_the_saved_article_and_draft_no_second_time(
    editors, published, queries, django_assert_num_queries
):
    # "Theirs" is the article and draft the merge read once for all fields
    # (merging.saved_now), after the version check locked the row.
    article, refused = conflicting_photo_edits(editors, published=published)
    saved = merging.saved_now(article.pk)
    assert (live_drafts.PHOTOS in saved.draft) is published
    mine = [{"photo": refused.first.pk, "position": 0, "caption": "Bens"}]
    with django_assert_num_queries(queries):
        conflict = merging.find_photo_conflict(
            saved,
            mine,
            QueryDict(),
            base=None,
            current_version=saved.article.version,
            shown_version=None,
        )
    assert [card.photo for card in conflict.theirs_cards] == [
        refused.first.pk,
        refused.annas.pk,
    ]


def test_a_renumbered_photo_list_differs_though_readers_see_the_same_order():
    # The numbers place a photo taken from "theirs" among "mine"
    # (chosen_photos): photo 3 lands after photo 2 in one list, before it
    # in the renumbered one.
    mine = [
        {"photo": 1, "position": 0, "caption": "Eins"},
        {"photo": 2, "position": 1, "caption": ""},
    ]
    renumbered = [mine[0], mine[1] | {"position": 5}]
    assert merging.photo_key(mine) != merging.photo_key(renumbered)
    assert merging.photo_key(mine) == merging.photo_key(list(reversed(mine)))
    taken = {"photo": 3, "position": 2, "caption": ""}
    in_order = [
        [use["photo"] for use in merging.chosen_photos("mine", side, [taken], {3})]
        for side in (mine, renumbered)
    ]
    assert in_order == [[1, 2, 3], [1, 3, 2]]
