"""Third-party content in the body (YouTube, X, maps...): which provider and
which piece of content a pasted address names, from the address alone.

No request goes to a provider at save or render time: every provider is a
row of URL patterns, and the frame the reader's browser loads after the
two-click consent is built from the recognised id. An address no pattern
matches is refused with a German message that says why (`EmbedRefused`);
the editor, the importer and the public page use the same `recognise`.

The frame hosts of all providers are the article page's CSP `frame-src`
(`frame_hosts()`, read by newsroom/settings.py): the page may frame exactly
these hosts and nothing else.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Provider:
    key: str  # stored in data-provider
    name: str  # what readers and editors read
    # Who receives the reader's data when the frame loads (privacy notice).
    recipient: str
    hosts: tuple[str, ...]  # hosts of the addresses editors paste
    patterns: tuple[re.Pattern, ...]  # on "host/path?query", named group "id"
    frame: Callable[[str], str]  # id -> the frame's address
    frame_hosts: tuple[str, ...]
    ratio: str = "16 / 9"  # the frame's shape before its content is known


@dataclass(frozen=True)
class Embed:
    provider: Provider
    id: str
    url: str  # the content's own address (the link without JavaScript)

    @property
    def frame_url(self) -> str:
        return self.provider.frame(self.id)


class EmbedRefused(ValueError):
    """An address that is not one of a known provider's content."""


def _p(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(pattern, re.I) for pattern in patterns)


def _osm_frame(id_: str) -> str:
    # id: "zoom/lat/lon". The box around the point is as wide as the map's
    # zoom level shows at about 600 pixels.
    zoom, lat, lon = id_.split("/")
    half = 360 / 2 ** int(zoom) * 1.2
    west, east = float(lon) - half, float(lon) + half
    south, north = float(lat) - half / 2, float(lat) + half / 2
    bbox = f"{west:.5f},{south:.5f},{east:.5f},{north:.5f}"
    return "https://www.openstreetmap.org/export/embed.html?" + urlencode(
        {"bbox": bbox, "layer": "mapnik", "marker": f"{lat},{lon}"}
    )


def _google_maps_frame(id_: str) -> str:
    zoom, lat, lon = id_.split("/")
    return "https://maps.google.com/maps?" + urlencode(
        {"q": f"{lat},{lon}", "z": zoom, "output": "embed"}
    )


