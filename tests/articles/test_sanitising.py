import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from articles.importers.news import import_news
from articles.models import Article
from articles.sanitising import ALLOWED_TAGS, sanitise_body_html
from tests.articles.importers.reading import read_file
from tests.factories import SectionFactory
from tests.samples import sample_path

HOSTILE = [
    "<script>alert(1)</script><p>Text</p>",
    '<p onclick="alert(1)" onmouseover=alert(2)>x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/png;base64,AAAA" onerror="alert(1)">',
    "<img src=x onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>p { color: red }</style><p>x</p>",
    "<svg><script>alert(1)</script><a xlink:href='javascript:alert(1)'>x</a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe src="https://evil.example"></iframe><p>nach dem Rahmen</p>',
    '<form action="https://evil.example"><input name="x"><button>Los</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/"><link rel="stylesheet" href="x.css">',
    "<<script>script>alert(1)<</script>/script>",
    "<!-- <script>alert(1)</script> --><p>nach dem Kommentar</p>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Zitat&quot;</p>",
    '<table><tr><td colspan="2" style="color:red" onclick="x()">x</td></tr></table>',
    "<p>offen <b>fett <i>kursiv</p><p>weiter",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<div><p>tief <a href="/relativ">Link</a></p></div>',
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title><xmp><script>alert(2)</script></xmp>",
    '<a href="https://x.example/?q=&quot;onmouseover=&quot;alert(1)">x</a>',
    '<p title="a" title="b" data-x="y" class="c" id="d">Attribute</p>',
    "<p>\u202eumgedreht\u202c und \u00a0 Leerzeichen</p>",
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster"}


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_harmless(html: str) -> None:
    for tag, attributes in elements(html):
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes.items():
            assert not name.startswith("on") and name != "style", (tag, name)
            if name in URL_ATTRIBUTES:
                scheme = "".join((value or "").split()).lower().split(":", 1)
                assert len(scheme) == 1 or scheme[0] in ("http", "https", "mailto")


def sample_bodies() -> list[str]:
    root = sample_path("FORMATS.md").parent
    bodies = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".json", ".xml") or "schema" in path.parts:
            continue
        try:
            _format, parsed = read_file(path.read_bytes())
        except ValueError:
            continue  # not an agency feed (the photo metadata reference)
        bodies += [item.item.body_html for item in parsed if item.item]
    assert len(bodies) > 20
    return bodies


@pytest.mark.parametrize("html", HOSTILE)
def test_sanitising_hostile_html_leaves_nothing_active_and_is_idempotent(html):
    once = sanitise_body_html(html)
    assert_harmless(once)
    assert sanitise_body_html(once) == once


def test_sanitising_every_sample_body_is_idempotent():
    for body in sample_bodies():
        once = sanitise_body_html(body)
        assert_harmless(once)
        assert sanitise_body_html(once) == once


@pytest.mark.django_db
def test_imported_bodies_contain_nothing_active(tmp_path):
    SectionFactory(slug="nachrichten")
    for name in (
        "dpa-digitalwires/rubix_multimedia_testartikel.json",
        "ninjs/2.1/tt_text_image_2.json",
        "nitf/pa3.xml",
        "newsml-g2/dpa/dpa-text-2022-superdesk-fixture.xml",
    ):
        (tmp_path / Path(name).name).write_bytes(sample_path(name).read_bytes())
    hostile = json.loads(sample_path("dpa-digitalwires/with_dateline.json").read_text())
    hostile["article_html"] = "".join(HOSTILE)
    (tmp_path / "hostile.json").write_text(json.dumps(hostile))
    report = import_news([str(tmp_path)])
    assert report.counts["created"] == 5, report.failures
    for article in Article.objects.all():
        assert_harmless(article.body)
        assert "alert(" not in article.body.replace("&lt;script&gt;alert(1)", "")
        assert sanitise_body_html(article.body) == article.body
    assert Article.objects.get(headline=hostile["headline"]).body.startswith(
        "<p>Text</p>"
    )
