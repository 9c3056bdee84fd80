"""Conflicts without loss: a save refused because someone saved in between
shows both versions per field; saving the merge writes exactly the choices."""

import re

import pytest

from articles.models import Article
from articles.workflow import services
from tests.articles.admin.article_form import change_url, edit_form, live
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def merge_form(html: str) -> tuple[dict, set[str]]:
    """The merge's hidden version and preselected choices, and the fields
    still to choose, as the page offers them."""
    data = {"merge_version": re.search(r'name="merge_version" value="(\d+)"', html)[1]}
    fields = set(re.findall(r'name="merge-([\w]+)" value="mine"', html))
    for name, value in re.findall(r'name="merge-(\w+)" value="(\w+)" checked', html):
        data[f"merge-{name}"] = value
    return data, {name for name in fields if f"merge-{name}" not in data}


@pytest.fixture
def editors():
    anna = user_in("Chef vom Dienst", "anna", first_name="Anna", last_name="Alt")
    ben = user_in("Chef vom Dienst", "ben", first_name="Ben", last_name="Bau")
    return client_for(anna), client_for(ben)


@pytest.fixture
def article():
    """A draft with its first revision, as the admin saves one."""
    article = ArticleFactory(
        draft=True, headline="Original", teaser="Alter Vorspann", kicker="Dach"
    )
    services.save_article(article, by=None)
    services.record_revision(article, by=None)
    return article


def test_changes_to_different_fields_are_merged_and_both_kept(editors, article):
    anna, ben = editors
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    assert (
        anna.post(
            change_url(article), anna_form | {"headline": "Annas Überschrift"}
        ).status_code
        == 302
    )

    ben_form["teaser"] = "Bens Vorspann"
    response = ben.post(change_url(article), ben_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Alt hat diesen Artikel am" in html
    assert "Zusammenführen mit Fassung" in html
    choices, open_fields = merge_form(html)
    # Only one side changed each field: preselected, nothing left to choose.
    assert choices | {"merge_version": ""} == {
        "merge_version": "",
        "merge-headline": "theirs",
        "merge-teaser": "mine",
    }
    assert open_fields == set()
    assert "<del>Annas Überschrift</del>" in html  # the differences marked
    assert live(article).teaser == "Alter Vorspann"  # nothing saved yet

    assert ben.post(change_url(article), ben_form | choices).status_code == 302
    saved = live(article)
    assert (saved.headline, saved.teaser, saved.kicker) == (
        "Annas Überschrift",
        "Bens Vorspann",
        "Dach",
    )


def test_a_field_both_changed_must_be_chosen_and_the_choice_is_written(
    editors, article
):
    anna, ben = editors
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    anna.post(change_url(article), anna_form | {"headline": "Annas Überschrift"})
    ben_form |= {"headline": "Bens Überschrift", "kicker": "Bens Dach"}
    html = ben.post(change_url(article), ben_form).content.decode()
    choices, open_fields = merge_form(html)
    assert open_fields == {"headline"}
    assert "(bitte wählen)" in html
    assert 'data-text="Annas Überschrift"' in html  # to copy across

    # Saving without the choice is refused again, and nothing is written.
    response = ben.post(change_url(article), ben_form | choices)
    assert response.status_code == 200
    assert "Bitte wählen Sie für jedes markierte Feld" in response.content.decode()
    assert live(article).headline == "Annas Überschrift"

    choices["merge-headline"] = "theirs"
    assert ben.post(change_url(article), ben_form | choices).status_code == 302
    saved = live(article)
    assert (saved.headline, saved.kicker) == ("Annas Überschrift", "Bens Dach")


def test_a_third_save_during_the_merge_is_a_conflict_again(editors, article):
    anna, ben = editors
    carl = client_for(user_in("Chef vom Dienst", "carl"))
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    carl_form = edit_form(carl, article)
    anna.post(change_url(article), anna_form | {"headline": "Annas Überschrift"})
    ben_form |= {"headline": "Bens Überschrift", "teaser": "Bens Vorspann"}
    choices, _open = merge_form(
        ben.post(change_url(article), ben_form).content.decode()
    )
    choices["merge-headline"] = "mine"

    # Carl saved too (his form is older still: a merge of his own first).
    carl_html = carl.post(
        change_url(article), carl_form | {"kicker": "Carls Dach"}
    ).content.decode()
    carl_choices, carl_open = merge_form(carl_html)
    assert carl_open == set()
    assert (
        carl.post(
            change_url(article), carl_form | {"kicker": "Carls Dach"} | carl_choices
        ).status_code
        == 302
    )

    response = ben.post(change_url(article), ben_form | choices)
    html = response.content.decode()
    assert response.status_code == 200 and "hat diesen Artikel am" in html
    again, open_fields = merge_form(html)
    assert again["merge_version"] != choices["merge_version"]
    # His headline choice still holds (Carl left it), Carl's kicker is taken.
    assert open_fields == set()
    assert again["merge-headline"] == "mine" and again["merge-kicker"] == "theirs"
    assert ben.post(change_url(article), ben_form | again).status_code == 302
    saved = live(article)
    assert (saved.headline, saved.teaser, saved.kicker) == (
        "Bens Überschrift",
        "Bens Vorspann",
        "Carls Dach",
    )


def test_editors_of_a_live_article_merge_into_its_draft(editors):
    anna, ben = editors
    article = ArticleFactory(headline="Live", teaser="Live-Vorspann")
    services.save_article(article, by=None)
    services.record_revision(article, by=None)
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    anna.post(change_url(article), anna_form | {"headline": "Annas Entwurf"})
    ben_form["teaser"] = "Bens Vorspann"
    choices, open_fields = merge_form(
        ben.post(change_url(article), ben_form).content.decode()
    )
    assert open_fields == set()
    assert ben.post(change_url(article), ben_form | choices).status_code == 302
    saved = live(article)
    assert (saved.headline, saved.teaser) == ("Live", "Live-Vorspann")
    assert saved.pending_revision.data["headline"] == "Annas Entwurf"
    assert saved.pending_revision.data["teaser"] == "Bens Vorspann"


def test_a_forged_choice_without_a_conflict_shown_changes_nothing(editors, article):
    anna, ben = editors
    anna_form, ben_form = edit_form(anna, article), edit_form(ben, article)
    anna.post(change_url(article), anna_form | {"headline": "Annas Überschrift"})
    # Choices without the version merged against are not a merge.
    forged = ben_form | {"headline": "Ben", "merge-headline": "mine"}
    assert ben.post(change_url(article), forged).status_code == 200
    assert Article.objects.get(pk=article.pk).headline == "Annas Überschrift"
