from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Photo, validate_archive_day
from teasers.models import SponsoredSlot


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
