"""Demo content: the seed page (front page rails and the WhatsApp article)
and placeholders for the Impressum, Datenschutz and Kontakt pages.

Running it again never duplicates anything: every object is looked up by a
natural key first. By default existing objects are left as editors changed
them; `reset=True` puts the seed's values (and fresh timestamps, so the "Neu"
badges show again) back.
"""

import colorsys
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from PIL import Image, ImageDraw

from articles.models import (
    Agency,
    Article,
    ArticlePhoto,
    LiveEntry,
    Photo,
    Section,
    SitePage,
)
from articles.photos.saving import save_photo
from articles.workflow import live_ticker
from articles.workflow.services import (
    publish_article,
    save_article,
    submit_for_review,
    unpublish_article,
)
from teasers import demo_data
from teasers.demo_gallery import (
    demo_photo,
    draw_river_scene,
    load_demo_gallery,
    seed_gallery,
)
from teasers.models import DemoSeed, Rail, RailItem, SponsoredSlot

DEMO_PASSWORD = "newsroom-demo"
# (username, role group or None for the superuser)
DEMO_USERS = [
    ("admin", None),
    ("redakteur", "Redakteur"),
    ("cvd", "Chef vom Dienst"),
    ("bildredaktion", "Bildredaktion"),
    ("anzeigen", "Anzeigen"),
]
DEMO_BODY = (
    "<p>Dieser Artikel gehört zum Demo-Inhalt: Die Beispielseite zeigt von ihm "
    "nur den Teaser.</p>"
)


@dataclass
class DemoReport:
    created: Counter = field(default_factory=Counter)
    users: list[tuple[str, str]] = field(default_factory=list)


def upsert(model: type[models.Model], report, *, reset, defaults, **lookup):
    if reset:
        obj, created = model.objects.update_or_create(defaults=defaults, **lookup)
    else:
        obj, created = model.objects.get_or_create(defaults=defaults, **lookup)
    if created:
        report.created[model._meta.verbose_name_plural] += 1
    return obj


def seeded(model: type[models.Model], report, *, key, reset, lookup, defaults):
    """(row, created) of the seed object `key`, or (None, False) when an
    editor deleted it (a reset makes it again).

    Found through its DemoSeed record, so an editor's changes to any field
    do not make a second one; without a record (demos loaded before there
    were records), by `lookup`. Left as editors changed it unless `reset`.
    """
    key = f"{model._meta.label_lower}:{key}"
    record = DemoSeed.objects.filter(key=key).first()
    if record:
        row = model.objects.filter(pk=record.object_id).first()
        if row is None and not reset:
            return None, False
    else:
        row = model.objects.filter(**lookup).first()
    created = row is None
    if created:
        row = model.objects.create(**lookup, **defaults)
        report.created[model._meta.verbose_name_plural] += 1
    elif reset:
        for name, value in (lookup | defaults).items():
            setattr(row, name, value)
        if getattr(row, "deleted_at", None):
            # Out of the trash, too.
            row.deleted_at = row.deleted_by = None
        row.save()
    DemoSeed.objects.update_or_create(key=key, defaults={"object_id": row.pk})
    return row, created


def draw_demo_photo(seed: str, *, size=(1280, 720), whatsapp=False) -> ContentFile:
    """A JPEG drawn with Pillow: no network, no third-party pictures."""
    digest = hashlib.sha256(seed.encode()).digest()
    hue = digest[0] / 255
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    width, height = size
    for y in range(height):
        r, g, b = colorsys.hsv_to_rgb(hue, 0.55, 0.85 - 0.45 * y / height)
        draw.line([(0, y), (width, y)], fill=(int(r * 255), int(g * 255), int(b * 255)))
    if whatsapp:
        # A white speech bubble with a handset-green dot, evoking the app icon.
        image.paste((37, 211, 102), (0, 0, width, height))
        cx, cy, radius = width // 2, height // 2, height // 3
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill="white")
        draw.polygon(
            [
                (cx - radius * 0.75, cy + radius * 0.5),
                (cx - radius * 1.05, cy + radius * 1.05),
                (cx - radius * 0.3, cy + radius * 0.85),
            ],
            fill="white",
        )
        inner = radius * 0.55
        draw.ellipse(
            [cx - inner, cy - inner, cx + inner, cy + inner], fill=(37, 211, 102)
        )
    else:
        for index in range(3):
            x = digest[index + 1] / 255 * width
            y = digest[index + 4] / 255 * height
            radius = 60 + digest[index + 7] / 255 * height / 3
            draw.ellipse(
                [x - radius, y - radius, x + radius, y + radius],
                outline=(255, 255, 255),
                width=6,
            )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"demo-{slugify(seed)[:60]}.jpg")


