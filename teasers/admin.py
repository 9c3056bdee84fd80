from adminsortable2.admin import SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Photo
from articles.purging import PurgesPageCacheAdmin
from teasers import views
from teasers.forms import RailItemForm, RailItemFormSet, SponsoredSlotForm
from teasers.models import Rail, RailItem, SponsoredSlot
from teasers.services import RailDraft, assemble_page


class RailItemInline(SortableInlineAdminMixin, admin.TabularInline):
    """The fixed places: dragged by their title, moved with the "Nach
    oben"/"Nach unten" buttons (static/teasers/rail_order.js) or given a
    place number."""

    model = RailItem
    formset = RailItemFormSet
    # Django's own table: django-admin-sortable2 2.3 ships copies of it per
    # Django version up to 6.0 only, with move icons no keyboard reaches.
    template = "admin/edit_inline/tabular.html"
    fields = [
        "position",
        "article",
        "is_top",
        "pinned_until",
        "kicker",
        "headline",
        "teaser",
        "crop_ratio",
    ]
    autocomplete_fields = ["article"]
    extra = 1
    ordering = ["position", "pk"]
    verbose_name_plural = _("Feste Plätze")


@admin.register(Rail)
class RailAdmin(SortableAdminBase, PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["title", "kind", "size", "order", "item_count"]
    list_editable = ["order"]
    list_filter = ["kind"]
    search_fields = ["title", "slug"]
    # Stated here: the model's ordering does not survive get_queryset's
    # Count, and the autocomplete (the slot form's rail) pages by it.
    ordering = ["order", "pk"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "region", "tag"]
    readonly_fields = ["preview"]
    inlines = [RailItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "order", "kind", "size", "crop_ratio"]}),
        (
            _("Automatisch füllen"),
            {
                "fields": ["fill", "section", "region", "tag"],
                "description": _(
                    "Für automatische und gemischte Leisten: freie Plätze füllt die "
                    "Leiste selbst, auf Wunsch nur aus einem Ressort, einer Region "
                    "oder mit einem Schlagwort."
                ),
            },
        ),
        (_("Regeln"), {"fields": ["skips_shown", "keeps_top_first"]}),
        (_("Vorschau"), {"fields": ["preview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # The preview shows scheduled articles; its frame would refuse them.
        return [
            (name, opts) for name, opts in fieldsets if "preview" not in opts["fields"]
        ]

    def history_view(self, request, object_id, extra_context=None):
        # The history names the rail's teasers, and so articles that are not
        # public yet: only for those who may see the teasers themselves (not
        # ad operations, who look at rails to place their slots).
        if not request.user.has_perm("teasers.view_railitem"):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        return [
            path(
                "vorschau/",
                self.admin_site.admin_view(views.front_page_preview),
                name="teasers_front_page_preview",
            ),
            path(
                "<int:object_id>/vorschau/",
                self.admin_site.admin_view(self.live_preview_view),
                name="teasers_rail_live_preview",
            ),
            *super().get_urls(),
        ]

    def live_preview_view(self, request, object_id):
        """The rail as the form stands, unsaved, rendered like the site."""
        rail = self.get_object(request, str(object_id))
        if rail is None:
            raise Http404
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request, rail):
            raise PermissionDenied
        draft, errors = self.draft_from_post(request, rail)
        page = assemble_page(draft=draft) if draft else assemble_page()
        return views.framed_preview(request, page, only_rail=rail.slug, errors=errors)

    def draft_from_post(self, request, rail) -> tuple[RailDraft | None, list[str]]:
        """Validate the posted change form like a save would, but keep it all
        in memory."""
        form = self.get_form(request, rail, change=True)(
            request.POST, request.FILES, instance=rail
        )
        errors = [msg for msgs in form.errors.values() for msg in msgs]
        items = []
        if not errors:
            preview_rail = form.save(commit=False)
            for formset_class, inline in self.get_formsets_with_inlines(request, rail):
                formset = formset_class(
                    request.POST,
                    request.FILES,
                    instance=preview_rail,
                    prefix=formset_class.get_default_prefix(),
                    queryset=inline.get_queryset(request),
                )
                if not formset.is_valid():
                    errors += [
                        msg
                        for form_errors in formset.errors
                        for msgs in form_errors.values()
                        for msg in msgs
                    ]
                    errors += list(formset.non_form_errors())
                    continue
                for item_form in formset.forms:
                    empty = not item_form.has_changed() and not item_form.instance.pk
                    deleted = item_form.cleaned_data.get("DELETE")
                    if empty or deleted:
                        continue
                    items.append(item_form.save(commit=False))
        if errors:
            return None, errors
        return RailDraft(rail=preview_rail, items=items), []

    @admin.display(description=_("Feste Plätze"), ordering="item_count")
    def item_count(self, rail):
        return rail.item_count

    @admin.display(description=_("So sieht die Leiste aus"))
    def preview(self, rail):
        if not rail.pk:
            return _("Nach dem ersten Sichern zu sehen.")
        url = reverse("admin:teasers_front_page_preview")
        # The button posts this whole form, unsaved, into the frame.
        return format_html(
            '<p><button type="submit" class="button" formmethod="post" '
            'formaction="{}" formtarget="rail-preview" formnovalidate>{}</button> '
            '<a href="{}">{}</a></p>'
            '<iframe class="rail-preview" name="rail-preview" src="{}?leiste={}" '
            'title="{}" loading="lazy"></iframe>',
            reverse("admin:teasers_rail_live_preview", args=[rail.pk]),
            _("Vorschau mit den Eingaben aktualisieren (ohne zu sichern)"),
            url,
            _("Ganze Startseite zu einem gewählten Zeitpunkt ansehen"),
            url,
            rail.slug,
            _("Vorschau der Leiste"),
        )

    @property
    def media(self):
        # Not SortableAdminBase's: it swaps the admin's actions.js for a
        # copy per Django version, which django-admin-sortable2 2.3 has up
        # to 6.0 only (a missing file breaks the hashed static files), and
        # only its sortable lists need that. The inline needs the sorting
        # script and its style; ours keeps the places (rail_order.js).
        return super(SortableAdminBase, self).media + forms.Media(
            css={"all": ["teasers/admin.css", "adminsortable2/css/sortable.css"]},
            js=[
                # The slug prefill as the server writes slugs (ä → ae).
                "admin/js/urlify.js",
                "articles/slugs.js",
                "adminsortable2/js/adminsortable2.min.js",
                "teasers/rail_order.js",
            ],
        )


@admin.register(RailItem)
class RailItemAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    form = RailItemForm
    list_display = ["__str__", "rail", "position", "is_top", "pinned_until"]
    list_filter = ["rail", "is_top"]
    list_select_related = ["rail", "article"]
    search_fields = ["headline", "article__headline", "rail__title"]
    autocomplete_fields = ["rail", "article"]


class FlightStatusFilter(admin.SimpleListFilter):
    title = _("Laufzeit")
    parameter_name = "laufzeit"

    def lookups(self, request, model_admin):
        return SponsoredSlot.FlightStatus.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        match self.value():
            case SponsoredSlot.FlightStatus.UPCOMING:
                return queryset.upcoming(now)
            case SponsoredSlot.FlightStatus.RUNNING:
                return queryset.running(now)
            case SponsoredSlot.FlightStatus.ENDED:
                return queryset.ended(now)
        return queryset


@admin.register(SponsoredSlot)
class SponsoredSlotAdmin(PurgesPageCacheAdmin, admin.ModelAdmin):
    list_display = [
        "headline",
        "advertiser",
        "placement",
        "flight",
        "flight_status",
        "impressions",
        "clicks",
        "click_through_rate",
    ]
    list_filter = [FlightStatusFilter, "rail", "advertiser"]
    list_select_related = ["rail"]
    search_fields = ["headline", "advertiser", "kicker"]
    form = SponsoredSlotForm
    autocomplete_fields = ["rail", "photo"]
    readonly_fields = ["label", "impression_count", "click_count"]
    fieldsets = [
        (None, {"fields": ["label", "advertiser", "kicker", "headline", "teaser"]}),
        (None, {"fields": ["photo", "target_url"]}),
        (
            _("Laufzeit und Platz"),
            {
                "fields": [
                    ("starts_at", "ends_at"),
                    "rail",
                    ("position", "every_nth"),
                    "priority",
                ]
            },
        ),
        (_("Zahlen"), {"fields": [("impression_count", "click_count")]}),
    ]

    def photo_choices(self, request, photos):
        """What the photo widget offers (PhotoAdmin asks): what the form
        accepts as a new photo."""
        return photos.filter(pk__in=Photo.objects.for_sponsored_slots(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A class of its own per request (modelform_factory), so the user
        # set here is this request's.
        form.user = request.user
        return form

    @admin.display(description=_("Leiste und Platz"), ordering="rail__order")
    def placement(self, slot):
        if slot.every_nth:
            place = _("jeder %(n)s. Platz") % {"n": slot.every_nth}
        else:
            place = _("Platz %(n)s") % {"n": slot.position}
        return f"{slot.rail}, {place}"

    @admin.display(description=_("Laufzeit"), ordering="starts_at")
    def flight(self, slot):
        return "{} – {}".format(
            date_format(timezone.localtime(slot.starts_at), "d.m. H:i"),
            date_format(timezone.localtime(slot.ends_at), "d.m.Y H:i"),
        )

    @admin.display(description=_("Einblendungen"), ordering="impression_count")
    def impressions(self, slot):
        return intcomma(slot.impression_count)

    @admin.display(description=_("Klicks"), ordering="click_count")
    def clicks(self, slot):
        return intcomma(slot.click_count)

    @admin.display(description=_("Status"))
    def flight_status(self, slot):
        return slot.flight_status().label

    @admin.display(description=_("CTR"))
    def click_through_rate(self, slot):
        rate = slot.click_through_rate
        if rate is None:
            return "–"
        return f"{localize(round(rate * 100, 2))} %"