ID = r"(?P<id>[\w-]+)"
PROVIDERS: tuple[Provider, ...] = (
    Provider(
        key="youtube",
        name="YouTube",
        recipient="YouTube (Google Ireland Ltd.)",
        hosts=(
            "youtube.com",
            "www.youtube.com",
            "m.youtube.com",
            "youtu.be",
            "www.youtube-nocookie.com",
            "youtube-nocookie.com",
        ),
        patterns=_p(
            r"^(?:www\.|m\.)?youtube\.com/watch\?(?:.*&)?v=(?P<id>[\w-]{11})\b",
            r"^youtu\.be/(?P<id>[\w-]{11})\b",
            r"^(?:www\.)?youtube\.com/(?:shorts|embed|live)/(?P<id>[\w-]{11})\b",
            r"^(?:www\.)?youtube-nocookie\.com/embed/(?P<id>[\w-]{11})\b",
        ),
        frame=lambda id_: f"https://www.youtube-nocookie.com/embed/{id_}",
        frame_hosts=("https://www.youtube-nocookie.com",),
    ),
    Provider(
        key="vimeo",
        name="Vimeo",
        recipient="Vimeo.com, Inc.",
        hosts=("vimeo.com", "www.vimeo.com", "player.vimeo.com"),
        patterns=_p(
            r"^(?:www\.)?vimeo\.com/(?:channels/[\w-]+/)?(?P<id>\d+)\b",
            r"^player\.vimeo\.com/video/(?P<id>\d+)\b",
        ),
        frame=lambda id_: f"https://player.vimeo.com/video/{id_}?dnt=1",
        frame_hosts=("https://player.vimeo.com",),
    ),
    Provider(
        key="x",
        name="X",
        recipient="X (Twitter International Unlimited Company)",
        hosts=(
            "x.com",
            "www.x.com",
            "twitter.com",
            "www.twitter.com",
            "mobile.twitter.com",
        ),
        patterns=_p(
            r"^(?:www\.|mobile\.)?(?:x|twitter)\.com/\w{1,15}/status(?:es)?/(?P<id>\d{1,20})\b",
        ),
        frame=lambda id_: (
            f"https://platform.twitter.com/embed/Tweet.html?id={id_}&dnt=true&lang=de"
        ),
        frame_hosts=("https://platform.twitter.com",),
        ratio="4 / 5",
    ),
    Provider(
        key="instagram",
        name="Instagram",
        recipient="Instagram (Meta Platforms Ireland Ltd.)",
        hosts=("instagram.com", "www.instagram.com"),
        patterns=_p(r"^(?:www\.)?instagram\.com/(?:[\w.]+/)?(?:p|reel|tv)/" + ID),
        frame=lambda id_: f"https://www.instagram.com/p/{id_}/embed/",
        frame_hosts=("https://www.instagram.com",),
        ratio="4 / 5",
    ),
    Provider(
        key="tiktok",
        name="TikTok",
        recipient="TikTok Technology Ltd.",
        hosts=("tiktok.com", "www.tiktok.com"),
        patterns=_p(r"^(?:www\.)?tiktok\.com/@[\w.-]+/video/(?P<id>\d+)\b"),
        frame=lambda id_: f"https://www.tiktok.com/embed/v2/{id_}",
        frame_hosts=("https://www.tiktok.com",),
        ratio="9 / 16",
    ),
    Provider(
        key="facebook",
        name="Facebook",
        recipient="Facebook (Meta Platforms Ireland Ltd.)",
        hosts=("facebook.com", "www.facebook.com", "m.facebook.com"),
        # The id is the post's path; Facebook's frame takes the whole address.
        patterns=_p(
            r"^(?:www\.|m\.)?facebook\.com/(?P<id>[\w.-]+/(?:posts|videos)/[\w.-]+)/?$",
            r"^(?:www\.|m\.)?facebook\.com/(?P<id>(?:watch/\?v=|reel/)\d+)$",
        ),
        frame=lambda id_: (
            "https://www.facebook.com/plugins/post.php?"
            + urlencode(
                {"href": f"https://www.facebook.com/{id_}", "show_text": "true"}
            )
        ),
        frame_hosts=("https://www.facebook.com",),
        ratio="4 / 5",
    ),
    Provider(
        key="bluesky",
        name="Bluesky",
        recipient="Bluesky Social PBC",
        hosts=("bsky.app",),
        patterns=_p(
            r"^bsky\.app/profile/(?P<id>[\w.:-]+/post/[a-z0-9]{10,16})/?$",
        ),
        frame=lambda id_: (
            "https://embed.bsky.app/embed/{}/app.bsky.feed.post/{}".format(
                *id_.split("/post/")
            )
        ),
        frame_hosts=("https://embed.bsky.app",),
        ratio="4 / 5",
    ),
    Provider(
        key="mastodon",
        name="Mastodon",
        recipient="den Mastodon-Server",  # completed with the host below
        hosts=(),  # settings.NEWSROOM_MASTODON_HOSTS
        patterns=_p(r"^(?P<id>[a-z0-9.-]+/@\w+(?:@[a-z0-9.-]+)?/\d{1,20})/?$"),
        frame=lambda id_: f"https://{id_}/embed",
        frame_hosts=(),
        ratio="4 / 5",
    ),
    Provider(
        key="datawrapper",
        name="Datawrapper",
        recipient="Datawrapper GmbH",
        hosts=("datawrapper.dwcdn.net", "www.datawrapper.de", "datawrapper.de"),
        patterns=_p(
            r"^datawrapper\.dwcdn\.net/(?P<id>\w{5}(?:/\d{1,3})?)/?$",
            r"^(?:www\.)?datawrapper\.de/_/(?P<id>\w{5})/?$",
        ),
        frame=lambda id_: f"https://datawrapper.dwcdn.net/{id_}/",
        frame_hosts=("https://datawrapper.dwcdn.net",),
        ratio="4 / 3",
    ),
    Provider(
        key="flourish",
        name="Flourish",
        recipient="Flourish (Canva UK Operations Ltd.)",
        hosts=("public.flourish.studio", "flo.uri.sh"),
        patterns=_p(
            r"^(?:public\.flourish\.studio|flo\.uri\.sh)/(?P<id>(?:visualisation|story)/\d+)\b",
        ),
        frame=lambda id_: f"https://flo.uri.sh/{id_}/embed",
        frame_hosts=("https://flo.uri.sh",),
        ratio="4 / 3",
    ),
    Provider(
        key="dpa-webgrafik",
        name="dpa-Webgrafik",
        recipient="die dpa-infocom GmbH",
        hosts=("webgrafik.dpa-addons.com",),
        patterns=_p(
            r"^webgrafik\.dpa-addons\.com/(?P<id>webgrafik/items/[\w/.-]+?)(?:/index\.html)?/?$",
        ),
        frame=lambda id_: f"https://webgrafik.dpa-addons.com/{id_}/index.html",
        frame_hosts=("https://webgrafik.dpa-addons.com",),
        ratio="4 / 3",
    ),
    Provider(
        key="spotify",
        name="Spotify",
        recipient="Spotify AB",
        hosts=("open.spotify.com",),
        patterns=_p(
            r"^open\.spotify\.com/(?:intl-\w+/)?(?:embed/)?(?P<id>(?:episode|show|track|album|playlist)/\w{22})\b",
        ),
        frame=lambda id_: f"https://open.spotify.com/embed/{id_}",
        frame_hosts=("https://open.spotify.com",),
        ratio="16 / 5",
    ),
    Provider(
        key="apple-podcasts",
        name="Apple Podcasts",
        recipient="Apple Distribution International Ltd.",
        hosts=("podcasts.apple.com", "embed.podcasts.apple.com"),
        patterns=_p(
            r"^(?:embed\.)?podcasts\.apple\.com/(?P<id>[a-z]{2}/podcast/[\w%.-]+/id\d+(?:\?i=\d+)?)$",
        ),
        frame=lambda id_: f"https://embed.podcasts.apple.com/{id_}",
        frame_hosts=("https://embed.podcasts.apple.com",),
        ratio="16 / 5",
    ),
    Provider(
        key="openstreetmap",
        name="OpenStreetMap",
        recipient="die OpenStreetMap Foundation",
        hosts=("openstreetmap.org", "www.openstreetmap.org", "osm.org"),
        # The map's position is in the fragment: #map=zoom/lat/lon.
        patterns=_p(
            r"^(?:www\.)?(?:openstreetmap|osm)\.org/[^#]*#map=(?P<id>\d{1,2}/-?\d{1,2}(?:\.\d+)?/-?\d{1,3}(?:\.\d+)?)$",
        ),
        frame=_osm_frame,
        frame_hosts=("https://www.openstreetmap.org",),
        ratio="4 / 3",
    ),
    Provider(
        key="google-maps",
        name="Google Maps",
        recipient="Google Ireland Ltd.",
        hosts=(
            "google.com",
            "www.google.com",
            "maps.google.com",
            "www.google.de",
            "google.de",
            "maps.google.de",
        ),
        # A shared map address carries "@lat,lon,zoomz".
        patterns=_p(
            r"^(?:www\.|maps\.)?google\.(?:com|de)/maps/[^@]*@(?P<lat>-?\d{1,2}(?:\.\d+)?),(?P<lon>-?\d{1,3}(?:\.\d+)?),(?P<zoom>\d{1,2})(?:\.\d+)?z\b",
        ),
        frame=_google_maps_frame,
        # The old embed address answers from maps.google.com and forwards to
        # www.google.com.
        frame_hosts=("https://maps.google.com", "https://www.google.com"),
        ratio="4 / 3",
    ),
)
BY_KEY = {provider.key: provider for provider in PROVIDERS}


