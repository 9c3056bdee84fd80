"""Issue 15, point 8: a sponsored teaser cannot pass as editorial content."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from teasers.models import SponsoredSlot
from teasers.services import Teaser
from tests.factories import (
    ArticleFactory,
    RailFactory,
    RailItemFactory,
    SponsoredSlotFactory,
)
from tests.teasers.test_admin import slot_form, user_in
from tests.teasers.test_views import sponsored_blocks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kicker", "claim"),
    [
        ("Tipp der Redaktion", "Redaktion"),
        ("Unsere Redaktion empfiehlt", "Redaktion"),
        ("Hafenwirt empfiehlt", "empfiehlt"),
        ("REDAKTION", "Redaktion"),
    ],
)
def test_ad_operations_cannot_give_a_slot_an_editorial_kicker(client, kicker, claim):
    client.force_login(user_in("Anzeigen", "anzeigen"))
    response = client.post(
        reverse("admin:teasers_sponsoredslot_add"),
        slot_form(RailFactory(), kicker=kicker),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "darf nicht nach Redaktion klingen" in html
    assert f"„{claim}“ ist nicht erlaubt" in html
    assert not SponsoredSlot.objects.exists()


def test_a_plain_kicker_is_fine(client):
    client.force_login(user_in("Anzeigen", "anzeigen"))
    response = client.post(
        reverse("admin:teasers_sponsoredslot_add"),
        # "Redaktionsschluss" is not the word "Redaktion".
        slot_form(RailFactory(), kicker="Angebot bis Redaktionsschluss"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_list_of_claims_is_a_setting(settings):
    settings.NEWSROOM_SPONSORED_FORBIDDEN_CLAIMS = ["Testsieger"]
    slot = SponsoredSlotFactory(kicker="Testsieger 2026")
    with pytest.raises(ValidationError, match="„Testsieger“ ist nicht erlaubt"):
        slot.full_clean()
    slot.kicker = "Tipp der Redaktion"
    slot.full_clean()


def test_a_sponsored_teaser_shows_no_count_an_article_does(client):
    rail = RailFactory()
    RailItemFactory(rail=rail, article=ArticleFactory(view_count=2345))
    slot = SponsoredSlotFactory(rail=rail, position=2, click_count=4839)
    teaser = Teaser.from_sponsored_slot(slot, at=timezone.now())
    assert (teaser.view_count, teaser.shows_view_count) == (0, False)
    html = client.get(reverse("teasers:front_page")).content.decode()
    [block] = sponsored_blocks(html)
    assert "Aufrufe" not in block and "4.839" not in block
    assert not re.search(r'class="views"', block)
    assert "2.345" in html  # the article's count is still shown
