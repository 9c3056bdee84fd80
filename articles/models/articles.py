"""Articles and the photos they use."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.fulltext import filter_articles, match_articles
from articles.models.counters import KeepsCounters
from articles.models.fields import CleanCharField, CleanTextField, CleanURLField
from articles.models.photos import (
    Photo,
    PhotoUse,
    ShownPhoto,
    credit_line_for,
    register_photo_use_finder,
    usable_photo_q,
)
from articles.models.taxonomy import (
    Agency,
    Author,
    Region,
    Section,
    Tag,
    german_slugify,
)
from articles.sanitising import sanitise_body_html
from newsroom.perf.url_formats import UrlFormat

TEASER_FIELDS = (
    "id",
    "kicker",
    "headline",
    "slug",
    "teaser",
    "section__slug",
    "first_published_at",
    "updated_at",
    "view_count",
    "is_top",
    # "Eil" on every teaser, in lists and search results as in rails.
    "breaking_until",
    # A running live ticker's teaser says "Live" (teasers/badges.py).
    "is_live_ticker",
    "live_ended_at",
)


# The years whose days public pages, search and export accept (archive
# addresses, ?von=/?bis=, ?since=). Python's dates end with the years 1 and
# 9999, and at those edges the day before, the day after or midnight in UTC
# does not exist: date arithmetic would raise instead of answering.
ARCHIVE_YEARS = range(1000, 9999)


def validate_archive_day(day: date) -> None:
    if day.year not in ARCHIVE_YEARS:
        raise ValidationError(
            _("Bitte ein Datum zwischen den Jahren %(first)d und %(last)d angeben."),
            code="out_of_archive",
            params={"first": ARCHIVE_YEARS[0], "last": ARCHIVE_YEARS[-1]},
        )


def start_of_day(day: date) -> datetime:
    """Midnight of `day` on the site's clock (Europe/Berlin)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


# Optional search-engine and social-network fields (each falls back to
# headline, teaser or lead photo): edited in one admin section, kept in
# revisions.
SEARCH_AND_SOCIAL_FIELDS = (
    "seo_title",
    "meta_description",
    "social_title",
    "social_teaser",
    "social_photo",
    "noindex",
    "canonical_url",
)

# What visible_from is derived from (release_time()).
RELEASE_FIELDS = frozenset(
    {
        "status",
        "published_at",
        "embargo_until",
        "embargo_time_unknown",
        "agency_status",
        "deleted_at",
    }
)

ARTICLE_ADDRESS = UrlFormat("articles:detail", "slug", "slug", "int")


def article_url(section_slug: str, slug: str, pk: int) -> str:
    return ARTICLE_ADDRESS(section_slug, slug or "artikel", pk)


def article_urls():
    """article_url() for the many addresses of one response (a sitemap)."""
    address = ARTICLE_ADDRESS.for_many()
    return lambda section_slug, slug, pk: address(section_slug, slug or "artikel", pk)


def item_urn(kind: str, pk: int) -> str:
    """A stable id for feeds and syndication: "urn:newsroom:rheinblick:article:42".

    Unlike an article's address it survives changes of slug, section and host.
    """
    site = german_slugify(settings.NEWSROOM_SITE_NAME) or "newsroom"
    return f"urn:newsroom:{site}:{kind}:{pk}"


def goes_live_at(published_at: datetime, embargo_until: datetime | None) -> datetime:
    """When a published article goes live: the later of its publication time
    and its embargo end (the one place that says so; visible_from, the
    first publication and first_seen_at() all follow it)."""
    return max(published_at, embargo_until or published_at)


def first_seen_at(
    first_published_at: datetime | None,
    published_at: datetime | None,
    embargo_until: datetime | None,
) -> datetime | None:
    """When readers could first see an article (for rows and models alike).

    The publishing service records it; without a record, it is when the
    article goes live (goes_live_at()).
    """
    if first_published_at or published_at is None:
        return first_published_at
    return goes_live_at(published_at, embargo_until)


def reader_time(moment: datetime) -> str:
    """A time as articles show it: "3. Dezember 2026, 18:00 Uhr"."""
    return _("%(time)s Uhr") % {
        "time": date_format(timezone.localtime(moment), "j. F Y, H:i")
    }


