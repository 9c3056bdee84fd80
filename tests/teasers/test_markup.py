from dataclasses import replace

from teasers.markup import teaser_html
from teasers.services import Teaser


def test_teaser_markup_is_memoized_by_the_teaser_value():
    teaser = Teaser(
        headline="Rathaus <beschließt>", url="/lokales/a-1/", view_count=19467
    )
    html = teaser_html(teaser, "teaser", False, "de")
    assert "Rathaus &lt;beschließt&gt;" in html and "19.467" in html
    assert teaser_html(Teaser(**vars(teaser)), "teaser", False, "de") is html
    counted = teaser_html(replace(teaser, view_count=20000), "teaser", False, "de")
    assert "20.000" in counted and "19.467" not in counted
    sponsored = teaser_html(
        replace(teaser, is_sponsored=True, label="Anzeige", advertiser="Stadtwerke"),
        "teaser",
        False,
        "de",
    )
    assert "Anzeige" in sponsored and 'rel="sponsored noopener"' in sponsored
