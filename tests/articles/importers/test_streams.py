import io
import json
import re

import pytest

from articles.importers.detect import read_items
from articles.importers.items import ParseError
from articles.importers.news import import_news
from articles.importers.sources import walk_files
from articles.importers.streams import json_values, xml_elements
from articles.models import AgencyVersion, Article
from tests.articles.importers.reading import agency_items
from tests.factories import SectionFactory
from tests.samples import sample_path

DW_SAMPLES = ["with_dateline.json", "embargoed.json", "dw-1.json", "spe2.json"]
G2_SAMPLES = [
    "dpa/dpa-text-2017-170626-99-998860.xml",
    "dpa/dpa-text-2017-170629-99-48571.xml",
    "dpa/dpa-text-2022-superdesk-fixture.xml",
    "dpa/dpa-picture-171117-99-908458.xml",
]


def dw_entries() -> list[dict]:
    return [
        json.loads(sample_path(f"dpa-digitalwires/{name}").read_text())
        for name in DW_SAMPLES
    ]


def streamed(data: bytes, **options) -> list:
    return list(json_values(io.BytesIO(data), limit=10**6, **options))


@pytest.mark.parametrize("chunk", [1, 7, 4096])
@pytest.mark.parametrize(
    "shape", ["array", "lines", "wireq", "wireq-with-other-keys", "concatenated"]
)
def test_every_json_shape_streams_the_same_entries(shape, chunk):
    entries = dw_entries()
    text = {
        "array": json.dumps(entries, indent=2),
        "lines": "\n".join(json.dumps(entry) for entry in entries) + "\n",
        "wireq": json.dumps({"entries": entries}),
        "wireq-with-other-keys": json.dumps(
            {"count": 4, "entries": entries, "_wireq": {"next": [1, 2]}}
        ),
        "concatenated": "".join(json.dumps(entry) for entry in entries),
    }[shape]
    values = streamed(text.encode(), chunk=chunk)
    assert [value for value, _text in values] == entries
    # Each item keeps its own text as the raw payload.
    assert [json.loads(raw) for _value, raw in values] == entries


def test_a_single_object_is_one_item_with_its_text():
    [(value, raw)] = streamed(b' {"urn": "urn:x:1", "n": [1, {"a": 2}]} ', chunk=3)
    assert value == {"urn": "urn:x:1", "n": [1, {"a": 2}]}
    assert raw == '{"urn": "urn:x:1", "n": [1, {"a": 2}]}'


def test_an_item_over_the_limit_stops_the_file_after_the_items_before_it():
    small = {"urn": "urn:x:1"}
    large = {"urn": "urn:x:2", "article_html": "x" * 5000}
    data = json.dumps([small, large, small]).encode()
    values = json_values(io.BytesIO(data), limit=1000, chunk=64)
    assert next(values)[0] == small
    with pytest.raises(ParseError, match="größer als 1000 Bytes"):
        next(values)


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        (b'{"urn": "urn:x:3"\x00}', "NUL"),
        (b'{"urn": "\xff"}', "UTF-8"),
        (b'{"urn": ', "JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "verschachtelt"),
    ],
)
def test_broken_input_stops_where_it_starts(tail, reason):
    data = b'{"urn": "urn:x:1"}\n{"urn": "urn:x:2"}\n' + tail
    values = json_values(io.BytesIO(data), limit=10**6, chunk=16)
    assert [next(values)[0]["urn"], next(values)[0]["urn"]] == ["urn:x:1", "urn:x:2"]
    with pytest.raises(ParseError, match=reason):
        next(values)


def news_message(names: list[str]) -> bytes:
    """A NewsML-G2 newsMessage carrying the news items of the sample files."""
    raws = [sample_path(f"newsml-g2/{name}").read_bytes() for name in names]
    namespaces = sorted(
        {found for raw in raws for found in re.findall(rb'xmlns:\w+="[^"]*"', raw)}
    )
    items = [
        re.search(rb"<newsItem\b.*</newsItem>", raw, re.S).group(0) for raw in raws
    ]
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/" '
        + b" ".join(namespaces)
        + b"><header><sent>2026-11-24T08:00:00+01:00</sent></header><itemSet>"
        + b"".join(items)
        + b"</itemSet></newsMessage>"
    )


