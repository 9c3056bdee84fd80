import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.importers.digitalwires import (
    looks_like_digitalwires,
    translate_dnl_elements,
)
from articles.importers.items import ItemStatus, ParseError, Signal, version_number
from articles.importers.news import import_news
from articles.importers.ninjs import looks_like_ninjs
from articles.models import Article
from articles.public.body_blocks import render_body_blocks
from tests.articles.importers.reading import agency_items, read_file
from tests.factories import SectionFactory
from tests.samples import sample_path


def sample(relative: str) -> bytes:
    return sample_path(relative).read_bytes()


def test_digitalwires_text_with_dateline_and_update_signal():
    [item] = agency_items(sample("dpa-digitalwires/with_dateline.json"))
    assert item.external_id == "urn:newsml:dpa.com:20090101:250128-930-357319"
    assert (item.version, item.signal) == (2, Signal.UPDATE)
    assert item.version_created == datetime(2025, 1, 28, 8, 18, 34, tzinfo=UTC)
    assert item.headline == "DeepSeek-Schock aus China: Zeichen für KI-Zeitenwende?"
    assert item.kicker == "Künstliche Intelligenz"
    assert item.byline == "Von Andrej Sokolow, dpa"
    assert item.dateline == "New York (dpa)"
    assert item.body_html.startswith('<section class="main"><p><span class="dateline">')
    assert item.provider == "dpa" and item.language == "de"
    assert "wi" in item.desks


def test_digitalwires_embargo_is_an_aware_time():
    [item] = agency_items(sample("dpa-digitalwires/embargoed.json"))
    assert item.embargo_until == datetime(2025, 1, 23, 18, 0, tzinfo=UTC)
    assert item.status == ItemStatus.USABLE


def test_digitalwires_picture_entry_carries_its_verbatim_credit():
    [item] = agency_items(sample("dpa-digitalwires/image.json"))
    assert item.is_photo_only
    [photo] = item.photos
    assert photo.credit_line == "Steve Helber/AP/dpa"
    assert photo.caption.startswith("Caroline Kennedy, Tochter")
    assert (photo.width, photo.height, photo.is_lead) == (2048, 1365, True)
    assert photo.url.startswith("https://")


@pytest.mark.parametrize(
    "name",
    [
        "dw-1.json",
        "embargoed.json",
        "image.json",
        "no_notepad.json",
        "rubix_multimedia_real.json",
        "rubix_multimedia_testartikel.json",
        "spe2.json",
        "with_dateline.json",
    ],
)
def test_every_digitalwires_sample_parses(name):
    raw = sample(f"dpa-digitalwires/{name}")
    assert looks_like_digitalwires(json.loads(raw))
    for item in agency_items(raw):
        assert item.external_id.startswith("urn:")
        assert item.headline or item.photos


def test_digitalwires_non_public_notes_stay_internal():
    items = [
        item
        for name in ("dw-1.json", "embargoed.json", "spe2.json", "with_dateline.json")
        for item in agency_items(sample(f"dpa-digitalwires/{name}"))
    ]
    for item in items:
        for note in item.internal_notes:
            assert note not in item.body_html


@pytest.mark.parametrize(
    "name",
    [
        "1.4/ninjsExComplex1.json",
        "1.4/ninjsExSimplePhoto1.json",
        "2.1/ap_image.json",
        "2.1/dpa_text.json",
        "2.1/imageEncodedRights.json",
        "2.1/imageLinkedRights.json",
        "2.1/ntb_text.json",
        "2.1/tt_text_image_2.json",
        "3.0/tt_text_image_3.json",
        "superdesk-flavour/ninjs4.json",
        "superdesk-flavour/ninjs_embargoed.json",
    ],
)
def test_every_ninjs_sample_parses(name):
    raw = sample(f"ninjs/{name}")
    assert looks_like_ninjs(json.loads(raw))
    [item] = agency_items(raw)
    assert item.external_id
    assert item.headline or item.photos


def test_ninjs_2_and_3_agree_on_the_same_story():
    [two] = agency_items(sample("ninjs/2.1/tt_text_image_2.json"))
    [three] = agency_items(sample("ninjs/3.0/tt_text_image_3.json"))
    assert two.headline == three.headline == "Militärövning i jätteformat hålls 2023"
    assert two.version == three.version
    assert (
        two.photos[0].credit_line == three.photos[0].credit_line == "Karl Melander/TT"
    )
    # TT sends an HTML body next to the plain one: the HTML wins.
    assert "<section" in two.body_html and "<section" in three.body_html


