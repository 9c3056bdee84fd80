import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from articles.models import Author, Region, Section, Tag, german_slugify
from tests.factories import ArticleFactory, UserFactory

NAMES = {
    "Geld für Bürger": "geld-fuer-buerger",
    "ÄRGER ÜBER ÖL": "aerger-ueber-oel",
    "Straße am Fluß": "strasse-am-fluss",
    "Übersee": "uebersee",
    "4,2 Millionen für die Brücke": "4-2-millionen-fuer-die-bruecke",
    "12.500 Euro": "12-500-euro",
    "Köln/Bonn": "koelnbonn",
    "Café Crème": "cafe-creme",
    "  – Zwischenruf: „Nein!“ – ": "zwischenruf-nein",
}


@pytest.mark.parametrize(("name", "slug"), NAMES.items())
def test_german_slugs(name, slug):
    assert german_slugify(name) == slug


def run_admin_urlify(names: list[str]) -> list[str]:
    """Django's urlify.js, then ours, in Node: what the admin prefills."""
    if shutil.which("node") is None:
        pytest.skip("node not found")
    script = "\n".join(
        [
            "globalThis.window = globalThis;",
            Path(finders.find("admin/js/urlify.js")).read_text(),
            Path(finders.find("articles/slugs.js")).read_text(),
            f"const names = {json.dumps(names)};",
            "console.log(JSON.stringify(names.map((n) => URLify(n, 50, false))));",
        ]
    )
    done = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_admin_prefill_writes_the_server_s_slugs():
    names = list(NAMES)
    assert run_admin_urlify(names) == [german_slugify(n) for n in names]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "admin_name", ["section", "region", "tag", "author", "teasers:rail"]
)
def test_every_prefilled_slug_field_loads_the_german_prefill(admin_name):
    app, model = (
        admin_name.split(":") if ":" in admin_name else ("articles", admin_name)
    )
    client = Client()
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    html = client.get(reverse(f"admin:{app}_{model}_add")).content.decode()
    urlify = html.index(f"{settings.STATIC_URL}admin/js/urlify.js")
    assert html.index(f"{settings.STATIC_URL}articles/slugs.js") > urlify


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Section, Region, Tag, Author])
def test_a_name_saved_without_slug_gets_the_german_one(model):
    assert model.objects.create(name="Städte & Dörfer").slug == "staedte-doerfer"


@pytest.mark.django_db
def test_an_article_slug_keeps_digits_apart():
    article = ArticleFactory(headline="4,2 Millionen für Brücken", slug="")
    assert article.slug == "4-2-millionen-fuer-bruecken"
