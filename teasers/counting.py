"""View, impression and click counts: buffered on request, flushed by a job.

A page request only adds one increment to a buffer outside the database
(Redis when REDIS_URL is set, else small append-only files under var/); the
`flush_counts` command moves whole buffer batches into the database. Each
batch is applied in one transaction that also records the batch's key, so a
flush that crashes after committing and runs again skips the batch instead of
counting it twice; a crash before committing leaves the batch to the next run.

Buffer keys are "view:<article id>:<UTC hour>", "impression:<slot id>" and
"click:<slot id>".
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
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article
from articles.public.signals import article_page_served
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
# "Meistgelesen" looks back at most 7 days; one more day of hours is kept.
HOURLY_VIEWS_KEPT = timedelta(days=8)


def is_counted_request(request: HttpRequest) -> bool:
    """A reader's GET: no bot, no logged-in editor looking at the site."""
    user_agent = request.headers.get("User-Agent", "")
    if request.method != "GET" or not user_agent or BOT_USER_AGENT.search(user_agent):
        return False
    return not request.user.is_authenticated


def count_article_view(
    request: HttpRequest, article_id: int, slot_ids: Iterable[int] = ()
) -> None:
    """A reader's view of an article page, and the impressions of the
    sponsored slots shown under it."""
    if is_counted_request(request):
        hour = timezone.now().astimezone(UTC).strftime(HOUR_FORMAT)
        _add_to_buffer(
            [f"view:{article_id}:{hour}", *(f"impression:{i}" for i in slot_ids)]
        )


@receiver(article_page_served)
def count_article_page_view(sender, *, request, article_id, facts, **kwargs):
    """The article page (in `articles`) says it was served; count it here."""
    count_article_view(request, article_id, facts.get("slot_ids", ()))


def count_impressions(request: HttpRequest, slot_ids: Iterable[int]) -> None:
    if slot_ids and is_counted_request(request):
        _add_to_buffer([f"impression:{slot_id}" for slot_id in slot_ids])


def count_click(request: HttpRequest, slot_id: int) -> None:
    if is_counted_request(request):
        _add_to_buffer([f"click:{slot_id}"])


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
    """Increments in one Redis hash; a flush renames it to a batch key.

    RENAME is atomic, so increments arriving during a flush go to a new
    pending hash and nothing is lost between reading and deleting.
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
        pipeline = self.client.pipeline(transaction=False)
        for key, amount in counts.items():
            pipeline.hincrby(self.pending_key, key, amount)
        pipeline.execute()

    def batches(self, at: datetime) -> Iterator[Batch]:
        import redis

        with contextlib.suppress(redis.ResponseError):  # nothing pending
            self.client.rename(
                self.pending_key, f"{self.batch_prefix}{uuid.uuid4().hex}"
            )
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

    Writers append with O_APPEND to the current minute's file; a flush only
    takes files of minutes that are over, so no writer still holds them.
    Needs no service: the embedded default for a single machine.
    """

    MINUTE_FORMAT = "%Y%m%d%H%M"

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def add(self, counts: Counter) -> None:
        minute = timezone.now().astimezone(UTC).strftime(self.MINUTE_FORMAT)
        path = self.directory / f"{minute}-{os.getpid()}.counts"
        data = "".join(f"{key} {amount}\n" for key, amount in counts.items()).encode()
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
        cutoff = settled.strftime(self.MINUTE_FORMAT)
        for path in sorted(self.directory.glob("*.counts")):
            if path.name.split("-", 1)[0] >= cutoff:
                continue
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
    ignored: int = 0

    def summary(self) -> str:
        return (
            f"{self.batches} batch(es) flushed, {self.skipped_batches} already "
            f"flushed; {self.views} views, {self.impressions} impressions, "
            f"{self.clicks} clicks"
        )


@dataclass
class ParsedCounts:
    views: Counter = field(default_factory=Counter)  # (article id, hour) → n
    impressions: Counter = field(default_factory=Counter)
    clicks: Counter = field(default_factory=Counter)
    ignored: int = 0


def parse_counts(counts: Counter) -> ParsedCounts:
    parsed = ParsedCounts()
    for key, amount in counts.items():
        kind, _, rest = key.partition(":")
        try:
            match kind:
                case "view":
                    article_id, hour = rest.split(":")
                    moment = datetime.strptime(hour, HOUR_FORMAT).replace(tzinfo=UTC)
                    parsed.views[int(article_id), moment] += amount
                case "impression":
                    parsed.impressions[int(rest)] += amount
                case "click":
                    parsed.clicks[int(rest)] += amount
                case _:
                    raise ValueError(kind)
        except ValueError:
            parsed.ignored += amount
    return parsed


def flush_counts(*, buffer=None, at: datetime | None = None) -> FlushReport:
    """Add every finished buffer batch to the database, each exactly once."""
    push_pending_counts()
    buffer = buffer or counter_buffer()
    at = at or timezone.now()
    report = FlushReport()
    for batch in buffer.batches(at):
        parsed = parse_counts(batch.counts)
        with transaction.atomic():
            if _claim_batch(batch.key):
                _apply_counts(parsed)
                report.batches += 1
                report.views += parsed.views.total()
                report.impressions += parsed.impressions.total()
                report.clicks += parsed.clicks.total()
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
    views_by_article = defaultdict(int)
    for (article_id, _hour), amount in parsed.views.items():
        views_by_article[article_id] += amount
    existing = set(
        Article.objects.filter(pk__in=views_by_article).values_list("pk", flat=True)
    )
    for article_id, amount in views_by_article.items():
        if article_id in existing:
            Article.objects.filter(pk=article_id).update(
                view_count=F("view_count") + amount
            )
    for (article_id, hour), amount in parsed.views.items():
        if article_id in existing:
            _add_hourly_views(article_id, hour, amount)
    for slot_id, amount in parsed.impressions.items():
        SponsoredSlot.objects.filter(pk=slot_id).update(
            impression_count=F("impression_count") + amount
        )
    for slot_id, amount in parsed.clicks.items():
        SponsoredSlot.objects.filter(pk=slot_id).update(
            click_count=F("click_count") + amount
        )


def _add_hourly_views(article_id: int, hour: datetime, amount: int) -> None:
    rows = HourlyViews.objects.filter(article_id=article_id, hour=hour)
    if rows.update(views=F("views") + amount):
        return
    try:
        with transaction.atomic():
            HourlyViews.objects.create(article_id=article_id, hour=hour, views=amount)
    except IntegrityError:
        # A concurrent flush created the row first; add to it instead.
        rows.update(views=F("views") + amount)
