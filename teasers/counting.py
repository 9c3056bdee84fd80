"""View, impression and click counts: buffered on request, flushed by a job.

A page request only adds one increment to a buffer outside the database
(Redis when REDIS_URL is set, else small append-only files under var/); the
`flush_counts` command moves whole buffer batches into the database. Each
batch is applied in one transaction that also records the batch's key, so a
flush that crashes after committing and runs again skips the batch instead of
counting it twice; a crash before committing leaves the batch to the next run.

A reader who reloads a page or clicks an ad again within
NEWSROOM_COUNT_REPEAT_SECONDS counts once: the request adds a key naming the
reader (a keyed hash of address and browser), the object and the window, and
the flush counts each distinct key once, however often it was added. Windows
are fixed stretches of that many seconds on the UTC clock (:00–:29 and
:30–:59 by default), so a reader counts at most once per window and object.
The buffer keeps such keys apart by the minute in which their window ends and
hands them to a flush only when that minute is over, so every repeat of a
window arrives in the same flush. This costs a page no cache round trip and
keeps working while the cache is down.

Buffer keys, each counted once: "view:<article id>:<window end>:<reader>",
"impression:<slot id>:<window end>:<reader>", "click:<slot id>:<window
end>:<reader>" (window end as UTC YYYYMMDDHHMMSS). With the window set to 0,
every request counts, by the keys "view:<article id>:<UTC hour>",
"impression:<slot id>" and "click:<slot id>", each counted by its amount.
"""

import atexit
import contextlib
import logging
import os
import re
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from itertools import batched
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article
from articles.public.signals import article_page_served
from newsroom.clients import client_address, pseudonym
from teasers.models import FlushedCounterBatch, HourlyViews, SponsoredSlot

logger = logging.getLogger(__name__)

# Crawlers, link previewers, monitors and scripts: not readers.
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|bingpreview|facebookexternalhit|"
    r"embedly|mediapartners|adsbot|lighthouse|pingdom|uptime|monitor|"
    r"curl|wget|python-|go-http-client|okhttp|java/|httpclient|scrapy|"
    r"feedfetcher|preview",
    re.IGNORECASE,
)
HOUR_FORMAT = "%Y%m%d%H"
MINUTE_FORMAT = "%Y%m%d%H%M"
WINDOW_END_FORMAT = "%Y%m%d%H%M%S"
# "Meistgelesen" looks back at most 7 days; one more day of hours is kept.
HOURLY_VIEWS_KEPT = timedelta(days=8)


def is_counted_request(request: HttpRequest) -> bool:
    """A reader's GET: no bot, no logged-in editor looking at the site."""
    user_agent = request.headers.get("User-Agent", "")
    if request.method != "GET" or not user_agent or BOT_USER_AGENT.search(user_agent):
        return False
    return not request.user.is_authenticated


