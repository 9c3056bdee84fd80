"""Embeds: provider and id from the address alone, per provider; what is
refused and why (in German); the CSP frames exactly the providers' hosts."""

import pytest
from django.conf import settings

from articles.embeds import (
    PROVIDERS,
    EmbedRefused,
    embed_block,
    frame_hosts,
    recognise,
    recognise_embeds,
)

RECOGNISED = [
    # (pasted address, provider, id, frame address)
    (
        "https://www.youtube.com/watch?v=jNQXAC9IVRw",
        "youtube",
        "jNQXAC9IVRw",
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw",
    ),
    (
        "https://m.youtube.com/watch?feature=share&v=jNQXAC9IVRw&t=10",
        "youtube",
        "jNQXAC9IVRw",
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw",
    ),
    (
        "https://youtu.be/jNQXAC9IVRw?si=abc",
        "youtube",
        "jNQXAC9IVRw",
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw",
    ),
    (
        "https://www.youtube.com/shorts/rC0NFSVA7M0",
        "youtube",
        "rC0NFSVA7M0",
        "https://www.youtube-nocookie.com/embed/rC0NFSVA7M0",
    ),
    (
        "https://www.youtube-nocookie.com/embed/rC0NFSVA7M0",
        "youtube",
        "rC0NFSVA7M0",
        "https://www.youtube-nocookie.com/embed/rC0NFSVA7M0",
    ),
    (
        "https://vimeo.com/76979871",
        "vimeo",
        "76979871",
        "https://player.vimeo.com/video/76979871?dnt=1",
    ),
    (
        "https://player.vimeo.com/video/76979871",
        "vimeo",
        "76979871",
        "https://player.vimeo.com/video/76979871?dnt=1",
    ),
    (
        "https://x.com/SecBlinken/status/1848466003354660981",
        "x",
        "1848466003354660981",
        "https://platform.twitter.com/embed/Tweet.html?id=1848466003354660981"
        "&dnt=true&lang=de",
    ),
    (
        "https://twitter.com/jack/status/20",
        "x",
        "20",
        "https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true&lang=de",
    ),
    (
        "https://www.instagram.com/p/C1a2B3c4D5e/",
        "instagram",
        "C1a2B3c4D5e",
        "https://www.instagram.com/p/C1a2B3c4D5e/embed/",
    ),
    (
        "https://www.instagram.com/reel/C9xYz12AbCd/?igsh=x",
        "instagram",
        "C9xYz12AbCd",
        "https://www.instagram.com/p/C9xYz12AbCd/embed/",
    ),
    (
        "https://www.tiktok.com/@tagesschau/video/7301234567890123456",
        "tiktok",
        "7301234567890123456",
        "https://www.tiktok.com/embed/v2/7301234567890123456",
    ),
    (
        "https://www.facebook.com/stadtkoeln/posts/pfbid02abcDEF",
        "facebook",
        "stadtkoeln/posts/pfbid02abcDEF",
        "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook"
        ".com%2Fstadtkoeln%2Fposts%2Fpfbid02abcDEF&show_text=true",
    ),
    (
        "https://bsky.app/profile/tagesschau.de/post/3lbq2qqcx2k2a",
        "bluesky",
        "tagesschau.de/post/3lbq2qqcx2k2a",
        "https://embed.bsky.app/embed/tagesschau.de/app.bsky.feed.post/3lbq2qqcx2k2a",
    ),
    (
        "https://social.bund.de/@BMI/113456789012345678",
        "mastodon",
        "social.bund.de/@BMI/113456789012345678",
        "https://social.bund.de/@BMI/113456789012345678/embed",
    ),
    (
        "https://datawrapper.dwcdn.net/AbC12/3/",
        "datawrapper",
        "AbC12/3",
        "https://datawrapper.dwcdn.net/AbC12/3/",
    ),
    (
        "https://www.datawrapper.de/_/AbC12/",
        "datawrapper",
        "AbC12",
        "https://datawrapper.dwcdn.net/AbC12/",
    ),
    (
        "https://public.flourish.studio/visualisation/18123456/",
        "flourish",
        "visualisation/18123456",
        "https://flo.uri.sh/visualisation/18123456/embed",
    ),
    (
        "https://webgrafik.dpa-addons.com/webgrafik/items/aktuell/2024_10_14a/"
        "lageIsrael/cont/index.html",
        "dpa-webgrafik",
        "webgrafik/items/aktuell/2024_10_14a/lageIsrael/cont",
        "https://webgrafik.dpa-addons.com/webgrafik/items/aktuell/2024_10_14a/"
        "lageIsrael/cont/index.html",
    ),
    (
        "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?si=1",
        "spotify",
        "episode/4rOoJ6Egrf8K2IrywzwOMk",
        "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
    ),
    (
        "https://podcasts.apple.com/de/podcast/11km/id1637472323?i=1000651234567",
        "apple-podcasts",
        "de/podcast/11km/id1637472323?i=1000651234567",
        "https://embed.podcasts.apple.com/de/podcast/11km/id1637472323?i=1000651234567",
    ),
    (
        "https://www.openstreetmap.org/#map=15/50.93750/6.96028",
        "openstreetmap",
        "15/50.93750/6.96028",
        None,  # computed box, checked below
    ),
    (
        "https://www.google.com/maps/place/K%C3%B6lner+Dom/@50.9412784,6.9582814,17z"
        "/data=!3m1",
        "google-maps",
        "17/50.9412784/6.9582814",
        "https://maps.google.com/maps?q=50.9412784%2C6.9582814&z=17&output=embed",
    ),
]


