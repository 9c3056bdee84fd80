"""Ad operations see no unpublished editorial content, on any admin surface.

A small newsroom holds one hidden article of every kind
(`tests/hidden_articles.py`), each with a photo of its own, pinned in a rail,
with a revision, a state change, a correction, an agency version and entries
in the admin's history; a published article shares its photo with the
embargoed one; a sponsored slot (set up by an administrator) shows a hidden
story's photo. Every admin URL is fetched as an "Anzeigen" user, with the id
of every object, and no answer (body or redirect address) may carry a hidden
article's headline, address or a caption of its photo.

Every named admin URL is a surface here or, with the reason, in
NOT_SURFACES: a new admin page that nobody added fails
`test_every_admin_url_is_checked`. On the surfaces in REVEALING an
administrator does see hidden content: proof that the checks look where
something could show.
"""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, reverse
from django.utils import timezone

from articles.models import (
    AgencyVersion,
    Article,
    ArticleNote,
    ArticleTransition,
    CorrectionNote,
    NoteMention,
    Photo,
)
from articles.workflow import services
from teasers.models import Rail
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    ArticlePhotoFactory,
    PhotoFactory,
    RailFactory,
    RailItemFactory,
    SectionFactory,
    SponsoredSlotFactory,
    UserFactory,
)
from tests.hidden_articles import hidden_variants

pytestmark = pytest.mark.django_db


class Newsroom:
    """The hidden articles, what names them, and who looks."""

    def __init__(self):
        now = timezone.now()
        # Logged in with force_login: no password (hashing one takes a second).
        self.ad_ops = UserFactory(username="anzeigen", password="!")
        self.ad_ops.groups.add(Group.objects.get(name="Anzeigen"))
        self.admin = UserFactory(username="chefin", password="!", is_superuser=True)
        section = SectionFactory(slug="lokales", name="Lokales")
        agency = AgencyFactory()
        rail = RailFactory(slug="kuratiert", title="Kuratiert", kind=Rail.Kind.CURATED)
        self.visible = ArticleFactory(headline="Sichtbar am Rhein", section=section)
        shared = ArticlePhotoFactory(
            article=self.visible, photo=PhotoFactory(caption="Öffentliches Foto")
        ).photo
        self.hidden = {}
        for kind, fields in hidden_variants().items():
            article = ArticleFactory(
                headline=f"Geheimprobe {kind}",
                section=section,
                agency=agency,
                external_id=f"urn:geheim:{kind}",
                **fields,
            )
            photo = PhotoFactory(
                caption=f"Geheimfoto {kind}",
                alt_text=f"Geheimbild {kind}",
                # On the dashboard's list of photos to act on.
                licence_expires_at=now + timedelta(days=3),
            )
            ArticlePhotoFactory(article=article, photo=photo)
            item = RailItemFactory(rail=rail, article=article)
            for _ in range(2):
                services.save_article(article, by=None)
                services.record_revision(article, by=None)
            ArticleTransition.objects.create(
                article=article, from_status="draft", to_status=article.status
            )
            CorrectionNote.objects.create(article=article, text=f"Korrektur {kind}")
            # On the administrator's "Meine Aufgaben".
            note = ArticleNote.objects.create(article=article, text="@chefin bitte")
            NoteMention.objects.create(note=note, user=self.admin)
            AgencyVersion.objects.create(
                article=article,
                version=1,
                version_key="1",
                format="ninjs",
                status="usable",
                payload=f"Geheimprobe {kind}",
                fields={"headline": f"Geheimprobe {kind}"},
            )
            log(self.admin, article, article.headline)
            log(self.admin, photo, str(photo))
            # What the admin writes when a teaser is added to a rail.
            log(
                self.admin,
                rail,
                rail.title,
                [{"added": {"name": "Teaser", "object": str(item)}}],
            )
            self.hidden[kind] = article
        embargoed = self.hidden["embargoed"]
        ArticlePhotoFactory(article=embargoed, photo=shared, position=1)
        self.own_upload = PhotoFactory(
            caption="Eigenes Werbebild", uploaded_by=self.ad_ops, agency=None
        )
        SponsoredSlotFactory(rail=rail, photo=self.own_upload)
        # An administrator put a hidden story's photo on an upcoming slot.
        SponsoredSlotFactory(
            rail=rail,
            headline="Kommende Anzeige",
            photo=embargoed.article_photos.get(position=0).photo,
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=9),
        )

    def traces(self) -> dict[str, list[str]]:
        """What would give each hidden article away."""
        found = {}
        for kind, article in self.hidden.items():
            photo = article.article_photos.get(position=0).photo
            found[kind] = [
                article.headline,
                article.get_absolute_url(),
                photo.caption,
                photo.alt_text,
                f"/bild/{photo.pk}/",
            ]
        return found


