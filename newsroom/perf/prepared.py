"""Querysets compiled once per process, run many times with new values.

Django builds and compiles a queryset's SQL anew on every evaluation. For
the hottest read (an article page while its cached copy is cold) that was
four fifths of the request: about 1 ms per query of Python work, against
0.05 ms for the database to answer. A `PreparedQuery` builds its queryset
once with placeholder values, keeps the compiled SQL and the compiler's
column map, and on each run only swaps the placeholders' positions in the
parameters for the real values before reading the rows into models, as
Django's own model iterable does.

The queryset is still written with the ORM and the model's QuerySet
methods (the one visibility rule stays the one definition); only its shape
must not depend on the values: a placeholder must reach the SQL as a
parameter, which `PreparedQuery` checks when it compiles. A `values_list()`
queryset gives its rows as tuples (or single values, `flat=True`).

`PreparedQueries` keeps one `PreparedQuery` per shape, for a query whose
shape depends on a few values (a rail's section, a LIMIT): the front page
built and compiled the same seven queries for its automatic rails on every
request.
"""

from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from threading import Lock

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ValuesListIterable,
    get_related_populators,
)

from newsroom.perf.lru import LeastRecentlyUsed
from newsroom.perf.switch import fast_path

# Values no real query uses, so that their positions in the parameters are
# found unambiguously.
PLACEHOLDER_MOMENT = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
PLACEHOLDER_ID = -7_531_902_468
# values_list() querysets, whose rows are returned as they are.
ROW_ITERABLES = (ValuesListIterable, FlatValuesListIterable)


def database_value(connection, value):
    """A placeholder's value as the ORM passes it (datetimes adapted)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class CompiledShape:
    """One queryset's SQL, parameters and column map on one database."""

    def __init__(self, queryset: QuerySet, connection, placeholders: dict):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=connection.alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        # name → positions in params, found by the placeholder's database form
        self.positions = {}
        for name, value in placeholders.items():
            forms = {repr(value), repr(database_value(connection, value))}
            found = [i for i, p in enumerate(self.params) if repr(p) in forms]
            if not found:
                raise ImproperlyConfigured(
                    f"prepared query {queryset.model.__name__}: the value of "
                    f"{name!r} does not reach the SQL as a parameter"
                )
            self.positions[name] = found
        # Per column: how a database value becomes a Python one (dates on
        # SQLite, for one); the same for every run.
        columns = [column[0] for column in self.compiler.select]
        self.converters = self.compiler.get_converters(columns)
        # values_list(): rows as tuples, or their one value (flat=True).
        self.flat = queryset._iterable_class is FlatValuesListIterable
        self.rows_only = queryset._iterable_class in ROW_ITERABLES
        if self.rows_only:
            if self.compiler.has_extra_select:
                # The ORM would cut such rows short (ordering columns).
                raise ImproperlyConfigured(
                    "a prepared values_list() cannot select extra columns"
                )
            return
        klass_info = self.compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [
            column[0].target.attname
            for column in self.compiler.select[self.start : self.end]
        ]
        self.related_populators = get_related_populators(
            klass_info, self.compiler.select, connection.alias, queryset._fetch_mode
        )

    def run(self, connection, values: dict) -> list:
        params = self.params.copy()
        for name, value in values.items():
            for position in self.positions[name]:
                params[position] = database_value(connection, value)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        objects = []
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.rows_only:
            return [row[0] for row in rows] if self.flat else [tuple(r) for r in rows]
        for row in rows:
            obj = self.model.from_db(
                connection.alias,
                self.init_list,
                row[self.start : self.end],
                fetch_mode=self.queryset._fetch_mode,
            )
            for populator in self.related_populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects


class PreparedQuery:
    """`build(**placeholders)` → queryset, compiled on first use per database.

    Call it with real values for every placeholder: `query(at=now, pk=42)`.
    Placeholders are datetimes or ids; their values are passed to `build`
    as `PLACEHOLDER_MOMENT` and `PLACEHOLDER_ID` (the second of a kind a
    microsecond or one less, and so on). A queryset of models may use
    select_related but not prefetch_related or annotations; a
    values_list() queryset gives its rows (annotations allowed).
    """

    PLACEHOLDERS = {datetime: PLACEHOLDER_MOMENT, int: PLACEHOLDER_ID}
    STEPS = {datetime: timedelta(microseconds=1), int: 1}

    def __init__(self, build: Callable[..., QuerySet], **placeholder_types: type):
        self.build = build
        self.placeholders = {}
        seen = dict.fromkeys(self.PLACEHOLDERS, 0)
        for name, kind in placeholder_types.items():
            # Distinct values, so that each placeholder is found alone.
            self.placeholders[name] = (
                self.PLACEHOLDERS[kind] - seen[kind] * (self.STEPS[kind])
            )
            seen[kind] += 1
        self.shapes: dict[str, CompiledShape] = {}
        self.lock = Lock()

    def shape(self, alias: str) -> CompiledShape:
        if (shape := self.shapes.get(alias)) is None:
            with self.lock:
                connection = connections[alias]
                queryset = self.build(**self.placeholders)
                rows = queryset._iterable_class in ROW_ITERABLES
                if queryset._prefetch_related_lookups or (
                    queryset.query.annotations and not rows
                ):
                    raise ImproperlyConfigured(
                        "a prepared query cannot prefetch or annotate"
                    )
                shape = self.shapes[alias] = CompiledShape(
                    queryset, connection, self.placeholders
                )
        return shape

    def __call__(self, using: str = "default", **values) -> list:
        if values.keys() != self.placeholders.keys():
            raise TypeError(
                f"expected values for {sorted(self.placeholders)}, got {sorted(values)}"
            )
        if not fast_path():
            return list(self.build(**values).using(using))
        return self.shape(using).run(connections[using], values)


class PreparedQueries:
    """A `PreparedQuery` per shape: `build(shape, **placeholders)`.

    `shape` holds the values the query's SQL depends on (a LIMIT, which
    filters apply); the `size` shapes used last are kept.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        size: int = 256,
        **placeholder_types: type,
    ):
        self.build = build
        self.placeholder_types = placeholder_types
        self.queries = LeastRecentlyUsed(size)

    def __call__(self, shape: Hashable, using: str = "default", **values) -> list:
        if not fast_path():
            return list(self.build(shape, **values).using(using))
        if (query := self.queries.get(shape)) is None:
            query = PreparedQuery(
                lambda **placeholders: self.build(shape, **placeholders),
                **self.placeholder_types,
            )
            self.queries.put(shape, query)
        return query(using, **values)
