"""Side effects of articles going live or being withdrawn, caught up by a job.

Visibility needs no job (DESIGN.md 1): an article is public from its time on
every surface. What does need one are effects outside the database: purging
cached pages (and any CDN) at the moment a scheduled article goes live or
an embargo ends, and pinging services that want to know. The job handles
everything between where it stopped last and now, so a job that did not run
for an hour catches up; the mark is locked while it works, so two runs at
once do the work once.
"""

import logging
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, ArticleTransition, JobMark
from articles.purging import purge_pages

logger = logging.getLogger(__name__)

JOB = "publication_events"
# A first run looks back this far (a new installation has nothing older).
FIRST_LOOK_BACK = timedelta(days=1)
OVERLAP = timedelta(minutes=5)


@dataclass
class PublicationEvents:
    since: datetime
    until: datetime
    went_live: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    failed_pings: list[str] = field(default_factory=list)
    # The page cache could not be reached: the next run covers this window
    # again (its mark stays where it was).
    purge_failed: bool = False

    def summary(self) -> str:
        return (
            f"{self.since:%Y-%m-%d %H:%M:%S} – {self.until:%H:%M:%S}: "
            f"{len(self.went_live)} live, {len(self.withdrawn)} withdrawn"
            + (
                f", {len(self.failed_pings)} ping(s) failed"
                if self.failed_pings
                else ""
            )
            + (", page cache unreachable" if self.purge_failed else "")
        )


def process_publication_events(*, at: datetime | None = None) -> PublicationEvents:
    """Run the side effects of everything that went live or was withdrawn
    since the last run.

    The window reaches OVERLAP back before the last run's end: a change
    timestamped before a run but committed after it is caught by the next
    run (side effects are idempotent: a purge or ping twice does no harm).
    """
    at = at or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                JobMark.objects.get_or_create(
                    name=JOB, defaults={"done_until": at - FIRST_LOOK_BACK}
                )
        except IntegrityError:
            pass  # a first run alongside created it a moment ago
        mark = JobMark.objects.select_for_update().get(name=JOB)
        events = PublicationEvents(since=mark.done_until, until=at)
        if at <= mark.done_until:
            return events  # a run alongside already got this far
        since = mark.done_until - OVERLAP
        # A range on the indexed visible_from, not the whole table.
        went_live = set(
            Article.objects.filter(visible_from__gt=since, visible_from__lte=at)
            .order_by()
            .values_list("pk", flat=True)
        )
        # Published now with a time in the past (or republished): the
        # transition, not the publication time, says when it went live.
        went_live |= set(
            ArticleTransition.objects.filter(
                to_status=Article.Status.PUBLISHED, at__gt=since, at__lte=at
            )
            .filter(article__in=Article.objects.published(at))
            .values_list("article_id", flat=True)
        )
        events.went_live = sorted(went_live)
        events.withdrawn = sorted(
            set(
                ArticleTransition.objects.filter(
                    to_status=Article.Status.WITHDRAWN, at__gt=since, at__lte=at
                ).values_list("article_id", flat=True)
            )
        )
        mark.done_until = at
        mark.save(update_fields=["done_until"])
    if events.went_live or events.withdrawn:
        # After the commit: slow pings must not hold the lock (on SQLite the
        # database's write lock).
        if not purge_pages():
            # Redis is away, and this process ends before it is back: the
            # next run goes over the window again and purges (unless a run
            # alongside has already moved the mark on).
            events.purge_failed = True
            JobMark.objects.filter(name=JOB, done_until=at).update(
                done_until=events.since
            )
        events.failed_pings = ping_subscribers()
    return events


def ping_subscribers() -> list[str]:
    """Tell NEWSROOM_PUBLICATION_PING_URLS that the site changed.

    Failures are logged and reported, never fatal: the next change pings again.
    """
    failed = []
    for url in settings.NEWSROOM_PUBLICATION_PING_URLS:
        try:
            request = urllib.request.Request(url, method="POST", data=b"")
            with urllib.request.urlopen(request, timeout=5):
                pass
        except OSError as error:
            logger.warning("Ping to %s failed: %s", url, error)
            failed.append(url)
    return failed
