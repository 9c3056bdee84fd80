"""The demo's galleries (Bildergalerien): an article about a town festival
with a photo in its body and a gallery of pictures from two agencies, the
gallery also on a published page of its own; and the river pictures of the
article with every body element (demo.load_body_elements_article). Photos
drawn with Pillow like the rest of the demo (no network, no third-party
pictures).
"""

import hashlib
import io
import random
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter

from articles.models import Agency, Article, Gallery, GalleryPicture, Photo
from articles.photos.saving import content_hash, save_photo, stored_copy
from articles.workflow.services import save_article

GALLERY_TITLE = "Altstadtfest 2026 in Bildern"
HEADLINE = "Altstadtfest: Tausende feiern trotz Regenschauern"
# (caption, alt text, creator, agency short name): two agencies, in order.
PICTURES = [
    (
        "Am Abend füllt sich der Marktplatz vor dem Rathaus.",
        "Menschenmenge auf einem Platz vor Giebelhäusern im Abendlicht",
        "Anna Schmidt",
        "dpa",
    ),
    (
        "Lichterketten über der Rheinstraße.",
        "Bunte Wimpel und Lichter über einer Gasse mit Fachwerkhäusern",
        "Jean Dupont",
        "AFP",
    ),
    (
        "Die Stadtkapelle spielt auf der Bühne am Brunnen.",
        "Bühne mit Musikern vor einer Häuserzeile in der Dämmerung",
        "Anna Schmidt",
        "dpa",
    ),
    (
        "Ein Regenschauer zieht über die Altstadt.",
        "Dunkle Wolken über Dächern und Kirchturm",
        "Jean Dupont",
        "AFP",
    ),
    (
        "Feuerwerk zum Abschluss über dem Fluss.",
        "Lichtkreise eines Feuerwerks über einer Silhouette der Stadt",
        "Marie Klein",
        "dpa",
    ),
]
BODY_PHOTO = (
    "Oberbürgermeisterin und Festwirte stechen das erste Fass an.",
    "Menschen an einem Bierstand unter einem Zeltdach, im Hintergrund Häuser",
    "Marie Klein",
    "dpa",
)


def draw_town_scene(seed: str, *, size=(1280, 853)) -> ContentFile:
    """A JPEG of a town square at dusk: sky, roofs, lit windows, bunting
    and a crowd, varied by `seed` (drawn, then softened like a lens)."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = (rng.randint(20, 70), rng.randint(40, 90), rng.randint(110, 170))
    low = (rng.randint(200, 250), rng.randint(120, 170), rng.randint(70, 120))
    horizon = int(height * rng.uniform(0.45, 0.6))
    for y in range(horizon):
        share = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * share) for a, b in zip(top, low, strict=True)),
        )
    draw.rectangle([0, horizon, width, height], fill=(58, 52, 50))
    x = -20
    while x < width:
        house_width = rng.randint(140, 260)
        house_top = horizon - rng.randint(120, 320)
        wall = tuple(rng.randint(90, 190) for _ in range(3))
        draw.rectangle([x, house_top, x + house_width, horizon + 40], fill=wall)
        ridge = house_top - rng.randint(60, 140)
        roof = [(x - 10, house_top), (x + house_width // 2, ridge)]
        roof.append((x + house_width + 10, house_top))
        draw.polygon(roof, fill=(rng.randint(90, 140), 45, 35))
        for wy in range(house_top + 25, horizon, 55):
            for wx in range(x + 20, x + house_width - 30, 45):
                lit = rng.random() < 0.6
                draw.rectangle(
                    [wx, wy, wx + 22, wy + 30],
                    fill=(255, 214, 120) if lit else (40, 40, 60),
                )
        x += house_width
    for line in range(2):
        y0 = horizon - 260 + line * 70
        for flag in range(0, width, 60):
            colour = rng.choice(
                [(220, 40, 40), (250, 200, 30), (40, 120, 220), (255, 255, 255)]
            )
            draw.polygon(
                [(flag, y0), (flag + 40, y0), (flag + 20, y0 + 35)], fill=colour
            )
    for _ in range(420):
        px = rng.randint(0, width)
        py = rng.randint(horizon + 10, height)
        radius = 8 + (py - horizon) // 14
        shade = rng.randint(20, 90)
        person = [px - radius, py - radius, px + radius, py + radius * 3]
        draw.ellipse(person, fill=(shade, shade - 5, shade + 10))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name="demo-altstadtfest.jpg")


def draw_river_scene(seed: str, *, size=(1280, 853)) -> ContentFile:
    """A JPEG of a river in flood under a grey sky: the far bank's houses
    and a church spire mirrored in brown water, now and then the grey
    elements of a flood wall in front (drawn, then softened like a lens)."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    grey = rng.randint(95, 140)
    top, low = (grey, grey + 12, grey + 28), (grey + 80, grey + 82, grey + 85)
    horizon = int(height * rng.uniform(0.42, 0.52))
    for y in range(horizon):
        share = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * share) for a, b in zip(top, low, strict=True)),
        )
    water = (rng.randint(105, 135), rng.randint(88, 108), rng.randint(60, 78))
    for y in range(horizon, height):
        share = (y - horizon) / (height - horizon)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(channel * (1 - 0.35 * share)) for channel in water),
        )
    spire = rng.randint(width // 5, width * 4 // 5)
    x = -10
    while x < width:
        house_width = rng.randint(50, 110)
        house_top = horizon - rng.randint(40, 120)
        wall = tuple(rng.randint(120, 200) for _ in range(3))
        draw.rectangle([x, house_top, x + house_width, horizon], fill=wall)
        # The house mirrored in the water, darker.
        mirrored = tuple(int(channel * 0.55) for channel in wall)
        depth = (horizon - house_top) * 2 // 3
        draw.rectangle([x, horizon, x + house_width, horizon + depth], fill=mirrored)
        for wy in range(house_top + 10, horizon - 10, 24):
            for wx in range(x + 8, x + house_width - 12, 20):
                draw.rectangle([wx, wy, wx + 8, wy + 12], fill=(60, 60, 70))
        x += house_width + rng.randint(0, 6)
    base = horizon - 130
    draw.rectangle([spire - 30, base, spire + 30, horizon], fill=(70, 66, 64))
    draw.polygon(
        [(spire - 34, base), (spire, base - 170), (spire + 34, base)], fill=(55, 60, 58)
    )
    for _ in range(260):
        ry = rng.randint(horizon + 4, height)
        rx = rng.randint(0, width)
        length = rng.randint(20, 120)
        light = tuple(min(255, channel + 40) for channel in water)
        draw.line([(rx, ry), (rx + length, ry)], fill=light, width=2)
    if rng.random() < 0.6:
        wall_top = int(height * 0.72)
        draw.rectangle([0, wall_top, width, height], fill=(92, 90, 86))
        for post in range(0, width, 160):
            draw.rectangle(
                [post, wall_top - 40, post + 26, height], fill=(150, 155, 160)
            )
            draw.rectangle(
                [post + 26, wall_top - 12, post + 160, height], fill=(176, 180, 184)
            )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue(), name="demo-rheinufer.jpg")