def test_ninjs_ap_picture_credit_comes_from_the_creditline_role():
    [item] = agency_items(sample("ninjs/2.1/ap_image.json"))
    [photo] = item.photos
    assert photo.credit_line == "ASSOCIATED PRESS"
    assert photo.caption.startswith("FILE - In this Monday")
    assert item.internal_notes  # AP's ednote is not for publication


def test_superdesk_embargo_is_read():
    [item] = agency_items(sample("ninjs/superdesk-flavour/ninjs_embargoed.json"))
    assert item.embargo_until is not None and item.embargo_until.tzinfo is not None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"urn": "x"' + b"\x00" + b"}", "NUL"),
        (b'{"urn": "\xff\xfe"}', "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "verschachtelt"),
        (b'{"urn": ', "JSON"),
    ],
)
def test_hostile_json_is_refused_with_a_reason(raw, reason):
    with pytest.raises(ParseError, match=reason):
        read_file(raw)


def test_items_over_the_limit_are_refused_before_parsing(settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 10
    with pytest.raises(ParseError, match="größer als 10 Bytes"):
        read_file(b'{"urn": "urn:x:1"}')


@pytest.mark.parametrize(
    ("value", "number"), [(3, 3), ("3", 3), ("12.1", 12), (None, 0), ("", 0)]
)
def test_versions_are_normalised_to_numbers(value, number):
    assert version_number(value) == number


def test_a_naive_or_broken_time_names_the_field():
    raw = json.dumps({"urn": "urn:x:1", "version_created": "2025-01-01T10:00:00"})
    with pytest.raises(ParseError, match=r"version_created.*keine Zeitzone"):
        agency_items(raw.encode())
    raw = json.dumps({"urn": "urn:x:1", "embargoed": "morgen"})
    with pytest.raises(ParseError, match="embargoed"):
        agency_items(raw.encode())


def test_an_unknown_status_is_refused():
    raw = json.dumps({"urn": "urn:x:1", "pubstatus": "vielleicht"})
    with pytest.raises(ParseError, match="vielleicht"):
        agency_items(raw.encode())


def test_dpa_newsml_text_item():
    [item] = agency_items(sample("newsml-g2/dpa/dpa-text-2017-170626-99-998860.xml"))
    assert item.external_id == "urn:newsml:dpa.com:20090101:170626-99-998860"
    assert (item.version, item.signal, item.status) == (20, Signal.UPDATE, "usable")
    assert (
        item.headline
        == "Thyssenkrupp-Klage gegen Ex-Manager muss neu verhandelt werden"
    )
    assert item.teaser.startswith("Erwartet wurde ein Grundsatzurteil.")
    assert (item.byline, item.dateline) == ("Von Annett Gehler, dpa", "Erfurt (dpa)")
    assert item.desks == ("wi",) and item.provider == "dpa" and item.language == "de"
    assert "<p" in item.body_html and "html:" not in item.body_html
    assert item.usage_terms == "Nutzung nur nach schriftlicher Vereinbarung mit dpa"
    assert all("np-nonpublic" not in note for note in item.internal_notes)


def test_dpa_newsml_correction_carries_its_note_and_genre():
    [item] = agency_items(sample("newsml-g2/dpa/dpa-text-2017-170629-99-48571.xml"))
    assert item.signal == Signal.CORRECTION
    assert "Zufa statt KORR" in item.correction_note
    assert "Achtung" in item.genres


def test_dpa_newsml_picture_with_empty_embargo_is_flagged():
    [item] = agency_items(sample("newsml-g2/dpa/dpa-picture-171117-99-908458.xml"))
    assert item.embargo_time_unknown and item.embargo_until is None
    [photo] = item.photos
    assert photo.credit_line == "Peter Kneffel/dpa"
    assert (photo.width, photo.height) == (5541, 3131)


@pytest.mark.parametrize(
    "name",
    [
        "dpa/dpa-text-2017-170629-99-43688.xml",
        "dpa/dpa-text-2017-170629-99-48599.xml",
        "dpa/dpa-text-2022-superdesk-fixture.xml",
        "iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml",
        "iptc-examples/LISTING_3_Photo_in_NewsML-G2.xml",
        "iptc-examples/LISTING_26_Embedded_photo_metadata_fields_mapped_to_NewsML-G2.xml",
    ],
)
def test_every_newsml_sample_parses(name):
    for item in agency_items(sample(f"newsml-g2/{name}")):
        assert item.external_id and (item.headline or item.photos)


def test_iptc_example_embargo_and_signal():
    [item] = agency_items(
        sample("newsml-g2/iptc-examples/LISTING_1_A_NewsML-G2_News_Item.xml")
    )
    assert item.embargo_until == datetime(2018, 10, 23, 12, 0, tzinfo=UTC)
    assert item.signal == Signal.UPDATE


G2 = b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1">'


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa">'
            b'<!ENTITY b "&a;&a;">]><l>&b;</l>',
            "Unsicheres XML",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<l>&x;</l>",
            "Unsicheres XML",
        ),
        (G2 + b"<unclosed></newsItem>", "Kein gültiges XML"),
        (G2 + b"\x00</newsItem>", "NUL"),
        (b"<plain/>", "Unbekanntes Format"),
    ],
)
def test_hostile_or_foreign_xml_is_refused_with_a_reason(raw, reason):
    with pytest.raises(ParseError, match=reason):
        read_file(raw)


