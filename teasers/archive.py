"""A generated archive for measuring the site at scale (bench/scale.py).

`generate_archive(articles=300_000, seed=1)` writes, in large bulk inserts,
what a regional newsroom's database holds: six sections,
200 tags, 50 authors, 12 regions, articles with about 3 KB of German body
text, lead photos (rows sharing one tiny image file), a few embargoed,
scheduled, withheld and withdrawn articles, the front page's rails and
hourly views for the newest 2,000 articles. Articles come at a regional
newsroom's steady rate (`PER_DAY`, about 165 a day: 300,000 are five years),
so a bigger archive is a longer past, not busier days: the newest days look
the same at every size, as they do in a newsroom whose archive grows. The
same seed gives the same
archive (the texts, dates and relations; not the ids of an appended run).

It lives in `teasers` because it writes the front page's rails and hourly
views as well as articles.
"""

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from articles.models import (
    Agency,
    Article,
    ArticlePhoto,
    Author,
    Photo,
    Region,
    Section,
    Tag,
)
from teasers.models import HourlyViews, Rail

BATCH = 5000
# 300,000 articles in five years: what the measured archive stands for.
PER_DAY = 165
NEWEST_WITH_HOURLY_VIEWS = 2000
HOURS_OF_VIEWS = 48
SHARED_IMAGE = "archiv/archivbild.jpg"

SECTIONS = [
    ("Lokales", "lokales"),
    ("Politik", "politik"),
    ("Wirtschaft", "wirtschaft"),
    ("Sport", "sport"),
    ("Kultur", "kultur"),
    ("Panorama", "panorama"),
]
FIRST_NAMES = [
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Marie",
    "Paul",
    "Sophie",
    "Lukas",
    "Emma",
    "Ben",
]
LAST_NAMES = "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Koch"
PLACES = [
    "Köln",
    "Bonn",
    "Düsseldorf",
    "Siegburg",
    "Troisdorf",
    "Leverkusen",
    "Bergisch-Gladbach",
    "Brühl",
    "Hürth",
    "Euskirchen",
    "Wesseling",
    "Königswinter",
]
TOPICS = [
    "Stadtrat",
    "Haushalt",
    "Schule",
    "Kita",
    "Radweg",
    "Baustelle",
    "Brücke",
    "Hochwasser",
    "Karneval",
    "Feuerwehr",
    "Krankenhaus",
    "Bahnhof",
    "Wohnungsbau",
    "Energie",
    "Klimaschutz",
    "Ehrenamt",
    "Verein",
    "Museum",
    "Theater",
    "Konzert",
    "Festival",
    "Markt",
    "Handwerk",
    "Mittelstand",
    "Export",
    "Arbeitsmarkt",
    "Ausbildung",
    "Tarifvertrag",
    "Streik",
    "Landtag",
    "Bundestag",
    "Wahl",
    "Umfrage",
    "Gericht",
    "Prozess",
    "Urteil",
    "Unfall",
    "Einbruch",
    "Diebstahl",
    "Fußball",
    "Handball",
    "Eishockey",
    "Marathon",
    "Tennis",
    "Turnier",
    "Aufstieg",
    "Abstieg",
    "Trainer",
    "Saison",
    "Premiere",
    "Ausstellung",
    "Lesung",
    "Denkmal",
    "Kirche",
    "Zoo",
    "Rhein",
    "Wald",
    "Park",
    "Spielplatz",
    "Friedhof",
    "Sparkasse",
]
# Sentences with {topic}, {place}, {name}; "Polizei" is the archive's
# common word (about every other article), TOPICS the medium ones.
SENTENCES = [
    "Die Polizei in {place} meldet, dass es rund um {topic} am Wochenende "
    "ruhig geblieben sei.",
    "Nach Angaben der Stadt {place} soll das Thema {topic} noch in diesem Jahr "
    "im Ausschuss beraten werden.",
    "„Wir haben lange auf diesen Tag gewartet“, sagte {name} bei einem Termin "
    "in {place}.",
    "Mehrere Bürgerinnen und Bürger äußerten sich in einer Versammlung "
    "kritisch zu den Plänen.",
    "Die Verwaltung verweist auf steigende Kosten und fehlendes Personal.",
    "Bis zum Sommer sollen erste Ergebnisse vorliegen, heißt es aus dem Rathaus.",
    "Ein Sprecher des Kreises bestätigte die Zahlen auf Anfrage unserer Redaktion.",
    "Auch in den Nachbarorten wird über {topic} seit Monaten gestritten.",
    "Die Opposition fordert mehr Transparenz und eine öffentliche Anhörung.",
    "Für Anwohnerinnen und Anwohner bedeutet das vorerst Umwege und Geduld.",
    "Die Polizei bittet Zeugen, sich unter der bekannten Rufnummer zu melden.",
    "Der Verein rechnet mit mehreren Tausend Besucherinnen und Besuchern.",
    "{name} kündigte an, das Gespräch mit allen Beteiligten zu suchen.",
    "Die Entscheidung fiel nach einer langen und teils hitzigen Debatte.",
    "Im kommenden Jahr sollen die Arbeiten fortgesetzt werden.",
    "Experten rechnen damit, dass sich die Lage in {place} bald entspannt.",
    "Unterstützung kommt vom Land, das einen Zuschuss in Aussicht stellt.",
    "Wie es weitergeht, ist nach Auskunft der Beteiligten noch offen.",
]
HEADLINES = [
    "{topic} in {place}: Was jetzt geplant ist",
    "Streit um {topic} – {place} sucht eine Lösung",
    "{place} feiert: {topic} lockt Tausende",
    "Neue Pläne für {topic} in {place}",
    "{topic}: {name} zieht Bilanz",
    "Polizei ermittelt in {place} – {topic} betroffen",
]


