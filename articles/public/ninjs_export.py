"""Published articles as IPTC ninjs 2.2 for syndication partners.

ninjs 2.x has no `body_html`, `headline` or `description` fields (those are
1.x): the sanitised body goes into `bodies` (role "main", text/html), the
headline into `headlines` (with the kicker as role "kicker"), the teaser into
`descriptions` (role "summary"). The lead photo, only while its licence
allows, is an association "featureimage" with renditions served by the
public image view, its credit line as `by` and its copyright.
"""

import re
from collections.abc import Iterable
from datetime import datetime, time
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from articles.models import ARCHIVE_YEARS, Article, ArticlePhoto, item_urn
from articles.photos.renditions import SizedImage, sized_image
from articles.public.body_photos import without_blocks
from articles.public.page_meta import iso
from articles.purging import ChangeTimes
from articles.sanitising import clean_text
from newsroom.pagination import CappedPaginator

NINJS_STANDARD = {
    "name": "ninjs",
    "version": "2.2",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json",
}
PAGE_SIZE = 20
# (name, ratio, largest width): the whole picture and the crops pages use.
RENDITIONS = (
    ("original", "orig", 1920),
    ("16x9", "16x9", 1280),
    ("4x3", "4x3", 1280),
    ("1x1", "1x1", 1280),
    ("thumbnail", "16x9", 320),
)
# Links editors write as site paths ("/politik/…") must work elsewhere too.
SITE_PATH_HREF = re.compile(r'href="/(?!/)')


class InvalidSince(ValueError):
    pass


def parse_since(value: str | None) -> datetime | None:
    """An ISO date or date-time of ARCHIVE_YEARS; naive ones are Berlin time."""
    if not value:
        return None
    # An unencoded "+" of a UTC offset arrives as a space.
    value = value.strip().replace(" ", "+")
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)):
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    # At the calendar's edges the conversion to UTC would overflow.
    if moment is None or moment.year not in ARCHIVE_YEARS:
        raise InvalidSince(value)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def exported_articles(at: datetime, *, since: datetime | None = None):
    """Articles visible at `at`, newest first; with `since`, only those
    first seen or changed from then on, and those taken down since (sent
    as "canceled" or "withheld", so partners take them down too)."""
    articles = Article.objects.published(at)
    if since is not None:
        articles = Article.objects.filter(
            Q(pk__in=articles) | Q(pk__in=Article.objects.taken_down(at))
        ).filter(
            # A takedown is saved (modified_at); what went live since has
            # its visible_from there (the indexed column).
            Q(modified_at__gte=since) | Q(visible_from__gte=since)
        )
    return articles.newest_first().for_export(at)


def export_page(at: datetime, *, since: datetime | None, number: str) -> Page:
    """One page of the export; raises django.core.paginator.InvalidPage.

    At most NEWSROOM_LIST_MAX_PAGES pages, counted no further (a count of
    the whole archive cost more than the page); `since` reaches further back.
    """
    paginator = CappedPaginator(
        exported_articles(at, since=since),
        PAGE_SIZE,
        max_pages=settings.NEWSROOM_LIST_MAX_PAGES,
    )
    return paginator.page(number)


def page_as_json(page: Page, *, since: datetime | None, request: HttpRequest) -> dict:
    """A page of the export: items and absolute links to its neighbours."""

    def link(number: int) -> str:
        query = {"page": number} | ({"since": since.isoformat()} if since else {})
        return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")

    return {
        "count": page.paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "items": [article_as_ninjs(article, request=request) for article in page],
    }


def taken_down_as_ninjs(article: Article) -> dict:
    """A withdrawn, deleted or withheld article: its id and status, no
    content.

    ninjs marks it with `pubstatus` ("canceled" for good, "withheld" for
    now); the reason goes to `ednote`, the note for the partner's desk.
    """
    if article.deleted_at is not None:
        changed, note = article.deleted_at, "Gelöscht."
    elif article.status == Article.Status.WITHDRAWN:
        changed, note = article.withdrawn_at, article.withdrawal_reason
    else:
        changed, note = article.modified_at, "Von der Agentur zurückgehalten."
    return clean_strings(
        {
            "uri": article.urn,
            "standard": NINJS_STANDARD,
            "type": "text",
            "representationtype": "partial",
            "version": str(article.version),
            "firstcreated": iso(article.first_seen_at),
            "versioncreated": iso(changed or article.modified_at),
            "pubstatus": article.pubstatus,
            "language": "de",
            "ednote": note,
        }
    )


