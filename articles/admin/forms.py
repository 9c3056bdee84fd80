from datetime import datetime

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.body_editor import body_widget
from articles.models import Article, ArticlePhoto
from articles.models.articles import SEARCH_AND_SOCIAL_FIELDS
from articles.workflow import services

# The name of the publishing panel's buttons (change_form.html).
TRANSITION = "_transition"


def guide_chars() -> dict[str, int]:
    """The length editors aim for, per field of the article form."""
    return {
        "kicker": settings.NEWSROOM_KICKER_GUIDE_CHARS,
        "headline": settings.NEWSROOM_HEADLINE_GUIDE_CHARS,
        "teaser": settings.NEWSROOM_TEASER_GUIDE_CHARS,
        "seo_title": settings.NEWSROOM_SEO_TITLE_GUIDE_CHARS,
        "meta_description": settings.NEWSROOM_META_DESCRIPTION_GUIDE_CHARS,
        "social_title": settings.NEWSROOM_SOCIAL_TITLE_GUIDE_CHARS,
        "social_teaser": settings.NEWSROOM_SOCIAL_TEASER_GUIDE_CHARS,
    }


class ArticleAdminForm(forms.ModelForm):
    """The edit form; carries the version it was loaded from.

    Saving over a newer version is refused (optimistic locking): the error
    names who saved in between and links to the diff, the editor's input
    stays in the form, and a second save is then a deliberate overwrite (the
    other version stays in the history).
    """

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )
    substantial_update = forms.BooleanField(
        label=_("Inhaltliche Aktualisierung"),
        required=False,
        help_text=_(
            "Setzt „Aktualisiert am“ und zeigt eine Weile „Update“. Für "
            "Tippfehler-Korrekturen nicht ankreuzen."
        ),
    )

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets for each user.
        fields = [
            "kicker",
            "headline",
            "teaser",
            "dateline",
            "body",
            "section",
            "regions",
            "tags",
            "authors",
            "agency",
            "slug",
            "is_top",
            "published_at",
            "embargo_until",
            "embargo_time_unknown",
            "updated_at",
            *SEARCH_AND_SOCIAL_FIELDS,
        ]
        widgets = {
            "body": body_widget(),
            "meta_description": forms.Textarea(attrs={"rows": 3}),
            "social_teaser": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _(
                "Zwischenüberschriften, Fett, Kursiv, Links, Listen, Zitate und "
                "Tabellen über die Werkzeugleiste oder Tastenkürzel; Eingefügtes "
                "aus Word oder dem Web behält nur diese Struktur."
            )
        }

    # The live preview reads the form without saving: no version check, which
    # would lock the article's row for every keystroke.
    checks_version = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (key, reason, time) of the publishing panel's button, if pressed.
        self.transition_request = None
        self.fields["loaded_version"].initial = self.instance.version
        # Live counters (static/articles/body_editor.js): guidance only.
        for name, guide in guide_chars().items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-guide-chars"] = guide

    def clean(self):
        cleaned = super().clean()
        self.transition_request = self.clean_transition()
        if self.instance.pk is None or not self.checks_version:
            return cleaned
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            # A form without its version cannot prove it saw the latest one.
            loaded = -1
        try:
            services.check_not_changed_since(self.instance.pk, loaded)
        except services.EditConflict as conflict:
            current = conflict.current_version
            # The next save is a deliberate overwrite of what was seen.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = current
            diff_url = reverse(
                "admin:articles_article_revision_diff", args=[self.instance.pk]
            )
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}?a={}&amp;b={}">{}</a>',
                    conflict.message,
                    diff_url,
                    loaded,
                    current,
                    _("Unterschiede ansehen"),
                ),
                code="edit_conflict",
            ) from None
        return cleaned

    def clean_transition(self) -> tuple[str, str, datetime | None] | None:
        """The panel button's step and its input, checked before anything
        is saved: "Zurückgeben" without a reason saves nothing."""
        key = self.data.get(TRANSITION, "")
        transition = services.TRANSITION_BY_KEY.get(key)
        if transition is None:
            return None
        reason = self.data.get(f"_reason_{key}", "").strip()
        at = None
        if transition.needs == "reason" and not reason:
            raise forms.ValidationError(
                _("„%(step)s“: bitte einen Grund angeben.")
                % {"step": transition.label},
                code="transition_input",
            )
        if transition.needs == "time":
            at = forms.DateTimeField(
                required=False, input_formats=["%Y-%m-%dT%H:%M"]
            ).clean(self.data.get(f"_at_{key}", ""))
            if at is None or at <= timezone.now():
                raise forms.ValidationError(
                    _("„Planen“: bitte Datum und Uhrzeit in der Zukunft angeben."),
                    code="transition_input",
                )
        return key, reason, at


def check_photo_ready(article: Article | None, photo) -> None:
    """A published article may only gain photos with credit and alt text."""
    if article is None or article.status != Article.Status.PUBLISHED or photo is None:
        return
    if missing := photo.missing_for_publication:
        raise forms.ValidationError(
            _("Foto „%(photo)s“ fehlt: %(missing)s")
            % {"photo": photo.label, "missing": ", ".join(missing)}
        )


class ArticlePhotoFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            try:
                check_photo_ready(self.instance, form.cleaned_data.get("photo"))
            except forms.ValidationError as error:
                form.add_error("photo", error)


class ArticlePhotoForm(forms.ModelForm):
    class Meta:
        model = ArticlePhoto
        fields = ["article", "photo", "position", "caption"]

    def clean(self):
        cleaned = super().clean()
        try:
            check_photo_ready(cleaned.get("article"), cleaned.get("photo"))
        except forms.ValidationError as error:
            self.add_error("photo", error)
        return cleaned