def log(user, obj, text, message=None):
    """A history entry as the admin writes it."""
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=text[:200],
        action_flag=CHANGE,
        change_message=json.dumps(message or []),
    )


def every(model) -> list:
    return list(model._default_manager.values_list("pk", flat=True))


def model_admin_addresses(name: str, newsroom: Newsroom) -> list:
    """Addresses of a model admin's own pages (list, add, change, history,
    delete), for every object of its model."""
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if not name.startswith(prefix):
            continue
        url = f"admin:{name}"
        match name.removeprefix(prefix):
            case "changelist":
                base = reverse(url)
                return [
                    base,
                    f"{base}?q=Geheim",
                    f"{base}?_popup=1&_to_field=id",
                    f"{base}?q=Geheimfoto&_popup=1&_to_field=id",
                ]
            case "add":
                return [reverse(url), f"{reverse(url)}?_popup=1"]
            case "change" | "history" | "delete":
                return [reverse(url, args=[pk]) for pk in every(model)]
    raise AssertionError(f"not a model admin page: {name}")


# A model admin's own pages, by model ("articles.photo": list, add, change,
# history and delete); each group is one case of the parametrised test.
MODEL_ADMIN_PAGES = {
    model._meta.label_lower: [
        f"{model._meta.app_label}_{model._meta.model_name}_{page}"
        for page in ("changelist", "add", "change", "history", "delete")
    ]
    for model in admin.site._registry
}


def autocomplete_addresses(newsroom) -> list[str]:
    """Every relation whose target has an admin, searched with and without
    a term (the widgets of forms and inlines ask these)."""
    addresses = []
    for model in [*admin.site._registry, *relation_holders()]:
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            if field.related_model not in admin.site._registry:
                continue
            for term in ("", "Geheim"):
                query = urlencode(
                    {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": field.name,
                        "term": term,
                    }
                )
                addresses.append(f"{reverse('admin:autocomplete')}?{query}")
    return addresses


def relation_holders():
    from django.apps import apps

    return [
        model
        for app in ("articles", "teasers")
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]


def view_on_site_addresses(newsroom) -> list[str]:
    return [
        reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(model).pk, pk],
        )
        for model in admin.site._registry
        if hasattr(model, "get_absolute_url")
        for pk in every(model)
    ]


def article_pages(name, **query):
    def addresses(newsroom):
        suffix = f"?{urlencode(query)}" if query else ""
        return [
            f"{reverse(f'admin:{name}', args=[article.pk])}{suffix}"
            for article in newsroom.hidden.values()
        ]

    return addresses


def posted(addresses):
    return lambda newsroom: [("post", address) for address in addresses(newsroom)]


