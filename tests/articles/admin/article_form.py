"""Helpers for posting the article edit form in tests."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from articles.models import Article


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def management_forms() -> dict:
    """The edit form's inlines (photos, corrections) posted empty."""
    return {
        f"{prefix}-{key}": value
        for prefix in ("article_photos", "corrections")
        for key, value in {
            "TOTAL_FORMS": 0,
            "INITIAL_FORMS": 0,
            "MIN_NUM_FORMS": 0,
            "MAX_NUM_FORMS": 1000,
        }.items()
    }


def edit_form(client, article) -> dict:
    """The change form's current values, as a browser would send them back."""
    form = client.get(change_url(article)).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"] = local.strftime("%d.%m.%Y")
            data[f"{name}_1"] = local.strftime("%H:%M:%S")
        elif isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    for prefix in ("article_photos", "corrections"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def save(client, article, data):
    return client.post(change_url(article), data)


def live(article) -> Article:
    """The article as stored now."""
    return Article.objects.get(pk=article.pk)
