import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleTransition
from articles.workflow import services
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def user_in(group: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reporter():
    return user_in("Redakteur", "reporterin")


@pytest.fixture
def editor():
    return user_in("Chef vom Dienst", "cvd")


def test_the_full_way_records_every_transition(reporter, editor):
    article = ArticleFactory(draft=True, created_by=reporter)
    services.submit_for_review(article, by=reporter, comment="Bitte lesen")
    services.approve_article(article, by=editor)
    services.publish_article(article, by=editor)
    services.withdraw_article(article, by=editor, reason="Rechtliche Prüfung")
    services.unpublish_article(article, by=editor, comment="Überarbeiten")
    steps = list(
        ArticleTransition.objects.filter(article=article)
        .order_by("pk")
        .values_list("from_status", "to_status", "by__username", "comment")
    )
    assert steps == [
        ("draft", "review", "reporterin", "Bitte lesen"),
        ("review", "approved", "cvd", ""),
        ("approved", "published", "cvd", ""),
        ("published", "withdrawn", "cvd", "Rechtliche Prüfung"),
        ("withdrawn", "draft", "cvd", "Überarbeiten"),
    ]


def test_invalid_transitions_are_refused_with_a_clear_message(editor):
    article = ArticleFactory(draft=True)
    with pytest.raises(ValidationError, match=r"Entwurf.*Zurückgezogen"):
        services.withdraw_article(article, by=editor, reason="x")
    published = ArticleFactory()
    with pytest.raises(ValidationError, match=r"Veröffentlicht.*In Prüfung"):
        services.submit_for_review(published, by=editor)
    assert not ArticleTransition.objects.exists()


def test_withdrawing_needs_a_reason(editor):
    article = ArticleFactory()
    with pytest.raises(ValidationError, match="Grund"):
        services.withdraw_article(article, by=editor, reason="  ")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_reporters_edit_their_own_drafts_only(reporter, editor):
    own = ArticleFactory(draft=True, created_by=reporter)
    assert services.may_edit(reporter, own)
    assert not services.may_edit(reporter, ArticleFactory(draft=True))
    services.submit_for_review(own, by=reporter)
    assert not services.may_edit(reporter, own)  # with the desk now
    assert services.may_edit(editor, own)
    with pytest.raises(PermissionDenied):
        services.approve_article(own, by=reporter)
    with pytest.raises(PermissionDenied):
        services.save_article(own, by=reporter)


def test_a_reporter_may_pull_back_an_own_article_from_review(reporter):
    article = ArticleFactory(draft=True, created_by=reporter)
    services.submit_for_review(article, by=reporter)
    services.unpublish_article(article, by=reporter)
    assert article.status == Article.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.unpublish_article(ArticleFactory(), by=reporter)


def test_publishing_in_the_future_schedules(editor):
    article = ArticleFactory(draft=True)
    at = timezone.now() + timedelta(hours=3)
    services.publish_article(article, by=editor, at=at)
    assert article.is_scheduled
    assert not Article.objects.published().exists()
    assert Article.objects.published(at + timedelta(seconds=1)).get() == article


def test_an_embargo_before_the_publication_time_is_refused(editor):
    now = timezone.now()
    article = ArticleFactory(
        draft=True,
        published_at=now + timedelta(hours=2),
        embargo_until=now + timedelta(hours=1),
    )
    with pytest.raises(ValidationError, match="Sperrfrist endet vor"):
        services.publish_article(article, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_an_embargo_that_is_over_is_no_longer_in_force(editor):
    now = timezone.now()
    article = ArticleFactory(draft=True, embargo_until=now - timedelta(hours=30))
    services.publish_article(article, by=editor, at=now)
    assert Article.objects.published().get() == article
    assert article.first_published_at == now
    transition = article.transitions.get()
    assert "war bei der Veröffentlichung abgelaufen" in transition.comment


def test_new_counts_from_the_end_of_the_embargo(editor):
    now = timezone.now()
    article = ArticleFactory(draft=True, embargo_until=now + timedelta(hours=7))
    services.publish_article(article, by=editor, at=now)
    assert article.first_published_at == now + timedelta(hours=7)


def test_every_save_keeps_a_revision_and_restoring_makes_a_new_one(editor):
    article = ArticleFactory(headline="Erste Fassung")
    services.save_article(article, by=editor)
    services.record_revision(article, by=editor)
    article.headline = "Zweite Fassung"
    services.save_article(article, by=editor)
    services.record_revision(article, by=editor)
    first = article.revisions.get(number=1)
    restored = services.restore_revision(article, first, by=editor)
    article.refresh_from_db()
    assert article.headline == "Erste Fassung"
    assert (restored.number, article.version) == (3, 3)
    assert "Fassung 1" in restored.note
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]
    with pytest.raises(ValueError, match="immutable"):
        first.save()


def test_saving_over_a_newer_version_is_refused_naming_who_saved(editor):
    other = user_in("Chef vom Dienst", "kollegin")
    other.first_name, other.last_name = "Karla", "Kollegin"
    other.save()
    article = ArticleFactory()
    loaded = article.version
    services.save_article(article, by=other)
    services.record_revision(article, by=other)
    with pytest.raises(services.EditConflict, match="Karla Kollegin hat") as error:
        services.check_not_changed_since(article.pk, loaded)
    assert error.value.current_version == loaded + 1
    services.check_not_changed_since(article.pk, loaded + 1)  # current: fine


def test_a_substantial_edit_sets_update_a_minor_one_does_not(editor):
    article = ArticleFactory(updated_at=None)
    services.save_article(article, by=editor)
    assert article.updated_at is None
    services.save_article(article, by=editor, substantial=True)
    assert article.updated_at is not None


def test_corrections_need_text_and_the_desk(editor, reporter):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.add_correction(article, by=editor, text=" ")
    with pytest.raises(PermissionDenied):
        services.add_correction(article, by=reporter, text="Falscher Name")
    note = services.add_correction(article, by=editor, text="Falscher Name")
    assert list(article.corrections.all()) == [note]


def test_a_state_change_never_writes_back_stale_text(editor):
    article = ArticleFactory(draft=True, headline="Alt")
    stale = Article.objects.get(pk=article.pk)  # e.g. a bulk action's queryset
    article.headline = "Neu, inzwischen gespeichert"
    services.save_article(article, by=editor)
    services.publish_article(stale, by=editor)
    article.refresh_from_db()
    assert article.headline == "Neu, inzwischen gespeichert"
    assert article.status == Article.Status.PUBLISHED
    assert article.version == 2  # the edit and the publication


def test_an_open_form_cannot_undo_a_state_change(editor):
    article = ArticleFactory(draft=True)
    loaded = article.version
    services.publish_article(article, by=editor)
    with pytest.raises(services.EditConflict, match="cvd hat"):
        services.check_not_changed_since(article.pk, loaded)


def test_rescheduling_moves_new_along(editor):
    now = timezone.now()
    article = ArticleFactory(draft=True)
    services.publish_article(article, by=editor, at=now + timedelta(hours=2))
    services.publish_article(article, by=editor, at=now + timedelta(hours=5))
    assert article.first_published_at == now + timedelta(hours=5)


def test_restoring_skips_tags_deleted_since(editor):
    from tests.factories import TagFactory

    tag = TagFactory()
    article = ArticleFactory()
    article.tags.add(tag)
    services.save_article(article, by=editor)
    first = services.record_revision(article, by=editor)
    tag.delete()
    services.restore_revision(article, first, by=editor)
    assert list(article.tags.all()) == []


# Stale objects: an article loaded a while ago (a bulk action's list, a
# second tab) while the row changed meanwhile. Every service judges the row.


def test_a_stale_object_cannot_publish_an_article_withdrawn_meanwhile(editor):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)  # still a draft in memory
    services.publish_article(article, by=None)
    services.withdraw_article(article, by=None, reason="Kill der Agentur")
    with pytest.raises(ValidationError, match="zurückgezogen und kann nicht"):
        services.publish_article(stale, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawal_reason == "Kill der Agentur"
    assert stale.status == Article.Status.WITHDRAWN  # the stale object learnt
    assert not Article.objects.published().exists()
    assert article.transitions.count() == 2


def test_a_transition_is_recorded_from_the_state_the_row_is_in(editor):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)
    services.approve_article(article, by=editor)
    services.publish_article(stale, by=editor)
    services.withdraw_article(article, by=editor, reason="Rechtlich")
    services.unpublish_article(stale, by=editor)  # stale says "published"
    steps = list(
        article.transitions.order_by("pk").values_list("from_status", "to_status")
    )
    assert steps == [
        ("draft", "approved"),
        ("approved", "published"),
        ("published", "withdrawn"),
        ("withdrawn", "draft"),
    ]


