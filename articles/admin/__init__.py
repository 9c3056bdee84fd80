"""The articles admin, one module per subject; importing registers them."""

from articles.admin import agency, articles, photos, taxonomy  # noqa: F401
