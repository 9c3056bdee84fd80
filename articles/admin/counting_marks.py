"""Admin for VG Wort counting marks: the report for the yearly METIS
notification (article, authors, mark, date; CSV export) and the upload of
the CSV VG Wort issues. Marks are never edited or deleted here: an
assigned mark stays with its text for ever."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Author, CountingMark
from articles.workflow import counting_marks


class AssignedFilter(admin.SimpleListFilter):
    title = _("Vergabe")
    parameter_name = "vergeben"

    def lookups(self, request, model_admin):
        return [("ja", _("vergeben")), ("nein", _("frei"))]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.assigned()
        if self.value() == "nein":
            return queryset.free()
        return queryset


class MarkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei der VG Wort"),
        help_text=_(
            "Die Zählmarken-Liste aus T.O.M. (Spalten „Öffentlicher "
            "Identifikationscode“ und „Privater Identifikationscode“)."
        ),
    )


@admin.register(CountingMark)
class CountingMarkAdmin(admin.ModelAdmin):
    list_display = ["public_id", "article_link", "author_names", "assigned_at", "host"]
    list_filter = [AssignedFilter]
    date_hierarchy = "assigned_at"
    search_fields = ["=public_id", "article__headline"]
    list_select_related = ["article__section"]
    actions = ["export_report"]
    list_per_page = 100
    # The private identifier is what the notification reports; it is shown
    # in the export only, not in every list.
    readonly_fields = ["public_id", "host", "article", "assigned_at", "imported_at"]
    change_list_template = "admin/articles/countingmark/change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("article__authors", queryset=Author.objects.only("id", "name"))
            )
        )

    def has_add_permission(self, request):
        # New marks come from the CSV upload below, never typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_import(self, request) -> bool:
        return request.user.has_perm("articles.add_countingmark")

    @admin.display(description=_("Artikel"), ordering="article__headline")
    def article_link(self, mark):
        if mark.article is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[mark.article_id]),
            mark.article.headline,
        )

    @admin.display(description=_("Autoren"))
    def author_names(self, mark):
        if mark.article is None:
            return "–"
        return ", ".join(author.name for author in mark.article.authors.all())

    @admin.action(description=_("Als CSV für die METIS-Meldung"), permissions=["view"])
    def export_report(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="vg-wort-meldung.csv"'
        # Excel opens UTF-8 with a BOM as UTF-8; METIS takes ';'.
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(counting_marks.REPORT_COLUMNS)
        marks = queryset.assigned().order_by("assigned_at", "id")
        site_url = request.build_absolute_uri("/").rstrip("/")
        writer.writerows(counting_marks.report_rows(marks, site_url=site_url))
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "free_marks": CountingMark.objects.free().count(),
            "may_import": self.may_import(request),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "einlesen/",
                self.admin_site.admin_view(self.import_view),
                name="articles_countingmark_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.may_import(request):
            raise PermissionDenied
        form = MarkUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(counting_marks.MAX_CSV_BYTES + 1)
            result = counting_marks.import_marks(data)
            self.report(request, result)
            if not result.failures:
                return redirect("admin:articles_countingmark_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("VG-Wort-Zählmarken einlesen"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/articles/countingmark/import.html", context
        )

    def report(self, request, result) -> None:
        messages.info(
            request,
            _("%(created)s Zählmarken neu eingelesen, %(known)s waren schon bekannt.")
            % {"created": result.created, "known": result.known},
        )
        for failure in result.failures[:20]:
            messages.error(request, failure)
        if len(result.failures) > 20:
            messages.error(
                request,
                _("… und %(count)s weitere fehlerhafte Zeilen.")
                % {"count": len(result.failures) - 20},
            )