def test_a_foreign_document_is_refused_as_not_in_the_format_asked_for():
    with pytest.raises(ParseError, match="nicht im Format „newsml“"):
        read_file(b"<plain/>", format="newsml")


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_nitf_embargo_kill_and_photo_credit():
    [pa] = agency_items(sample("nitf/pa3.xml"))
    assert pa.embargo_until == datetime(2016, 9, 8, 23, 1, tzinfo=UTC)
    [killed] = agency_items(sample("nitf/nitf-fishing.xml"))
    assert killed.status == ItemStatus.CANCELED
    assert killed.external_id == "iptc.321656141.a"  # the document it kills
    assert killed.photos[0].credit_line == "Karben"
    [ntb] = agency_items(sample("nitf/NTB_nitf_sample.xml"))
    assert ntb.photos and "<media" not in ntb.body_html
    assert ntb.provider == "NTB" and ntb.language == "nb-NO"


@pytest.mark.parametrize(
    "name", ["NTB_nitf_sample.xml", "efe_nitf.xml", "nitf-ntb.xml", "pa3.xml"]
)
def test_every_nitf_sample_parses_including_latin_1(name):
    [item] = agency_items(sample(f"nitf/{name}"))
    assert item.external_id and item.headline and item.body_html


def test_rss_items_parse_and_a_bad_one_is_reported_alone():
    format, parsed = read_file((FIXTURES / "regional-feed.rss").read_bytes())
    assert format == "rss"
    good, bad = parsed
    assert good.item.external_id == "presse-2026-1123-01"
    assert good.item.version_created == datetime(2026, 11, 23, 9, 15, tzinfo=UTC)
    assert (
        good.item.teaser
        == "Die Wege in der Rheinaue sind nach dem Hochwasser wieder begehbar."
    )
    assert good.item.photos[0].credit_line == "Stadt Bonn/Max Muster"
    assert good.item.byline == "Presseamt der Stadt Bonn"
    assert bad.item is None and "guid" in bad.error and bad.reference == "#2"


def test_atom_entries_parse():
    format, [parsed] = read_file((FIXTURES / "regional-feed.atom").read_bytes())
    assert format == "rss"
    assert parsed.item.external_id == "urn:example:polizei-koeln:2026-4711"
    assert parsed.item.body_html.startswith("<p>Die Polizei sucht Zeugen")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("dpa-digitalwires/dw-1.json", "digitalwires"),
        ("ninjs/2.1/dpa_text.json", "ninjs"),
        ("ninjs/superdesk-flavour/ninjs4.json", "ninjs"),
        ("newsml-g2/dpa/dpa-text-2017-170626-99-998860.xml", "newsml"),
        ("nitf/pa3.xml", "nitf"),
    ],
)
def test_the_format_is_detected_from_the_content(path, expected):
    format, parsed = read_file(sample(path))
    assert format == expected
    assert all(p.item for p in parsed)


def test_unknown_or_mismatched_formats_are_named():
    with pytest.raises(ParseError, match="Unbekanntes Format"):
        read_file(b"Hallo Welt")
    with pytest.raises(ParseError, match="nicht im Format „nitf“"):
        read_file(sample("ninjs/2.1/dpa_text.json"), format="nitf")