def ensure_photo(article: Article, *, caption, alt_text, agency, whatsapp=False):
    if article.article_photos.exists():
        return
    photo = Photo(caption=caption, alt_text=alt_text, agency=agency)
    photo.image = draw_demo_photo(article.headline, whatsapp=whatsapp)
    save_photo(photo)
    ArticlePhoto.objects.create(article=article, photo=photo, position=0)


def teaser_times(badge: str | None, index: int, now: datetime):
    """(first published, updated) so that the rules give the seed's badge."""
    if badge == "neu":
        return now - timedelta(minutes=5 + 9 * index), None
    if badge == "update":
        return now - timedelta(days=1, minutes=index), now - timedelta(minutes=40)
    if badge == "top":
        return now - timedelta(hours=7, minutes=index), None
    return now - timedelta(hours=8, minutes=37 * index), None


@transaction.atomic
def load_demo(*, reset: bool = False, now: datetime | None = None) -> DemoReport:
    if not settings.NEWSROOM_ALLOW_DEMO:
        raise ImproperlyConfigured(
            "Demo content (with demo logins) is disabled here: DEBUG is off. "
            "Set NEWSROOM_ALLOW_DEMO=true only on a development machine."
        )
    now = now or timezone.now()
    report = DemoReport()
    # Older demos used the slug "region", now the prefix of region pages.
    if not Section.objects.filter(slug="aus-der-region").exists():
        Section.objects.filter(slug="region").update(slug="aus-der-region")
    sections = {
        slug: seeded(
            Section,
            report,
            key=slug,
            reset=reset,
            lookup={"slug": slug},
            defaults={"name": name, "order": i},
        )[0]
        for i, (name, slug) in enumerate(demo_data.SECTIONS)
    }
    dpa = upsert(
        Agency,
        report,
        reset=reset,
        short_name="dpa",
        defaults={
            "name": "Deutsche Presse-Agentur",
            "credit_format": "{creator}/{agency}",
        },
    )
    upsert(
        Agency,
        report,
        reset=reset,
        short_name="AFP",
        defaults={
            "name": "Agence France-Presse",
            "credit_format": "{creator}/{agency}",
        },
    )

    seed = demo_data.ARTICLE
    article, created = seeded_article(
        report,
        reset=reset,
        headline=seed["headline"],
        section=sections[seed["section"]],
        defaults={
            "kicker": seed["kicker"],
            "teaser": seed["teaser"],
            "dateline": seed["dateline"],
            "body": "".join(f"<p>{escape(p)}</p>" for p in seed["paragraphs"]),
            "agency": dpa,
            "view_count": seed["view_count"],
            **seed["seo"],
        },
    )
    if created or reset:
        publish_demo_article(article, at=now - timedelta(hours=9))
        ensure_photo(
            article,
            caption=seed["photo_caption"],
            alt_text="Logo von WhatsApp: eine weiße Sprechblase auf grünem Grund",
            agency=dpa,
            whatsapp=True,
        )

    load_body_elements_article(now=now, reset=reset, report=report,
                               sections=sections)  # fmt: skip
    load_live_ticker(now=now, reset=reset, report=report, sections=sections)

    for rail_order, rail_data in enumerate(demo_data.RAILS):
        rail = upsert(
            Rail,
            report,
            reset=reset,
            slug=rail_data["slug"],
            defaults={
                "title": rail_data["title"],
                "order": rail_order,
                "size": sum(not item.get("sponsored") for item in rail_data["items"]),
            },
        )
        for position, item in enumerate(rail_data["items"], start=1):
            if item.get("sponsored"):
                load_sponsored_slot(item, rail=rail, position=position, now=now,
                                    reset=reset, report=report)  # fmt: skip
            else:
                load_teaser(item, rail=rail, position=position, now=now, reset=reset,
                            report=report, sections=sections, agency=dpa)  # fmt: skip

    for rail_order, rail_data in enumerate(demo_data.AUTOMATIC_RAILS):
        # A seed: an editor's changes stay, and a rail they deleted stays
        # deleted (until --reset).
        seeded(
            Rail,
            report,
            key=rail_data["slug"],
            reset=reset,
            lookup={"slug": rail_data["slug"]},
            defaults={
                "title": rail_data["title"],
                "kind": rail_data["kind"],
                "fill": rail_data["fill"],
                "size": rail_data["size"],
                "order": len(demo_data.RAILS) + rail_order,
            },
        )

    for username, role in DEMO_USERS:
        report.users.append((username, role or "Administrator"))
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "is_superuser": role is None},
        )
        if created or reset:
            user.set_password(DEMO_PASSWORD)
            user.is_staff, user.is_superuser = True, role is None
            user.save()
            report.created["Benutzer"] += created
        if role:
            user.groups.add(Group.objects.get(name=role))
    load_workflow_examples(now=now, reset=reset, report=report, sections=sections)
    gallery_article = load_demo_gallery(
        now=now, seeded=seeded, report=report, section=sections["aus-der-region"]
    )
    if gallery_article is not None and gallery_article.status == Article.Status.DRAFT:
        publish_demo_article(gallery_article, at=now - timedelta(hours=4))
    for kind, (title, body) in demo_data.SITE_PAGES.items():
        seeded(SitePage, report, key=kind, reset=reset, lookup={"kind": kind},
               defaults={"title": title, "body": body})  # fmt: skip
    return report


