"""Speed helpers that go around Django's public API, behind one off switch.

Each helper makes a hot path cheaper by leaning on something Django does
not promise to keep: a private attribute, an undocumented function or
class, or a detail of how a public function behaves. They live here, below
every app (nothing here imports `articles` or `teasers`: pyproject.toml's
import contracts), so that a Django upgrade is checked in one place, the
list below.

The switch is NEWSROOM_FAST_PATH (a setting, from the environment; on by
default; `switch.fast_path()` reads it). Off, the helpers take Django's
plain path: the ORM instead of prepared queries, reverse() instead of
address formats, Django's own Redis client, Django's admin rows and
sidebar. When an upgrade breaks one of the internals below,
NEWSROOM_FAST_PATH=false keeps the site up until the helper is mended. The
public pages' tests run on both paths (tests/conftest.py: `both_paths`);
tests of the helpers themselves are marked `fast_path`.

The memos (memo.py) and this process's page copies (page_copies.py) rely
on no Django internal, so they serve on both paths: the plain path reads
the same values through the ORM on every request and renders only what
changed. The article page's memos, the page copies and the kept cache
generation have settings of their own (NEWSROOM_ARTICLE_MARKUP_MEMO_SIZE,
NEWSROOM_ARTICLE_DOCUMENT_MEMO_SIZE, NEWSROOM_PAGE_COPIES_PER_PROCESS,
NEWSROOM_PAGE_GENERATION_SECONDS): 0 turns each off. A memo whose key lists
what one of Django's own templates reads is marked
`uses_django_internals` and is off with the switch.

Modules
-------
switch.py        fast_path(): whether the helpers that rely on internals serve.
prepared.py      PreparedQuery: a queryset compiled once, run with new values;
                 PreparedQueries: one per shape (filters, LIMIT).
url_formats.py   UrlFormat: reverse() once per URLconf and prefix, then a
                 str.format().
lru.py           LeastRecentlyUsed: a bounded, thread-safe mapping.
memo.py          memoize(): pure markup kept per process and argument value.
page_copies.py   PageCopies: this process's copies of cached pages.
redis_cache.py   ReusingRedisCacheClient: one client per pool, for the
                 production backend newsroom/cache.py.
admin_rows.py    The admin list's rows, worked out per column, not per cell
                 (`{% result_rows cl %}`, the article list).
admin_nav.py     The admin sidebar's app list, rendered once per content.
(bulk_inserts.py is gone: measured on 2026-12-03, Django's bulk_create()
keeps the first import above 2x the naive upsert.)

What each relies on (check these when upgrading Django)
-------------------------------------------------------
prepared.py
  - `QuerySet.query` and the `Query` behind it: `query.get_compiler(using=)`
    and `query.annotations` (checked to be empty).
  - `QuerySet._prefetch_related_lookups` (checked to be empty) and
    `QuerySet._fetch_mode` (passed on to from_db() and the populators).
  - `QuerySet._iterable_class`: `ValuesListIterable` or
    `FlatValuesListIterable` (`django.db.models.query`, not documented)
    mark a values_list() queryset, whose rows are returned after the
    converters, as `results_iter()` gives them.
  - `SQLCompiler.as_sql()`: returns the very parameters `execute_sql()`
    passes to the cursor, datetimes already adapted by
    `connection.ops.adapt_datetimefield_value()` (the placeholders are
    found in them in that form); and fills, as a side effect,
    `compiler.select` ((expression, sql, alias) per column; a model's
    column has `.target.attname`) and `compiler.klass_info` (the keys
    "model", "select_fields" and "related_klass_infos").
  - `SQLCompiler.get_converters(expressions)` and
    `SQLCompiler.apply_converters(rows, converters)`.
  - `django.db.models.query.get_related_populators(klass_info, select, db,
    fetch_mode)` and `RelatedPopulator.populate(row, obj)`, which fill
    select_related() rows.
  - `Model.from_db(db, field_names, values, *, fetch_mode=)` (documented;
    the keyword is Django 6.1's).
  - `ModelIterable.__iter__()` and `SQLCompiler.results_iter()`: their
    loop (one slice of the row per model, the populators) is copied, less
    what a prepared queryset cannot have: annotations, known related
    objects, the peers of the FETCH_PEERS mode.
url_formats.py
  - `django.urls.get_urlconf()` (importable, not documented) and
    `get_script_prefix()` (documented) key a format; reverse() must read the
    same thread-local values.
  - reverse()'s output: an argument of the kinds in ACCEPTS appears in the
    address unquoted and once (checked when a format is made).
redis_cache.py
  - `django.core.cache.backends.redis.RedisCacheClient` (not documented)
    and its `get_client(key, *, write)`, through which every cache
    operation gets its client; `_get_connection_pool(write)` and `_client`
    (the redis.Redis class).
  - `RedisCache._class`, set in `__init__()` and read by `_cache`.
admin_rows.py
  - `django.contrib.admin.templatetags.admin_list`: `items_for_result()`
    (its markup and branches are copied: the tests compare the rows with
    its own), `results()`, `result_headers()`, `result_hidden_fields()`,
    `ResultList`, `_coerce_field_name()`; the `result_list` tag's context
    and template (admin/change_list_results.html, one item per row is the
    same HTML).
  - `django.contrib.admin.utils`: `_get_non_gfk_field()`,
    `FieldIsAForeignKeyColumnName`, `display_for_field()`,
    `display_for_value()`, and lookup_field()'s order (a ModelAdmin
    method before a model attribute).
  - `ChangeList.url_for_result()`: reverse("admin:<app>_<model>_change",
    args=(quote(pk),)); `add_preserved_filters()` gives every change
    address the same query string.
  - `django.contrib.admin.templatetags.base.InclusionAdminNode` (the tag).
admin_nav.py
  - admin/nav_sidebar.html (copied to templates/admin/) includes
    admin/app_list.html, which reads `app_list`, `request.path` and
    `show_changelinks` only, and of each app and model the keys in
    `_key()`.
memo.py, lru.py, page_copies.py, switch.py
  - No Django internals: `django.conf.settings` only.
"""
