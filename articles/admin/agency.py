"""Admin for what agencies send: category mappings and received versions."""

from django.contrib import admin

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
                    "applied", "received_at"]  # fmt: skip
    list_filter = ["applied", "status", "format"]
    list_select_related = ["article"]
    search_fields = ["article__headline", "article__external_id"]
    readonly_fields = [field.name for field in AgencyVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
