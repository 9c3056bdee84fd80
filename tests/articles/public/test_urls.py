"""The public addresses: the article page's pattern comes early in the list
(articles/public/urls.py), so every address it could also match must still
reach its own view."""

import pytest
from django.urls import resolve

ADDRESSES = [
    ("/vorschau/abc-12/", "articles:shared_preview"),
    ("/galerie/hafenfest-12/", "articles:gallery"),
    ("/region/koeln-2/", "articles:region"),
    ("/thema/wahl-2026/", "articles:tag"),
    ("/autor/anna-schmidt-2/", "articles:author"),
    ("/anzeige/abc-12/", "teasers:sponsored_click"),
    ("/koeln/rat-beschliesst-haushalt-12/", "articles:detail"),
    ("/koeln/rat-beschliesst-haushalt-12/live/", "articles:live_ticker_updates"),
    ("/koeln/feed/", "articles:section_feed"),
    ("/koeln/feed/atom/", "articles:section_feed_atom"),
    ("/feed/", "teasers:front_feed"),
    ("/feed/atom/", "teasers:front_feed_atom"),
    ("/archiv/2026/12/", "articles:archive_month"),
    ("/archiv/2026/12/04/", "articles:archive_day"),
    ("/api/ninjs/urn-12/", "articles:ninjs_item"),
    ("/bild/12/3/800x600-1.jpg", "articles:rendition"),
    ("/suche/", "articles:search"),
    ("/impressum/", "articles:site_page"),
    ("/koeln/", "articles:section"),
]


@pytest.mark.parametrize(("address", "view"), ADDRESSES)
def test_each_address_reaches_its_own_view(address, view):
    assert resolve(address).view_name == view
