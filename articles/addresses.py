"""Changed public addresses keep working.

When a section, tag, region, author or article gets a new slug, each of its
old public addresses is recorded with its new one (`AddressRedirect`); a
request that finds no page there is answered with a 301 to the new address
(articles/public/redirects.py). A section's feeds move with it.

The slug an object was loaded with is remembered when it is made (no
query); a save that changes it records the move. Updates that bypass
save() (QuerySet.update) record nothing.
"""

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.urls import reverse

from articles.models import (
    AddressRedirect,
    Article,
    Author,
    Region,
    Section,
    Tag,
    article_url,
)

# Model → URL names of its public pages, each taking the slug.
PAGES = {
    Section: (
        "articles:section",
        "articles:section_feed",
        "articles:section_feed_atom",
    ),
    Tag: ("articles:tag",),
    Region: ("articles:region",),
    Author: ("articles:author",),
}


def address_state(instance) -> tuple | None:
    """What an object's addresses are made of, as loaded; None when the
    object was loaded without it (deferred fields)."""
    values = instance.__dict__
    if "slug" not in values:
        return None
    if isinstance(instance, Article):
        if "section_id" not in values:
            return None
        return (values["slug"], values["section_id"])
    return (values["slug"],)


def public_paths(model, pk: int, state: tuple) -> list[str]:
    if model is Article:
        slug, section_id = state
        section_slug = Section.objects.filter(pk=section_id).values_list(
            "slug", flat=True
        )
        return [article_url(section_slug.first() or "", slug, pk)]
    (slug,) = state
    return [reverse(name, args=[slug]) for name in PAGES[model]]


@transaction.atomic
def record_redirect(old_path: str, new_path: str) -> None:
    """From now on `old_path` answers 301 to `new_path`.

    Older addresses that led to `old_path` lead straight to `new_path` (no
    chains); a record for `new_path` goes, as that address is live again.
    """
    AddressRedirect.objects.filter(old_path=new_path).delete()
    AddressRedirect.objects.filter(new_path=old_path).update(new_path=new_path)
    AddressRedirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": new_path}
    )


def remember_address(sender, instance, **kwargs) -> None:
    instance._loaded_address = address_state(instance)


def record_changed_address(sender, instance, created, raw=False, **kwargs) -> None:
    old = getattr(instance, "_loaded_address", None)
    new = address_state(instance)
    instance._loaded_address = new
    if created or raw or old is None or new is None or old == new:
        return
    old_paths = public_paths(sender, instance.pk, old)
    new_paths = public_paths(sender, instance.pk, new)
    for old_path, new_path in zip(old_paths, new_paths, strict=True):
        if old_path != new_path:
            record_redirect(old_path, new_path)


def connect_signals() -> None:
    for model in (*PAGES, Article):
        post_init.connect(remember_address, sender=model)
        post_save.connect(record_changed_address, sender=model)
