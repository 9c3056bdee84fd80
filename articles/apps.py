from importlib import import_module

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Artikel und Fotos")

    def ready(self):
        from django.db.backends.signals import connection_created

        from articles import checks  # noqa: F401  (registers the checks)
        from articles.addresses import connect_signals
        from articles.fulltext import register_sqlite_functions
        from articles.purging import purge_after_outage
        from newsroom.cache import reachable_again

        # Every new SQLite connection needs the function the search index's
        # triggers call (articles/fulltext.py).
        connection_created.connect(register_sqlite_functions)
        # Purges lost while Redis was away are made up before it serves.
        reachable_again.connect(purge_after_outage)
        # Renamed sections, tags, regions, authors, articles: old addresses
        # keep answering (301).
        connect_signals()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the editors' dashboard as its start page."""

    # Listed in INSTALLED_APPS by its path; the app `articles` is configured
    # by ArticlesConfig (the admin's own class is not imported by name here,
    # so Django sees just the two).
    default = False
    default_site = "articles.admin.site.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from articles.admin import SUBJECTS

        for subject in SUBJECTS:
            import_module(f"articles.admin.{subject}")
