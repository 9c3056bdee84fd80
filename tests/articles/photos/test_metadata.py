import io

import pytest
from PIL import Image, IptcImagePlugin
from PIL.ExifTags import Base

from articles.photos.metadata import (
    PhotoMetadata,
    decode_iim_bytes,
    read_photo_metadata,
)
from tests.samples import sample_path

UTF8_MARKER = b"\x1b%G"


def sample_photo(name: str) -> Image.Image:
    return Image.open(sample_path(f"photos/{name}"))


def read_sample(name: str) -> PhotoMetadata:
    with sample_photo(name) as image:
        return read_photo_metadata(image)


def iim_dataset(record: int, number: int, data: bytes) -> bytes:
    return bytes([0x1C, record, number]) + len(data).to_bytes(2, "big") + data


def photoshop_segment(iim: bytes) -> bytes:
    """APP13 "Photoshop 3.0" segment holding one IPTC-NAA (0x0404) resource."""
    resource = (
        b"8BIM"
        + (0x0404).to_bytes(2, "big")
        + b"\x00\x00"  # empty Pascal-string name, padded to an even length
        + len(iim).to_bytes(4, "big")
        + iim
        + b"\x00" * (len(iim) % 2)
    )
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + (len(payload) + 2).to_bytes(2, "big") + payload


def xmp_packet(properties: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"{properties}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    ).encode()


def make_jpeg(
    *, exif: Image.Exif | None = None, xmp: bytes = b"", iim: bytes = b""
) -> Image.Image:
    options = {"exif": exif} if exif is not None else {}
    if xmp:
        options["xmp"] = xmp
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "steelblue").save(buffer, "JPEG", **options)
    data = buffer.getvalue()
    if iim:
        # Pillow cannot write IIM, so the segment goes in right after SOI.
        data = data[:2] + photoshop_segment(iim) + data[2:]
    return Image.open(io.BytesIO(data))


def exif_with(**tags: str | bytes) -> Image.Exif:
    exif = Image.Exif()
    for name, value in tags.items():
        exif[Base[name]] = value
    return exif


# --- sample photos -------------------------------------------------------


def test_iptc_reference_2017_prefers_xmp_for_every_field():
    # IIM 2:80 and EXIF Artist name only Creator1; both creators prove XMP.
    assert read_sample("IPTC-PhotometadataRef-Std2017.1.jpg") == PhotoMetadata(
        creator="Creator1 (ref2017.1), Creator2 (ref2017.1)",
        credit_line="Credit Line (ref2017.1)",
        copyright_notice="Copyright (Notice) 2017.1 IPTC - www.iptc.org  (ref2017.1)",
        source="Source (ref2017.1)",
        caption="The description aka caption (ref2017.1)",
        headline="The Headline (ref2017.1)",
        usage_terms="Rights Usage Termns (ref2017.1)",  # sic, typo in the file
        web_statement="http://www.WebStatementOfRights.org/2017.1",
        alt_text="",  # AltTextAccessibility only exists since IPTC 2021.1
        instructions="An Instruction (ref2017.1)",
        keywords="Keyword1ref2017.1, Keyword2ref2017.1, Keyword3ref2017.1",
    )


def test_iptc_reference_2023_includes_alt_text():
    assert read_sample("IPTC-PhotometadataRef-Std2023.2.jpg") == PhotoMetadata(
        creator="Creator1 (ref2023.2)",
        credit_line="Credit Line (ref2023.2)",
        copyright_notice="Copyright (Notice) 2023.2 IPTC - www.iptc.org  (ref2023.2)",
        source="Source (ref2023.2)",
        caption="The description aka caption (ref2023.2)",
        headline="The Headline (ref2023.2)",
        usage_terms="Rights Usage Terms (ref2023.2)",
        web_statement="https://example.com/WebStatementOfRights/ref2023.2",
        alt_text="This is the Alt Text description to support accessibility in 2023.2",
        instructions="An Instruction (ref2023.2)",
        keywords="Keyword1ref2023.2, Keyword2ref2023.2, Keyword3ref2023.2",
    )


@pytest.mark.parametrize(
    ("name", "creator", "source", "caption_end"),
    [
        (
            "cp-canadian-press.jpg",
            "Paul Chiasson",
            "CP",  # IIM 2:115 says "The Canadian Press"; XMP wins
            "THE CANADIAN PRESS/Paul Chiasson",
        ),
        (
            "GAC103-thumb-canadian-press.jpg",
            "Annick deGooyer",
            "HO",
            "THE CANADIAN PRESS/HO-Annick deGooyer, *MANDATORY CREDIT*",
        ),
    ],
)
def test_canadian_press_credits(name, creator, source, caption_end):
    metadata = read_sample(name)

    assert metadata.creator == creator
    assert metadata.credit_line == "The Canadian Press"
    assert metadata.source == source
    assert metadata.caption.endswith(caption_end)
    assert metadata.copyright_notice == ""


def test_canadian_press_instructions_come_untruncated_from_xmp():
    metadata = read_sample("GAC103-thumb-canadian-press.jpg")

    # IIM 2:40 is cut at its 256-byte limit in this file.
    assert metadata.instructions.endswith("14 DAYS FROM THE TIME OF TRANSMISSION")


