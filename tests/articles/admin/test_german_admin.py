import gettext
import os
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from articles.admin import tasks
from articles.workflow import services
from tests.articles.admin.test_admin import OBJECT_FACTORIES
from tests.factories import UserFactory

DJANGO = Path(django.__file__).parent
LOCALE = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
# Texts the admin shows that read the same in German.
SAME_IN_GERMAN = {
    "Administration", "Filter", "Text", "Syndication", "April", "August",
    "September", "November", "Jan.", "Feb.", "Aug.", "Sept.", "Nov.", "IPv4",
    "IPv6", "…", ":?.!", ":", ", ", "%(class_name)s %(instance)s",
    "%(truncated_text)s…", "Jan", "Feb", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Nov", "%s KB", "%s MB", "%s GB", "%s TB", "%s PB",
}  # fmt: skip

ENTRY = re.compile(
    r'(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)*)"\n'
    r'(?:"(?:[^"\\]|\\.)*"\n)*(?:msgid_plural "((?:[^"\\]|\\.)*)")?'
)


def unquote(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n")


def catalogue_entries(path: Path):
    """(context, msgid, plural) of a .po file, multi-line ids joined."""
    text = path.read_text()
    # Join continued strings ("…"\n"…") so each id is one string.
    text = re.sub(r'"\n"', "", text)
    for context, msgid, plural in ENTRY.findall(text):
        if msgid:
            yield unquote(context) or None, unquote(msgid), unquote(plural) or None


def untranslated(domain: str, apps: list[str]) -> list[str]:
    german = DjangoTranslation("de", domain=domain)
    missing = []
    for app in apps:
        po = DJANGO / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        for context, msgid, plural in catalogue_entries(po):
            if msgid in SAME_IN_GERMAN:
                continue
            if plural:
                shown = (
                    german.npgettext(context, msgid, plural, 2)
                    if context
                    else german.ngettext(msgid, plural, 2)
                )
                english = plural
            else:
                shown = (
                    german.pgettext(context, msgid)
                    if context
                    else german.gettext(msgid)
                )
                english = msgid
            if shown == english:
                missing.append(msgid)
    return missing


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_admin_text_has_a_german_translation(domain):
    apps = ["contrib/admin"] + (["contrib/auth"] if domain == "django" else [])
    assert untranslated(domain, apps) == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogue_is_compiled_from_its_source(domain, tmp_path):
    """A fresh clone runs on the committed .mo files (no gettext needed)."""
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt not found (apt-get install gettext)")
        pytest.skip("msgfmt not found")
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", compiled, LOCALE / f"{domain}.po"], check=True
    )
    with (
        open(compiled, "rb") as fresh,
        open(LOCALE / f"{domain}.mo", "rb") as committed,
    ):
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(fresh)._catalog
        ), "run: python manage.py compilemessages -l de"


ENGLISH = re.compile(
    r"\b(the|and|you|your|are|this|not|with|for|of|by|to|Search|Filter by|"
    r"Logout|Add|Change|Delete|History|Save|View|Show|Hide|Home|Recent|None|"
    r"Yes|No|Go|Run|Photo|Article|Version key|entry|selected|Choose|Remove|"
    r"Today|Now|Clear|Select|Password|Raw)\b"
)


# Names in the editors' own help texts, not English of the interface.
PROPER_NAMES = ("Mountain View",)


def shown_text(html: str) -> str:
    for name in PROPER_NAMES:
        html = html.replace(name, "")
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    labels = re.findall(r'(?:title|placeholder|aria-label|alt)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html) + " " + " ".join(labels)
    return " ".join(text.split())


def admin_pages(client) -> list[str]:
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:articles_countingmark_import"),
        *(f"{reverse('admin:my_tasks')}?liste={slug}" for slug in tasks.TASK_LISTS),
    ]
    for model in admin.site._registry:
        info = model._meta.app_label, model._meta.model_name
        obj = OBJECT_FACTORIES[info[1]]()
        urls += [reverse("admin:{}_{}_changelist".format(*info))]
        urls += [
            reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[obj.pk])
            for page in ("change", "history")
        ]
        delete = reverse(f"admin:{info[0]}_{info[1]}_delete", args=[obj.pk])
        if client.get(delete).status_code == 200:
            urls.append(delete)
        if info[1] == "article":
            services.record_revision(obj, by=None)
            urls += [
                reverse("admin:articles_article_revisions", args=[obj.pk]),
                reverse("admin:articles_article_withdraw", args=[obj.pk]),
                reverse("admin:articles_article_revision_diff", args=[obj.pk])
                + "?a=0&b=0",
            ]
        if client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200:
            urls.append(reverse("admin:{}_{}_add".format(*info)))
    return urls


@pytest.mark.django_db
def test_the_admin_shows_no_english_to_a_german_editor():
    client = Client(headers={"accept-language": "de"})
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    found = {}
    for url in admin_pages(client):
        response = client.get(url)
        assert response.status_code == 200, url
        text = shown_text(response.content.decode())
        for match in ENGLISH.finditer(text):
            found.setdefault(url, []).append(
                text[max(0, match.start() - 40) : match.end() + 40]
            )
    assert found == {}


@pytest.mark.django_db
def test_the_script_catalogue_speaks_german():
    client = Client()
    client.force_login(UserFactory(username="chefin", is_superuser=True))
    with translation.override("de"):
        catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Heute (%(date)s)" in catalogue and "Alle %s ausw\\u00e4hlen" in catalogue


@pytest.mark.django_db
def test_load_demo_prints_the_address_make_run_serves(monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8123")
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "http://0.0.0.0:8123/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()


def test_make_run_passes_its_address_to_load_demo():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    demo = re.search(r"^demo:.*?(?=^\S)", makefile, re.S | re.M).group(0)
    assert "HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py load_demo" in demo
