"""The edit screen: the publishing panel offers exactly the steps each role
may take from each state, and refuses the others when forged; each step
saves the form first and goes through its service."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleTransition
from articles.workflow import services
from tests.articles.admin.article_form import edit_form
from tests.articles.admin.staff import client_for, user_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Article.Status
STEP = re.compile(r'<button type="submit"[^>]*name="_transition" value="(\w+)"')
KEYS = {"submit", "approve", "publish", "schedule", "send_back", "withdraw",
        "unpublish", "breaking", "update"}  # fmt: skip

DESK = {
    "draft": {"submit", "approve", "publish", "schedule"},
    "review": {"approve", "publish", "schedule", "send_back"},
    "approved": {"publish", "schedule", "send_back"},
    "live": {"schedule", "withdraw", "unpublish", "breaking", "update"},
    # No "Update" on what readers have not seen yet.
    "scheduled": {"publish", "schedule", "withdraw", "unpublish", "breaking"},
    "withdrawn": {"unpublish"},
}
# role: (expected steps per state, GET status of the form)
EXPECTED = {
    "reporter_own": ({"draft": {"submit"}}, 200),
    "reporter_other": ({}, 200),
    "cvd": (DESK, 200),
    "photo_desk": ({}, 200),
    "ads": ({}, 403),
    "admin": (DESK, 200),
}


def make_user(role):
    match role:
        case "reporter_own" | "reporter_other":
            return user_in("Redakteur", "rita")
        case "cvd":
            return user_in("Chef vom Dienst", "carl")
        case "photo_desk":
            return user_in("Bildredaktion", "berta")
        case "ads":
            return user_in("Anzeigen", "anton")
        case "admin":
            return UserFactory(username="root", password="!", is_superuser=True)


def make_article(state, *, created_by=None):
    if state == "withdrawn":
        article = ArticleFactory(created_by=created_by)
        return services.withdraw_article(article, by=None, reason="Falsch")
    traits = {
        "draft": {"draft": True},
        "review": {"draft": True, "status": Status.REVIEW},
        "approved": {"draft": True, "status": Status.APPROVED},
        "live": {},
        "scheduled": {"scheduled": True},
    }[state]
    return ArticleFactory(created_by=created_by, **traits)


def steps_shown(client, article) -> set[str]:
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return set(STEP.findall(response.content.decode()))


@pytest.mark.parametrize("state", DESK)
@pytest.mark.parametrize("role", EXPECTED)
def test_the_panel_offers_exactly_the_allowed_steps_and_refuses_the_rest(role, state):
    user = make_user(role)
    author = user if role == "reporter_own" else None
    article = make_article(state, created_by=author)
    expected, get_status = EXPECTED[role]
    allowed = expected.get(state, set())
    client = client_for(user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert {t.key for t in services.allowed_transitions(user, article)} == allowed
    if get_status == 200:
        assert steps_shown(client, article) == allowed
    else:
        assert client.get(url).status_code == get_status
    before = (article.status, article.version, article.published_at)
    for key in sorted(KEYS - allowed):
        # A forged press of a button the panel does not show.
        response = client.post(
            url,
            {
                "_transition": key,
                "_reason_send_back": "x",
                "_reason_withdraw": "x",
                "_at_schedule": "2099-01-01T10:00",
                "headline": "Gefälscht",
                "section": article.section_id,
                "loaded_version": article.version,
            },
        )
        assert response.status_code == 403, key
        article.refresh_from_db()
        assert (article.status, article.version, article.published_at) == before
        assert article.headline != "Gefälscht"
        # The service refuses as well, whoever calls it.
        with pytest.raises(services.PermissionDenied):
            services.take_transition(
                article,
                key,
                by=user,
                reason="x",
                at=timezone.now() + timedelta(days=1),
            )


def test_the_form_has_no_action_dropdown_any_more():
    desk = client_for(user_in("Chef vom Dienst", "carl"))
    article = ArticleFactory(draft=True)
    response = desk.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.context["action_form"] is None
    assert 'name="CHANGE_FORM-action"' not in response.content.decode()


def test_a_reporter_s_step_saves_the_text_then_submits():
    rita = user_in("Redakteur", "rita")
    article = make_article("draft", created_by=rita)
    client = client_for(rita)
    data = edit_form(client, article) | {
        "headline": "Neue Überschrift",
        "_transition": "submit",
    }
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:articles_article_change", args=[article.pk]
    )
    article.refresh_from_db()
    assert article.headline == "Neue Überschrift"
    assert article.status == Status.REVIEW
    assert article.revisions.first().data["headline"] == "Neue Überschrift"
    # Now the desk's: the reporter sees no step any more.
    assert steps_shown(client, article) == set()


def test_a_new_article_can_be_submitted_in_one_step():
    rita = user_in("Redakteur", "rita")
    client = client_for(rita)
    article = ArticleFactory.build()
    add_url = reverse("admin:articles_article_add")
    assert set(STEP.findall(client.get(add_url).content.decode())) == {"submit"}
    section = ArticleFactory().section
    response = client.post(
        add_url,
        {
            "kicker": "Stadt",
            "headline": "Ganz neu",
            "teaser": article.teaser,
            "body": "<p>Text</p>",
            "section": section.pk,
            "article_photos-TOTAL_FORMS": 0,
            "article_photos-INITIAL_FORMS": 0,
            "corrections-TOTAL_FORMS": 0,
            "corrections-INITIAL_FORMS": 0,
            "_transition": "submit",
        },
    )
    assert response.status_code == 302
    created = Article.objects.get(headline="Ganz neu")
    assert created.status == Status.REVIEW
    assert created.created_by == rita
    # A reporter cannot publish a new article by forging the button.
    response = client.post(add_url, {"headline": "Sofort", "_transition": "publish"})
    assert response.status_code == 403
    assert not Article.objects.filter(headline="Sofort").exists()


def test_sending_back_needs_a_reason_and_records_it():
    carl = user_in("Chef vom Dienst", "carl")
    article = make_article("review")
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = edit_form(client, article) | {"headline": "Geändert"}
    response = client.post(url, data | {"_transition": "send_back"})
    # Shown again with the error; nothing saved, nothing moved.
    assert response.status_code == 200
    assert "„Zurückgeben“: bitte einen Grund angeben." in response.content.decode()
    article.refresh_from_db()
    assert (article.status, article.headline) == (Status.REVIEW, article.headline)
    assert article.headline != "Geändert"
    response = client.post(
        url,
        data
        | {"_transition": "send_back", "_reason_send_back": "Zitat fehlt die Quelle"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.headline == "Geändert"
    transition = ArticleTransition.objects.filter(article=article).first()
    assert transition.to_status == Status.DRAFT
    assert transition.by == carl
    assert "Zitat fehlt die Quelle" in transition.comment


def test_planning_needs_a_future_time_and_schedules():
    carl = user_in("Chef vom Dienst", "carl")
    article = make_article("approved")
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = edit_form(client, article) | {"_transition": "schedule"}
    past = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        url, data | {"_at_schedule": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 200
    assert "Zukunft" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.APPROVED
    later = (timezone.localtime() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = client.post(
        url, data | {"_at_schedule": later.strftime("%Y-%m-%dT%H:%M")}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.published_at == later
    assert article.is_scheduled
    assert not article.is_public()


def test_publishing_brings_a_time_ahead_forward_and_withdrawing_needs_a_reason():
    carl = user_in("Chef vom Dienst", "carl")
    article = make_article("scheduled")
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = edit_form(client, article)
    assert client.post(url, data | {"_transition": "publish"}).status_code == 302
    article.refresh_from_db()
    assert article.is_public()
    data = edit_form(client, article)
    response = client.post(url, data | {"_transition": "withdraw"})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    response = client.post(
        url, data | {"_transition": "withdraw", "_reason_withdraw": "Rechtlich"}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    assert article.withdrawal_reason == "Rechtlich"


def test_a_rule_of_the_service_is_reported_after_the_save():
    """The service checks again: a photo without credit stops approval,
    with its reason; the text is saved all the same."""
    from tests.factories import ArticlePhotoFactory, PhotoFactory

    carl = user_in("Chef vom Dienst", "carl")
    article = make_article("review")
    ArticlePhotoFactory(article=article, photo=PhotoFactory(alt_text=""))
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = edit_form(client, article) | {
        "headline": "Mit Foto",
        "_transition": "approve",
    }
    response = client.post(url, data, follow=True)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert article.headline == "Mit Foto"
    text = response.content.decode()
    assert "Gespeichert, aber „Freigeben“ ging nicht" in text


def test_the_desk_flags_breaking_news_and_an_update_from_the_panel(settings):
    settings.NEWSROOM_BREAKING_NEWS_MINUTES = 45
    carl = user_in("Chef vom Dienst", "carl")
    article = make_article("live")
    assert article.breaking_until is None and article.updated_at is None
    client = client_for(carl)
    url = reverse("admin:articles_article_change", args=[article.pk])
    before = timezone.now()
    response = client.post(
        url, edit_form(client, article) | {"_transition": "breaking"}, follow=True
    )
    article.refresh_from_db()
    assert before + timedelta(minutes=44) < article.breaking_until
    assert article.breaking_until <= timezone.now() + timedelta(minutes=45)
    text = response.content.decode()
    assert "„Eilmeldung“ ausgeführt" in text
    assert "Eilmeldung bis" in text
    response = client.post(
        url, edit_form(client, article) | {"_transition": "update"}, follow=True
    )
    article.refresh_from_db()
    assert before <= article.updated_at <= timezone.now()
    assert article.status == Status.PUBLISHED
    assert "„Aktualisierung („Update“)“ ausgeführt" in response.content.decode()


def test_a_sports_desk_gets_no_breaking_news_step_for_politics():
    from tests.factories import SectionFactory

    carl = user_in("Chef vom Dienst", "carl")
    sport, politics = SectionFactory(slug="sport"), SectionFactory(slug="politik")
    sport.desk_users.add(carl)
    game = ArticleFactory(section=sport)
    assert {"breaking", "update"} <= {
        t.key for t in services.allowed_transitions(carl, game)
    }
    article = ArticleFactory(section=politics)
    assert not {"breaking", "update"} & {
        t.key for t in services.allowed_transitions(carl, article)
    }
    with pytest.raises(services.PermissionDenied):
        services.take_transition(article, "breaking", by=carl)
    article.refresh_from_db()
    assert article.breaking_until is None