def test_dpa_embeds_become_body_embeds_and_inline_images_leave_the_text():
    [item] = agency_items(sample("dpa-digitalwires/rubix_multimedia_testartikel.json"))
    assert "<dnl-" not in item.body_html
    # The two-click embeds of articles/public/body_blocks.py, not links.
    assert (
        '<div data-block="embed" data-provider="x" data-id="20" '
        'data-url="https://x.com/jack/status/20"></div>'
    ) in item.body_html
    assert (
        '<div data-block="embed" data-provider="youtube" data-id="jNQXAC9IVRw" '
        'data-url="https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"></div>'
    ) in item.body_html
    assert (
        '<div data-block="embed" data-provider="dpa-webgrafik" data-id="webgrafik/'
        'items/aktuell/2024_10_21/hierWachsenKuerbisse/cont" data-url="https://'
        "webgrafik.dpa-addons.com/webgrafik/items/aktuell/2024_10_21/"
        'hierWachsenKuerbisse/cont/index.html"></div>'
    ) in item.body_html
    assert "ansehen</a>" not in item.body_html
    assert "Ein im Text positioniertes Bild." not in item.body_html


def test_dpa_embeds_of_unknown_providers_stay_links():
    assert translate_dnl_elements(
        '<p>a</p><dnl-youtubeembed src="https://videos.example/1"></dnl-youtubeembed>'
    ) == (
        '<p>a</p><p><a href="https://videos.example/1">Video bei YouTube '
        "ansehen</a></p>"
    )


@pytest.mark.django_db
def test_imported_embeds_survive_sanitising_and_show_as_placeholders():
    SectionFactory(slug="nachrichten")
    path = sample_path("dpa-digitalwires/rubix_multimedia_testartikel.json")
    import_news([str(path)])
    article = Article.objects.get()
    assert article.body.count('<div data-block="embed"') == 3
    html = render_body_blocks(article.body)
    assert html.count("Beim Laden werden Daten an") == 3


LISTING_28 = (
    "newsml-g2/iptc-examples/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml"
)


# A minimal valid NewsML-G2 newsItem for a <contentMeta> fragment. Put in
# as text, the fragment's unprefixed elements take the item's default (G2)
# namespace, as they would in a full item.
NEWS_ITEM = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" standard="NewsML-G2"
    standardversion="2.29" conformance="power"
    guid="urn:newsml:reuters.com:20160209:listing28" version="1">
  <catalogRef
    href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_36.xml"/>
  <itemMeta>
    <itemClass qcode="%(item_class)s"/>
    <provider qcode="nprov:REUTERS"/>
    <versionCreated>2016-02-09T09:17:00+03:00</versionCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
%(content_meta)s
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml">
      <html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head>
        <body><p>Russia said on Monday ...</p></body></html>
    </inlineXML>
  </contentSet>
</newsItem>
"""


def in_news_item(content_meta: bytes, *, item_class: bytes = b"ninat:text") -> bytes:
    return NEWS_ITEM % {b"content_meta": content_meta, b"item_class": item_class}


def test_iptc_listing_28_content_meta_maps_dateline_language_and_creator():
    fragment = sample(LISTING_28)
    format, [parsed] = read_file(in_news_item(fragment))
    item = parsed.item
    assert format == "newsml"
    # <dateline> is the agency's own line; <located> (Moscow, as codes) is
    # only the fallback for items without one.
    assert item.dateline == "MOSCOW, Monday (Reuters)"
    assert item.language == "en-US"
    assert item.provider == "REUTERS"
    # The creator is mapped for pictures (the photo's creator); for text
    # the byline comes from <by>, which the listing does not have.
    assert item.byline == ""
    [picture] = agency_items(in_news_item(fragment, item_class=b"ninat:picture"))
    [photo] = picture.photos
    assert photo.creator == "Thomson Reuters"
    assert picture.dateline == "MOSCOW, Monday (Reuters)"


def test_without_a_dateline_the_located_place_s_name_is_the_dateline():
    fragment = re.sub(rb"\s*<dateline>.*?</dateline>", b"", sample(LISTING_28))
    assert b"<dateline>" not in fragment
    # As in the listing: the place only as codes, no name to print.
    [item] = agency_items(in_news_item(fragment))
    assert item.dateline == ""
    named = fragment.replace(
        b'<located qcode="city:Moscow">',
        b'<located qcode="city:Moscow"><name>Moskau</name>',
    )
    [item] = agency_items(in_news_item(named))
    assert item.dateline == "Moskau"