# URL name → addresses for a newsroom (a string is fetched, ("post", url) is
# posted); the model admins' own pages come from MODEL_ADMIN_PAGES.
SURFACES = {
    "index": lambda newsroom: [reverse("admin:index")],
    "app_list": lambda newsroom: [
        reverse("admin:app_list", args=[app]) for app in ("articles", "teasers")
    ],
    "autocomplete": autocomplete_addresses,
    "view_on_site": view_on_site_addresses,
    "password_change": lambda newsroom: [reverse("admin:password_change")],
    "password_change_done": lambda newsroom: [reverse("admin:password_change_done")],
    "articles_article_revisions": article_pages("articles_article_revisions"),
    "articles_article_revision_diff": article_pages(
        "articles_article_revision_diff", a=1, b=2
    ),
    "articles_article_agency_version_diff": lambda newsroom: [
        reverse(
            "admin:articles_article_agency_version_diff", args=[version.article_id, pk]
        )
        for pk in every(AgencyVersion)
        for version in [AgencyVersion.objects.get(pk=pk)]
    ],
    "articles_article_restore": posted(
        lambda newsroom: [
            reverse("admin:articles_article_restore", args=[article.pk, 1])
            for article in newsroom.hidden.values()
        ]
    ),
    "articles_article_preview": article_pages("articles_article_preview"),
    "articles_article_preview_link": posted(
        article_pages("articles_article_preview_link")
    ),
    "articles_article_withdraw": article_pages("articles_article_withdraw"),
    "articles_article_editing": posted(article_pages("articles_article_editing")),
    "articles_article_embed_check": lambda newsroom: [
        reverse("admin:articles_article_embed_check")
        + "?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DdQw4w9WgXcQ"
    ],
    "articles_article_live_ticker": article_pages("articles_article_live_ticker"),
    "articles_article_live_ticker_end": posted(
        article_pages("articles_article_live_ticker_end")
    ),
    "articles_article_live_ticker_reopen": posted(
        article_pages("articles_article_live_ticker_reopen")
    ),
    # Entry 1 of each hidden article: none has entries, every answer is 404
    # or 403, never an article's text.
    "articles_article_live_entry_correct": lambda newsroom: [
        reverse("admin:articles_article_live_entry_correct", args=[article.pk, 1])
        for article in newsroom.hidden.values()
    ],
    "articles_article_live_entry_delete": lambda newsroom: [
        ("post", reverse("admin:articles_article_live_entry_delete", args=[a.pk, 1]))
        for a in newsroom.hidden.values()
    ],
    "articles_countingmark_import": lambda newsroom: [
        reverse("admin:articles_countingmark_import")
    ],
    "articles_article_send_back": article_pages("articles_article_send_back"),
    "articles_article_add_note": posted(article_pages("articles_article_add_note")),
    "articles_article_assign": posted(article_pages("articles_article_assign")),
    "articles_article_publish_changes": posted(
        article_pages("articles_article_publish_changes")
    ),
    "articles_article_discard_changes": posted(
        article_pages("articles_article_discard_changes")
    ),
    "articles_article_live_preview": posted(
        article_pages("articles_article_live_preview")
    ),
    "articles_article_live_preview_new": lambda newsroom: [
        ("post", reverse("admin:articles_article_live_preview_new"))
    ],
    "articles_article_working_copy": posted(
        article_pages("articles_article_working_copy")
    ),
    "articles_article_working_copy_new": lambda newsroom: [
        ("post", reverse("admin:articles_article_working_copy_new"))
    ],
    "teasers_front_page_preview": lambda newsroom: [
        reverse("admin:teasers_front_page_preview"),
        reverse("admin:teasers_front_page_preview")
        + "?"
        + urlencode(
            {"zeit": f"{timezone.localtime() + timedelta(days=3):%Y-%m-%dT%H:%M}"}
        ),
    ],
    "teasers_rail_live_preview": posted(
        lambda newsroom: [
            reverse("admin:teasers_rail_live_preview", args=[pk]) for pk in every(Rail)
        ]
    ),
    "auth_user_password_change": lambda newsroom: [
        reverse("admin:auth_user_password_change", args=[pk])
        for pk in [newsroom.admin.pk, newsroom.ad_ops.pk]
    ],
    # The photo chooser (issue #17): its dialog, a search, the upload and
    # the edit dialog of every photo.
    "articles_photo_chooser": lambda newsroom: [
        reverse("admin:articles_photo_chooser"),
        reverse("admin:articles_photo_chooser") + "?teil=ergebnisse&q=Geheimfoto",
    ],
    "articles_photo_chooser_upload": posted(
        lambda newsroom: [reverse("admin:articles_photo_chooser_upload")]
    ),
    "articles_photo_chooser_edit": lambda newsroom: [
        reverse("admin:articles_photo_chooser_edit", args=[pk]) for pk in every(Photo)
    ],
    "trash": lambda newsroom: [reverse("admin:trash")],
    "my_tasks": lambda newsroom: [
        f"{reverse('admin:my_tasks')}?liste={name}"
        for name in ("zurueckgegeben", "zugewiesen", "erwaehnt")
    ],
    "mention_done": posted(
        lambda newsroom: [
            reverse("admin:mention_done", args=[pk]) for pk in every(NoteMention)
        ]
    ),
    **{
        name: posted(
            lambda newsroom, name=name: [
                reverse(f"admin:{name}", args=[kind, pk])
                for kind, model in (("artikel", Article), ("fotos", Photo))
                for pk in every(model)
            ]
        )
        for name in ("trash_restore", "trash_delete")
    },
    # The body editor's cards: every photo's thumbnail, label and credit.
    "articles_gallery_body_media": lambda newsroom: [
        reverse("admin:articles_gallery_body_media")
        + "?"
        + urlencode([("photo", pk) for pk in every(Photo)])
    ],
    # Staff may be sent on from an outdated image address to the current
    # one (whose version part cannot be guessed): only for photos the admin
    # shows them.
    "photo images": lambda newsroom: [
        f"/bild/{pk}/0000000000/16x9-320.jpg" for pk in every(Photo)
    ],
}

