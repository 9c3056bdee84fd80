"""The search page's form and its agency field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Agency
from articles.sanitising import clean_text


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency by short name ("dpa", any case) or by id ("3")."""

    # (value typed, agency) of the last successful lookup.
    chosen: tuple[str, Agency] | None = None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        by_id = value.isascii() and value.isdigit()
        lookup = {"pk": value} if by_id else {"short_name__iexact": value}
        # No agency's name holds a control character, and PostgreSQL would
        # refuse a NUL in the query.
        typed_cleanly = clean_text(value) == value
        agency = self.queryset.filter(**lookup).first() if typed_cleanly else None
        if agency is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        self.chosen = (value, agency)
        return agency

    def bound_data(self, data, initial):
        # The select's options carry short names: "3" or "DPA" selects "dpa".
        if data and self.chosen and self.chosen[0] == str(data).strip():
            return self.chosen[1].short_name
        return super().bound_data(data, initial)


class ArticleSearchForm(forms.Form):
    """The search page's form (the fields come from ArticleSearchFilter)."""

    def clean(self):
        cleaned_data = super().clean()
        first_day, last_day = cleaned_data.get("von"), cleaned_data.get("bis")
        if first_day and last_day and first_day > last_day:
            self.add_error("bis", _("Das Enddatum liegt vor dem Anfangsdatum („Von“)."))
        return cleaned_data
