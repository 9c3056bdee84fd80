from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from teasers.models import Rail, RailItem, SponsoredSlot


class RailItemInline(admin.TabularInline):
    model = RailItem
    fields = ["position", "article", "is_top", "kicker", "headline", "teaser"]
    autocomplete_fields = ["article"]
    extra = 0
    ordering = ["position", "pk"]


@admin.register(Rail)
class RailAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "item_count"]
    list_editable = ["order"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RailItemInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("Teaser"), ordering="item_count")
    def item_count(self, rail):
        return rail.item_count


@admin.register(RailItem)
class RailItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rail", "position", "is_top"]
    list_filter = ["rail", "is_top"]
    list_select_related = ["rail", "article"]
    search_fields = ["headline", "article__headline", "rail__title"]
    autocomplete_fields = ["rail", "article"]


@admin.register(SponsoredSlot)
class SponsoredSlotAdmin(admin.ModelAdmin):
    list_display = [
        "headline",
        "advertiser",
        "rail",
        "position",
        "starts_at",
        "ends_at",
        "is_running",
        "view_count",
    ]
    list_filter = ["rail", "advertiser"]
    list_select_related = ["rail"]
    search_fields = ["headline", "advertiser", "kicker"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["rail", "photo"]
    readonly_fields = ["label", "view_count"]
    fields = [
        "label",
        "advertiser",
        "kicker",
        "headline",
        "teaser",
        "photo",
        "target_url",
        ("starts_at", "ends_at"),
        ("rail", "position"),
        "view_count",
    ]

    @admin.display(description=_("Kennzeichnung"))
    def label(self, slot):
        return SponsoredSlot.LABEL

    @admin.display(description=_("Läuft"), boolean=True)
    def is_running(self, slot):
        return slot.is_running()