def buffer_keys(request: HttpRequest, seen: Iterable[tuple[str, int]]) -> list[str]:
    """The buffer keys of what the request's reader saw: (kind, object id)
    pairs, kind "view", "impression" or "click"."""
    now = timezone.now()
    window = settings.NEWSROOM_COUNT_REPEAT_SECONDS
    if window <= 0:
        hour = now.astimezone(UTC).strftime(HOUR_FORMAT)
        return [
            f"view:{pk}:{hour}" if kind == "view" else f"{kind}:{pk}"
            for kind, pk in seen
        ]
    window_end = (int(now.timestamp()) // window + 1) * window
    until = datetime.fromtimestamp(window_end, UTC).strftime(WINDOW_END_FORMAT)
    browser = request.headers.get("User-Agent", "")
    reader = pseudonym(f"{client_address(request)}\n{browser}", purpose=__name__)
    return [f"{kind}:{pk}:{until}:{reader}" for kind, pk in seen]


def count_article_view(
    request: HttpRequest, article_id: int, slot_ids: Iterable[int] = ()
) -> None:
    """A reader's view of an article page, and the impressions of the
    sponsored slots shown under it."""
    if is_counted_request(request):
        seen = [("view", article_id), *(("impression", pk) for pk in slot_ids)]
        _add_to_buffer(buffer_keys(request, seen))


@receiver(article_page_served)
def count_article_page_view(sender, *, request, article_id, facts, **kwargs):
    """The article page (in `articles`) says it was served; count it here."""
    count_article_view(request, article_id, facts.get("slot_ids", ()))


def count_impressions(request: HttpRequest, slot_ids: Iterable[int]) -> None:
    if slot_ids and is_counted_request(request):
        _add_to_buffer(buffer_keys(request, [("impression", pk) for pk in slot_ids]))


def count_click(request: HttpRequest, slot_id: int) -> None:
    if is_counted_request(request):
        _add_to_buffer(buffer_keys(request, [("click", slot_id)]))


def once_key_parts(key: str) -> tuple[str, str, datetime, str] | None:
    """(kind, object id, window end, reader) of a key counted once per
    reader and window; None for a key counted by its amount."""
    kind, _, rest = key.partition(":")
    parts = rest.split(":")
    if len(parts) != 3:
        return None
    object_id, until, reader = parts
    try:
        window_end = datetime.strptime(until, WINDOW_END_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return kind, object_id, window_end, reader


def settling_minute(key: str, now: datetime) -> str:
    """The minute (UTC, MINUTE_FORMAT) after which the key's batch is taken.

    For a key counted once: the minute in which its window ends, so that
    all repeats of a window wait for the same flush; else `now`'s minute.
    """
    if (parts := once_key_parts(key)) is not None:
        now = parts[2] - timedelta(seconds=1)
    return now.astimezone(UTC).strftime(MINUTE_FORMAT)


class _Pending:
    """Increments this process has not handed to the buffer yet.

    A busy page would otherwise talk to the buffer on every request; instead
    increments are summed here and pushed at most every
    NEWSROOM_COUNTER_PUSH_SECONDS by a timer thread (and at exit). A process
    killed outright loses at most that much.
    """

    lock = threading.Lock()
    counts: Counter = Counter()
    timer: threading.Timer | None = None


def _add_to_buffer(keys: list[str]) -> None:
    delay = settings.NEWSROOM_COUNTER_PUSH_SECONDS
    if delay <= 0:
        _push(Counter(keys))
        return
    with _Pending.lock:
        _Pending.counts.update(keys)
        if _Pending.timer is None:
            _Pending.timer = threading.Timer(delay, push_pending_counts)
            _Pending.timer.daemon = True
            _Pending.timer.start()


def push_pending_counts() -> None:
    """Hand this process's summed increments to the buffer now."""
    with _Pending.lock:
        counts, _Pending.counts = _Pending.counts, Counter()
        if _Pending.timer is not None:
            _Pending.timer.cancel()
            _Pending.timer = None
    if counts:
        _push(counts)


atexit.register(push_pending_counts)


def _push(counts: Counter) -> None:
    # Counting must never break a page: a buffer outage loses counts only.
    try:
        counter_buffer().add(counts)
    except Exception:
        logger.exception(
            "Counter buffer unavailable; %s increments lost", counts.total()
        )


@dataclass(frozen=True)
class Batch:
    key: str
    counts: Counter


class RedisCounterBuffer:
    """Increments in Redis hashes; a flush renames them to batch keys.

    Keys counted by their amount go to one pending hash, renamed by every
    flush; keys counted once per reader and window go to one hash per minute
    in which their window ends, renamed once that minute is over by a full
    minute (as the file buffer does). RENAME is atomic, so increments
    arriving during a flush go to a new hash and nothing is lost between
    reading and deleting.
    """

    def __init__(self, url: str, prefix: str):
        import redis

        # A reader's request may push (NEWSROOM_COUNTER_PUSH_SECONDS=0): it
        # waits no longer for a frozen Redis than the page cache does.
        timeout = settings.NEWSROOM_REDIS_TIMEOUT_SECONDS
        self.client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self.pending_key = f"{prefix}pending"
        self.batch_prefix = f"{prefix}batch:"

    def add(self, counts: Counter) -> None:
        now = timezone.now()
        pipeline = self.client.pipeline(transaction=False)
        for key, amount in counts.items():
            pending = self.pending_key
            if once_key_parts(key) is not None:
                pending = f"{pending}:{settling_minute(key, now)}"
            pipeline.hincrby(pending, key, amount)
        pipeline.execute()

    def batches(self, at: datetime) -> Iterator[Batch]:
        import redis

        settled = (at - timedelta(minutes=1)).astimezone(UTC).strftime(MINUTE_FORMAT)
        pending = [self.pending_key.encode()]
        for key in self.client.scan_iter(f"{self.pending_key}:*"):
            if key.rsplit(b":", 1)[1].decode() < settled:
                pending.append(key)
        for key in pending:
            # Nothing pending, or a flush running alongside took it.
            with contextlib.suppress(redis.ResponseError):
                self.client.rename(key, f"{self.batch_prefix}{uuid.uuid4().hex}")
        # Batches left by a crashed flush come along too.
        for batch_key in sorted(self.client.scan_iter(f"{self.batch_prefix}*")):
            fields = self.client.hgetall(batch_key)
            yield Batch(
                key=batch_key.decode(),
                counts=Counter({k.decode(): int(v) for k, v in fields.items()}),
            )

    def discard(self, batch: Batch) -> None:
        self.client.delete(batch.key)


class FileCounterBuffer:
    """Increments as lines in one file per process and minute.

    Writers append with O_APPEND to the file of the minute an increment
    settles in (`settling_minute`: the current one, or the one in which a
    reader's window ends); a flush only takes files of minutes that are
    over, so no writer still holds them, renaming each to a batch file.
    Needs no service: the embedded default for a single machine.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def add(self, counts: Counter) -> None:
        now = timezone.now()
        lines = defaultdict(list)
        for key, amount in counts.items():
            lines[settling_minute(key, now)].append(f"{key} {amount}\n")
        for minute, minute_lines in lines.items():
            path = self.directory / f"{minute}-{os.getpid()}.counts"
            self.append(path, "".join(minute_lines).encode())

    def append(self, path: Path, data: bytes) -> None:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except FileNotFoundError:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)

    def batches(self, at: datetime) -> Iterator[Batch]:
        if not self.directory.is_dir():
            return
        # A minute is taken once it is over by a full minute, leaving room
        # for writers whose clocks run a little behind.
        settled = (at - timedelta(minutes=1)).astimezone(UTC)
        cutoff = settled.strftime(MINUTE_FORMAT)
        for path in sorted(self.directory.glob("*.counts")):
            if path.name.split("-", 1)[0] < cutoff:
                # A name of its own: a late writer may start a new file of
                # the same minute, which must not pass for this batch.
                batch = path.with_name(f"{path.stem}-{uuid.uuid4().hex}.batch")
                with contextlib.suppress(FileNotFoundError):  # a flush took it
                    path.rename(batch)
        # Batches left by a crashed flush come along too.
        for path in sorted(self.directory.glob("*.batch")):
            try:
                counts = read_counts_file(path)
            except FileNotFoundError:
                continue  # a flush running alongside took it
            yield Batch(key=f"file:{path.name}", counts=counts)

    def discard(self, batch: Batch) -> None:
        (self.directory / batch.key.removeprefix("file:")).unlink(missing_ok=True)


def read_counts_file(path: Path) -> Counter:
    """Lines "key amount"; a damaged line counts as an unreadable key."""
    counts = Counter()
    for line in path.read_text(errors="replace").splitlines():
        key, _, amount = line.rpartition(" ")
        if key and amount.isdigit():
            counts[key] += int(amount)
        elif line:
            counts[f"unreadable:{line}"] += 1
    return counts


@cache
def _redis_buffer(url: str, prefix: str) -> RedisCounterBuffer:
    return RedisCounterBuffer(url, prefix)


def counter_buffer() -> RedisCounterBuffer | FileCounterBuffer:
    if settings.NEWSROOM_COUNTER_BUFFER == "redis":
        return _redis_buffer(
            settings.NEWSROOM_COUNTER_REDIS_URL, settings.NEWSROOM_COUNTER_PREFIX
        )
    return FileCounterBuffer(settings.NEWSROOM_COUNTER_DIR)


@dataclass
class FlushReport:
    batches: int = 0
    skipped_batches: int = 0
    views: int = 0
    impressions: int = 0
    clicks: int = 0
    repeats: int = 0
    ignored: int = 0

    def summary(self) -> str:
        return (
            f"{self.batches} batch(es) flushed, {self.skipped_batches} already "
            f"flushed; {self.views} views, {self.impressions} impressions, "
            f"{self.clicks} clicks; {self.repeats} repeats within "
            f"{settings.NEWSROOM_COUNT_REPEAT_SECONDS} s not counted"
        )


@dataclass
class ParsedCounts:
    views: Counter = field(default_factory=Counter)  # (article id, hour) → n
    impressions: Counter = field(default_factory=Counter)
    clicks: Counter = field(default_factory=Counter)
    # Increments of a reader's window beyond its first.
    repeats: int = 0
    ignored: int = 0


def parse_key(key: str) -> tuple[str, int, datetime | None, bool]:
    """(kind, object id, UTC hour of a view, counted once per window?) of a
    buffer key; ValueError for a damaged or unknown one."""
    kind, _, rest = key.partition(":")
    if kind not in ("view", "impression", "click"):
        raise ValueError(kind)
    if (parts := once_key_parts(key)) is not None:
        _kind, object_id, window_end, _reader = parts
        last_second = window_end - timedelta(seconds=1)
        return kind, int(object_id), last_second.replace(minute=0, second=0), True
    if kind == "view":
        article_id, hour = rest.split(":")
        moment = datetime.strptime(hour, HOUR_FORMAT).replace(tzinfo=UTC)
        return kind, int(article_id), moment, False
    return kind, int(rest), None, False


def parse_counts(counts: Counter, *, counted_once: set[str]) -> ParsedCounts:
    """Counts by object. A key counted once per reader and window counts 1,
    and only if it is not in `counted_once` (the keys of this flush's
    earlier batches), to which it is then added."""
    parsed = ParsedCounts()
    for key, amount in counts.items():
        try:
            kind, object_id, hour, once = parse_key(key)
        except ValueError:
            parsed.ignored += amount
            continue
        if once:
            if key in counted_once:
                parsed.repeats += amount
                continue
            counted_once.add(key)
            parsed.repeats += max(amount - 1, 0)
            amount = 1
        match kind:
            case "view":
                parsed.views[object_id, hour] += amount
            case "impression":
                parsed.impressions[object_id] += amount
            case "click":
                parsed.clicks[object_id] += amount
    return parsed


def flush_counts(*, buffer=None, at: datetime | None = None) -> FlushReport:
    """Add every finished buffer batch to the database, each exactly once."""
    push_pending_counts()
    buffer = buffer or counter_buffer()
    at = at or timezone.now()
    report = FlushReport()
    # A reader's window may reach this flush in several batches (one per web
    # process with the file buffer, or left by a crashed flush).
    counted_once = set()
    for batch in buffer.batches(at):
        parsed = parse_counts(batch.counts, counted_once=counted_once)
        with transaction.atomic():
            if _claim_batch(batch.key):
                _apply_counts(parsed)
                report.batches += 1
                report.views += parsed.views.total()
                report.impressions += parsed.impressions.total()
                report.clicks += parsed.clicks.total()
                report.repeats += parsed.repeats
                report.ignored += parsed.ignored
            else:
                report.skipped_batches += 1
        buffer.discard(batch)
    HourlyViews.objects.filter(hour__lt=at - HOURLY_VIEWS_KEPT).delete()
    FlushedCounterBatch.objects.filter(flushed_at__lt=at - timedelta(days=30)).delete()
    return report


def _claim_batch(key: str) -> bool:
    """Record `key` as flushed; False if another flush already did."""
    try:
        with transaction.atomic():
            FlushedCounterBatch.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def _apply_counts(parsed: ParsedCounts) -> None:
    """Add the counts in a handful of bulk statements, whatever their number
    (one UPDATE … FROM (VALUES …) per ROWS_PER_STATEMENT objects)."""
    views_by_article = defaultdict(int)
    for (article_id, _hour), amount in parsed.views.items():
        views_by_article[article_id] += amount
    existing = set(
        Article.objects.filter(pk__in=views_by_article).values_list("pk", flat=True)
    )
    add_to_counter(
        Article,
        "view_count",
        {pk: amount for pk, amount in views_by_article.items() if pk in existing},
    )
    add_hourly_views(
        {
            (article_id, hour): amount
            for (article_id, hour), amount in parsed.views.items()
            if article_id in existing
        }
    )
    add_to_counter(SponsoredSlot, "impression_count", parsed.impressions)
    add_to_counter(SponsoredSlot, "click_count", parsed.clicks)


# Two or three parameters a row: well under SQLite's 32,766 per statement.
ROWS_PER_STATEMENT = 2000


def add_to_counter(model, field_name: str, amounts: dict[int, int]) -> None:
    """`field += amount` for each {pk: amount}; rows that are gone are skipped.

    Unnamed VALUES columns are column1, column2 on PostgreSQL and SQLite
    alike, and both know UPDATE … FROM.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column = quote(model._meta.get_field(field_name).column)
    with connection.cursor() as cursor:
        for rows in batched(sorted(amounts.items()), ROWS_PER_STATEMENT, strict=False):
            values = ", ".join(["(%s, %s)"] * len(rows))
            cursor.execute(
                f"UPDATE {table} SET {column} = {table}.{column} + counts.column2 "
                f"FROM (VALUES {values}) AS counts "
                f"WHERE {table}.{quote('id')} = counts.column1",
                [value for row in rows for value in row],
            )


def add_hourly_views(amounts: dict[tuple[int, datetime], int]) -> None:
    """Add to each (article, hour) row of HourlyViews, creating missing ones;
    a concurrent flush's row is added to, not overwritten."""
    table = connection.ops.quote_name(HourlyViews._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for rows in batched(sorted(amounts.items()), ROWS_PER_STATEMENT, strict=False):
            values = ", ".join(["(%s, %s, %s)"] * len(rows))
            cursor.execute(
                f"INSERT INTO {table} (article_id, hour, views) VALUES {values} "
                "ON CONFLICT (article_id, hour) DO UPDATE "
                f"SET views = {table}.views + excluded.views",
                [
                    value
                    for (article_id, hour), amount in rows
                    for value in (article_id, adapt(hour), amount)
                ],
            )