def load_body_elements_article(*, now, reset, report, sections) -> Article | None:
    """The article with every body element, its photos and gallery from
    dpa and AFP; as editors left it on re-runs (None: they deleted it)."""
    seed = demo_data.BODY_ELEMENTS_ARTICLE
    article, created = seeded_article(
        report,
        reset=reset,
        headline=seed["headline"],
        section=sections[seed["section"]],
        defaults={
            "kicker": seed["kicker"],
            "teaser": seed["teaser"],
            "dateline": seed["dateline"],
            "body": seed["body"],
            "view_count": seed["view_count"],
            **seed["seo"],
        },
    )
    if not (created or reset):
        return article
    gallery = seed_gallery(
        seeded=seeded,
        report=report,
        reset=reset,
        key="hochwasser",
        data=seed["gallery"],
        published_at=now - timedelta(hours=3),
        draw=draw_river_scene,
    )
    agencies = {agency.short_name: agency for agency in Agency.objects.all()}
    caption, alt, creator, agency = seed["body_photo"]
    photo = demo_photo("schutzwand", caption, alt, creator, agencies[agency],
                       draw=draw_river_scene)  # fmt: skip
    photo_block = (
        f'<figure data-block="photo" data-photo="{photo.pk}" data-crop="16x9">'
        f"<figcaption>{escape(seed['body_photo_caption'])}</figcaption></figure>"
    )
    gallery_block = (
        f'<figure data-block="gallery" data-gallery="{gallery.pk}"></figure>'
        if gallery
        else ""
    )
    article.body = demo_data.BODY_ELEMENTS_TEMPLATE.replace(
        demo_data.BODY_MEDIA[0], photo_block
    ).replace(demo_data.BODY_MEDIA[1], gallery_block)
    article.social_photo = photo
    # Through the service: it records the body's photo and gallery.
    save_article(article, by=None)
    publish_demo_article(article, at=now - timedelta(hours=3))
    if not article.article_photos.exists():
        caption, alt, creator, agency = seed["lead_photo"]
        lead = demo_photo("rheinufer", caption, alt, creator, agencies[agency],
                          draw=draw_river_scene)  # fmt: skip
        ArticlePhoto.objects.create(article=article, photo=lead, position=0)
    return article


# One article in each state the dashboard lists, so it has something to show.
WORKFLOW_EXAMPLES = [
    ("draft", "Stadtrat vertagt Entscheidung über Rheinuferweg", "aus-der-region", {}),
    (
        "review",
        "Neue Buslinie verbindet Vororte mit der Innenstadt",
        "aus-der-region",
        {},
    ),
    (
        "scheduled",
        "Weihnachtsmarkt öffnet mit längeren Öffnungszeiten",
        "aus-der-region",
        {"published_at": timedelta(hours=3)},
    ),
    (
        "embargoed",
        "Studie: Pendler verbringen mehr Zeit im Stau",
        "nachrichten",
        {"published_at": timedelta(hours=-1), "embargo_until": timedelta(hours=5)},
    ),
]


def load_workflow_examples(*, now, reset, report, sections):
    reporter = get_user_model().objects.get(username="redakteur")
    for state, headline, section, times in WORKFLOW_EXAMPLES:
        article, created = seeded_article(
            report,
            reset=reset,
            headline=headline,
            section=sections[section],
            defaults={
                "kicker": "Demo",
                "teaser": "Ein Beispiel für den Arbeitsablauf der Redaktion.",
                "body": DEMO_BODY,
                "created_by": reporter,
            },
        )
        if not (created or reset):
            continue  # as the editors left it
        back_to_draft(article)
        article.published_at = article.first_published_at = None
        # Saved before publishing: publishing keeps the embargo the row has.
        article.embargo_until = (
            now + times["embargo_until"] if "embargo_until" in times else None
        )
        article.save(
            update_fields=["published_at", "embargo_until", "first_published_at"]
        )
        if state == "review":
            submit_for_review(article, by=reporter)
        elif state in ("scheduled", "embargoed"):
            publish_article(article, by=None, at=now + times["published_at"])


