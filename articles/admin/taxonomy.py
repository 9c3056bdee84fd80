"""Admin for sections, agencies, regions, tags, authors and the site's own
pages (Impressum, Datenschutz, Kontakt)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Agency,
    Author,
    Region,
    Section,
    SitePage,
    Tag,
)
from articles.purging import PurgesPageCacheAdmin


class GermanSlugPrefill:
    """The slug typed for the editor is the server's (ä → ae, ß → ss):
    static/articles/slugs.js replaces Django's URLify after it loads."""

    class Media:
        # Named after urlify.js, so the merged media load it after.
        js = ["admin/js/urlify.js", "articles/slugs.js"]


@admin.register(Section)
class SectionAdmin(GermanSlugPrefill, PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "order", "article_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    # Stated here: the model's ordering does not survive get_queryset's
    # Count, and the autocomplete (the article form's section) pages by it.
    ordering = ["order", "name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["desk_groups", "desk_users"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    def get_readonly_fields(self, request, obj=None):
        # Section-limited desk rights are set by administrators only: a
        # limited desk must not lift its own limit.
        fields = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return fields
        return [*fields, "desk_groups", "desk_users"]

    @admin.display(description=_("Artikel"), ordering="article_count")
    def article_count(self, section):
        return section.article_count


@admin.register(Agency)
class AgencyAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["short_name", "name", "credit_format", "needs_review"]
    list_filter = ["needs_review"]
    search_fields = ["short_name", "name", "aliases"]


@admin.register(Region)
class RegionAdmin(GermanSlugPrefill, PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(GermanSlugPrefill, PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(GermanSlugPrefill, PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["name", "slug", "role", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "role", "bio", "photo", "links", "user"]
    raw_id_fields = ["photo", "user"]


@admin.register(SitePage)
class SitePageAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "updated_at"]
    fields = ["kind", "title", "body"]

    def get_readonly_fields(self, request, obj=None):
        # The kind is the page's address; the footer links all three.
        return ["kind"] if obj else []