@pytest.mark.parametrize(("url", "provider", "id_", "frame"), RECOGNISED)
def test_provider_and_id_come_from_the_address_alone(url, provider, id_, frame):
    embed = recognise(url)
    assert (embed.provider.key, embed.id, embed.url) == (provider, id_, url)
    if frame:
        assert embed.frame_url == frame
    # The frame is always on one of the hosts the page may frame.
    assert any(embed.frame_url.startswith(host + "/") for host in frame_hosts())


def test_every_provider_has_an_example():
    assert {provider for _url, provider, _id, _frame in RECOGNISED} == {
        provider.key for provider in PROVIDERS
    }


def test_the_map_frame_shows_the_point_of_the_address():
    frame = recognise(
        "https://www.openstreetmap.org/#map=15/50.93750/6.96028"
    ).frame_url
    assert frame.startswith("https://www.openstreetmap.org/export/embed.html?bbox=")
    assert "marker=50.93750%2C6.96028" in frame


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://evil.example/video/1",
            "Inhalte von „evil.example“ können nicht eingebettet werden. Bekannte "
            "Anbieter: YouTube, Vimeo, X,",
        ),
        ("javascript:alert(1)", "„javascript:alert(1)“ ist keine Internetadresse."),
        ("www.youtube.com/watch?v=jNQXAC9IVRw", "ist keine Internetadresse"),
        ("", "„“ ist keine Internetadresse"),
        (
            "https://www.youtube.com/@tagesschau",
            "Die Adresse ist von YouTube, zeigt aber auf keinen einbettbaren Inhalt",
        ),
        ("https://x.com/jack", "Die Adresse ist von X, zeigt aber auf keinen"),
        # A look-alike host is not the provider.
        (
            "https://youtube.com.evil.example/watch?v=jNQXAC9IVRw",
            "Inhalte von „youtube.com.evil.example“",
        ),
        # Mastodon: only the servers the site trusts (and frames).
        (
            "https://mastodon.evil.example/@x/113456789012345678",
            "Inhalte von „mastodon.evil.example“",
        ),
        (
            "https://www.openstreetmap.org/",
            "Die Adresse ist von OpenStreetMap, zeigt aber auf keinen",
        ),
    ],
)
def test_unknown_addresses_are_refused_with_a_german_reason(url, message):
    with pytest.raises(EmbedRefused) as refused:
        recognise(url)
    assert message in str(refused.value)


def test_mastodon_servers_are_a_setting(settings):
    settings.NEWSROOM_MASTODON_HOSTS = ["norden.social"]
    assert recognise("https://norden.social/@ndr/1").provider.key == "mastodon"
    with pytest.raises(EmbedRefused):
        recognise("https://social.bund.de/@BMI/113456789012345678")
    assert "https://norden.social" in frame_hosts()


def test_the_policy_frames_exactly_the_providers_hosts():
    # Besides our own pages (the admin's live previews).
    assert sorted(settings.SECURE_CSP["frame-src"]) == sorted(
        ["'self'", *frame_hosts()]
    )
    assert "'unsafe-inline'" not in str(settings.SECURE_CSP)


def test_a_saved_embed_takes_provider_and_id_from_its_address():
    forged = (
        '<p>a</p><div data-block="embed" data-provider="vimeo" data-id="1" '
        'data-url="https://youtu.be/jNQXAC9IVRw"></div>'
    )
    assert recognise_embeds(forged) == "<p>a</p>" + embed_block(
        recognise("https://youtu.be/jNQXAC9IVRw")
    )
    assert 'data-provider="youtube" data-id="jNQXAC9IVRw"' in recognise_embeds(forged)
    with pytest.raises(EmbedRefused):
        recognise_embeds(
            '<div data-block="embed" data-url="https://evil.example/x"></div>'
        )
