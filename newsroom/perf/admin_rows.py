"""The admin list's rows as Django writes them, worked out once per column.

Django's `items_for_result()` works out every cell from scratch: which kind
of column it is, its CSS class, the empty value, the link, and a
`format_html()` per cell that the template then loops over again. For the
article list's 50 rows of 9 columns that was about half of the request. Here
what a column is gets worked out once per list; a row is then its values,
the same markup joined into one string (the template writes
`{% for item in result %}{{ item }}{% endfor %}`, so one item per row
gives the same HTML).

Only the kinds of column the article list has go this way: a model field
(no `__` path), a method of the ModelAdmin or a callable, and no editable
list (`list_editable`). A list with any other column, or with the fast path
off, gets Django's own rows.
"""

import datetime
from decimal import Decimal

from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    result_headers,
    result_hidden_fields,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from newsroom.perf.memo import memoize
from newsroom.perf.switch import fast_path


def result_list(cl) -> dict:
    """The context of Django's `result_list` inclusion tag for `cl`."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows(cl),
    }


def rows(cl) -> list:
    """Django's `results(cl)`: one ResultList per row of the page."""
    columns = fast_path() and not cl.formset and _columns(cl)
    if not columns:
        return list(results(cl))
    link = _Link(cl)
    return [
        ResultList(None, [SafeString("".join(_cells(columns, link, row)))])
        for row in cl.result_list
    ]


class _Column:
    """What `items_for_result()` works out for a column, before the value."""

    def __init__(self, cl, index: int, name, is_link: bool):
        self.model_admin = model_admin = cl.model_admin
        self.name, self.is_link = name, is_link
        self.field = self.function = None
        try:
            self.field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            # A method of the ModelAdmin (lookup_field()'s order), else a
            # callable; a model attribute or a path is not handled here.
            if callable(name):
                self.function = name
            elif hasattr(model_admin, name) and name != "__str__":
                self.function = getattr(model_admin, name)
            else:
                raise Unhandled(name) from None
            if isinstance(name, str) and LOOKUP_SEP in name:
                raise Unhandled(name) from None
        self.empty = getattr(
            self.function, "empty_value_display", model_admin.get_empty_value_display()
        )
        classes = [f"field-{_coerce_field_name(name, index)}"]
        self.bare_classes = classes[0]
        if self.field is None or self.field.auto_created:
            if name == "action_checkbox" and self.field is None:
                classes = ["action-checkbox"]
            self.boolean = getattr(self.function, "boolean", False)
            self.related = False
        else:
            self.related = isinstance(self.field.remote_field, models.ManyToOneRel)
            if isinstance(
                self.field, (models.DateField, models.TimeField, models.ForeignKey)
            ):
                classes.append("nowrap")
        self.classes = " ".join(classes)
        self.tag = "th" if is_link else "td"

    def cell(self, row, link) -> str:
        field, classes = self.field, self.classes
        try:
            value = self.function(row) if field is None else getattr(row, self.name)
        except ObjectDoesNotExist:
            # Django's empty value, not the column's, and no other class.
            field, classes = False, self.bare_classes
            shown = self.model_admin.get_empty_value_display()
        if field is False:
            pass
        elif field is None or field.auto_created:
            shown = display_for_value(value, self.empty, self.boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes += " nowrap"
        elif self.related:
            shown = self.empty if value is None else value
        elif type(value) in MEMO_TYPES:
            shown = _field_display(value, field, self.empty, self.is_link)
        else:
            shown = display_for_field(value, field, self.empty, avoid_link=self.is_link)
        shown = link(row, shown) if self.is_link else conditional_escape(shown)
        return f'<{self.tag} class="{classes}">{shown}</{self.tag}>'


# Values whose display is worth keeping: a date takes Django about 100 µs
# to format (a third of the article list's rows), a number some 15 µs; a
# string is shown as it is.
MEMO_TYPES = {datetime.datetime, datetime.date, datetime.time, int, float, Decimal}


def _display_key(value, field, empty, avoid_link) -> tuple:
    """The value with its type (1 == 1.0), and the active language and time
    zone, which display_for_field() reads itself."""
    return (
        type(value),
        value,
        field,
        empty,
        avoid_link,
        get_language(),
        timezone.get_current_timezone(),
    )


# The key lists what display_for_field() reads: off with the switch.
@memoize(4096, key=_display_key, uses_django_internals=True)
def _field_display(value, field, empty, avoid_link):
    """display_for_field(), kept per value, language and time zone."""
    return display_for_field(value, field, empty, avoid_link=avoid_link)


class Unhandled(Exception):
    """A column of a kind Django's own rows are for."""


def _columns(cl) -> list[_Column] | None:
    columns, first = [], True
    for index, name in enumerate(cl.list_display):
        # items_for_result()'s link_in_col(): the first column links unless
        # list_display_links says otherwise; only the first link is a <th>.
        links = cl.list_display_links
        is_link = links is not None and ((first and not links) or name in links)
        try:
            columns.append(_Column(cl, index, name, is_link and first))
        except Unhandled:
            return None
        if is_link and not first:
            # A second link column: Django writes it as <td><a>; not here.
            return None
        first = first and not is_link
    return columns


class _Link:
    """The link to a row's change form, with the list's filters kept.

    `ChangeList.url_for_result()` is a reverse() per row and
    `add_preserved_filters()` a resolve() per row on a filtered list; both
    give every row the same address but for its primary key. So they run
    once, for a stand-in key, and a row's address is that with its key (a
    key the stand-in cannot stand for, a non-negative int, goes Django's way).
    """

    STAND_IN = 987_650

    def __init__(self, cl):
        self.cl = cl
        self.context = {"preserved_filters": cl.preserved_filters, "opts": cl.opts}
        self.to_field = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        self.address = self._address()

    def _address(self) -> tuple[str, str] | None:
        cl = self.cl
        if type(cl).url_for_result is not ChangeList.url_for_result:
            return None
        opts = cl.opts
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(self.STAND_IN,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            return None
        url = add_preserved_filters(self.context, url)
        if url.count(str(self.STAND_IN)) != 1:
            return None
        before, after = url.split(str(self.STAND_IN))
        return conditional_escape(before), conditional_escape(after)

    def __call__(self, row, shown) -> str:
        pk = getattr(row, self.cl.pk_attname)
        if self.address and type(pk) is int and pk >= 0:
            url = f"{self.address[0]}{pk}{self.address[1]}"
        else:
            try:
                url = self.cl.url_for_result(row)
            except NoReverseMatch:
                return conditional_escape(shown)
            url = conditional_escape(add_preserved_filters(self.context, url))
        popup = ""
        if self.cl.is_popup:
            value = row.serializable_value(self.to_field)
            popup = f' data-popup-opener="{conditional_escape(value)}"'
        return f'<a href="{url}"{popup}>{conditional_escape(shown)}</a>'


def _cells(columns, link, row):
    for column in columns:
        yield column.cell(row, link)