def mastodon_hosts() -> tuple[str, ...]:
    """Mastodon servers are many; the site frames only those it trusts."""
    return tuple(host.lower() for host in settings.NEWSROOM_MASTODON_HOSTS)


def provider_names() -> str:
    return ", ".join(provider.name for provider in PROVIDERS)


def recognise(url: str) -> Embed:
    """The provider and id of the content at `url`, or EmbedRefused saying
    why not. Looks at the address only."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise EmbedRefused(
            _(
                "„%(url)s“ ist keine Internetadresse. Bitte die Adresse des "
                "Beitrags einfügen, wie sie im Browser steht (https://…)."
            )
            % {"url": url[:200]}
        )
    host = parts.hostname.lower()
    target = host + parts.path + (f"?{parts.query}" if parts.query else "")
    if parts.fragment:
        target += f"#{parts.fragment}"
    for provider in PROVIDERS:
        hosts = mastodon_hosts() if provider.key == "mastodon" else provider.hosts
        if host not in hosts:
            continue
        for pattern in provider.patterns:
            if match := pattern.match(target):
                return Embed(provider, _id_of(provider, match, parts), url)
        raise EmbedRefused(
            _(
                "Die Adresse ist von %(provider)s, zeigt aber auf keinen "
                "einbettbaren Inhalt (z. B. ein Video oder einen Beitrag): "
                "„%(url)s“."
            )
            % {"provider": provider.name, "url": url[:200]}
        )
    raise EmbedRefused(
        _(
            "Inhalte von „%(host)s“ können nicht eingebettet werden. Bekannte "
            "Anbieter: %(providers)s."
        )
        % {"host": host, "providers": provider_names()}
    )


def _id_of(provider: Provider, match: re.Match, parts) -> str:
    if provider.key == "google-maps":
        return f"{match['zoom']}/{match['lat']}/{match['lon']}"
    if provider.key == "apple-podcasts":
        podcast, _sep, episode = match["id"].partition("?i=")
        return quote(podcast, safe="/%") + (f"?i={episode}" if episode else "")
    if provider.key == "facebook" and "watch" in match["id"]:
        return "watch/?v=" + parse_qs(parts.query)["v"][0]
    return match["id"]


def embed_of(provider_key: str, url: str) -> Embed | None:
    """A stored embed, recognised again from its address (the table may
    have changed since it was saved); None if it is no longer known."""
    try:
        embed = recognise(url)
    except EmbedRefused:
        return None
    return embed if embed.provider.key == provider_key else None


def recipient(embed: Embed) -> str:
    if embed.provider.key == "mastodon":
        return _("den Mastodon-Server %(host)s") % {
            "host": urlsplit(embed.url).hostname
        }
    return embed.provider.recipient


def frame_hosts() -> list[str]:
    """Every host a body's embed may frame: the CSP's frame-src."""
    hosts = [host for provider in PROVIDERS for host in provider.frame_hosts]
    hosts += [f"https://{host}" for host in mastodon_hosts()]
    return list(dict.fromkeys(hosts))


# An embed as the sanitiser writes it (attributes in the editor's order).
STORED_EMBED = re.compile(r'<div data-block="embed"((?:\s+[\w-]+="[^"]*")*)\s*></div>')
STORED_ATTRIBUTE = re.compile(r'\s+([\w-]+)="([^"]*)"')


def embed_block(embed: Embed) -> str:
    """The stored form of an embed (articles/sanitising.py BLOCKS)."""
    return format_html(
        '<div data-block="embed" data-provider="{}" data-id="{}" data-url="{}"></div>',
        embed.provider.key,
        embed.id,
        embed.url,
    )


def stored_embeds(body: str):
    """(match, attributes) of each embed in a sanitised body."""
    for match in STORED_EMBED.finditer(body):
        yield (
            match,
            {
                name: html.unescape(value)
                for name, value in STORED_ATTRIBUTE.findall(match.group(1))
            },
        )


def recognise_embeds(body: str) -> str:
    """`body` (sanitised) with every embed's provider and id as its address
    says; EmbedRefused for the first address no provider knows. What an
    editor saves, whatever the browser sent."""

    def recognised(match: re.Match) -> str:
        attributes = {
            name: html.unescape(value)
            for name, value in STORED_ATTRIBUTE.findall(match.group(1))
        }
        return embed_block(recognise(attributes.get("data-url", "")))

    return STORED_EMBED.sub(recognised, body)
