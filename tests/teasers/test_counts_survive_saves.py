"""Counts flushed while an editor or ad operations has a row open survive
the save: saves never write the counters (articles/models/counters.py)."""

import threading
from collections import Counter
from datetime import UTC, timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from articles.admin.articles import ArticleAdmin
from articles.models import Article
from articles.workflow import services
from teasers.admin import SponsoredSlotAdmin
from teasers.counting import counter_buffer, flush_counts
from teasers.models import SponsoredSlot
from tests.articles.admin.article_form import edit_form
from tests.factories import ArticleFactory, SponsoredSlotFactory, UserFactory
from tests.teasers.test_admin import slot_form


def later():
    return timezone.now() + timedelta(minutes=3)


def add_counts(article_id: int, slot_id: int) -> None:
    """One view of the article, one impression and one click of the slot,
    flushed into the database."""
    hour = timezone.now().astimezone(UTC).strftime("%Y%m%d%H")
    counter_buffer().add(
        Counter(
            [f"view:{article_id}:{hour}", f"impression:{slot_id}", f"click:{slot_id}"]
        )
    )
    flush_counts(at=later())


@pytest.fixture
def chefin(client):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    return client


def save_through_admin(client, article, slot, *, headline: str):
    # "Speichern und veröffentlichen": a live article's row is written (a
    # plain save would keep the change as a draft, issue #17).
    data = {**edit_form(client, article), "headline": headline,
            "_publish_changes": "1"}  # fmt: skip
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    url = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    response = client.post(url, slot_form(slot.rail, headline=headline))
    assert response.status_code == 302, response.content.decode()[:3000]


def run_after_admin_loads(monkeypatch, action) -> None:
    """Run `action` when a change form POST has loaded its object, before it
    saves: what a flush does while an editor clicks "Sichern"."""
    for model_admin in (ArticleAdmin, SponsoredSlotAdmin):
        loaded = model_admin.get_object

        def get_object(self, request, object_id, from_field=None, loaded=loaded):
            obj = loaded(self, request, object_id, from_field)
            # Once per save, however often the admin loads the object.
            if request.method == "POST" and not getattr(request, "flushed", False):
                request.flushed = True
                action()
            return obj

        monkeypatch.setattr(model_admin, "get_object", get_object)


@pytest.mark.django_db
def test_a_service_saving_an_old_copy_keeps_the_flushed_counts():
    article = ArticleFactory(view_count=0)
    slot = SponsoredSlotFactory(impression_count=0, click_count=0)
    copy = Article.objects.get(pk=article.pk)
    add_counts(article.pk, slot.pk)
    copy.headline = "Neue Überschrift"
    services.save_article(copy, by=None)
    article.refresh_from_db()
    assert (article.headline, article.view_count) == ("Neue Überschrift", 1)


@pytest.mark.django_db
def test_a_counter_named_in_update_fields_is_written():
    # The demo loader seeds its numbers so.
    article = ArticleFactory(view_count=0)
    article.view_count = 77
    article.save(update_fields=["view_count"])
    article.refresh_from_db()
    assert article.view_count == 77


@pytest.mark.django_db
def test_a_copy_loaded_with_only_some_fields_saves_just_those():
    article = ArticleFactory(view_count=0, kicker="Alt")
    copy = Article.objects.only("headline").get(pk=article.pk)
    add_counts(article.pk, SponsoredSlotFactory().pk)
    copy.headline = "Nur die Überschrift"
    copy.save()
    article.refresh_from_db()
    assert (article.headline, article.kicker) == ("Nur die Überschrift", "Alt")
    assert article.view_count == 1


@pytest.mark.django_db
def test_admin_saves_keep_counts_flushed_while_the_form_was_posted(chefin, monkeypatch):
    article = ArticleFactory(view_count=0)
    slot = SponsoredSlotFactory(impression_count=0, click_count=0)
    run_after_admin_loads(monkeypatch, lambda: add_counts(article.pk, slot.pk))
    save_through_admin(chefin, article, slot, headline="Gesichert")
    article.refresh_from_db()
    slot.refresh_from_db()
    assert article.headline == slot.headline == "Gesichert"
    # One flush ran inside each of the two saves.
    assert article.view_count == 2
    assert (slot.impression_count, slot.click_count) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_flushes_running_through_admin_saves_lose_nothing(chefin, monkeypatch):
    """A flush job in its own thread and transactions, and editors saving
    the same article and slot in theirs, on PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's IMMEDIATE transactions let no flush in while a save runs")
    article = ArticleFactory(view_count=0)
    slot = SponsoredSlotFactory(impression_count=0, click_count=0)
    flushed = threading.Condition()
    done = {"flushes": 0}
    stop = threading.Event()
    errors = []

    def flush_job():
        try:
            while not stop.is_set():
                add_counts(article.pk, slot.pk)
                with flushed:
                    done["flushes"] += 1
                    flushed.notify_all()
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def wait_for_flushes():
        # Two more flushes: at least one began after the form loaded its
        # object, and committed before the form saves it.
        with flushed:
            target = done["flushes"] + 2
            assert flushed.wait_for(
                lambda: done["flushes"] >= target or errors, timeout=30
            )

    run_after_admin_loads(monkeypatch, wait_for_flushes)
    job = threading.Thread(target=flush_job)
    job.start()
    try:
        for number in range(5):
            save_through_admin(chefin, article, slot, headline=f"Fassung {number}")
    finally:
        stop.set()
        job.join(timeout=60)
    assert not errors
    article.refresh_from_db()
    slot.refresh_from_db()
    assert done["flushes"] >= 20
    assert article.view_count == done["flushes"]
    assert slot.impression_count == slot.click_count == done["flushes"]
    assert article.headline == slot.headline == "Fassung 4"
    assert SponsoredSlot.objects.count() == 1
