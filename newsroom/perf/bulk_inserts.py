"""Inserting many new rows of one model at once, for less than bulk_create().

Agency imports insert an article, its first revision and the agency version
for every new story, thousands a minute. `QuerySet.bulk_create()` sends
every value of every row through the query compiler (expression checks,
placeholders, conversions): on SQLite that was two thirds of an article's
insert (about 85 of 130 µs per row, measured with bench/imports.py), more
than the database's own work. `bulk_insert` converts each value exactly as
the field does (`pre_save`, `get_db_prep_save`), except the values that
need no conversion (text in text fields, whole numbers in number and
foreign key fields, booleans in boolean fields, NULLs in any of them), and
sends one `INSERT … RETURNING id` per chunk of rows, as bulk_create() does.
No signals are sent, as with bulk_create().
"""

from django.db import connections, models
from django.db.models import Model
from django.db.models.fields import AutoFieldMixin

# Field classes (exactly these, no subclasses with their own conversions)
# that store such a value unchanged on every database.
STORED_AS_IS = {
    models.CharField: str,
    models.SlugField: str,
    models.TextField: str,
    models.URLField: str,
    models.BooleanField: bool,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.BigIntegerField: int,
    models.FloatField: float,
    # A time is converted (time zone, the database's format); NULL is not.
    models.DateTimeField: type(None),
}


def bulk_insert(objs: list[Model], *, using: str = "default") -> list[Model]:
    """Insert the new, unsaved `objs` (all of one model) and set their ids.

    Like `bulk_create(objs)` for models with an auto-incremented id and
    related objects that are saved already.
    """
    if not objs:
        return objs
    model = type(objs[0])
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        return model._default_manager.using(using).bulk_create(objs)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    stored_as_is = [stored_type(field) for field in fields]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    row = "({})".format(", ".join(["%s"] * len(fields)))
    size = connection.ops.bulk_batch_size(fields, objs)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            values = []
            for obj in chunk:
                for field, kind in zip(fields, stored_as_is, strict=True):
                    value = field.pre_save(obj, True)
                    if kind is not None and (value is None or type(value) is kind):
                        values.append(value)
                    else:
                        values.append(field.get_db_prep_save(value, connection))
            cursor.execute(
                statement + ", ".join([row] * len(chunk)) + returning, values
            )
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, using
    return objs


def stored_type(field: models.Field) -> type | None:
    """The Python type this field stores as it is, if any."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
        if isinstance(field, AutoFieldMixin):
            return int
    # A subclass that only cleans before saving (pre_save) names the Django
    # field it stores like (articles/models/fields.py).
    return STORED_AS_IS.get(getattr(field, "django_field", type(field)))
