from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import validate_archive_day


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
