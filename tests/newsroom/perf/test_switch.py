"""NEWSROOM_FAST_PATH=false: the pages come out the same without a helper."""

import pytest
from django.urls import reverse

from articles.models import CorrectionNote
from articles.public.article_page import AUTHORS
from articles.purging import purge_pages
from newsroom.perf.lru import LeastRecentlyUsed
from newsroom.perf.prepared import CompiledShape
from newsroom.perf.url_formats import UrlFormat
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    AuthorFactory,
    RailItemFactory,
    SponsoredSlotFactory,
)

pytestmark = pytest.mark.django_db

# What only the fast path may touch: the compiled shapes of prepared
# queries and the address formats (the memos and page copies rely on no
# Django internal and serve on both paths).
FAST_PATH_PARTS = [
    (CompiledShape, "__init__"),
    (CompiledShape, "run"),
    (UrlFormat, "_format"),
]


def touched(*args, **kwargs):
    raise AssertionError("the plain path used a part of the fast path")


def forgotten(self, key, default=None):
    return default


def build_site() -> dict[str, str]:
    article = ArticleFactory(agency=AgencyFactory(), section__slug="lokales")
    article.authors.add(AuthorFactory(name="Erika Muster"))
    ArticlePhotoFactory(article=article, caption="Der Rathausplatz")
    CorrectionNote.objects.create(article=article, text="Falscher Vorname")
    for other in ArticleFactory.create_batch(3, section=article.section):
        ArticlePhotoFactory(article=other)
        RailItemFactory(article=other, rail__slug="top")
    SponsoredSlotFactory(rail__slug="top")
    return {
        "article": article.get_absolute_url(),
        "front": reverse("teasers:front_page"),
        "section": reverse("articles:section", args=["lokales"]),
    }


@pytest.mark.fast_path  # compares with the fast path's page
@pytest.mark.parametrize("page", ["article", "front", "section"])
def test_without_the_fast_path_a_page_is_the_same_and_touches_no_helper(
    client, settings, monkeypatch, page
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300  # process copies take part
    url = build_site()[page]
    fast = client.get(url)
    assert fast.status_code == 200
    assert client.get(url).content == fast.content  # the process's copy
    if page == "article":
        assert AUTHORS.shapes

    settings.NEWSROOM_FAST_PATH = False
    for owner, name in FAST_PATH_PARTS:
        monkeypatch.setattr(owner, name, touched)
    # Every memo and page copy misses: the markup is rendered anew on the
    # plain path (with reverse()), not taken from what the fast path kept.
    monkeypatch.setattr(LeastRecentlyUsed, "get", forgotten)
    purge_pages()  # built anew on the plain path, the shared rails too
    plain = client.get(url)
    assert plain.status_code == 200
    assert plain.content.decode() == fast.content.decode()
    assert client.get(url).content == fast.content  # the shared cache's copy
