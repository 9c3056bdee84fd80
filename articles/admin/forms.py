from datetime import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin import merging
from articles.admin.body_editor import body_widget
from articles.admin.photo_chooser import photo_choice
from articles.embeds import EmbedRefused, recognise_embeds
from articles.models import (
    REVISION_FIELDS,
    REVISION_RELATIONS,
    Article,
    ArticlePhoto,
    Photo,
    publication_problems,
)
from articles.models.articles import SEARCH_AND_SOCIAL_FIELDS
from articles.photos.body_uses import check_body_references
from articles.sanitising import sanitise_body_html
from articles.workflow import live_drafts, services

# What a draft of a live article holds (live_drafts): a form field not
# among them is refused on a draft save rather than dropped.
DRAFT_FIELDS = frozenset(
    {
        *REVISION_FIELDS,
        *REVISION_RELATIONS,
        *live_drafts.HELD_FIELDS,
        "loaded_version",
        "substantial_update",
    }
)
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
    names who saved in between, and the form shows both versions field by
    field to merge (articles/admin/merging.py); saving again writes the
    merged result. A live article's form shows its pending change, if any
    (live_drafts), and `saves_draft` (set by the admin per request) keeps
    the save a draft.
    """

    saves_draft = False
    # Whether the user may work on a live article's pending change; who only
    # reads sees the article as readers do (set by the admin per request).
    shows_draft = False

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
            "is_live_ticker",
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
                "aus Word oder dem Web behält nur diese Struktur. Info-Kasten, "
                "Faktenliste, Zitat mit Quelle und Einbettungen (YouTube, X, "
                "Karten …) über die Knöpfe am Ende der Werkzeugleiste."
            )
        }

    # The live preview reads the form without saving: no version check, which
    # would lock the article's row for every keystroke.
    checks_version = True
    # The admin's request (set by the admin per request): the photo inline
    # built for it registers there, so a conflict merge covers the photos.
    # Django's change view builds the form, then the inlines, and validates
    # the form without handing it them: the request is where they meet.
    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # (key, reason, time) of the publishing panel's button, if pressed.
        self.transition_request = None
        self.fields["loaded_version"].initial = self.instance.version
        self.merge: merging.Merge | None = None
        if self.shows_draft and self.instance.pending_revision_id:
            # Editors work on the pending change, never past it.
            draft = self.instance.pending_revision.data
            for name in (*REVISION_FIELDS, *REVISION_RELATIONS):
                if name in self.fields and name in draft:
                    self.initial[name] = draft[name]
            for name, value in live_drafts.held_from_data(draft).items():
                if name in self.fields:
                    self.initial[name] = value
            if "substantial_update" in self.fields:
                self.initial["substantial_update"] = bool(
                    draft.get(live_drafts.SUBSTANTIAL)
                )
        # Live counters (static/articles/body_editor.js): guidance only.
        for name, guide in guide_chars().items():
            if name in self.fields:
                self.fields[name].widget.attrs["data-guide-chars"] = guide

    def clean_body(self):
        # What the save stores (Article.save sanitises again, to no change),
        # with each embed's provider and id taken from its address: an
        # address no provider knows is refused, naming it.
        body = sanitise_body_html(self.cleaned_data.get("body") or "")
        try:
            body = recognise_embeds(body)
        except EmbedRefused as refused:
            raise forms.ValidationError(
                _("Einbettung nicht möglich: %(reason)s") % {"reason": refused},
                code="embed_refused",
            ) from None
        # The photos and galleries the body's blocks name must exist; on a
        # published article, each photo needs its credit and alt text now.
        check_body_media(self.instance, body)
        return body

    def clean(self):
        cleaned = super().clean()
        self.transition_request = self.clean_transition()
        if self.instance.pk is None or not self.checks_version:
            return cleaned
        if self.saves_draft:
            self.check_draft_fields()
        merged_against = merging.merged_version(self.data)
        loaded = cleaned.get("loaded_version")
        if loaded is None:
            # A form without its version cannot prove it saw the latest one.
            loaded = -1
        try:
            services.check_not_changed_since(
                self.instance.pk, loaded if merged_against is None else merged_against
            )
        except services.EditConflict as conflict:
            self.offer_merge(conflict, loaded=loaded, merged_against=merged_against)
        if merged_against is not None:
            self.finish_merge(loaded=loaded, merged_against=merged_against)
        return cleaned

    def check_draft_fields(self) -> None:
        for name in self.changed_data:
            if name not in DRAFT_FIELDS:
                self.add_error(
                    name,
                    _(
                        "Der Artikel ist live und Ihre Änderungen werden als "
                        "Entwurf gespeichert; „%(field)s“ kann der Entwurf nicht "
                        "aufnehmen. Bitte mit „Speichern und veröffentlichen“ "
                        "speichern oder das Feld unverändert lassen."
                    )
                    % {"field": self.fields[name].label or name},
                )

    def offer_merge(self, conflict, *, loaded: int, merged_against: int | None):
        """Refuse the save and show both versions to merge."""
        if merged_against is None:
            base = merging.content_at(self.instance.pk, loaded)
        else:
            # A third save came between the merge and its save: the merged
            # result is "mine", the version merged against the base.
            base = merging.content_at(self.instance.pk, merged_against)
            merging.apply_shown_choices(self, base or {})
        self.merge, _theirs = self.find_merge(
            base=base,
            current_version=conflict.current_version,
            shown=base,
            shown_version=merged_against,
        )
        raise forms.ValidationError(
            format_html(
                "{} {}",
                conflict.message,
                _(
                    "Unten stehen beide Fassungen Feld für Feld: wählen Sie je "
                    "Feld, was gelten soll (oder übernehmen Sie Text in Ihr "
                    "Feld), und speichern Sie erneut."
                ),
            ),
            code="edit_conflict",
        )

    def finish_merge(self, *, loaded: int, merged_against: int) -> None:
        """Saving a merge made against the current version: every differing
        field needs a choice; the chosen values become the form's."""
        base = merging.content_at(self.instance.pk, loaded)
        merge, theirs = self.find_merge(
            base=base, current_version=merged_against, shown_version=merged_against
        )
        if merge.unresolved:
            self.merge = merge
            raise forms.ValidationError(
                _("Bitte wählen Sie für jedes markierte Feld eine Fassung: %(fields)s.")
                % {"fields": ", ".join(c.label for c in merge.unresolved)},
                code="merge_incomplete",
            )
        merging.apply_choices(self, merge, theirs)
        if merge.photos is not None:
            # Saved instead of the inline's own list (photo_uses_in).
            self.photo_formset.merged_photos = merge.photos.result()

    def find_merge(
        self,
        *,
        base: dict | None,
        current_version: int,
        shown_version: int | None,
        shown: dict | None = None,
    ) -> tuple[merging.Merge, dict]:
        """The fields (merging.find_conflicts) and the photo list
        (merging.find_photo_conflict, where this form posts one) in which
        this form differs from the article as saved now, and the saved
        values. For a merge overtaken by a third save (shown against an
        older version than the current one) the photo list is still the
        posted one, its earlier choice carried over where it holds
        (find_photo_conflict)."""
        saved = merging.saved_now(self.instance.pk)
        merge, theirs = merging.find_conflicts(
            self,
            saved,
            current_version=current_version,
            base=base,
            shown=shown,
            shown_version=shown_version,
        )
        mine = self.posted_photos()
        if mine is not None:
            merge.photos = merging.find_photo_conflict(
                saved,
                mine,
                self.data,
                base=base,
                current_version=current_version,
                shown_version=shown_version,
            )
        return merge, theirs

    @property
    def photo_formset(self):
        """The photo inline posted with this form, if the admin built one."""
        return getattr(self.request, "article_photo_formset", None)

    def posted_photos(self) -> list[dict] | None:
        """The photo list this form posts (live_drafts.PHOTOS); None where
        the user cannot change the photos or the inline has errors."""
        formset = self.photo_formset
        if formset is None or not getattr(formset, "editable", True):
            return None
        if not formset.is_valid():
            return None
        return photo_uses_in(formset)

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
    if problems := publication_problems([photo]):
        raise forms.ValidationError(problems)