def test_a_stale_object_refused_a_transition_leaves_the_row_alone(editor):
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)
    services.publish_article(article, by=editor)
    # Allowed from the draft the stale object shows, not from "published".
    with pytest.raises(ValidationError, match=r"Veröffentlicht.*In Prüfung"):
        services.submit_for_review(stale, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.transitions.count() == 1


def test_publishing_a_stale_object_keeps_an_embargo_set_meanwhile(editor):
    now = timezone.now()
    article = ArticleFactory(draft=True, embargo_until=None)
    stale = Article.objects.get(pk=article.pk)
    article.embargo_until = now + timedelta(hours=5)
    services.save_article(article, by=editor)
    services.publish_article(stale, by=editor, at=now)
    article.refresh_from_db()
    assert article.embargo_until == now + timedelta(hours=5)
    assert article.first_published_at == now + timedelta(hours=5)
    assert not Article.objects.published().exists()


def test_a_reporter_cannot_pull_back_what_the_desk_published_meanwhile(
    reporter, editor
):
    article = ArticleFactory(draft=True, created_by=reporter)
    services.submit_for_review(article, by=reporter)
    stale = Article.objects.get(pk=article.pk)  # the reporter's tab: in review
    services.publish_article(article, by=editor)
    with pytest.raises(PermissionDenied):
        services.unpublish_article(stale, by=reporter)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


def test_marking_an_update_is_judged_by_the_row(editor):
    article = ArticleFactory(draft=True, updated_at=None)
    stale = Article.objects.get(pk=article.pk)  # never published, it says
    services.publish_article(article, by=editor)
    services.mark_article_updated(stale, by=editor)
    article.refresh_from_db()
    assert article.updated_at is not None
    assert article.version == stale.version == 2


def test_restoring_through_a_stale_object_keeps_the_row_s_state(editor):
    article = ArticleFactory(headline="Erste Fassung")
    services.save_article(article, by=editor)
    first = services.record_revision(article, by=editor)
    stale = Article.objects.get(pk=article.pk)  # published, in memory
    services.withdraw_article(article, by=editor, reason="Falsche Zahlen")
    stale.headline = "Nie gespeichert"
    services.restore_revision(stale, first, by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawal_reason == "Falsche Zahlen"
    assert article.headline == "Erste Fassung"
    assert article.version == 3  # the save, the withdrawal, the restore


def test_a_state_change_of_an_article_deleted_meanwhile_is_refused(editor):
    article = ArticleFactory(draft=True, headline="Gelöscht")
    stale = Article.objects.get(pk=article.pk)
    article.delete()
    with pytest.raises(ValidationError, match="„Gelöscht“ wurde inzwischen"):
        services.publish_article(stale, by=editor)


@pytest.mark.django_db(transaction=True)
def test_a_publication_waiting_for_a_kill_s_lock_sees_the_withdrawal():
    """Two connections: a kill holds the row while a stale bulk publication
    of the same article waits for it; once the kill commits, the
    publication is refused."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database cannot serve two writing threads; "
            "CI runs this on PostgreSQL"
        )
    article = ArticleFactory(draft=True)
    stale = Article.objects.get(pk=article.pk)  # a draft in memory
    services.publish_article(article, by=None)
    withdrawn, release = threading.Event(), threading.Event()
    errors = {}

    def kill():
        try:
            with transaction.atomic():
                services.withdraw_article(
                    Article.objects.get(pk=article.pk), by=None, reason="Kill"
                )
                withdrawn.set()
                release.wait(timeout=10)
        except Exception as error:  # surfaced below
            errors["kill"] = error
        finally:
            withdrawn.set()
            connection.close()

    def publish():
        try:
            services.publish_article(stale, by=None)
        except Exception as error:  # surfaced below
            errors["publish"] = error
        finally:
            connection.close()

    killer = threading.Thread(target=kill)
    killer.start()
    assert withdrawn.wait(timeout=10)
    publisher = threading.Thread(target=publish)
    publisher.start()
    try:
        assert waits_for_a_lock(), "the publication did not wait for the row"
    finally:
        release.set()
        killer.join()
        publisher.join()
    assert "kill" not in errors
    assert isinstance(errors.get("publish"), ValidationError)
    assert "zurückgezogen" in " ".join(errors["publish"].messages)
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN
    assert list(
        article.transitions.order_by("pk").values_list("from_status", "to_status")
    ) == [("draft", "published"), ("published", "withdrawn")]


def waits_for_a_lock(timeout: float = 10) -> bool:
    """Whether another connection to the test database waits for a lock
    (PostgreSQL), polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.02)
    return False