NOT_SURFACES = {
    "login": "the login form; nobody is logged in there",
    "logout": "ends the session; shows no content",
    "jsi18n": "the admin's translations for its scripts",
}

# Where an administrator does see hidden content.
REVEALING = {
    "index",
    "autocomplete",
    # Not view_on_site: for an article the public cannot see, it leads even
    # an administrator to the admin's preview, not to its address.
    "articles_article_changelist",
    "articles_article_change",
    "articles_article_history",
    "articles_article_revisions",
    "articles_article_preview",
    # The unsaved form's preview: posted without input, the saved article.
    "articles_article_live_preview",
    "articles_article_agency_version_diff",
    "articles_articlephoto_changelist",
    "articles_photo_changelist",
    "articles_photo_change",
    "articles_photo_history",
    "articles_photo_chooser",
    "articles_photo_chooser_edit",
    "articles_gallery_body_media",
    "articles_agencyversion_changelist",
    "teasers_rail_change",
    "teasers_rail_history",
    "teasers_railitem_changelist",
    "teasers_front_page_preview",
    "photo images",
    "trash",
    "my_tasks",
}


def admin_url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_url_names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def test_every_admin_url_is_checked():
    names = set(admin_url_names(admin.site.get_urls()))
    model_pages = {name for pages in MODEL_ADMIN_PAGES.values() for name in pages}
    checked = {*SURFACES, *model_pages, *NOT_SURFACES}
    unchecked = names - checked
    assert not unchecked, f"add these admin URLs to SURFACES in {__name__}: {unchecked}"
    assert not checked - names - {"photo images"}, "stale entries"
    assert not REVEALING - checked, "stale entries in REVEALING"


def addresses_of(name, newsroom) -> list:
    if name in SURFACES:
        return SURFACES[name](newsroom)
    return model_admin_addresses(name, newsroom)


def answers(client, name, newsroom):
    """(address, status, body and redirect target) for each address."""
    for address in addresses_of(name, newsroom):
        method, url = address if isinstance(address, tuple) else ("get", address)
        response = getattr(client, method)(url)
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace") + response.get("Location", "")
        yield url, response.status_code, text


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("surface", sorted({*MODEL_ADMIN_PAGES, *SURFACES}))
def test_ad_operations_see_nothing_unpublished(surface):
    newsroom = Newsroom()
    traces = newsroom.traces()
    all_traces = [trace for kind_traces in traces.values() for trace in kind_traces]
    ad_ops, administrator = client_for(newsroom.ad_ops), client_for(newsroom.admin)
    for name in MODEL_ADMIN_PAGES.get(surface, [surface]):
        for url, status, text in answers(ad_ops, name, newsroom):
            for kind, kind_traces in traces.items():
                shown = [trace for trace in kind_traces if trace in text]
                assert not shown, f"{kind} article shows on {url} ({status}): {shown}"
        if name in REVEALING:
            assert any(
                trace in text
                for _url, _status, text in answers(administrator, name, newsroom)
                for trace in all_traces
            ), f"{name} shows an administrator nothing hidden: the check proves nothing"