def check_body_media(article: Article, body: str) -> None:
    """The body's photo and gallery blocks name existing rows; a published
    article's body photos have credit and alt text."""
    refs = check_body_references(sanitise_body_html(body or ""))
    if article.status != Article.Status.PUBLISHED or not refs:
        return
    photos = Photo.objects.filter(
        Q(pk__in=refs.photo_ids) | Q(gallery_pictures__gallery__in=refs.gallery_ids)
    )
    if problems := publication_problems(photos.select_related("agency").distinct()):
        raise forms.ValidationError(problems)


class ArticlePhotoInlineForm(forms.ModelForm):
    """A photo of the article, shown as a card (thumbnail, credit,
    restrictions; templates/admin/articles/article/_photo_cards.html)."""

    cards = None  # the formset's, set when it builds the form

    @property
    def photo_id(self) -> int | None:
        value = self["photo"].value() if "photo" in self.fields else None
        try:
            return int(value if value not in (None, "") else self.instance.photo_id)
        except (TypeError, ValueError):
            return None

    @property
    def card(self) -> dict | None:
        """photo_choice() of the chosen photo, None before one is chosen."""
        if self.cards is None or self.photo_id is None:
            return None
        return self.cards.chosen_photos.get(self.photo_id)


class ArticlePhotoFormSet(forms.BaseInlineFormSet):
    # Set per request by ArticlePhotoInline.get_formset(): whose cards, and
    # the request the edit form finds this formset on (a conflict merge
    # covers the photo list: ArticleAdminForm.posted_photos).
    user = None
    request = None
    # The photo list a conflict merge chose: saved instead of the forms'.
    merged_photos: list[dict] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.request.article_photo_formset = self

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.cards = self
        return form

    @cached_property
    def chosen_photos(self) -> dict[int, dict]:
        """{photo id: photo_choice()} of every form's photo, in one query."""
        ids = {form.photo_id for form in self.forms} - {None}
        photos = (
            Photo.objects.filter(pk__in=ids)
            .select_related("agency")
            .with_published_flag()
        )
        return {photo.pk: photo_choice(photo, self.user) for photo in photos}

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            try:
                check_photo_ready(self.instance, form.cleaned_data.get("photo"))
            except forms.ValidationError as error:
                form.add_error("photo", error)


