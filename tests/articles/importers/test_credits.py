"""Issue 15, points 7, 10, 11 and 12: what the agency samples map to.

Credits are the agency's credit line, never a caption; a photo without any
credit waits for the photo desk; items without a provider share one
"Unbekannte Quelle"; a timestamp is no dateline; nothing longer than its
column is cut without a warning.
"""

import json

import pytest
from django.urls import reverse

from articles.importers.news import import_news
from articles.importers.ninjs import parse_item
from articles.importers.runs import ImportOptions
from articles.models import Agency, Article, ArticlePhoto, Photo
from articles.photos.renditions import RenditionSpec, rendition_url
from tests.articles.importers.reading import agency_items
from tests.articles.importers.test_imports import jpeg_bytes
from tests.factories import SectionFactory
from tests.samples import sample_path

pytestmark = pytest.mark.django_db

# The formats themselves: never the name of an agency.
FORMAT_NAMES = ["ninjs", "nitf", "newsml", "digitalwires", "rss", "web"]


@pytest.fixture(autouse=True)
def default_section():
    return SectionFactory(slug="nachrichten", name="Nachrichten")


def ninjs(name: str) -> dict:
    return json.loads(sample_path(f"ninjs/{name}").read_text())


def nitf_beside_its_photos(tmp_path, name: str, *, replace=("", "")) -> str:
    """A copy of a NITF sample in `tmp_path`, with a JPEG for each of its
    relative photo references (they lie beside the file)."""
    text = sample_path(f"nitf/{name}").read_bytes().decode("iso-8859-1")
    text = text.replace(*replace)
    path = tmp_path / name
    path.write_bytes(text.encode("iso-8859-1", errors="replace"))
    [item] = agency_items(path.read_bytes())
    for media in item.photos:
        (tmp_path / media.url).write_bytes(jpeg_bytes())
    return str(path)


class TestNinjsCredits:
    def test_a_picture_with_by_is_credited_to_its_photographer_not_its_caption(
        self,
    ):
        item = parse_item(ninjs("2.1/imageEncodedRights.json"))
        [photo] = item.photos
        assert photo.credit_line == "John Smith"
        assert photo.caption.startswith("Valentino Rossi (46) of Italy")
        assert photo.credit_line != photo.caption

    def test_the_copyright_holder_is_the_credit_when_nobody_is_named(self):
        data = ninjs("2.1/imageLinkedRights.json")
        del data["by"]
        data["copyrightholder"] = "Example Agency"
        [photo] = parse_item(data).photos
        assert photo.credit_line == "Example Agency"
        assert photo.copyright_notice == "© Example Agency"
        assert photo.caption.startswith("Valentino Rossi")
        # The linked rights are the terms, when no terms are written out.
        assert photo.usage_terms == "http://example.agency.com/rights/editorialUseOnly"

    def test_an_ap_creditline_description_is_the_credit_and_the_caption_stays(self):
        [photo] = parse_item(ninjs("2.1/ap_image.json")).photos
        assert photo.credit_line == "ASSOCIATED PRESS"
        assert photo.caption.startswith("FILE - In this Monday")

    def test_a_picture_with_no_credit_at_all_has_none(self):
        data = ninjs("2.1/imageLinkedRights.json")
        del data["by"]
        [photo] = parse_item(data).photos
        assert (photo.credit_line, photo.creator) == ("", "")


class TestNitfCredits:
    def test_the_credit_the_caption_states_is_the_photo_credit(self, tmp_path):
        report = import_news([nitf_beside_its_photos(tmp_path, "NTB_nitf_sample.xml")])
        assert report.counts["created"] == 1, report.failures
        photo = Photo.objects.get()
        assert photo.credit_line == "Amit Sharma / AP / NTB"
        assert photo.credit == "Amit Sharma / AP / NTB"  # not just "NTB"
        assert photo.caption == (
            "Kremasjonsbål for koronaofre brenner i Indias hovedstad New Delhi."
        )
        assert not photo.credit_needs_review

    def test_a_photo_without_any_credit_is_imported_for_review_and_not_shown(
        self, tmp_path, client
    ):
        source = nitf_beside_its_photos(
            tmp_path,
            "NTB_nitf_sample.xml",
            replace=(" Foto: Amit Sharma / AP / NTB", ""),
        )
        report = import_news([source], options=ImportOptions(publish=True))
        assert report.counts["created"] == 1, report.failures
        article = Article.objects.get()
        assert Article.objects.published().get() == article
        photo = Photo.objects.get()
        assert photo.credit_needs_review
        assert photo.uses.get().article == article
        # Not on any public surface: no usable use, no image address.
        assert not Photo.objects.usable().exists()
        assert not ArticlePhoto.objects.usable().exists()
        assert not photo.is_usable()
        html = client.get(article.get_absolute_url()).content.decode()
        assert "Foto:" not in html
        image = rendition_url(photo, RenditionSpec("16x9", 320, "jpg"))
        assert client.get(image).status_code == 404

    def test_the_photo_desk_releases_a_photo_by_entering_its_credit(self, tmp_path):
        source = nitf_beside_its_photos(
            tmp_path,
            "NTB_nitf_sample.xml",
            replace=(" Foto: Amit Sharma / AP / NTB", ""),
        )
        import_news([source])
        photo = Photo.objects.get()
        photo.credit_line = "Amit Sharma/AP"
        photo.credit_needs_review = False
        photo.save()
        assert Photo.objects.usable().get() == photo


