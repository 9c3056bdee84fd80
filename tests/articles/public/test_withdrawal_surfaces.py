"""A withdrawal (or kill, or agency withheld) reaches every surface: the
story's photos, its ninjs item and the export partners poll."""

import json

import pytest
from django.utils import timezone

from articles.importers.news import import_news
from articles.importers.runs import ImportOptions
from articles.models import Article
from articles.photos.renditions import RenditionSpec, rendition_url
from articles.workflow import services
from tests.articles.public.conftest import assert_valid
from tests.articles.public.test_ninjs_export import get_json
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    SectionFactory,
    UserFactory,
)
from tests.samples import sample_path

pytestmark = pytest.mark.django_db

SPEC = RenditionSpec("16x9", 320, "jpg")


@pytest.fixture
def editor():
    return UserFactory(is_superuser=True)


def test_a_withdrawn_storys_photo_answers_404(client, editor):
    use = ArticlePhotoFactory()
    address = rendition_url(use.photo, SPEC)
    assert client.get(address).status_code == 200
    services.withdraw_article(use.article, by=editor, reason="Falsche Zuordnung")
    assert client.get(address).status_code == 404
    # Staff still see it in the admin.
    client.force_login(editor)
    assert client.get(address).status_code == 200


def test_a_photo_another_public_page_shows_stays(client, editor):
    use = ArticlePhotoFactory()
    ArticlePhotoFactory(photo=use.photo)
    services.withdraw_article(use.article, by=editor, reason="Falsche Zuordnung")
    assert client.get(rendition_url(use.photo, SPEC)).status_code == 200


def test_the_ninjs_item_answers_410_with_the_withdrawal(
    client, editor, ninjs_validator
):
    article = ArticleFactory(headline="Geheim: zurückgezogen")
    services.withdraw_article(article, by=editor, reason="Rechtlich bedenklich")
    item = get_json(client, f"/api/ninjs/{article.pk}/", status=410)
    assert_valid(ninjs_validator, item)
    assert (item["uri"], item["pubstatus"], item["ednote"]) == (
        article.urn,
        "canceled",
        "Rechtlich bedenklich",
    )
    assert "Geheim" not in json.dumps(item, ensure_ascii=False)


def test_partners_polling_the_export_learn_of_a_withdrawal(
    client, editor, ninjs_validator
):
    kept = ArticleFactory()
    withdrawn = ArticleFactory()
    since = timezone.now().isoformat().replace("+", "%2B")
    services.withdraw_article(withdrawn, by=editor, reason="Doppelt")
    changes = get_json(client, f"/api/ninjs/?since={since}")["items"]
    assert [(item["uri"], item["pubstatus"]) for item in changes] == [
        (withdrawn.urn, "canceled")
    ]
    for item in changes:
        assert_valid(ninjs_validator, item)
    # The plain list shows only what the public may see.
    everything = get_json(client, "/api/ninjs/")["items"]
    assert [item["uri"] for item in everything] == [kept.urn]


def test_an_agency_kill_and_withheld_reach_the_export(tmp_path, client):
    SectionFactory(slug="nachrichten")
    data = json.loads(sample_path("dpa-digitalwires/with_dateline.json").read_text())

    def send(name, entry, **options):
        path = tmp_path / name
        path.write_text(json.dumps(entry, ensure_ascii=False))
        import_news([str(path)], options=ImportOptions(**options))

    send("a.json", data, publish=True)
    article = Article.objects.get()
    since = timezone.now().isoformat().replace("+", "%2B")
    send("w.json", data | {"version": 3, "pubstatus": "withheld"})
    item = get_json(client, f"/api/ninjs/{article.pk}/", status=404)
    assert item["pubstatus"] == "withheld"
    changes = get_json(client, f"/api/ninjs/?since={since}")["items"]
    assert [item["pubstatus"] for item in changes] == ["withheld"]

    send("u.json", data | {"version": 4, "pubstatus": "usable"})
    send("k.json", data | {"version": 5, "pubstatus": "canceled"})
    item = get_json(client, f"/api/ninjs/{article.pk}/", status=410)
    assert item["pubstatus"] == "canceled"
    assert "Kill" in item["ednote"]