class KeepsPublishedCorrections(forms.BaseInlineFormSet):
    """The corrections of a live article saved as a draft: new ones wait in
    the draft (live_drafts.NEW_CORRECTIONS); removing a printed one cannot
    wait there, so it is refused rather than done at once or dropped."""

    def clean(self):
        super().clean()
        if self.deleted_forms:
            raise forms.ValidationError(
                _(
                    "Der Artikel ist live und Ihre Änderungen werden als Entwurf "
                    "gespeichert; eine veröffentlichte Korrektur löschen geht "
                    "nur mit „Speichern und veröffentlichen“."
                )
            )

    def new_texts(self) -> list[str]:
        return [
            form.cleaned_data["text"]
            for form in self.extra_forms
            if form.has_changed()
            and form.cleaned_data.get("text")
            and not form.cleaned_data.get("DELETE")
        ]


def keeping_published_corrections(formset: type[forms.BaseInlineFormSet]) -> type:
    return type(formset.__name__, (KeepsPublishedCorrections, formset), {})


class ShowsDraftPhotos(forms.BaseInlineFormSet):
    """The article's photos as its pending draft has them (live_drafts.PHOTOS):
    photos the live article shows are its rows, with the draft's position
    and caption; the draft's others are forms of new rows. Whatever the save,
    the whole list counts (photo_uses_in), never only the changed forms."""

    draft_photos: list[dict] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = {use.photo_id: use for use in super().get_queryset()}
        self.draft_rows, self.initial_extra = [], []
        for item in self.draft_photos:
            use = rows.get(item["photo"])
            if use is None:
                self.initial_extra.append(dict(item))
                continue
            use.position, use.caption = item["position"], item["caption"]
            self.draft_rows.append(use)
        self.extra = len(self.initial_extra)

    def get_queryset(self):
        return self.draft_rows

    def _construct_form(self, i, **kwargs):
        held = i - self.initial_form_count()
        if 0 <= held < len(self.initial_extra):
            # A photo of the draft, not an empty form: kept, changed or not.
            kwargs["empty_permitted"] = False
        form = super()._construct_form(i, **kwargs)
        if 0 <= held < len(self.initial_extra) and not form.is_bound:
            item = self.initial_extra[held]
            form.instance.photo_id = item["photo"]
            form.instance.position, form.instance.caption = (
                item["position"],
                item["caption"],
            )
        return form


def showing_draft_photos(
    formset: type[forms.BaseInlineFormSet], photos: list[dict]
) -> type:
    return type(formset.__name__, (ShowsDraftPhotos, formset), {"draft_photos": photos})


def photo_uses_in(formset: forms.BaseInlineFormSet) -> list[dict]:
    """The photos an article's photo formset holds after the edit, in
    order, as a draft stores them (live_drafts.PHOTOS); after a conflict
    merge, the list it chose."""
    if getattr(formset, "merged_photos", None) is not None:
        return formset.merged_photos
    uses = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or data.get("photo") is None:
            continue
        uses.append(
            {
                "photo": data["photo"].pk,
                "position": data.get("position") or 0,
                "caption": data.get("caption") or "",
            }
        )
    return sorted(uses, key=lambda use: use["position"])


# A live article's photos change only through its edit form (as a draft).
LIVE_PHOTOS_MESSAGE = _(
    "„%(headline)s“ ist live: Fotos, ihre Reihenfolge und Bildunterschriften "
    "in diesem Artikel ändern Sie im Bearbeitungsformular des Artikels. Dort "
    "werden die Änderungen als Entwurf gespeichert und erst mit „Änderungen "
    "veröffentlichen“ öffentlich."
)


class ArticlePhotoForm(forms.ModelForm):
    class Meta:
        model = ArticlePhoto
        fields = ["article", "photo", "position", "caption"]

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("article")
        if article is not None and live_drafts.is_live(article):
            # Adding here would change the public page at once.
            self.add_error(
                "article", LIVE_PHOTOS_MESSAGE % {"headline": article.headline}
            )
            return cleaned
        try:
            check_photo_ready(cleaned.get("article"), cleaned.get("photo"))
        except forms.ValidationError as error:
            self.add_error("photo", error)
        return cleaned
