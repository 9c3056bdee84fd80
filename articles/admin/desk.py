"""Working together on an article (issue #17): internal notes, who is
responsible next, and returning an article with a reason.

The panel (templates/admin/articles/article/_notes.html) sits beside the
edit form; its forms post to the views here, each calling one service
that checks the permission again. ArticleAdmin.get_urls() wraps the views
in admin_view (staff login, CSRF).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.admin.views import _article, _context, post_only
from articles.models import Article, ArticleNote
from articles.models.fields import CleanCharFormField
from articles.workflow import services


# Prefixed: the panel's fields sit in the edit form's page, beside its own.
class NoteForm(forms.Form):
    prefix = "notiz"
    text = CleanCharFormField(
        label=gettext_lazy("Neue Notiz"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Nur intern, nie öffentlich. Mit @Benutzername erscheint die Notiz "
            "auf der Startseite der Kollegin oder des Kollegen."
        ),
    )


class SendBackForm(forms.Form):
    prefix = "zurueck"
    reason = CleanCharFormField(
        label=gettext_lazy("Grund"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Erscheint bei der Autorin oder dem Autor auf der Startseite und "
            "im Verlauf des Artikels."
        ),
    )


def staff_who_write():
    """Active staff who may change articles: whom an article can go to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename="change_article")
            | Q(groups__permissions__codename="change_article")
        )
        .distinct()
        .order_by("username")
    )


class AssignForm(forms.Form):
    """One choice: a person ("user:3"), a group ("group:2") or nobody."""

    prefix = "zustaendig"

    assignee = forms.ChoiceField(label=gettext_lazy("Zuständig"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in staff_who_write()}
        self.groups = {str(group.pk): group for group in Group.objects.order_by("name")}
        self.fields["assignee"].choices = [
            ("", _("niemand")),
            (
                _("Gruppen"),
                [(f"group:{pk}", group.name) for pk, group in self.groups.items()],
            ),
            (
                _("Personen"),
                [
                    (f"user:{pk}", user.get_full_name() or user.get_username())
                    for pk, user in self.users.items()
                ],
            ),
        ]

    @staticmethod
    def initial_for(article: Article) -> str:
        if article.assigned_to_id:
            return f"user:{article.assigned_to_id}"
        if article.assigned_group_id:
            return f"group:{article.assigned_group_id}"
        return ""

    def chosen(self) -> dict:
        """The service's keyword arguments for the choice made."""
        kind, _sep, pk = self.cleaned_data["assignee"].partition(":")
        if kind == "user":
            return {"to_user": self.users[pk]}
        if kind == "group":
            return {"to_group": self.groups[pk]}
        return {}


def desk_panel_context(request, article: Article) -> dict:
    """What the notes panel shows beside the edit form (three queries:
    the thread, the people, the groups)."""
    user = request.user
    may_assign = services.may_edit(user, article)
    return {
        "notes": list(ArticleNote.objects.filter(article=article).for_thread()),
        "note_form": NoteForm(),
        "may_add_note": services.may_add_note(user, article),
        "assign_form": (
            AssignForm(initial={"assignee": AssignForm.initial_for(article)})
            if may_assign
            else None
        ),
        "send_back_form": (
            SendBackForm()
            if article.status in services.SENT_BACK_FROM
            and services.may_send_back(user, article)
            else None
        ),
    }


def _back_to_form(article: Article) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("admin:articles_article_change", args=[article.pk])
    )


def _report(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@post_only
def add_note(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Die Notiz ist leer."))
        return _back_to_form(article)
    try:
        services.add_note(article, user=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Notiz gespeichert."))
    return _back_to_form(article)


@post_only
def assign(model_admin, request, object_id):
    article = _article(model_admin, request, object_id)
    if not services.may_edit(request.user, article):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Diese Zuständigkeit gibt es nicht."))
        return _back_to_form(article)
    try:
        services.assign_article(article, user=request.user, **form.chosen())
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Zuständigkeit gespeichert."))
    return _back_to_form(article)


def send_back(model_admin, request, object_id):
    """ "Zurückgeben": the reason is required (a page of its own for the
    list's action; the panel posts here directly)."""
    article = _article(model_admin, request, object_id)
    if not services.may_send_back(request.user, article):
        raise PermissionDenied
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_back(
                article, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("„%(headline)s“ ist zurückgegeben.") % {"headline": article.headline},
            )
            return _back_to_form(article)
    return TemplateResponse(
        request,
        "admin/articles/article/send_back.html",
        _context(model_admin, request, article, _("Artikel zurückgeben"), form=form),
    )
