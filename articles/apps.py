from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Artikel und Fotos")

    def ready(self):
        from django.db.backends.signals import connection_created

        from articles import checks  # noqa: F401  (registers the checks)
        from articles.search import register_sqlite_functions

        # Every new SQLite connection needs the function the search index's
        # triggers call (articles/search.py).
        connection_created.connect(register_sqlite_functions)