def article_as_ninjs(article: Article, *, request: HttpRequest) -> dict:
    """One article from `for_export()` as a ninjs 2.2 text item."""
    if article.pubstatus != "usable":
        return taken_down_as_ninjs(article)
    base = request.build_absolute_uri("/").rstrip("/")
    item = {
        "uri": article.urn,
        "standard": NINJS_STANDARD,
        "type": "text",
        "representationtype": "full",
        "version": str(article.version),
        "firstcreated": iso(article.first_seen_at),
        "versioncreated": iso(article.last_changed_at),
        "pubstatus": "usable",
        "language": "de",
        "altids": [{"role": "url", "value": base + article.get_absolute_url()}],
        "headlines": [{"role": "main", "value": article.headline}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                # Without the photo and gallery blocks: their ids mean
                # nothing to a partner, and their licences are ours.
                "value": SITE_PATH_HREF.sub(
                    f'href="{base}/', without_blocks(article.body)
                ),
            }
        ],
        "subjects": [
            {
                "name": article.section.name,
                "rel": "section",
                "literal": article.section.slug,
                "uri": base + article.section.get_absolute_url(),
            },
            *(
                {"name": tag.name, "rel": "tag", "literal": tag.slug}
                for tag in article.tags.all()
            ),
        ],
        "copyrightholder": (
            article.agency.name if article.agency_id else settings.NEWSROOM_SITE_NAME
        ),
    }
    if article.kicker:
        item["headlines"].append({"role": "kicker", "value": article.kicker})
    if article.teaser:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": article.teaser}
        ]
    if by := article.credited_to:
        item["by"] = by
    if article.dateline:
        item["located"] = article.dateline
    if regions := article.regions.all():
        item["places"] = [
            {"name": region.name, "literal": region.slug} for region in regions
        ]
    if article.agency_id:
        item["infosources"] = [
            {"name": article.agency.name, "literal": article.agency.short_name}
        ]
    if lead := article.lead_photo_use:
        item["associations"] = [photo_association(lead, request=request)]
    return clean_strings(item)


def clean_strings(data):
    """`data` with every string cleaned of control characters.

    JSON could carry them escaped, but partners feed the text on to XML and
    print; rows stored before text was cleaned on saving may hold some.
    """
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {key: clean_strings(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_strings(value) for value in data]
    return data


def photo_association(use: ArticlePhoto, *, request: HttpRequest) -> dict:
    """A usable photo with its credit, rights and renditions."""
    photo = use.photo
    association = {
        "name": "featureimage",
        "uri": item_urn("photo", photo.pk),
        "type": "picture",
        "representationtype": "partial",
        "by": photo.credit,
        "copyrightholder": photo.agency.name if photo.agency_id else photo.credit,
        "copyrightnotice": photo.copyright_line,
        "renditions": [
            rendition(name, sized_image(photo, ratio, width), request)
            for name, ratio, width in RENDITIONS
        ],
    }
    descriptions = [
        ("caption", use.display_caption),
        ("creditline", photo.credit),
        ("alt", photo.alt_text),
    ]
    association["descriptions"] = [
        {"role": role, "contenttype": "text/plain", "value": value}
        for role, value in descriptions
        if value
    ]
    if usage := usage_terms(photo):
        association["usageterms"] = usage
    if photo.web_statement:
        association["rightsinfo"] = {"linkedrights": photo.web_statement}
    return association


def rendition(name: str, image: SizedImage, request: HttpRequest) -> dict:
    return {
        "name": name,
        "href": image.absolute(request).url,
        "contenttype": image.content_type,
        "width": image.width,
        "height": image.height,
    }


def usage_terms(photo) -> str:
    """The agency's terms, and until when the photo may be shown at all."""
    terms = [photo.usage_terms, photo.restrictions]
    if until := photo.usable_until:
        terms.append(f"Nutzung nur bis {iso(until)}.")
    return " ".join(term.strip() for term in terms if term.strip())


def export_changes_at(articles: Iterable[Article], at: datetime) -> datetime | None:
    """When the export changes by itself: an article goes live, or a shown
    photo's licence ends."""
    changes = ChangeTimes(at)
    changes.add(Article.objects.next_visibility_change(at))
    for article in articles:
        if lead := article.lead_photo_use:
            changes.add(lead.photo.usable_until)
    return changes.earliest
