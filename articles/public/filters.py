"""The reader's search form (/suche/) as a FilterSet over published articles."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Agency,
    Article,
    Author,
    Region,
    Section,
    validate_archive_day,
)
from articles.public.forms import AgencyChoiceField, ArticleSearchForm
from articles.public.search import MAX_QUERY_LENGTH


class AgencyFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyChoiceField


def iso_date_filter(label, method):
    # type="date" shows a date picker, which reads and submits ISO dates
    # (2025-01-31) only; other formats would come back to it unreadable.
    return django_filters.DateFilter(
        label=label,
        method=method,
        input_formats=["%Y-%m-%d"],
        validators=[validate_archive_day],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ArticleSearchFilter(django_filters.FilterSet):
    """Filters `Article.objects.published()`; each calls a QuerySet method."""

    q = django_filters.CharFilter(
        label=_("Suchbegriff"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput,
        error_messages={
            "max_length": _(
                "Der Suchbegriff ist zu lang: höchstens %(limit_value)d Zeichen "
                "(eingegeben: %(show_value)d)."
            )
        },
    )
    ressort = django_filters.ModelChoiceFilter(
        label=_("Ressort"),
        queryset=Section.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Ressorts"),
        method="filter_section",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Regionen"),
        method="filter_region",
    )
    agentur = AgencyFilter(
        label=_("Agentur"),
        queryset=Agency.objects.offered_publicly(),
        to_field_name="short_name",
        empty_label=_("Alle Agenturen"),
        method="filter_agency",
    )
    autor = django_filters.ModelChoiceFilter(
        label=_("Autor/in"),
        queryset=Author.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Autorinnen und Autoren"),
        method="filter_author",
    )
    von = iso_date_filter(_("Von"), "filter_from")
    bis = iso_date_filter(_("Bis"), "filter_until")

    class Meta:
        model = Article
        fields = []
        form = ArticleSearchForm

    def filter_text(self, articles, name, text):
        return articles.matching(text)

    def filter_section(self, articles, name, section):
        return articles.in_section(section)

    def filter_region(self, articles, name, region):
        return articles.in_region(region)

    def filter_agency(self, articles, name, agency):
        return articles.from_agency(agency)

    def filter_author(self, articles, name, author):
        return articles.by_author(author)

    def filter_from(self, articles, name, day):
        return articles.published_between(first_day=day)

    def filter_until(self, articles, name, day):
        return articles.published_between(last_day=day)

    def filter_queryset(self, queryset):
        # The text last: a match ranks the newest candidates among what the
        # other filters left (ArticleQuerySet.matching).
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self.filters["q"].filter(queryset, self.form.cleaned_data.get("q"))

    @property
    def active_params(self) -> dict[str, str]:
        """The filters the reader set, as typed: for links to other pages."""
        return {
            name: self.data[name]
            for name in self.filters
            if self.data.get(name) not in (None, "")
        }