def test_a_newsml_message_streams_item_by_item_and_drops_what_it_read():
    message = news_message(G2_SAMPLES * 3)
    expected = [
        item
        for name in G2_SAMPLES
        for item in agency_items(sample_path(f"newsml-g2/{name}").read_bytes())
    ] * 3
    format, raw_items = read_items(io.BytesIO(message))
    assert format == "newsml"
    assert [raw_item.parse().item for raw_item in raw_items] == expected

    roots = []

    def choose(root):
        roots.append(root)
        return lambda element, parent: element.tag.endswith("}newsItem")

    for _element in xml_elements(io.BytesIO(message), limit=10**6, choose=choose):
        pass
    # Finished items and headers are no longer held by the tree.
    assert len(roots[0]) == 0


def test_an_rss_feed_with_many_items_streams():
    item = (
        "<item><guid>presse-{n}</guid><title>Meldung {n}</title>"
        "<pubDate>Mon, 23 Nov 2026 09:15:00 +0100</pubDate>"
        "<description>Vorspann {n}</description></item>"
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Presse</title>'
        + "".join(item.format(n=n) for n in range(500))
        + "</channel></rss>"
    ).encode()
    format, raw_items = read_items(io.BytesIO(feed))
    parsed = [raw_item.parse() for raw_item in raw_items]
    assert format == "rss" and len(parsed) == 500
    assert parsed[499].item.external_id == "presse-499"
    assert parsed[499].item.teaser == "Vorspann 499"


def test_an_xml_item_over_the_limit_stops_the_file():
    # Two items of about 9 KB, then one of about 40 KB; the parser reads
    # 16 KB at a time, so the limit holds to within that.
    message = news_message(
        ["dpa/dpa-text-2017-170629-99-48571.xml"] * 2
        + ["dpa/dpa-text-2017-170629-99-43688.xml"]
    )
    elements = xml_elements(
        io.BytesIO(message),
        limit=20_000,
        choose=lambda root: lambda element, parent: element.tag.endswith("newsItem"),
    )
    assert len([next(elements), next(elements)]) == 2
    with pytest.raises(ParseError, match="größer als 20000 Bytes"):
        next(elements)


def test_entity_declarations_are_refused_while_streaming():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]>'
        b"<rss><channel><item><guid>&a;</guid></item></channel></rss>"
    )
    with pytest.raises(ParseError, match="Unsicheres XML"):
        read_items(io.BytesIO(bomb))


@pytest.mark.django_db
def test_one_large_concatenated_file_imports_item_by_item(tmp_path, settings):
    SectionFactory(slug="nachrichten")
    settings.NEWSROOM_IMPORT_BATCH_SIZE = 7
    template = dw_entries()[0]
    lines = [
        json.dumps(template | {"urn": f"urn:newsml:dpa.com:stream:{n}"})
        for n in range(40)
    ]
    lines[11] = json.dumps(template | {"urn": "urn:x:kaputt", "version": -1})
    lines[12] = json.dumps(template | {"urn": "urn:x:zeit", "embargoed": "morgen"})
    # The file breaks off in the middle of its last item.
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + '\n{"urn": "urn:x:abgeschnitten", ')
    report = import_news([str(path)])
    assert report.counts["created"] == 38
    failed = dict(report.failures)
    assert "Version" in failed["#12"] and "embargoed" in failed["#13"]
    assert "JSON" in failed[str(path)]
    assert Article.objects.count() == AgencyVersion.objects.count() == 38
    # Running it again changes nothing.
    again = import_news([str(path)])
    assert again.counts["unchanged"] == report.counts["created"]


def test_directories_are_walked_in_name_order_skipping_hidden_files(tmp_path):
    for name in ["b.json", "a/2.xml", "a/1.json", ".git/x.json", "c.jpg", "a/.h.json"]:
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("{}")
    walk = walk_files(tmp_path, {".json", ".xml"})
    assert next(walk) == tmp_path / "a" / "1.json"  # lazily, one at a time
    assert list(walk) == [tmp_path / "a" / "2.xml", tmp_path / "b.json"]


def test_nul_bytes_stop_an_xml_file_after_the_items_before_them():
    items = "".join(
        f"<item><guid>g-{n}</guid><title>T {n}</title></item>" for n in range(3)
    )
    feed = f'<?xml version="1.0"?><rss><channel>{items}<item><guid>'.encode()
    _format, raw_items = read_items(io.BytesIO(feed + b"\x00</guid></item>"))
    assert [next(raw_items).parse().item.external_id for _ in range(3)] == [
        "g-0",
        "g-1",
        "g-2",
    ]
    with pytest.raises(ParseError, match="NUL"):
        next(raw_items)
