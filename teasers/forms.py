from collections import defaultdict

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Photo, validate_archive_day
from teasers.models import RailItem, SponsoredSlot


def duplicate_place_errors(places: dict[int, list[str]]) -> list[str]:
    """A German message for each fixed place given to more than one
    article ({place: headlines})."""
    return [
        gettext(
            "Platz %(place)s ist in dieser Leiste mehrfach vergeben (%(articles)s). "
            "Jeder feste Platz darf nur einmal vorkommen."
        )
        % {"place": place, "articles": get_text_list(headlines, gettext("und"))}
        for place, headlines in sorted(places.items())
        if len(headlines) > 1
    ]


class RailItemFormSet(forms.BaseInlineFormSet):
    """A rail's fixed places: each number once.

    Checked over the whole formset, not row by row against the database,
    so two teasers can swap places in one save.

    Ordered by drag and drop (django-admin-sortable2, whose script finds
    the place field by the class `_reorder_`); unlike that package's own
    formset, the place stays a visible number field: a fixed place is a
    place in the rail (a pin at place 5 of a mixed rail), not only an
    order, and typing it is the keyboard's way to move a teaser.
    """

    # What SortableAdminBase looks for to mark the inline as sortable.
    default_order_direction = ""
    default_order_field = "position"

    def __init__(
        self, *args, default_order_direction="", default_order_field="", **kwargs
    ):
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "position" in form.fields:
            form.fields["position"].widget.attrs["class"] = "_reorder_ place-field"

    def clean(self):
        super().clean()
        places = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            if data.get("position") and data.get("article"):
                places[data["position"]].append(f"„{data['article'].headline}“")
        if errors := duplicate_place_errors(places):
            raise ValidationError(errors)

    def get_unique_error_message(self, unique_check):
        if set(unique_check) >= {"article"}:
            return gettext(
                "Ein Artikel steht hier zweimal; jeder Artikel nur einmal je Leiste."
            )
        return super().get_unique_error_message(unique_check)


class RailItemForm(forms.ModelForm):
    """One teaser edited on its own: its place must be free in its rail."""

    class Meta:
        model = RailItem
        # The admin narrows this to its fields.
        fields = [
            "rail",
            "article",
            "position",
            "is_top",
            "pinned_until",
            "kicker",
            "headline",
            "teaser",
            "crop_ratio",
        ]

    def clean(self):
        data = super().clean()
        rail, position = data.get("rail"), data.get("position")
        if rail and position:
            others = (
                RailItem.objects.filter(rail=rail, position=position)
                .exclude(pk=self.instance.pk)
                .select_related("article")
            )
            headlines = [f"„{item.article.headline}“" for item in others]
            if headlines and (article := data.get("article")):
                headlines.append(f"„{article.headline}“")
                raise ValidationError(duplicate_place_errors({position: headlines}))
        return data


class FrontPagePreviewForm(forms.Form):
    """Choose the moment (and optionally the one rail) to preview."""

    zeit = forms.DateTimeField(
        label=_("Zeitpunkt"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        validators=[validate_archive_day],
        help_text=_("Leer: jetzt."),
    )
    leiste = forms.SlugField(required=False, widget=forms.HiddenInput)


class SponsoredSlotForm(forms.ModelForm):
    """The admin's slot form: a slot's photo must be one its user may put
    there (Photo.objects.for_sponsored_slots: public ones and their own
    uploads), never the photo of an unpublished story, which a running slot
    would publish ahead of the story. Checked here, on the server, whatever
    the widget offered (SponsoredSlotAdmin.photo_choices).

    A slot keeps the photo it has, unless that is an unpublished story's
    (set before this rule, or used by a story since): then the form says
    that saving removes it, without showing it.
    """

    # Set by SponsoredSlotAdmin.get_form on the class it builds per request.
    user = None

    class Meta:
        model = SponsoredSlot
        # The admin narrows this to its fieldsets.
        fields = [
            "advertiser",
            "kicker",
            "headline",
            "teaser",
            "photo",
            "target_url",
            "starts_at",
            "ends_at",
            "rail",
            "position",
            "every_nth",
            "priority",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("photo")
        if field is None:
            return
        user = self.user or AnonymousUser()
        allowed = Q(pk__in=Photo.objects.for_sponsored_slots(user))
        if current := self.instance.photo_id:
            allowed |= Q(pk=current) & ~Q(pk__in=Photo.objects.in_unpublished_stories())
        field.queryset = field.queryset.filter(allowed)
        field.error_messages["invalid_choice"] = _(
            "Dieses Foto ist für Anzeigen nicht freigegeben. Erlaubt sind eigene "
            "Uploads und Fotos, die schon öffentlich zu sehen sind, nie das Foto "
            "eines unveröffentlichten Artikels."
        )
        if current and not field.queryset.filter(pk=current).exists():
            field.help_text = _(
                "Das bisherige Foto dieser Anzeige gehört zu einem noch nicht "
                "veröffentlichten Artikel. Es wird hier nicht gezeigt und beim "
                "Sichern entfernt; bitte ein anderes wählen."
            )