class TestProviders:
    @pytest.mark.parametrize(
        "sample",
        ["ninjs/1.4/ninjsExComplex1.json", "ninjs/superdesk-flavour/ninjs4.json"],
    )
    def test_an_item_without_provider_goes_to_the_one_unknown_source(self, sample):
        report = import_news([str(sample_path(sample))])
        assert not report.failed, report.failures
        assert not Agency.objects.filter(short_name__in=FORMAT_NAMES).exists()
        unknown = Agency.objects.get(short_name="Unbekannte Quelle")
        assert unknown.needs_review
        assert Article.objects.get().agency == unknown

    def test_items_without_provider_in_several_formats_share_it(self):
        import_news(
            [
                str(sample_path("ninjs/1.4/ninjsExComplex1.json")),
                str(sample_path("ninjs/superdesk-flavour/ninjs_embargoed.json")),
            ]
        )
        assert Agency.objects.filter(needs_review=True).count() == 1
        assert Agency.objects.get(needs_review=True).short_name == "Unbekannte Quelle"

    @pytest.mark.parametrize(
        ("sample", "provider"),
        [("efe_nitf.xml", "Agencia EFE"), ("pa3.xml", "Press Association")],
    )
    def test_a_nitf_item_names_its_provider_by_distributor_or_copyright(
        self, sample, provider
    ):
        report = import_news([str(sample_path(f"nitf/{sample}"))])
        assert report.counts["created"] == 1, report.failures
        assert Article.objects.get().agency.short_name == provider
        assert not Agency.objects.filter(short_name__in=FORMAT_NAMES).exists()

    def test_the_unknown_source_is_not_offered_to_readers(self, client):
        import_news([str(sample_path("ninjs/1.4/ninjsExComplex1.json"))])
        response = client.get(
            reverse("articles:search"),
            {"q": "Concordia", "agentur": "Unbekannte Quelle"},
        )
        assert "gültige Auswahl" in " ".join(response.context["form"].errors["agentur"])
        assert Agency.objects.offered_publicly().filter(short_name="AP").exists()
        assert not Agency.objects.offered_publicly().filter(
            short_name="Unbekannte Quelle"
        )


class TestDatelines:
    def test_a_nitf_dateline_that_is_a_timestamp_is_no_place(self):
        [item] = agency_items(sample_path("nitf/efe_nitf.xml").read_bytes())
        assert item.dateline == ""
        import_news([str(sample_path("nitf/efe_nitf.xml"))])
        article = Article.objects.get()
        assert article.dateline == ""
        assert "20170102T222800" not in article.body_html

    @pytest.mark.parametrize(
        ("sample", "place"),
        [
            ("nitf-fishing.xml", "Newport News, VA"),
            ("NTB_nitf_sample.xml", "Unnao"),
            ("nitf-ntb.xml", "Oslo"),
        ],
    )
    def test_a_nitf_dateline_with_a_place_keeps_it(self, sample, place):
        [item] = agency_items(sample_path(f"nitf/{sample}").read_bytes())
        assert item.dateline == place


class TestLongFields:
    def long_story(self, tmp_path, **fields) -> str:
        data = json.loads(
            sample_path("dpa-digitalwires/with_dateline.json").read_text()
        )
        data.update(fields)
        path = tmp_path / "lang.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        return str(path)

    def test_an_agency_headline_of_280_characters_is_kept_whole(self, tmp_path):
        headline = "Wort " * 55 + "Ende"
        kicker = "Dachzeile " * 15
        report = import_news(
            [self.long_story(tmp_path, headline=headline, kicker=kicker.strip())]
        )
        assert report.counts["created"] == 1 and not report.notes, report.notes
        article = Article.objects.get()
        assert article.headline == headline.strip()
        assert article.kicker == kicker.strip()

    def test_a_longer_headline_is_cut_with_a_warning_naming_the_field(self, tmp_path):
        headline = "Überlang " * 40
        report = import_news([self.long_story(tmp_path, headline=headline)])
        assert report.counts["created"] == 1
        notes = " ".join(note for _reference, note in report.notes)
        assert "Überschrift" in notes and "gekürzt" in notes
        assert len(Article.objects.get().headline) == 300

    def test_a_photo_credit_longer_than_its_column_is_named_in_the_report(
        self, tmp_path
    ):
        (tmp_path / "bild.jpg").write_bytes(jpeg_bytes())
        credit = "Fotografin Mit Sehr Langem Namen/" * 8 + "dpa"
        association = {
            "type": "image",
            "urn": "urn:bild:lang",
            "caption": "Der Rat tagt.",
            "creditline": credit,
            "renditions": [{"url": "bild.jpg", "width": 64}],
        }
        report = import_news([self.long_story(tmp_path, associations=[association])])
        notes = " ".join(note for _reference, note in report.notes)
        assert "Bildquelle (wörtlich)" in notes and "gekürzt" in notes