def seeded_article(report, *, reset, headline, section, defaults):
    """(article, created) of a seed article; (None, False) when an editor
    deleted it or its section."""
    if section is None:
        return None, False
    return seeded(
        Article,
        report,
        key=headline,
        reset=reset,
        lookup={"headline": headline},
        defaults=defaults | {"section": section},
    )


def back_to_draft(article: Article) -> None:
    """Where a reset starts from: a draft, whatever editors did with it
    (withdrawn, in review, published)."""
    if article.status != Article.Status.DRAFT:
        unpublish_article(article, by=None, comment="Demo zurückgesetzt")


def publish_demo_article(article: Article, *, at: datetime, updated=None):
    """Publish a new or reset seed article as of `at`."""
    if article.status == Article.Status.WITHDRAWN:
        back_to_draft(article)
    article.first_published_at = None
    article.updated_at = updated
    article.save(update_fields=["first_published_at", "updated_at"])
    publish_article(article, by=None, at=at)


def load_live_ticker(*, now, reset, report, sections):
    """The running live ticker with its entries, through the ticker's
    services like the desk's; left as editors changed it unless `reset`."""
    seed = demo_data.LIVE_TICKER
    article, created = seeded_article(
        report,
        reset=reset,
        headline=seed["headline"],
        section=sections[seed["section"]],
        defaults={
            "kicker": seed["kicker"],
            "teaser": seed["teaser"],
            "body": "".join(f"<p>{escape(p)}</p>" for p in seed["paragraphs"]),
            "is_live_ticker": True,
        },
    )
    if not (created or reset):
        return  # as the editors left it (or deleted it)
    first_entry = seed["entries"][0][0]
    publish_demo_article(article, at=now - timedelta(minutes=first_entry + 5))
    if article.live_ended_at is not None:
        live_ticker.reopen_live_ticker(article, by=None)
    for entry in article.live_entries.all():
        live_ticker.delete_live_entry(article, entry, by=None)
    for minutes, title, body, key_event, pinned in seed["entries"]:
        entry = live_ticker.add_live_entry(
            article,
            by=None,
            title=title,
            body=f"<p>{escape(body)}</p>",
            is_key_event=key_event,
            is_pinned=pinned,
        )
        # Written over the last hours, as a desk would have.
        LiveEntry.objects.filter(pk=entry.pk).update(
            at=now - timedelta(minutes=minutes)
        )
        report.created[LiveEntry._meta.verbose_name_plural] += 1
    Article.objects.filter(pk=article.pk).update(
        updated_at=now - timedelta(minutes=seed["entries"][-1][0])
    )


def load_teaser(item, *, rail, position, now, reset, report, sections, agency):
    first_published, updated = teaser_times(item["badge"], position, now)
    article, created = seeded_article(
        report,
        reset=reset,
        headline=item["headline"],
        section=sections[item["section"]],
        defaults={
            "kicker": item["kicker"],
            "body": DEMO_BODY,
            "agency": agency,
            "view_count": item["views"],
        },
    )
    if not (created or reset):
        return  # as the editors left it (or deleted it)
    publish_demo_article(article, at=first_published, updated=updated)
    ensure_photo(
        article,
        caption=item["headline"],
        alt_text="Symbolbild: farbige Kreise auf einem Farbverlauf",
        agency=agency,
    )
    upsert(
        RailItem,
        report,
        reset=reset,
        rail=rail,
        article=article,
        defaults={"position": position, "is_top": item["badge"] == "top"},
    )


def load_sponsored_slot(item, *, rail, position, now, reset, report):
    slot = upsert(
        SponsoredSlot,
        report,
        reset=reset,
        headline=item["headline"],
        defaults={
            "advertiser": item["advertiser"],
            "kicker": item["kicker"],
            "target_url": f"https://www.example.com/{slugify(item['advertiser'])}",
            "starts_at": now - timedelta(days=1),
            "ends_at": now + timedelta(days=30),
            "rail": rail,
            "position": position,
            "click_count": item["views"],
            # A plausible 2 % click-through rate for the ad-sales list.
            "impression_count": item["views"] * 50,
        },
    )
    if slot.photo_id is None:
        photo = Photo(
            caption=item["headline"],
            alt_text="Werbebild: farbige Kreise auf einem Farbverlauf",
            creator=item["advertiser"],
        )
        photo.image = draw_demo_photo(item["headline"])
        save_photo(photo)
        slot.photo = photo
        slot.save(update_fields=["photo"])