def release_time(
    *,
    status: str,
    published_at: datetime | None,
    embargo_until: datetime | None,
    embargo_time_unknown: bool,
    agency_status: str,
    deleted_at: datetime | None = None,
) -> datetime | None:
    """When readers may see an article in this state: the later of its
    publication time and embargo end; None while nothing would show it
    (not published, withdrawn, an embargo without a time, withheld by
    the agency, in the trash)."""
    if (
        deleted_at is not None
        or status != Article.Status.PUBLISHED
        or published_at is None
        or embargo_time_unknown
        or agency_status == Article.AgencyStatus.WITHHELD
    ):
        return None
    return goes_live_at(published_at, embargo_until)


def trash_cutoff(at: datetime | None = None) -> datetime:
    """Whatever went to the trash before this moment may be deleted for good."""
    return (at or timezone.now()) - timedelta(days=settings.NEWSROOM_TRASH_DAYS)


def last_changed_at(modified_at: datetime, first_seen: datetime | None) -> datetime:
    """The last save, but never before readers first saw it (a scheduled
    article saved yesterday changes for the public when it goes live)."""
    return max(modified_at, first_seen) if first_seen else modified_at


class ArticleQuerySet(models.QuerySet):
    def for_search_engines(self):
        """Articles a sitemap lists: not marked noindex, and with their own
        address as the canonical one (not first published elsewhere)."""
        return self.filter(noindex=False, canonical_url="")

    def published(self, at: datetime | None = None):
        """Articles the public may see at `at` (default: now).

        The one visibility rule: every public page, rail and feed starts here.
        It compares one stored column, `visible_from` (see
        `release_time()`), so that the partial indexes on published
        rows serve every list; status, embargo, an unknown embargo time and
        an agency's "withheld" are folded into it when the row is saved.
        """
        return self.filter(visible_from__lte=at or timezone.now())

    def breaking_news(self, at: datetime | None = None) -> list[dict]:
        """The breaking news the banner shows at `at`, and those to come.

        Rows (`pk`, `headline`, `slug`, `section__slug`, `visible_from`,
        `breaking_until`) of published articles flagged as "Eilmeldung" at
        `at`, then of articles going live later while still flagged; one
        query (a few rows: the flag lasts minutes), whose rows say when the
        banner changes by itself.
        """
        at = at or timezone.now()
        fields = ("pk", "headline", "slug", "section__slug")
        fields += ("visible_from", "breaking_until")
        now_shown = self.published(at).filter(breaking_until__gt=at)
        to_come = self.filter(visible_from__gt=at, breaking_until__gt=F("visible_from"))
        return list(
            now_shown.order_by()
            .values(*fields)
            .union(to_come.order_by().values(*fields))
            .order_by()
        )

    def next_visibility_change(self, at: datetime | None = None) -> datetime | None:
        """The next moment after `at` when a published article goes live.

        One ordered LIMIT 1 over the partial index on `visible_from`.
        """
        return (
            self.filter(visible_from__gt=at or timezone.now())
            .order_by("visible_from")
            .values_list("visible_from", flat=True)
            .first()
        )

    def bulk_create(self, objs, *args, **kwargs):
        # Every insert carries the visibility its state implies, also one
        # that skips fill_derived_fields().
        objs = list(objs)
        for article in objs:
            article.fill_visible_from()
        return super().bulk_create(objs, *args, **kwargs)

    def withdrawn(self):
        return self.filter(status=Article.Status.WITHDRAWN)

    def gone(self, at: datetime | None = None):
        """Articles whose page answers 410 Gone: withdrawn, or moved to the
        trash after readers saw them."""
        return self.filter(
            Q(status=Article.Status.WITHDRAWN)
            | Q(deleted_at__isnull=False, first_published_at__lte=at or timezone.now())
        )

    def taken_down(self, at: datetime | None = None):
        """Articles readers saw once and may not see now: withdrawn (by an
        editor or an agency's kill), withheld by the agency, or moved to
        the trash.

        What was never public (drafts, embargoed stories) is not among
        them: telling about it would give it away.
        """
        return self.filter(
            Q(status=Article.Status.WITHDRAWN)
            | Q(agency_status=Article.AgencyStatus.WITHHELD)
            | Q(deleted_at__isnull=False),
            first_published_at__lte=at or timezone.now(),
        )

    def not_in_trash(self):
        """What the admin's lists, the dashboard and the workflow work on."""
        return self.filter(deleted_at__isnull=True)

    def returned_to(self, user):
        """Sent back ("Zurückgegeben") and waiting on `user` to fix them."""
        return self.not_in_trash().filter(assigned_to=user, sent_back__isnull=False)

    def waiting_on(self, user):
        """Open work assigned to `user` or to a group of theirs (not sent
        back: that is `returned_to`)."""
        return (
            self.not_in_trash()
            .exclude(
                status__in=[self.model.Status.PUBLISHED, self.model.Status.WITHDRAWN]
            )
            .filter(sent_back__isnull=True)
            .filter(
                Q(assigned_to=user) | Q(assigned_group__in=user.groups.values("pk"))
            )
        )

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def trash_expired(self, at: datetime | None = None):
        """In the trash for longer than NEWSROOM_TRASH_DAYS: what
        empty_trash deletes for good."""
        return self.filter(deleted_at__lte=trash_cutoff(at))

    def scheduled(self, at: datetime | None = None):
        """Published, but their publication time is still to come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=at or timezone.now()
        )

    def embargoed(self, at: datetime | None = None):
        return self.filter(embargo_until__gt=at or timezone.now())

    def agency_drafts(self):
        """Agency stories imported as drafts that no one has taken on yet."""
        return self.filter(status=Article.Status.DRAFT).exclude(external_id="")

    def with_pending_changes(self):
        """Live articles whose saved change readers do not see yet."""
        return self.filter(pending_revision__isnull=False)

    def with_agency_update_waiting(self):
        """Agency updates stored but not applied, because of a local edit."""
        return self.filter(pending_agency_version__isnull=False)

    def embargo_time_missing(self):
        """Embargoed by the agency without a time: hidden until one is set."""
        return self.filter(embargo_time_unknown=True).exclude(
            status=Article.Status.WITHDRAWN
        )

    def in_section(self, section: Section):
        return self.filter(section=section)

    def in_region(self, region: "Region | int"):
        return self.filter(regions=region)

    def tagged(self, tag: "Tag | int"):
        return self.filter(tags=tag)

    def by_author(self, author: "Author | int"):
        return self.filter(authors=author)

    def from_agency(self, agency: "Agency | int"):
        return self.filter(agency=agency)

    def published_between(
        self, first_day: date | None = None, last_day: date | None = None
    ):
        """Publication time on the days from `first_day` to `last_day`.

        Days are the site's (Europe/Berlin), of ARCHIVE_YEARS; either end
        may be open. A range on the column, not a date cast, so the index
        serves it.
        """
        articles = self
        if first_day:
            articles = articles.filter(published_at__gte=start_of_day(first_day))
        if last_day:
            next_day = last_day + timedelta(days=1)
            articles = articles.filter(published_at__lt=start_of_day(next_day))
        return articles

    def matching(self, text: str):
        """Full-text matches for a reader's `text`, best first, among the
        newest NEWSROOM_SEARCH_CANDIDATES matches.

        PostgreSQL ranks with German stemming, SQLite with FTS5's bm25
        (see articles/fulltext.py). Filter first, match last.
        """
        return match_articles(
            self, text, candidates=settings.NEWSROOM_SEARCH_CANDIDATES
        )

    def containing(self, text: str):
        """Articles whose text matches `text`, unranked (articles/fulltext.py)."""
        return filter_articles(self, text)

    def newest_first(self):
        """By the time readers could first see each article (its release:
        publication or embargo end, whichever is later), newest first.

        Every public list, rail, feed, search tie and the export order by
        this, and pages show the same time (`Article.first_seen_at`): an
        embargoed story sorts where readers saw it appear, not where it was
        filed. The release is the stored `visible_from`, so the partial
        indexes on it serve the order at any archive size. Rows readers
        cannot see (no `visible_from`: the export's takedowns) come first on
        both databases, as PostgreSQL's descending index has them.
        """
        return self.order_by(F("visible_from").desc(nulls_first=True), "-pk")

    def agency_item(self, agency, external_id: str):
        """The article of this agency story, found through the unique index.

        The index covers non-empty ids only, and SQLite uses such a partial
        index only when the query states its condition itself; without it,
        every lookup reads all of the agency's articles.
        """
        return self.filter(agency=agency, external_id=external_id).exclude(
            external_id=""
        )

    def teaser_rows(self):
        """Plain rows with what a teaser shows (no body, no model instances).

        Listings show dozens of teasers; rows cost a fraction of models.
        """
        return self.values(*TEASER_FIELDS)

    def for_listing(self, at: datetime | None = None):
        """Section and the photos the public may see, in a fixed query count."""
        return (
            self.select_related("section")
            # Listings never show the body; it is the largest column by far.
            .defer("body")
            .prefetch_related(
                Prefetch(
                    "article_photos",
                    queryset=ArticlePhoto.objects.usable(at),
                    to_attr="usable_photo_uses",
                )
            )
        )

    def for_detail(self, at: datetime | None = None):
        return (
            self.for_listing(at)
            .defer(None)
            .select_related("agency")
            .prefetch_related("authors", "corrections")
        )

    def for_feed(self):
        """What a feed entry names besides its teaser: section, authors, agency."""
        return (
            self.select_related("section", "agency")
            .defer("body")
            .prefetch_related("authors")
        )

    def for_export(self, at: datetime | None = None):
        """Everything the ninjs export sends, in a fixed number of queries."""
        return (
            self.for_listing(at)
            .defer(None)
            .select_related("agency")
            .prefetch_related("authors", "tags", "regions")
        )


class Article(KeepsCounters):
    class AgencyStatus(models.TextChoices):
        NONE = "", _("–")
        USABLE = "usable", _("freigegeben")
        WITHHELD = "withheld", _("zurückgehalten")
        CANCELED = "canceled", _("zurückgezogen (Kill)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")
        APPROVED = "approved", _("Freigegeben")
        # Published with a future publication time shows as "Geplant".
        PUBLISHED = "published", _("Veröffentlicht")
        WITHDRAWN = "withdrawn", _("Zurückgezogen")

    # As long as agencies send them (dpa headlines reach some 250
    # characters); longer ones are cut with a warning in the import report.
    kicker = CleanCharField(_("Dachzeile"), max_length=200, blank=True)
    headline = CleanCharField(_("Überschrift"), max_length=300)
    slug = models.SlugField(
        _("Kurzname (URL)"),
        max_length=200,
        blank=True,
        help_text=_("Wird aus der Überschrift gebildet, wenn leer."),
    )
    teaser = CleanTextField(_("Vorspann"), blank=True)
    body = CleanTextField(
        _("Text"),
        blank=True,
        help_text=_("HTML; unerlaubte Elemente und Attribute werden entfernt."),
    )
    byline = CleanCharField(
        _("Autorenzeile"),
        max_length=200,
        blank=True,
        help_text=_("Wie geliefert, z. B. „Von Andrej Sokolow, dpa“."),
    )
    dateline = CleanCharField(
        _("Ortsmarke"),
        max_length=100,
        blank=True,
        help_text=_("Erscheint vor dem ersten Absatz, z. B. „Mountain View“."),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("Ressort"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("Autoren"), blank=True, related_name="articles"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Agentur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("Regionen"), blank=True, related_name="articles"
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("Schlagwörter"), blank=True, related_name="articles"
    )
    is_top = models.BooleanField(
        _("Top-Thema"),
        default=False,
        help_text=_(
            "Zeigt das Abzeichen „Top“ überall, wo der Artikel angeteasert wird."
        ),
    )
    is_live_ticker = models.BooleanField(
        _("Liveticker"),
        default=False,
        help_text=_(
            "Der Artikel ist ein Liveticker: Vorspann und Text oben, darunter "
            "Einträge mit Uhrzeit, die neuesten zuerst."
        ),
    )
    # Set by the desk's "Ticker beenden" (articles/workflow/live_ticker.py).
    live_ended_at = models.DateTimeField(
        _("Ticker beendet am"), null=True, blank=True, editable=False
    )
    # Search engines and social networks (all optional; page_meta.py falls
    # back to headline, teaser and lead photo).
    seo_title = CleanCharField(
        _("SEO-Titel"),
        max_length=200,
        blank=True,
        help_text=_("Titel in Suchergebnissen, wenn er anders lauten soll."),
    )
    meta_description = CleanTextField(
        _("Meta-Beschreibung"),
        blank=True,
        help_text=_("Text unter dem Titel in Suchergebnissen; sonst der Vorspann."),
    )
    social_title = CleanCharField(
        _("Titel für soziale Netzwerke"), max_length=200, blank=True
    )
    social_teaser = CleanTextField(_("Text für soziale Netzwerke"), blank=True)
    social_photo = models.ForeignKey(
        "articles.Photo",
        verbose_name=_("Bild für soziale Netzwerke"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Im Format 1,91:1 zugeschnitten, mit Bildnachweis; sonst das erste Foto."
        ),
    )
    noindex = models.BooleanField(
        _("Nicht in Suchmaschinen (noindex)"),
        default=False,
        help_text=_(
            "Die Seite bleibt öffentlich, Suchmaschinen sollen sie nicht führen."
        ),
    )
    canonical_url = CleanURLField(
        _("Kanonische Adresse"),
        max_length=500,
        blank=True,
        help_text=_(
            "Nur wenn der Text zuerst anderswo erschien: die absolute Adresse "
            "des Originals."
        ),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
    )
    first_published_at = models.DateTimeField(
        _("Erstmals veröffentlicht"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(
        _("Veröffentlichungszeit"),
        null=True,
        blank=True,
        help_text=_("Liegt sie in der Zukunft, geht der Artikel dann online."),
    )
    breaking_until = models.DateTimeField(
        _("Eilmeldung bis"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Bis dahin zeigt jede Seite das Eilmeldungs-Band, der Teaser „Eil“."
        ),
    )
    updated_at = models.DateTimeField(
        _("Aktualisiert am"),
        null=True,
        blank=True,
        help_text=_(
            "Zeit der letzten inhaltlichen Aktualisierung (zeigt „Update“); "
            "Tippfehler-Korrekturen setzen sie nicht."
        ),
    )
    embargo_until = models.DateTimeField(
        _("Sperrfrist bis"),
        null=True,
        blank=True,
        help_text=_("Bis zu diesem Zeitpunkt ist der Artikel nirgends öffentlich."),
    )
    # Derived on every save from status, publication time, embargo and the
    # agency's status (release_time()): the column the visibility rule and
    # its partial indexes compare, so the rule needs no OR at query time.
    visible_from = models.DateTimeField(
        _("Sichtbar ab"), null=True, blank=True, editable=False
    )
    # Identity and state of the agency item this article came from.
    external_id = models.CharField(
        _("Agentur-Kennung"), max_length=255, blank=True, editable=False
    )
    agency_version = models.PositiveIntegerField(
        _("Agentur-Version"), default=0, editable=False
    )
    agency_version_created = models.DateTimeField(
        _("Agentur-Versionszeit"), null=True, blank=True, editable=False
    )
    agency_status = models.CharField(
        _("Agentur-Status"),
        max_length=20,
        choices=AgencyStatus.choices,
        blank=True,
        default=AgencyStatus.NONE,
        editable=False,
    )
    embargo_time_unknown = models.BooleanField(
        _("Sperrfrist ohne Zeit"),
        default=False,
        help_text=_(
            "Die Agentur meldet eine Sperrfrist ohne Zeitpunkt: bis eine Zeit "
            "eingetragen und dieses Häkchen entfernt ist, bleibt der Artikel "
            "unsichtbar."
        ),
    )
    # Set when an editor saves an imported article: later agency versions are
    # stored but not applied, and the editor is alerted.
    locally_edited = models.BooleanField(
        _("Lokal bearbeitet"), default=False, editable=False
    )
    pending_agency_version = models.PositiveIntegerField(
        _("Neuere Agentur-Version wartet"), null=True, blank=True, editable=False
    )
    # "Live + Entwurf": the saved change of a live article that readers do
    # not see yet (a draft revision); the row keeps the live text.
    pending_revision = models.ForeignKey(
        "articles.ArticleRevision",
        verbose_name=_("Unveröffentlichte Änderungen"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(
        _("Zurückgezogen am"), null=True, blank=True, editable=False
    )
    withdrawal_reason = CleanTextField(
        _("Grund für das Zurückziehen"), blank=True, editable=False
    )
    view_count = models.PositiveIntegerField(_("Aufrufe"), default=0, editable=False)
    # Only flush_counts writes it (articles/models/counters.py).
    COUNTER_FIELDS = ("view_count",)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Who works on the article next (issue #17): a person, or a group such
    # as the desk; "Meine Aufgaben" on the dashboard lists it. Set only by
    # services.assign_article and services.send_back.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Zuständig"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_articles",
    )
    assigned_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("Zuständige Gruppe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="assigned_articles",
    )
    # The send-back ("Zurückgegeben") this draft is waiting on, with its
    # reason; any later state change clears it.
    sent_back = models.ForeignKey(
        "articles.ArticleTransition",
        verbose_name=_("Zurückgegeben"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Counts content saves; the edit form carries it to refuse overwriting a
    # newer version (optimistic locking).
    version = models.PositiveIntegerField(_("Fassung"), default=0, editable=False)
    # Part of every shared preview link's signature: withdrawing the article
    # moves it on, so no link made before works again, even after the
    # article went back to draft.
    preview_epoch = models.PositiveIntegerField(
        _("Vorschau-Link-Generation"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    modified_at = models.DateTimeField(_("Zuletzt gespeichert"), auto_now=True)
    # In the trash ("Papierkorb") since: hidden from readers (folded into
    # visible_from) and from the admin's lists, restorable with its
    # revisions until empty_trash deletes it (articles/workflow/trash.py).
    deleted_at = models.DateTimeField(
        _("Im Papierkorb seit"), null=True, blank=True, editable=False
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gelöscht von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Artikel")
        verbose_name_plural = _("Artikel")
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_article", _("Kann Artikel veröffentlichen")),
            ("approve_article", _("Kann Artikel freigeben")),
            (
                "empty_trash",
                _("Kann den Papierkorb leeren (Artikel und Fotos endgültig löschen)"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            # Imports look stories up by agency id alone, file by file.
            models.Index(fields=["external_id"]),
            # Partial indexes on published rows: a comparison with
            # visible_from implies "IS NOT NULL", so both PostgreSQL and
            # SQLite use them for published(at). Newest lists (front page
            # rails, feeds, search by date), sections, and the moments
            # (next change, news sitemap, ninjs).
            models.Index(
                fields=["-visible_from", "-id"],
                condition=Q(visible_from__isnull=False),
                name="article_published_newest",
            ),
            # The admin's list of every article, newest first.
            models.Index(fields=["-published_at", "-id"], name="article_newest"),
            models.Index(
                fields=["section", "-visible_from", "-id"],
                condition=Q(visible_from__isnull=False),
                name="article_published_in_section",
            ),
            models.Index(
                fields=["visible_from"],
                condition=Q(visible_from__isnull=False),
                name="article_visible_from",
            ),
            # The trash: a few rows, found without reading the archive.
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="article_in_trash",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_article_has_publication_time",
                violation_error_message=_(
                    "Ein veröffentlichter Artikel braucht eine Veröffentlichungszeit."
                ),
            ),
            models.UniqueConstraint(
                fields=["agency", "external_id"],
                condition=~Q(external_id=""),
                name="one_article_per_agency_item",
                violation_error_message=_(
                    "Diese Agenturmeldung ist schon als Artikel gespeichert "
                    "(gleiche Agentur und Kennung)."
                ),
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and RELEASE_FIELDS & set(update_fields):
            # A service saving only the status (or the time) saves the
            # visibility that follows from it.
            kwargs["update_fields"] = {*update_fields, "visible_from"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return article_url(self.section.slug, self.slug, self.pk)

    def fill_derived_fields(self) -> None:
        """Slug, sanitised body and visible_from: what save() sets (bulk
        inserts call it)."""
        self.fill_visible_from()
        if not self.slug:
            self.slug = german_slugify(self.headline)[:200].strip("-") or "artikel"
        self.body = sanitise_body_html(self.body)

    def fill_visible_from(self) -> None:
        self.visible_from = self.release()

    def release(self) -> datetime | None:
        """release_time() of this article as it is in memory now."""
        return release_time(
            status=self.status,
            published_at=self.published_at,
            embargo_until=self.embargo_until,
            embargo_time_unknown=self.embargo_time_unknown,
            agency_status=self.agency_status,
            deleted_at=self.deleted_at,
        )

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.published_at:
            raise ValidationError(
                {
                    "published_at": _(
                        "Ein veröffentlichter Artikel braucht eine "
                        "Veröffentlichungszeit."
                    )
                }
            )
        # A passed embargo is no longer in force (an agency story seen only
        # after it, a backlog after downtime): nothing to refuse. Only one
        # still to come that ends before the publication is a slip.
        if (
            self.embargo_until
            and self.published_at
            and timezone.now() < self.embargo_until < self.published_at
        ):
            raise ValidationError(
                {
                    "embargo_until": _(
                        "Die Sperrfrist endet vor der Veröffentlichungszeit und "
                        "hätte keine Wirkung. Bitte eine spätere Sperrfrist oder "
                        "keine angeben."
                    )
                }
            )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    def hidden_because(self, at: datetime | None = None) -> list[str]:
        """Why the public cannot see this article at `at`, in German; empty
        when it can. The Python twin of `ArticleQuerySet.published()` for one
        loaded row (the admin's banners and links ask it, query-free)."""
        at = at or timezone.now()
        reasons = []
        if self.deleted_at is not None:
            reasons.append(str(_("im Papierkorb")))
        if self.status == self.Status.WITHDRAWN:
            reasons.append(str(_("zurückgezogen")))
        elif self.status != self.Status.PUBLISHED:
            reasons.append(
                str(_("nicht veröffentlicht (Status: %(status)s)"))
                % {"status": self.get_status_display()}
            )
        elif self.published_at and self.published_at > at:
            reasons.append(
                str(_("geplant für %(when)s"))
                % {"when": reader_time(self.published_at)}
            )
        if self.embargo_until and self.embargo_until > at:
            reasons.append(
                str(_("Sperrfrist bis %(when)s"))
                % {"when": reader_time(self.embargo_until)}
            )
        if self.embargo_time_unknown:
            reasons.append(str(_("Sperrfrist ohne Zeit")))
        if self.agency_status == self.AgencyStatus.WITHHELD:
            reasons.append(str(_("von der Agentur zurückgehalten")))
        return reasons

    def is_public(self, at: datetime | None = None) -> bool:
        """Python twin of `ArticleQuerySet.published()`: the same release
        time, compared without a query (hidden_because() says why not)."""
        release = self.release()
        return release is not None and release <= (at or timezone.now())

    @property
    def pubstatus(self) -> str:
        """The IPTC publication status: canceled once withdrawn for good,
        withheld while the agency holds it back, else usable."""
        if self.status == self.Status.WITHDRAWN or self.deleted_at is not None:
            return "canceled"
        if self.agency_status == self.AgencyStatus.WITHHELD:
            return "withheld"
        return "usable"

    @property
    def urn(self) -> str:
        return item_urn("article", self.pk)

    @property
    def first_seen_at(self) -> datetime | None:
        return first_seen_at(
            self.first_published_at, self.published_at, self.embargo_until
        )

    @property
    def last_changed_at(self) -> datetime | None:
        return last_changed_at(self.modified_at, self.first_seen_at)

    @property
    def shown_updated_at(self) -> datetime | None:
        """When the page says "Aktualisiert am …": the last substantial
        update, if it came after readers first saw the article."""
        first_seen = self.first_seen_at
        if self.updated_at and first_seen and self.updated_at > first_seen:
            return self.updated_at
        return None

    @property
    def content_modified_at(self) -> datetime | None:
        """What the page tells machines as its last change (JSON-LD
        dateModified, article:modified_time): the update the page shows,
        else the first publication; typo fixes are no modification."""
        return self.shown_updated_at or self.first_seen_at

    @property
    def is_running_ticker(self) -> bool:
        """A live ticker not (yet) marked as ended: its teaser says "Live"
        and its page looks for new entries."""
        return self.is_live_ticker and self.live_ended_at is None

    @property
    def search_title(self) -> str:
        return self.seo_title or self.headline

    @property
    def search_description(self) -> str:
        return self.meta_description or self.teaser

    @property
    def social_headline(self) -> str:
        return self.social_title or self.headline

    @property
    def social_description(self) -> str:
        return self.social_teaser or self.teaser

    @property
    def credited_to(self) -> str:
        """Who wrote it, as one line: authors, else the byline, else the agency."""
        authors = [author.name for author in self.authors.all()]
        if authors:
            return ", ".join(authors)
        if self.byline:
            return self.byline
        return self.agency.short_name if self.agency_id else ""

    @property
    def photo_uses(self) -> list["ArticlePhoto"]:
        """The photos the public may see now, in order."""
        # for_listing()/for_detail() prefetch them: then this is no query.
        if not hasattr(self, "usable_photo_uses"):
            self.usable_photo_uses = list(
                ArticlePhoto.objects.usable().filter(article=self)
            )
        return self.usable_photo_uses

    @property
    def lead_photo_use(self) -> "ArticlePhoto | None":
        uses = self.photo_uses
        return uses[0] if uses else None

    @property
    def shown_photos(self) -> list[Photo]:
        """Every photo the page shows, in order: the lead photo, the body's
        photos and gallery pictures once `body_media` is loaded, the closing
        photos. All usable at the moment they were read for."""
        photos = [use.photo for use in self.photo_uses]
        media = getattr(self, "body_media", None)
        if media is not None:
            photos[1:1] = media.photos_in_order()
        return photos

    @property
    def photo_credit_line(self) -> str:
        """'Foto: dpa' or 'Fotos: dpa, AFP': the sources of every photo the
        page shows, in order, without repeats."""
        return credit_line_for(self.shown_photos)

    @property
    def body_html(self) -> SafeString:
        """The sanitised body with the dateline opening its first paragraph."""
        body = self.body
        if self.dateline and body.startswith("<p>"):
            first_text = strip_tags(body[3:200]).lstrip()
            # Agency copy sometimes carries the dateline already.
            if not first_text.startswith(self.dateline):
                body = (
                    f'<p><span class="dateline">{escape(self.dateline)}</span> - '
                    f"{body[3:]}"
                )
        return mark_safe(body)


class ArticlePhotoQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None):
        """Uses of photos the public may see at `at`, with what credits need."""
        return self.filter(
            usable_photo_q(at or timezone.now(), prefix="photo__")
        ).select_related("photo__agency")

    def lead_photos(self, article_ids, at: datetime | None = None):
        """{article id: ShownPhoto} of each article's first usable photo."""
        if not article_ids:
            # Building the query would cost more than the whole article
            # page's own reads ("Mehr zum Thema" is often empty).
            return {}
        rows = (
            self.usable(at)
            .filter(article__in=article_ids)
            .order_by("article_id", "-position", "-pk")
            .values("article_id", *ShownPhoto.ROW_FIELDS)
        )
        # Ordered last to first, so the first photo is the one kept.
        return {row["article_id"]: ShownPhoto.from_row(row) for row in rows}


class ArticlePhoto(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name=_("Artikel"),
        on_delete=models.CASCADE,
        related_name="article_photos",
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("Foto"), on_delete=models.PROTECT, related_name="uses"
    )
    position = models.PositiveSmallIntegerField(
        _("Position"), default=0, help_text=_("Das erste Foto ist das Aufmacherbild.")
    )
    caption = CleanTextField(
        _("Bildunterschrift in diesem Artikel"),
        blank=True,
        help_text=_("Leer lassen, um die Bildunterschrift des Fotos zu verwenden."),
    )

    objects = ArticlePhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("Artikelfoto")
        verbose_name_plural = _("Artikelfotos")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"],
                name="photo_used_once_per_article",
                violation_error_message=_(
                    "Dieses Foto ist schon im Artikel; jedes Foto nur einmal."
                ),
            )
        ]

    def __str__(self):
        return f"{self.article} – {self.photo}"

    @property
    def display_caption(self) -> str:
        return self.caption or self.photo.caption


def published_article_uses(photo: Photo) -> list[PhotoUse]:
    """The published articles (live or scheduled) that show `photo`."""
    headlines = (
        Article.objects.not_in_trash()
        .filter(status=Article.Status.PUBLISHED, article_photos__photo=photo)
        .values_list("headline", flat=True)
    )
    return [
        PhotoUse(_("Artikel „%(headline)s“") % {"headline": headline})
        for headline in headlines[:20]
    ]


register_photo_use_finder(published_article_uses)


# The fields a revision keeps: what an editor writes, not workflow state.