def test_canadian_press_iim_text_is_utf8():
    # The only non-ASCII IIM bytes in the CP samples are in 2:05 Object Name.
    with sample_photo("cp-canadian-press.jpg") as image:
        datasets = IptcImagePlugin.getiptcinfo(image)

    assert datasets[(1, 90)] == UTF8_MARKER
    assert datasets[(2, 5)] == b"MORT PI\xc3\x89TONNE MONTR\xc3\x89AL 20201014"
    assert (
        decode_iim_bytes(datasets[(2, 5)], declares_utf8=True)
        == "MORT PIÉTONNE MONTRÉAL 20201014"
    )


def test_copyright_only_photo():
    assert read_sample("digital-nature-10485007-copyright-only.jpg") == PhotoMetadata(
        copyright_notice="(c) Aprescindere | Dreamstime.com"
    )


def test_stripped_dpa_photo_has_no_metadata():
    assert read_sample("dpa-picture-171117-99-908458-stripped.jpg") == PhotoMetadata()


# --- XMP -----------------------------------------------------------------


def test_xmp_beats_exif():
    image = make_jpeg(
        exif=exif_with(Artist="Exif Artist"),
        xmp=xmp_packet(
            "<dc:creator><rdf:Seq><rdf:li>Xmp Creator</rdf:li></rdf:Seq></dc:creator>"
        ),
    )

    assert read_photo_metadata(image).creator == "Xmp Creator"


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["en", "x-default", "de"], "x-default"),
        (["en", "de"], "de"),
        (["en", "fr"], "en"),
    ],
)
def test_xmp_lang_alt_prefers_default_then_german(languages, expected):
    items = "".join(
        f'<rdf:li xml:lang="{language}">{language}</rdf:li>' for language in languages
    )
    image = make_jpeg(
        xmp=xmp_packet(f"<dc:rights><rdf:Alt>{items}</rdf:Alt></dc:rights>")
    )

    assert read_photo_metadata(image).copyright_notice == expected


def test_malformed_xmp_leaves_exif_and_iim_readable():
    image = make_jpeg(
        exif=exif_with(Copyright="Exif Copyright"),
        xmp=b"<x:xmpmeta><broken",
        iim=iim_dataset(2, 80, b"Iim Creator"),
    )

    metadata = read_photo_metadata(image)

    assert metadata.creator == "Iim Creator"
    assert metadata.copyright_notice == "Exif Copyright"


# --- IPTC IIM ------------------------------------------------------------


def test_handmade_iim_block_is_read_by_pillow():
    image = make_jpeg(iim=iim_dataset(2, 80, b"A") + iim_dataset(2, 80, b"B"))

    assert IptcImagePlugin.getiptcinfo(image) == {(2, 80): [b"A", b"B"]}
    assert read_photo_metadata(image).creator == "A, B"


def test_iim_without_character_set_falls_back_to_latin1():
    image = make_jpeg(iim=iim_dataset(2, 80, "Jürgen".encode("latin-1")))

    assert read_photo_metadata(image).creator == "Jürgen"


def test_iim_declared_utf8():
    image = make_jpeg(
        iim=iim_dataset(1, 90, UTF8_MARKER) + iim_dataset(2, 80, "Jürgen".encode())
    )

    assert read_photo_metadata(image).creator == "Jürgen"


@pytest.mark.parametrize(
    ("raw", "declares_utf8", "expected"),
    [
        ("Müller".encode(), False, "Müller"),
        ("5 €".encode("cp1252"), False, "5 €"),
        (b"\x81", False, "\x81"),  # undefined in cp1252, so latin-1
        (b"J\xfcrgen", True, "J\ufffdrgen"),  # declared UTF-8 is trusted
    ],
)
def test_decode_iim_bytes(raw, declares_utf8, expected):
    assert decode_iim_bytes(raw, declares_utf8=declares_utf8) == expected


# --- EXIF ----------------------------------------------------------------


def test_exif_utf8_misdecoded_by_pillow_is_repaired():
    # A str value would be written as ASCII with "?" replacements; bytes are
    # written as they are, like cameras and editing tools do.
    image = make_jpeg(exif=exif_with(Artist="Jürgen Müller".encode()))

    assert image.getexif()[Base.Artist] == "JÃ¼rgen MÃ¼ller"
    assert read_photo_metadata(image).creator == "Jürgen Müller"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (b"Photographer\x00Editor", "Photographer"),
        (b" \x00Editor", "Editor"),
    ],
)
def test_exif_copyright_keeps_first_non_empty_part(stored, expected):
    image = make_jpeg(exif=exif_with(Copyright=stored))

    assert read_photo_metadata(image).copyright_notice == expected


def test_exif_cp1252_misdecoded_by_pillow_is_repaired():
    # Windows tools write cp1252: latin-1 turns „ “ … € into C1 controls.
    image = make_jpeg(exif=exif_with(ImageDescription="„Hafen“ … 5 €".encode("cp1252")))

    assert read_photo_metadata(image).caption == "„Hafen“ … 5 €"


def test_control_characters_leave_every_source():
    image = make_jpeg(
        exif=exif_with(Artist=b"Anna\x1b Schmidt\x7f"),
        xmp=xmp_packet("<dc:rights>\u0085\u0090Rechte\u009f</dc:rights>"),
        iim=iim_dataset(2, 120, b"Zeile\x00 eins\r\nZeile\x07 zwei\x00\x00"),
    )

    metadata = read_photo_metadata(image)
    assert metadata.creator == "Anna Schmidt"
    assert metadata.copyright_notice == "Rechte"
    assert metadata.caption == "Zeile eins\nZeile zwei"
