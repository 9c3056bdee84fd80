"""What each role may see and set in the photo admin, and the site-wide
admin pages that check rights (view on site, logout). Surfaces of ad
operations as a whole: tests/test_admin_roles.py."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Photo
from tests.articles.photos.test_metadata import iim_dataset, photoshop_segment
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def user_in(group: str | None, username: str, **fields):
    # No password: force_login needs none, and hashing one takes a second.
    user = UserFactory(username=username, password="!", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def jpeg_with_credit() -> SimpleUploadedFile:
    """A photo whose IPTC metadata names its photographer and agency."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), "teal").save(buffer, "JPEG")
    data = buffer.getvalue()
    iim = iim_dataset(2, 80, b"Oliver Berg") + iim_dataset(2, 110, b"Oliver Berg/dpa")
    data = data[:2] + photoshop_segment(iim) + data[2:]
    return SimpleUploadedFile("upload.jpg", data, content_type="image/jpeg")


def photo_form(**fields) -> dict:
    """The photo form as posted, with rights fields an editor typed in."""
    return {
        "caption": "Hochwasser in der Altstadt",
        "alt_text": "Sandsäcke vor einem Rathaus",
        "headline": "",
        "instructions": "",
        "creator": "Jemand Anderes",
        "agency": "",
        "credit_line": "Eigene Angabe",
        "copyright_notice": "",
        "source": "",
        "usage_terms": "frei",
        "restrictions": "",
        "web_statement": "",
        "licence_expires_at_0": "31.12.2030",
        "licence_expires_at_1": "12:00:00",
        "killed_at_0": "01.01.2020",
        "killed_at_1": "12:00:00",
        "kill_reason": "Agentur-Kill",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }


@pytest.mark.parametrize(
    "group", ["Redakteur", "Chef vom Dienst", "Anzeigen"], ids=["rep", "cvd", "ads"]
)
def test_only_the_photo_desk_sets_credit_licence_and_kill_on_upload(group):
    user = user_in(group, "hochlader")
    response = client_for(user).post(
        reverse("admin:articles_photo_add"), photo_form(image=jpeg_with_credit())
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = Photo.objects.get()
    # What the file says, not what was posted.
    assert (photo.creator, photo.credit_line) == ("Oliver Berg", "Oliver Berg/dpa")
    assert photo.agency.short_name == "dpa"
    assert photo.usage_terms == ""
    assert photo.licence_expires_at is None
    assert (photo.killed_at, photo.kill_reason) == (None, "")
    assert photo.caption == "Hochwasser in der Altstadt"
    assert photo.uploaded_by == user


def test_the_photo_desk_sets_credit_licence_and_kill_on_upload():
    desk = user_in("Bildredaktion", "bildredaktion")
    response = client_for(desk).post(
        reverse("admin:articles_photo_add"), photo_form(image=jpeg_with_credit())
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.creator, photo.credit_line) == ("Jemand Anderes", "Eigene Angabe")
    assert photo.licence_expires_at.year == 2030
    assert photo.killed_at.year == 2020
    assert photo.kill_reason == "Agentur-Kill"


def test_other_roles_see_the_rights_fields_read_only_on_upload():
    page = client_for(user_in("Redakteur", "rita")).get(
        reverse("admin:articles_photo_add")
    )
    html = page.content.decode()
    assert 'name="caption"' in html
    for field in ("credit_line", "creator", "licence_expires_at_0", "killed_at_0"):
        assert f'name="{field}"' not in html
    assert "Setzt die Bildredaktion" in html
    desk = client_for(user_in("Bildredaktion", "bildredaktion")).get(
        reverse("admin:articles_photo_add")
    )
    assert 'name="credit_line"' in desk.content.decode()


def test_the_desk_edits_captions_but_not_credits_of_stored_photos():
    photo = PhotoFactory(credit_line="Oliver Berg/dpa", caption="Alt")
    url = reverse("admin:articles_photo_change", args=[photo.pk])
    response = client_for(user_in("Chef vom Dienst", "cvd")).post(
        url, photo_form(caption="Neu", credit_line="Gefälscht/AFP")
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.credit_line) == ("Neu", "Oliver Berg/dpa")
    assert photo.killed_at is None
    client_for(user_in("Bildredaktion", "bildredaktion")).post(
        url, photo_form(caption="Neu", credit_line="Peter Kneffel/dpa")
    )
    photo.refresh_from_db()
    assert photo.credit_line == "Peter Kneffel/dpa"
    assert photo.killed_at is not None


def test_ad_operations_list_public_photos_and_their_own_uploads_only():
    ad_ops = user_in("Anzeigen", "anzeigen")
    live = ArticleFactory(headline="Live am Rhein")
    public = ArticlePhotoFactory(article=live, photo__caption="Öffentlich").photo
    ArticlePhotoFactory(
        article=ArticleFactory(headline="Noch geheim", draft=True), photo=public
    )
    PhotoFactory(caption="Eigenes Werbebild", uploaded_by=ad_ops)
    PhotoFactory(caption="Fremdes Werbebild", uploaded_by=user_in(None, "kollege"))
    PhotoFactory(caption="Aus dem Archiv")
    html = (
        client_for(ad_ops)
        .get(reverse("admin:articles_photo_changelist"))
        .content.decode()
    )
    assert "Öffentlich" in html and "Eigenes Werbebild" in html
    assert "Fremdes Werbebild" not in html and "Aus dem Archiv" not in html
    # "Verwendet in": the live article's page, not its edit form, and not
    # the draft that uses the same photo.
    assert f'href="{live.get_absolute_url()}"' in html
    assert "Noch geheim" not in html
    desk = client_for(user_in("Bildredaktion", "bildredaktion"))
    desk_html = desk.get(reverse("admin:articles_photo_changelist")).content.decode()
    assert "Noch geheim" in desk_html and "Aus dem Archiv" in desk_html
    assert reverse("admin:articles_article_change", args=[live.pk]) in desk_html


def test_view_on_site_leads_editors_to_articles_and_others_nowhere():
    draft = ArticleFactory(headline="Entwurf mit Adresse", draft=True)
    content_type = ContentType.objects.get_for_model(Article)
    url = reverse("admin:view_on_site", args=[content_type.pk, draft.pk])
    editor = client_for(user_in("Redakteur", "rita")).get(url)
    assert editor.status_code == 302
    # Not public yet: the preview, not a page that answers 404.
    preview = reverse("admin:articles_article_preview", args=[draft.pk])
    assert editor["Location"] == preview
    live = ArticleFactory(headline="Schon online")
    public = reverse("admin:view_on_site", args=[content_type.pk, live.pk])
    response = client_for(user_in("Redakteur", "rita3")).get(public)
    assert response["Location"].endswith(live.get_absolute_url())
    assert client_for(user_in("Anzeigen", "anzeigen")).get(url).status_code == 404
    unknown = reverse("admin:view_on_site", args=[content_type.pk, 999999])
    assert client_for(user_in("Redakteur", "rita2")).get(unknown).status_code == 404


def test_logout_clears_the_browser_storage():
    client = client_for(user_in("Redakteur", "rita"))
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"storage"'


def test_every_admin_page_names_its_user_for_the_browser_copy():
    user = user_in("Redakteur", "rita")
    html = client_for(user).get(reverse("admin:index")).content.decode()
    assert f'<meta name="newsroom-user" content="{user.pk}">' in html
    assert "articles/admin_session.js" in html
    login = Client().get(reverse("admin:login")).content.decode()
    assert '<meta name="newsroom-user" content="">' in login


def test_the_dashboard_lists_expiring_photos_only_to_the_photo_desk():
    soon = timezone.now() + timedelta(days=2)
    ArticlePhotoFactory(
        article=ArticleFactory(draft=True),
        photo=PhotoFactory(
            caption="Geheim und bald abgelaufen", licence_expires_at=soon
        ),
    )
    PhotoFactory(
        caption="Eigenes, bald abgelaufen",
        licence_expires_at=soon,
        uploaded_by=(ad_ops := user_in("Anzeigen", "anzeigen")),
    )
    html = client_for(ad_ops).get(reverse("admin:index")).content.decode()
    # Licences are the photo desk's to renew: ad operations get no list.
    assert "Eigenes, bald abgelaufen" not in html
    assert "Geheim und bald abgelaufen" not in html
    assert "Fotos mit ablaufender Lizenz" not in html
    desk = client_for(user_in("Bildredaktion", "bildredaktion"))
    assert (
        "Geheim und bald abgelaufen"
        in desk.get(reverse("admin:index")).content.decode()
    )