def demo_photo(
    seed: str, caption, alt_text, creator, agency: Agency, *, draw=draw_town_scene
) -> Photo:
    """A new photo drawn by `draw`, or the stored one with the same bytes
    (a reset draws the same picture again)."""
    image = draw(seed)
    if stored := stored_copy(content_hash(image)):
        return stored
    photo = Photo(caption=caption, alt_text=alt_text, creator=creator, agency=agency)
    photo.image = image
    return save_photo(photo)


def seed_gallery(
    *, seeded, report, reset, key, data, published_at, draw
) -> Gallery | None:
    """The seed gallery `key` with `data`'s pictures; None when an editor
    deleted it (a reset makes it again). A reset puts the seed's pictures
    back (the same photos: drawn alike, found by their bytes)."""
    gallery, created = seeded(
        Gallery,
        report,
        key=key,
        reset=reset,
        lookup={"title": data["title"]},
        defaults={"description": data["description"], "published_at": published_at},
    )
    if gallery is None or not (created or reset):
        return gallery
    agencies = {agency.short_name: agency for agency in Agency.objects.all()}
    gallery.pictures.all().delete()
    for position, (caption, alt, creator, agency) in enumerate(data["pictures"]):
        photo = demo_photo(
            f"{key}-{position}", caption, alt, creator, agencies[agency], draw=draw
        )
        GalleryPicture.objects.create(gallery=gallery, photo=photo, position=position)
    return gallery


def load_demo_gallery(*, now: datetime, seeded, report, section) -> Article | None:
    """The gallery and its article; `seeded` is demo.seeded (found again on
    a re-run, an editor's changes kept)."""
    if section is None:  # an editor deleted it
        return None
    agencies = {agency.short_name: agency for agency in Agency.objects.all()}
    gallery, created = seeded(
        Gallery,
        report,
        key="altstadtfest",
        reset=False,
        lookup={"title": GALLERY_TITLE},
        defaults={
            "description": "Drei Tage Musik, Essen und Feuerwerk in der Altstadt.",
            "published_at": now - timedelta(hours=5),
        },
    )
    if gallery is not None and created:
        for position, (caption, alt, creator, agency) in enumerate(PICTURES):
            photo = demo_photo(
                f"galerie-{position}", caption, alt, creator, agencies[agency]
            )
            GalleryPicture.objects.create(
                gallery=gallery, photo=photo, position=position
            )
    article, created = seeded(
        Article,
        report,
        key=HEADLINE,
        reset=False,
        lookup={"headline": HEADLINE},
        defaults={
            "kicker": "Stadtleben",
            "teaser": "Drei Tage lang feiert die Stadt ihr Altstadtfest. Die "
            "schönsten Bilder in unserer Galerie.",
            "section": section,
            "agency": agencies["dpa"],
            "view_count": 3210,
        },
    )
    if article is None or not created or gallery is None:
        return article
    caption, alt, creator, agency = BODY_PHOTO
    photo = demo_photo("anstich", caption, alt, creator, agencies[agency])
    article.body = (
        "<p>Mit dem traditionellen Fassanstich hat am Freitagabend das "
        "Altstadtfest begonnen. Bis Sonntag werden mehr als 40.000 Gäste "
        "erwartet.</p>"
        f'<figure data-block="photo" data-photo="{photo.pk}" data-crop="16x9">'
        "<figcaption>Der Fassanstich am Freitagabend.</figcaption></figure>"
        "<h2>Musik auf vier Bühnen</h2>"
        "<p>Auf vier Bühnen spielen regionale Bands, am Brunnen die "
        "Stadtkapelle. Ein kurzer Regenschauer am Samstag vertrieb nur "
        "wenige Besucher.</p>"
        f'<figure data-block="gallery" data-gallery="{gallery.pk}"></figure>'
        "<p>Zum Abschluss gibt es am Sonntag ein Feuerwerk über dem Fluss.</p>"
    )
    # Through the service: it records the body's photo and gallery.
    save_article(article, by=None)
    return article
