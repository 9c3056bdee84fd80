from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import (
    AgencyVersion,
    Article,
    CategoryMapping,
    CountingMark,
    Gallery,
    GalleryPicture,
    SitePage,
)
from articles.photos.renditions import RenditionSpec, get_rendition
from tests import factories
from tests.articles.admin.article_form import edit_form

pytestmark = pytest.mark.django_db

# One object of each registered model, built from its factory.
OBJECT_FACTORIES = {
    "section": factories.SectionFactory,
    "agency": factories.AgencyFactory,
    "author": factories.AuthorFactory,
    "region": factories.RegionFactory,
    "categorymapping": lambda: CategoryMapping.objects.create(
        agency=factories.AgencyFactory(),
        category="wi",
        section=factories.SectionFactory(),
    ),
    "agencyversion": lambda: AgencyVersion.objects.create(
        article=factories.ArticleFactory(),
        version=1,
        version_key="1@",
        format="ninjs",
        status="usable",
        payload="{}",
        fields={},
    ),
    "tag": factories.TagFactory,
    "countingmark": lambda: CountingMark.objects.create(
        public_id="a" * 32, private_id="b" * 32, host="vg08.met.vgwort.de"
    ),
    "sitepage": lambda: SitePage.objects.create(
        kind="kontakt", title="Kontakt", body="<p>Redaktion</p>"
    ),
    "photo": factories.PhotoFactory,
    "article": factories.ArticleFactory,
    "articlephoto": factories.ArticlePhotoFactory,
    "gallery": lambda: (
        GalleryPicture.objects.create(
            gallery=Gallery.objects.create(title="Stadtfest"),
            photo=factories.PhotoFactory(),
        ).gallery
    ),
    "rail": factories.RailFactory,
    "railitem": factories.RailItemFactory,
    "sponsoredslot": factories.SponsoredSlotFactory,
    "user": lambda: factories.UserFactory(username="someone"),
    "group": lambda: Group.objects.get(name="Redakteur"),
    "rendition": lambda: get_rendition(
        factories.PhotoFactory(), RenditionSpec("1x1", 320, "jpg")
    ),
}


def admin_pages():
    return [pytest.param(model, id=model._meta.label) for model in admin.site._registry]


@pytest.fixture
def superuser_client(client):
    user = factories.UserFactory(username="chefin", is_superuser=True)
    client.force_login(user)
    return client


def test_every_model_is_registered():
    registered = {model._meta.model_name for model in admin.site._registry}
    assert set(OBJECT_FACTORIES) <= registered


@pytest.mark.parametrize("model", admin_pages())
def test_changelist_add_and_change_pages_answer(superuser_client, model):
    obj = OBJECT_FACTORIES[model._meta.model_name]()
    info = model._meta.app_label, model._meta.model_name
    for url in (
        reverse("admin:{}_{}_changelist".format(*info)),
        reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
    ):
        response = superuser_client.get(url)
        assert response.status_code == 200, url
    add_page = superuser_client.get(reverse("admin:{}_{}_add".format(*info)))
    # Renditions are made from photos, agency versions by imports, counting
    # marks from VG Wort's CSV.
    read_only = info[1] in ("rendition", "agencyversion", "countingmark")
    assert add_page.status_code == (403 if read_only else 200)


@pytest.mark.parametrize(
    "model_name",
    ["section", "agency", "author", "region", "tag", "photo", "article",
     "articlephoto", "rail",
     "railitem", "sponsoredslot"],
)  # fmt: skip
def test_changelist_query_count_does_not_grow(
    superuser_client, count_queries, model_name
):
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    url = reverse(f"admin:{model._meta.app_label}_{model_name}_changelist")
    factory = OBJECT_FACTORIES[model_name]
    for _ in range(3):
        factory()
    few = count_queries(lambda: superuser_client.get(url))
    for _ in range(25):
        factory()
    many = count_queries(lambda: superuser_client.get(url))
    assert few == many