@dataclass
class ArchiveReport:
    articles: int = 0
    photos: int = 0
    hourly_views: int = 0


class ArchiveNotEmpty(Exception):
    """The database holds articles already, and appending was not asked for."""


def shared_image_name() -> str:
    """One tiny JPEG every generated photo points at (no file per photo)."""
    if not default_storage.exists(SHARED_IMAGE):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 36), (90, 120, 160)).save(buffer, format="JPEG")
        return default_storage.save(SHARED_IMAGE, ContentFile(buffer.getvalue()))
    return SHARED_IMAGE


def ensure_taxonomy():
    sections = [
        Section.objects.get_or_create(slug=slug, defaults={"name": name, "order": i})[0]
        for i, (name, slug) in enumerate(SECTIONS)
    ]
    tags = [
        Tag.objects.get_or_create(
            slug=f"thema-{index:03d}",
            defaults={"name": f"{TOPICS[index % len(TOPICS)]} {index:03d}"},
        )[0]
        for index in range(200)
    ]
    last_names = LAST_NAMES.split()
    authors = [
        Author.objects.get_or_create(
            slug=f"autor-{index:02d}",
            defaults={
                "name": f"{FIRST_NAMES[index % 10]} {last_names[index // 10 % 10]}"
            },
        )[0]
        for index in range(50)
    ]
    regions = [
        Region.objects.get_or_create(
            slug=f"region-{slugify(place)}", defaults={"name": place, "order": i}
        )[0]
        for i, place in enumerate(PLACES)
    ]
    agency = Agency.objects.get_or_create(
        short_name="dpa", defaults={"name": "Deutsche Presse-Agentur"}
    )[0]
    return sections, tags, authors, regions, agency


def ensure_rails(sections) -> None:
    """The front page: the newest of each section and the most read."""
    Rail.objects.get_or_create(
        slug="archiv-meistgelesen",
        defaults={
            "title": "Meistgelesen",
            "order": 0,
            "kind": Rail.Kind.AUTOMATIC,
            "fill": Rail.Fill.MOST_READ_DAY,
            "size": 6,
        },
    )
    for order, section in enumerate(sections, start=1):
        Rail.objects.get_or_create(
            slug=f"archiv-{section.slug}",
            defaults={
                "title": section.name,
                "order": order,
                "kind": Rail.Kind.AUTOMATIC,
                "section": section,
                "size": 8,
            },
        )


def body_text(rng: random.Random, topic: str, place: str, name: str) -> str:
    """About 3 KB of German prose in paragraphs of three sentences."""
    sentences, length = [], 0
    while length < 3000:
        sentence = rng.choice(SENTENCES).format(
            topic=rng.choice((topic, topic, rng.choice(TOPICS))),
            place=rng.choice((place, rng.choice(PLACES))),
            name=name,
        )
        sentences.append(sentence)
        length += len(sentence) + 1
    # Half the articles never mention the police: "Polizei" stays common
    # without being in every article.
    if rng.random() < 0.5:
        sentences = [s for s in sentences if "Polizei" not in s] or sentences[:1]
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def article_times(rng: random.Random, index: int, count: int, now: datetime):
    """Publication time: `PER_DAY` articles a day, oldest first."""
    # The newest lands a few minutes ago, so rails and "Neu" have something.
    age = timedelta(days=(count - index) / PER_DAY, minutes=3)
    return now - age + timedelta(seconds=rng.randint(-600, 0))


