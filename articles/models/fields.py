"""Text fields that never store control characters.

Text reaches the models from the admin's forms, services, the photo
metadata pre-fill, the demo loader and the importers. These fields clean
it (`clean_text`) wherever it enters: the form field before it validates
(so a pasted NUL is removed, not refused), `full_clean()`, and `pre_save()`,
which `save()` and `bulk_create()` both call.

`QuerySet.update()` and lookups take values as given (`get_prep_value` is
left alone): a filter must find what is stored, and what is stored before
this cleaning existed is cleaned where it is shown.
"""

from django import forms
from django.db import models

from articles.sanitising import clean_text


def _cleaned(value):
    return clean_text(value) if isinstance(value, str) else value


class CleanCharFormField(forms.CharField):
    def to_python(self, value):
        # Before CharField strips the edges, so that a control character
        # at the edge cannot shield white space from being stripped.
        return super().to_python(_cleaned(value))


class CleanURLFormField(forms.URLField):
    def to_python(self, value):
        return super().to_python(_cleaned(value))


class CleanTextMixin:
    django_field: type[models.Field]
    form_class: type[forms.Field] = CleanCharFormField

    def clean(self, value, model_instance):
        return super().clean(_cleaned(value), model_instance)

    def pre_save(self, model_instance, add):
        value = _cleaned(super().pre_save(model_instance, add))
        # The saved object holds what its row holds.
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})

    def deconstruct(self):
        # Migrations see Django's own field: the cleaning changes no column,
        # and a path of our own would make SQLite rebuild every table.
        name, _path, args, kwargs = super().deconstruct()
        return name, f"django.db.models.{self.django_field.__name__}", args, kwargs


class CleanCharField(CleanTextMixin, models.CharField):
    django_field = models.CharField


class CleanTextField(CleanTextMixin, models.TextField):
    django_field = models.TextField


class CleanURLField(CleanTextMixin, models.URLField):
    django_field = models.URLField
    form_class = CleanURLFormField
