"""The rail form's fixed places: sortable by drag and drop
(django-admin-sortable2) with the place number still a field, and its static
files served as production serves them (hashed names, whitenoise). The
browser half: tests/browser/test_rail_order.py."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from teasers.models import RailItem
from tests.factories import RailFactory, RailItemFactory, UserFactory
from tests.teasers.test_admin import rail_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    client.force_login(UserFactory(username="admin", password="!", is_superuser=True))
    return client


def test_fixed_places_are_sortable_and_keep_their_number_field(desk):
    rail = RailFactory()
    RailItemFactory(rail=rail, position=3)
    html = desk.get(reverse("admin:teasers_rail_change", args=[rail.pk])).content
    html = html.decode()
    fieldset = re.search(r'<fieldset class="[^"]*\bsortable\b[^"]*"', html)
    assert fieldset, "django-admin-sortable2 marks the inline as sortable"
    field = re.search(r'<input type="number" name="items-0-position"[^>]*>', html)
    assert field and "_reorder_" in field.group() and 'value="3"' in field.group()
    for script in ("adminsortable2/js/adminsortable2.min.js", "teasers/rail_order.js"):
        assert script in html
    # Not the copy of the admin's actions.js the package has up to Django 6.0.
    assert "adminsortable2/js/actions-" not in html


def test_a_swap_of_places_saves_in_one_go(desk):
    rail = RailFactory()
    first = RailItemFactory(rail=rail, position=1)
    fifth = RailItemFactory(rail=rail, position=5)
    data = rail_form(
        rail,
        [
            {"id": first.pk, "rail": rail.pk, "position": "5",
             "article": first.article_id},
            {"id": fifth.pk, "rail": rail.pk, "position": "1",
             "article": fifth.article_id},
        ],
    )  # fmt: skip
    response = desk.post(reverse("admin:teasers_rail_change", args=[rail.pk]), data)
    assert response.status_code == 302
    assert dict(RailItem.objects.values_list("pk", "position")) == {
        first.pk: 5,
        fifth.pk: 1,
    }


def test_the_rail_form_works_with_hashed_static_files(settings, tmp_path):
    """As deployed: collectstatic into hashed, compressed names, whitenoise
    serving them; a file the form names but nobody ships breaks the page."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    }
    settings.DEBUG = False
    call_command("collectstatic", "--noinput", verbosity=0, stdout=StringIO())
    client = Client()
    client.force_login(UserFactory(username="admin", password="!", is_superuser=True))
    rail = RailFactory()
    RailItemFactory(rail=rail)
    response = client.get(reverse("admin:teasers_rail_change", args=[rail.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    script = re.search(r'src="/static/(teasers/rail_order\.[0-9a-f]{12}\.js)"', html)
    assert script, "the script under its hashed name"
    style = re.search(
        r'href="/static/(adminsortable2/css/sortable\.[0-9a-f]{12}\.css)"', html
    )
    assert style and (settings.STATIC_ROOT / script.group(1)).exists()
    # The drag icon the package's style refers to was hashed as well.
    css = (settings.STATIC_ROOT / style.group(1)).read_text()
    assert re.search(r"drag\.[0-9a-f]{12}\.png", css)