def generate_archive(
    *, articles: int, seed: int = 1, append: bool = False, progress=None
) -> ArchiveReport:
    """Write `articles` generated articles (with their relations) in bulk.

    Refuses (ArchiveNotEmpty) when articles exist, unless `append`.
    """
    if not append and Article.objects.exists():
        raise ArchiveNotEmpty
    rng = random.Random(seed)
    now = timezone.now()
    # Appended articles get agency ids of their own.
    offset = Article.objects.count() if append else 0
    report = ArchiveReport()
    with transaction.atomic():
        sections, tags, authors, regions, agency = ensure_taxonomy()
        ensure_rails(sections)
    image = shared_image_name()
    # Zipf-like popularity: a few tags carry most articles.
    tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
    for start in range(0, articles, BATCH):
        count = min(BATCH, articles - start)
        with transaction.atomic():
            write_batch(
                rng,
                range(start, start + count),
                total=articles,
                now=now,
                seed=seed,
                offset=offset,
                taxonomy=(sections, tags, tag_weights, authors, regions, agency),
                image=image,
                report=report,
            )
        if progress:
            progress(report.articles, articles)
    write_hourly_views(rng, now=now, report=report)
    return report


def write_batch(rng, indexes, *, total, now, seed, offset, taxonomy, image, report):
    sections, tags, tag_weights, authors, regions, agency = taxonomy
    rows, relations = [], []
    for index in indexes:
        topic, place = rng.choice(TOPICS), rng.choice(PLACES)
        author = rng.choice(authors)
        published_at = article_times(rng, index, total, now)
        headline = rng.choice(HEADLINES).format(
            topic=topic, place=place, name=author.name
        )
        article = Article(
            kicker=place,
            headline=headline,
            teaser=f"{topic} beschäftigt {place}: ein Überblick über den Stand.",
            body=body_text(rng, topic, place, author.name),
            dateline=place,
            section=rng.choice(sections),
            status=Article.Status.PUBLISHED,
            published_at=published_at,
            first_published_at=published_at,
            view_count=rng.randint(0, 5000),
        )
        if rng.random() < 0.6:
            article.agency = agency
            article.external_id = f"urn:archiv:{seed}:{offset + index}"
            article.agency_version = 1
            article.agency_status = Article.AgencyStatus.USABLE
        # The odd cases the visibility rule must keep hidden or time.
        fate = rng.random()
        if fate < 0.01:
            article.status = Article.Status.WITHDRAWN
            article.withdrawn_at = published_at + timedelta(hours=2)
            article.withdrawal_reason = "Rechtliche Prüfung"
        elif fate < 0.02:
            article.status = Article.Status.DRAFT
            article.published_at = article.first_published_at = None
        elif fate < 0.025 and article.agency_id:
            article.agency_status = Article.AgencyStatus.WITHHELD
        elif fate < 0.035:
            article.embargo_until = published_at + timedelta(hours=6)
            article.first_published_at = article.embargo_until
            if article.embargo_until > now:
                article.first_published_at = None
        article.fill_derived_fields()
        rows.append(article)
        relations.append(
            (
                rng.choices(tags, tag_weights, k=rng.randint(2, 4)),
                author if rng.random() < 0.7 else None,
                rng.choice(regions) if rng.random() < 0.5 else None,
                rng.random() < 0.5,
            )
        )
    created = Article.objects.bulk_create(rows, batch_size=1000)
    Tagged = Article.tags.through
    Written = Article.authors.through
    InRegion = Article.regions.through
    tagged, written, in_region, photos = [], [], [], []
    for article, (article_tags, author, region, has_photo) in zip(
        created, relations, strict=True
    ):
        tagged += [
            Tagged(article_id=article.pk, tag_id=tag.pk) for tag in set(article_tags)
        ]
        if author:
            written.append(Written(article_id=article.pk, author_id=author.pk))
        if region:
            in_region.append(InRegion(article_id=article.pk, region_id=region.pk))
        if has_photo:
            photos.append(
                Photo(
                    image=image,
                    width=64,
                    height=36,
                    caption=f"{article.kicker}: {article.headline}"[:300],
                    alt_text=f"Symbolbild zu {article.kicker}",
                    creator="Archiv",
                    agency=article.agency,
                )
            )
    Tagged.objects.bulk_create(tagged, batch_size=BATCH)
    Written.objects.bulk_create(written, batch_size=BATCH)
    InRegion.objects.bulk_create(in_region, batch_size=BATCH)
    photos = Photo.objects.bulk_create(photos, batch_size=1000)
    with_photo = [a for a, rel in zip(created, relations, strict=True) if rel[3]]
    ArticlePhoto.objects.bulk_create(
        [
            ArticlePhoto(article=article, photo=photo, position=0)
            for article, photo in zip(with_photo, photos, strict=True)
        ],
        batch_size=BATCH,
    )
    report.articles += len(created)
    report.photos += len(photos)


def write_hourly_views(rng, *, now, report) -> None:
    """Views per hour for the newest articles ("Meistgelesen" reads them)."""
    newest = list(
        Article.objects.published(now)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:NEWEST_WITH_HOURLY_VIEWS]
    )
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    rows = [
        HourlyViews(
            article_id=pk, hour=this_hour - timedelta(hours=h), views=rng.randint(1, 90)
        )
        for pk in newest
        for h in range(HOURS_OF_VIEWS)
    ]
    with transaction.atomic():
        HourlyViews.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    report.hourly_views += len(rows)
