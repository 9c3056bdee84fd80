import pytest
from django.urls import reverse

from articles.models import Article
from articles.workflow import services
from tests.articles.admin.staff import client_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


def offered(client, **query) -> set[str]:
    response = client.get(reverse("admin:articles_article_changelist"), query)
    choices = response.context["action_form"].fields["action"].choices
    return {name for name, _label in choices if name}


WORKFLOW = {"submit_for_review", "approve", "publish", "unpublish", "withdraw",
            "mark_updated"}  # fmt: skip


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("draft", {"submit_for_review", "approve", "publish"}),
        ("review", {"approve", "publish", "unpublish"}),
        ("approved", {"publish", "unpublish"}),
        ("published", {"publish", "unpublish", "withdraw", "mark_updated"}),
        ("scheduled", {"publish", "unpublish", "withdraw", "mark_updated"}),
        ("withdrawn", {"unpublish"}),
    ],
)
def test_a_list_filtered_by_state_offers_only_what_applies(status, expected):
    desk = client_in("Chef vom Dienst", "cvd")
    assert offered(desk, status=status) & WORKFLOW == expected


def test_an_unfiltered_list_offers_what_the_role_may_do():
    desk = client_in("Chef vom Dienst", "cvd")
    assert offered(desk) >= WORKFLOW
    reporter = client_in("Redakteur", "rita")
    assert offered(reporter) & WORKFLOW == {"submit_for_review", "unpublish"}
    assert offered(reporter, status="draft") & WORKFLOW == {"submit_for_review"}


def test_a_mixed_selection_names_each_article_the_action_skipped():
    desk = client_in("Chef vom Dienst", "cvd")
    draft = ArticleFactory(draft=True, headline="Ein Entwurf")
    review = ArticleFactory(
        status=Status.REVIEW, published_at=None, first_published_at=None
    )
    live = ArticleFactory(headline="Schon online")
    withdrawn = ArticleFactory(headline="Weg damit")
    services.withdraw_article(withdrawn, by=None, reason="Falsch")
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "approve",
            "_selected_action": [draft.pk, review.pk, live.pk, withdrawn.pk],
        },
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert "2 Artikel freigegeben." in said
    skipped = [m for m in said if "nicht ausgeführt für" in m]
    assert len(skipped) == 1
    assert "„Schon online“ (Veröffentlicht)" in skipped[0]
    assert "„Weg damit“ (Zurückgezogen)" in skipped[0]
    assert "Ein Entwurf" not in skipped[0]
    statuses = dict(Article.objects.values_list("headline", "status"))
    assert statuses["Schon online"] == Status.PUBLISHED
    assert statuses["Weg damit"] == Status.WITHDRAWN
    assert statuses["Ein Entwurf"] == Status.APPROVED


def test_withdrawing_a_mixed_selection_takes_the_one_published_article():
    desk = client_in("Chef vom Dienst", "cvd")
    draft = ArticleFactory(draft=True, headline="Noch Entwurf")
    live = ArticleFactory()
    response = desk.post(
        reverse("admin:articles_article_changelist"),
        {"action": "withdraw", "_selected_action": [draft.pk, live.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_withdraw", args=[live.pk]
    )