def test_publish_action_is_refused_for_a_reporter(client):
    reporter = factories.UserFactory(username="reporter")
    reporter.groups.add(Group.objects.get(name="Redakteur"))
    client.force_login(reporter)
    article = factories.ArticleFactory(draft=True, created_by=reporter)
    list_url = reverse("admin:articles_article_changelist")
    response = client.post(
        list_url, {"action": "publish", "_selected_action": [article.pk]}
    )
    assert response.status_code == 403
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    # The edit form's "Veröffentlichen" button, forged.
    response = client.post(change_url, {"_transition": "publish"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_reporter_cannot_set_status_by_forged_post(client):
    reporter = factories.UserFactory(username="reporter")
    reporter.groups.add(Group.objects.get(name="Redakteur"))
    client.force_login(reporter)
    article = factories.ArticleFactory(draft=True, created_by=reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "headline": "Geändert",
        "section": article.section_id,
        "published_at_0": "01.01.2020",
        "published_at_1": "10:00:00",
        "article_photos-TOTAL_FORMS": "0",
        "article_photos-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "loaded_version": str(article.version),
    }
    response = client.post(url, {**data, "status": "published"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.headline != "Geändert"
    # The same form without the forged field saves the text, not the time.
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Geändert"
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert not Article.objects.published().exists()


def test_editor_publishes_with_the_bulk_action(client):
    editor = factories.UserFactory(username="cvd")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(editor)
    article = factories.ArticleFactory(draft=True)
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert list(Article.objects.published()) == [article]


def test_editor_publishes_from_the_edit_form(client):
    editor = factories.UserFactory(username="cvd")
    editor.groups.add(Group.objects.get(name="Chef vom Dienst"))
    client.force_login(editor)
    article = factories.ArticleFactory(draft=True)
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert (
        '<button type="submit" class="button default" name="_transition" '
        'value="publish">Veröffentlichen</button>' in client.get(url).content.decode()
    )
    data = edit_form(client, article) | {"_transition": "publish"}
    assert client.post(url, data).status_code == 302
    assert list(Article.objects.published()) == [article]


def test_admin_is_german(superuser_client):
    html = superuser_client.get(reverse("admin:index")).content.decode()
    assert "Ressorts" in html
    assert "Teaser-Leisten" in html
    assert 'lang="de"' in html


def test_strings_django_left_untranslated_are_german(superuser_client):
    article = factories.ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = superuser_client.get(url).content.decode()
    assert "Select an option" not in html
    html = superuser_client.get(
        reverse("admin:articles_article_changelist")
    ).content.decode()
    assert ">Ausführen</button>" in html and "– Bitte wählen –" in html


def test_article_list_searches_the_full_text(superuser_client):
    wanted = factories.ArticleFactory(
        headline="Rat tagt", body="<p>Die Feuerwehr rückte aus.</p>"
    )
    factories.ArticleFactory(headline="Anderes")
    url = reverse("admin:articles_article_changelist")
    found = superuser_client.get(url, {"q": "Feuerwehr"}).context["cl"].result_list
    assert list(found) == [wanted]  # a word of the body, which LIKE never read
    by_id = superuser_client.get(url, {"q": str(wanted.pk)}).context["cl"]
    assert wanted in by_id.result_list


@contextmanager
def override_list_per_page(amount):
    article_admin = admin.site._registry[Article]
    before, article_admin.list_per_page = article_admin.list_per_page, amount
    try:
        yield
    finally:
        article_admin.list_per_page = before


def test_article_list_stops_counting_past_its_last_page(superuser_client, settings):
    settings.NEWSROOM_LIST_MAX_PAGES = 1
    factories.ArticleFactory.create_batch(3)
    url = reverse("admin:articles_article_changelist")
    with override_list_per_page(2):
        html = superuser_client.get(url).content.decode()
    assert "mehr als 2 Artikel" in html


def test_choosing_an_article_finds_it_by_the_start_of_a_word(superuser_client):
    article = factories.ArticleFactory(headline="Feuerwehrfest am Rhein")
    found = superuser_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "teasers",
            "model_name": "railitem",
            "field_name": "article",
            "term": "Feuerw",
        },
    ).json()["results"]
    assert [int(result["id"]) for result in found] == [article.pk]


def test_the_lists_checkboxes_are_djangos_markup_without_its_widget(admin_client):
    # The list writes its selection checkboxes directly (a widget template
    # per row was a third of the list); the markup is Django's own, escaping
    # and German label included.
    article = factories.ArticleFactory(headline='Zoff um "Brücke" & <Steg>')
    model_admin = admin.site._registry[Article]
    django_markup = admin.ModelAdmin.action_checkbox(model_admin, article)
    assert model_admin.action_checkbox(article) == django_markup
    page = admin_client.get(reverse("admin:articles_article_changelist"))
    assert django_markup in page.content.decode()
    assert "Dieses Objekt für eine Aktion auswählen" in django_markup


def test_the_article_list_reads_no_texts_and_few_queries(
    superuser_client, django_assert_max_num_queries
):
    # Every kind of row: scheduled, embargoed, by an agency, by a reporter.
    factories.ArticleFactory(scheduled=True, agency=factories.AgencyFactory())
    factories.ArticleFactory(embargo_until=timezone.now() + timedelta(hours=1))
    factories.ArticleFactory(draft=True, created_by=factories.UserFactory())
    factories.ArticleFactory.create_batch(3)
    url = reverse("admin:articles_article_changelist")
    # The session, the user, the section and agency filters' choices, the
    # capped count and the page's rows.
    with django_assert_max_num_queries(6):
        page = superuser_client.get(url)
    rows = page.context["cl"].result_list
    assert len(rows) == 6
    # What the list does not show stays in the database: the bodies above
    # all; the form and the actions load an article whole.
    assert {"body", "teaser"} <= rows[0].get_deferred_fields()
    assert not {"headline", "status", "published_at"} & rows[0].get_deferred_fields()
    article = superuser_client.get(
        reverse("admin:articles_article_change", args=[rows[0].pk])
    ).context["original"]
    assert not article.get_deferred_fields()
