"""Admin for what agencies send: category mappings and received versions."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import AgencyVersion, CategoryMapping


@admin.register(CategoryMapping)
class CategoryMappingAdmin(admin.ModelAdmin):
    list_display = ["agency", "category", "section"]
    list_filter = ["agency", "section"]
    list_select_related = ["agency", "section"]
    search_fields = ["category"]
    autocomplete_fields = ["agency", "section"]


@admin.register(AgencyVersion)
class AgencyVersionAdmin(admin.ModelAdmin):
    """Read-only: what arrived, when, and whether it was applied."""

    list_display = ["article", "version", "version_created", "status", "signal",
                    "applied", "received_at", "compare"]  # fmt: skip
    list_filter = ["applied", "status", "format"]
    list_select_related = ["article"]
    search_fields = ["article__headline", "article__external_id"]
    readonly_fields = [field.name for field in AgencyVersion._meta.fields]

    def has_view_permission(self, request, obj=None):
        # What an agency sent belongs to the article: whoever may read
        # articles may read it (the editorial groups have no permission of
        # their own for it).
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "articles.view_article"
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Vergleich"))
    def compare(self, version):
        url = reverse(
            "admin:articles_article_agency_version_diff",
            args=[version.article_id, version.pk],
        )
        return format_html('<a href="{}">{}</a>', url, _("mit dem Artikel"))
