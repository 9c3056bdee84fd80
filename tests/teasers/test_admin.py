from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Photo
from teasers.models import RailItem, SponsoredSlot
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    SponsoredSlotFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def user_in(group: str, username: str):
    user = UserFactory(username=username, password="!")
    user.groups.add(Group.objects.get(name=group))
    return user


def slot_form(rail, **overrides):
    now = timezone.localtime()
    data = {
        "advertiser": "Autohaus Rhein",
        "kicker": "Winteraktion",
        "headline": "Reifenwechsel zum Festpreis",
        "teaser": "",
        "photo": "",
        "target_url": "https://autohaus.example/winter",
        "starts_at_0": now.strftime("%d.%m.%Y"),
        "starts_at_1": "00:00:00",
        "ends_at_0": "31.12.2030",
        "ends_at_1": "23:59:00",
        "rail": rail.pk,
        "position": "2",
        "every_nth": "",
        "priority": "1",
    }
    return {**data, **overrides}


def test_ad_operations_create_a_slot_and_it_lands_in_the_history(client):
    client.force_login(user_in("Anzeigen", "anzeigen"))
    rail = RailFactory()
    response = client.post(
        reverse("admin:teasers_sponsoredslot_add"),
        slot_form(rail, label="Partnerinhalt"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    slot = SponsoredSlot.objects.get()
    assert slot.label == "Anzeige"  # the posted label was ignored
    change = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    client.post(change, slot_form(rail, headline="Neuer Titel"))
    history = LogEntry.objects.filter(object_id=str(slot.pk)).order_by("pk")
    assert [entry.action_flag for entry in history] == [1, 2]
    assert history[1].user.username == "anzeigen"


def test_ad_operations_cannot_touch_editorial_content(client):
    client.force_login(user_in("Anzeigen", "anzeigen"))
    article = ArticleFactory()
    rail = RailFactory(title="Top-Themen")
    change_article = reverse("admin:articles_article_change", args=[article.pk])
    assert client.get(change_article).status_code == 403
    change_rail = reverse("admin:teasers_rail_change", args=[rail.pk])
    response = client.post(change_rail, {"title": "Gekauft", "slug": rail.slug})
    assert response.status_code == 403
    rail.refresh_from_db()
    assert rail.title == "Top-Themen"


def test_editors_may_look_at_slots_but_not_change_them(client):
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    slot = SponsoredSlotFactory(headline="Original")
    change = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    assert client.get(change).status_code == 200  # read-only view
    response = client.post(change, slot_form(slot.rail, headline="Redaktionell"))
    assert response.status_code == 403
    slot.refresh_from_db()
    assert slot.headline == "Original"
    assert (
        client.post(
            reverse("admin:teasers_sponsoredslot_add"), slot_form(slot.rail)
        ).status_code
        == 403
    )


def test_slot_list_shows_flight_status_and_click_through_rate(client):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    now = timezone.now()
    SponsoredSlotFactory(headline="Läuft gerade", impression_count=2000, click_count=50)
    SponsoredSlotFactory(
        headline="Kommt noch",
        starts_at=now + timezone.timedelta(days=1),
        ends_at=now + timezone.timedelta(days=2),
    )
    url = reverse("admin:teasers_sponsoredslot_changelist")
    html = client.get(url).content.decode()
    assert "läuft" in html and "geplant" in html
    assert "2,5 %" in html
    running = client.get(url, {"laufzeit": "running"}).content.decode()
    assert "Läuft gerade" in running and "Kommt noch" not in running


def test_rail_editor_shows_a_preview_and_saving_purges_the_front_page(
    client, django_capture_on_commit_callbacks
):
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    rail = RailFactory(title="Alt")
    item = RailItemFactory(rail=rail)
    assert "Alt" in client.get("/").content.decode()
    change = reverse("admin:teasers_rail_change", args=[rail.pk])
    html = client.get(change).content.decode()
    preview = reverse("admin:teasers_front_page_preview")
    assert f'src="{preview}?leiste={rail.slug}"' in html
    client.logout()
    assert "Alt" in client.get("/").content.decode()  # now cached
    client.force_login(user_in("Chef vom Dienst", "cvd2"))
    data = {
        "title": "Neu",
        "slug": rail.slug,
        "order": "0",
        "kind": "curated",
        "size": "8",
        "crop_ratio": "16x9",
        "fill": "latest",
        "skips_shown": "on",
        "keeps_top_first": "on",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "1",
        "items-0-id": item.pk,
        "items-0-rail": rail.pk,
        "items-0-position": "1",
        "items-0-article": item.article_id,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302
    client.logout()
    html = client.get("/").content.decode()
    assert ">Neu</h2>" in html


def test_rail_list_links_to_the_time_preview(client):
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    html = client.get(reverse("admin:teasers_rail_changelist")).content.decode()
    assert reverse("admin:teasers_front_page_preview") in html


def test_ad_operations_may_not_see_the_time_preview(client):
    client.force_login(user_in("Anzeigen", "anzeigen"))
    assert client.get(reverse("admin:teasers_front_page_preview")).status_code == 403


def rail_form(rail, items):
    data = {
        "title": rail.title,
        "slug": rail.slug,
        "order": "0",
        "kind": "curated",
        "size": "8",
        "crop_ratio": "16x9",
        "fill": "latest",
        "skips_shown": "on",
        "keeps_top_first": "on",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(sum(1 for item in items if item.get("id"))),
    }
    for index, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{index}-{key}"] = value
    return data


def test_live_preview_renders_unsaved_edits_and_saves_nothing(client):
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    rail = RailFactory(title="Leiste")
    item = RailItemFactory(rail=rail, position=1, article__headline="Gespeichert")
    newcomer = ArticleFactory(headline="Nur in der Vorschau")
    hidden = ArticleFactory(draft=True, headline="Entwurf bleibt unsichtbar")
    url = reverse("admin:teasers_rail_live_preview", args=[rail.pk])
    data = rail_form(
        rail,
        [
            {"id": item.pk, "rail": rail.pk, "position": "2",
             "article": item.article_id, "headline": "Neue Zeile"},
            {"rail": rail.pk, "position": "1", "article": newcomer.pk},
            {"rail": rail.pk, "position": "3", "article": hidden.pk},
        ],
    )  # fmt: skip
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Nur in der Vorschau") < html.index("Neue Zeile")
    assert "Entwurf bleibt unsichtbar" not in html
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    item.refresh_from_db()
    assert (item.position, item.headline) == (1, "")
    assert RailItem.objects.count() == 1
    assert client.get(url).status_code == 405


def test_live_preview_with_invalid_input_says_so(client):
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    rail = RailFactory(title="Leiste")
    url = reverse("admin:teasers_rail_live_preview", args=[rail.pk])
    data = rail_form(rail, []) | {"size": "0"}
    html = client.post(url, data).content.decode()
    assert "noch nicht gültig" in html


def photo_for_slot(kind: str, ad_ops):
    """A photo of each kind an ad operations user might try to use."""
    match kind:
        case "own upload":
            return PhotoFactory(caption="Eigenes Werbebild", uploaded_by=ad_ops)
        case "public":
            return ArticlePhotoFactory(photo__caption="Schon öffentlich").photo
        case "embargoed story":
            article = ArticleFactory(embargo_until=timezone.now() + timedelta(hours=2))
            return ArticlePhotoFactory(article=article, photo__caption="Geheim").photo
        case "draft story":
            article = ArticleFactory(draft=True)
            return ArticlePhotoFactory(article=article, photo__caption="Geheim").photo
        case "own upload in a draft story":
            photo = PhotoFactory(caption="Geheim", uploaded_by=ad_ops)
            ArticlePhotoFactory(article=ArticleFactory(draft=True), photo=photo)
            return photo
        case "photo desk archive":
            return PhotoFactory(caption="Geheim")
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("own upload", True),
        ("public", True),
        ("embargoed story", False),
        ("draft story", False),
        ("own upload in a draft story", False),
        ("photo desk archive", False),
    ],
)
def test_ad_operations_attach_only_their_own_or_public_photos(client, kind, allowed):
    ad_ops = user_in("Anzeigen", "anzeigen")
    client.force_login(ad_ops)
    photo = photo_for_slot(kind, ad_ops)
    # Posted as a forged form would: the widget never offered the photo.
    response = client.post(
        reverse("admin:teasers_sponsoredslot_add"),
        slot_form(RailFactory(), photo=photo.pk),
    )
    if allowed:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert SponsoredSlot.objects.get().photo == photo
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Foto ist für Anzeigen nicht freigegeben" in html
    assert "Geheim" not in html
    assert not SponsoredSlot.objects.exists()


def test_administrators_too_cannot_put_an_unpublished_story_s_photo_on_a_slot(
    client,
):
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    photo = photo_for_slot("embargoed story", None)
    slot = SponsoredSlotFactory(headline="Vorher")
    change = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    response = client.post(change, slot_form(slot.rail, photo=photo.pk))
    assert "Dieses Foto ist für Anzeigen nicht freigegeben" in response.content.decode()
    slot.refresh_from_db()
    assert slot.photo is None


@pytest.mark.parametrize("role", ["Anzeigen", None], ids=["ad-ops", "admin"])
def test_saving_a_slot_drops_an_unpublished_story_s_photo_without_showing_it(
    client, role
):
    user = UserFactory(username="nutzer", password="!", is_superuser=role is None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    hidden = photo_for_slot("draft story", None)
    # Set before the rule existed, on a slot that has not started (a running
    # one would have made the photo public already).
    slot = SponsoredSlotFactory(
        photo=hidden,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )
    change = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    html = client.get(change).content.decode()
    assert "Geheim" not in html
    assert "Das bisherige Foto dieser Anzeige gehört zu einem noch nicht" in html
    response = client.post(change, slot_form(slot.rail, headline="Neu", photo=""))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.headline, slot.photo) == ("Neu", None)


def test_ad_operations_may_keep_a_colleague_s_photo_on_a_slot(client):
    ad_ops = user_in("Anzeigen", "anzeigen")
    colleague = user_in("Anzeigen", "kollegin")
    photo = PhotoFactory(caption="Werbebild der Kollegin", uploaded_by=colleague)
    slot = SponsoredSlotFactory(
        photo=photo,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )
    client.force_login(ad_ops)
    change = reverse("admin:teasers_sponsoredslot_change", args=[slot.pk])
    assert "Werbebild der Kollegin" in client.get(change).content.decode()
    response = client.post(change, slot_form(slot.rail, photo=photo.pk))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.photo == photo


def test_ad_operations_do_not_see_a_rail_s_history_or_preview(client):
    rail = RailFactory()
    client.force_login(user_in("Anzeigen", "anzeigen"))
    history = reverse("admin:teasers_rail_history", args=[rail.pk])
    assert client.get(history).status_code == 403
    change = client.get(reverse("admin:teasers_rail_change", args=[rail.pk]))
    assert change.status_code == 200
    assert "rail-preview" not in change.content.decode()
    client.force_login(user_in("Chef vom Dienst", "cvd"))
    assert client.get(history).status_code == 200


@pytest.mark.parametrize("role", ["Anzeigen", None], ids=["ad-ops", "admin"])
def test_the_slot_s_photo_widget_offers_what_the_form_accepts(client, role):
    user = UserFactory(username="nutzer", password="!", is_superuser=role is None)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    offered = {
        kind: photo_for_slot(kind, user)
        for kind in ("own upload", "public", "photo desk archive")
    }
    # A colleague's ad image on a slot that has not started: ad operations
    # see it in the photo list, but may not put it on another slot.
    offered["colleague"] = PhotoFactory(
        caption="Werbebild der Kollegin",
        uploaded_by=user_in("Anzeigen", "kollegin"),
    )
    SponsoredSlotFactory(
        photo=offered["colleague"],
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=2),
    )
    search = {"app_label": "teasers", "model_name": "sponsoredslot"}
    found = client.get(
        reverse("admin:autocomplete"), {**search, "field_name": "photo", "term": ""}
    ).json()["results"]
    assert {int(result["id"]) for result in found} == {
        offered["own upload"].pk,
        offered["public"].pk,
    }
    # Other forms' photo widgets are not narrowed (editors pick any photo).
    if role is None:
        article_photos = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "articles",
                "model_name": "articlephoto",
                "field_name": "photo",
                "term": "",
            },
        ).json()["results"]
        assert len(article_photos) == Photo.objects.count()
