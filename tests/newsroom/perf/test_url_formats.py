import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from newsroom.perf.url_formats import UrlFormat


@pytest.mark.fast_path
def test_an_address_format_gives_what_reverse_gives():
    detail = UrlFormat("articles:detail", "slug", "slug", "int")
    args = ("lokales", "rathaus-beschliesst-haushalt", 42)
    assert detail(*args) == reverse("articles:detail", args=args)
    set_script_prefix("/zeitung/")
    try:
        assert detail(*args) == "/zeitung/lokales/rathaus-beschliesst-haushalt-42/"
        assert detail(*args) == reverse("articles:detail", args=args)
    finally:
        set_script_prefix("/")


def test_an_address_format_leaves_odd_values_to_reverse():
    section = UrlFormat("articles:section", "slug")
    # Not a slug: reverse() decides, and refuses, as it would without us.
    with pytest.raises(NoReverseMatch):
        section("straßen/bahn")
    rendition = UrlFormat("articles:rendition", "int", "str", "str")
    with pytest.raises(NoReverseMatch):
        rendition(-1, "v", "x")
    # A character reverse() quotes: the address is reverse()'s, quoted.
    quoted = reverse("articles:rendition", args=[7, "v 1", "x"])
    assert rendition(7, "v 1", "x") == quoted == "/bild/7/v%201/x"


def test_without_the_fast_path_an_address_is_reverse_s(settings, monkeypatch):
    settings.NEWSROOM_FAST_PATH = False

    def formatted(*args):
        raise AssertionError("the plain path used an address format")

    monkeypatch.setattr(UrlFormat, "_format", formatted)
    detail = UrlFormat("articles:detail", "slug", "slug", "int")
    args = ("lokales", "rathaus", 42)
    assert detail(*args) == reverse("articles:detail", args=args)


@pytest.mark.fast_path
def test_an_address_format_for_many_gives_what_reverse_gives():
    # A sitemap reads the prefix once for thousands of addresses; each is
    # still reverse()'s, odd values included.
    set_script_prefix("/zeitung/")
    try:
        detail = UrlFormat("articles:detail", "slug", "slug", "int").for_many()
        for args in [("lokales", "haushalt", 42), ("sport", "tor", 7)]:
            assert detail(*args) == reverse("articles:detail", args=args)
        assert detail("lokales", "haushalt", 42).startswith("/zeitung/")
        rendition = UrlFormat("articles:rendition", "int", "str", "str").for_many()
        assert rendition(7, "v 1", "x") == "/zeitung/bild/7/v%201/x"
    finally:
        set_script_prefix("/")
