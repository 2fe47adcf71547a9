"""The listing page for members, non-members and owners; joining an organisation."""

import pytest
from django.urls import reverse

from exchange.models import Membership
from exchange.services import listing_quality
from tests.exchange.factories import ListingFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_signed_in_non_members_see_how_to_join_and_the_organisation_links_to_its_page(client, user):
    listing = ListingFactory(title="Denim cuttings")
    client.force_login(user)
    content = client.get(listing.get_absolute_url()).content.decode()
    assert "Inquiries are sent on behalf of an organisation" in content
    assert reverse("exchange:join") in content
    assert "Send inquiry" not in content
    assert f'href="{listing.organisation.get_absolute_url()}"' in content


def test_members_of_another_organisation_get_the_inquiry_form(client, recycler):
    listing = ListingFactory()
    client.force_login(recycler.user)
    content = client.get(listing.get_absolute_url()).content.decode()
    assert "Send inquiry" in content and "Inquiries are sent on behalf" not in content


def test_joining_preselects_no_organisation_and_asks_for_one(client, user):
    OrganisationFactory(name="Alpha Textiles")
    client.force_login(user)
    content = client.get(reverse("exchange:join")).content.decode()
    assert '<option value="">Choose an organisation</option>' in content
    for value in ("", "no-such-organisation", "bad\x00slug"):
        response = client.post(
            reverse("exchange:join"), {"action": "join", "organisation": value}, follow=True
        )
        assert response.status_code == 200
        assert "Choose the organisation you want to join." in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize("photo", ["abc", "²", "", "1.5"])
def test_delete_photo_with_a_bad_id_is_not_found(client, producer, photo):
    listing = ListingFactory(organisation=producer.organisation)
    client.force_login(producer.user)
    url = reverse("exchange:listing_action", args=[listing.pk, "delete-photo"])
    assert client.post(url, {"photo": photo}).status_code == 404


def test_quality_hint_names_the_fields_of_the_kind_and_no_price_when_negotiable(producer):
    wanted = ListingFactory(
        organisation=producer.organisation, kind="wanted", form="", price_type="negotiable"
    )
    offer = ListingFactory(organisation=producer.organisation, form="", price_type="negotiable")
    assert "Forms accepted" in listing_quality(wanted)[1]
    missing = listing_quality(offer)[1]
    assert "Form" in missing and "Forms accepted" not in missing
    assert "Price" not in missing


def field_block(content, name):
    """The wrapper of a listing-form field, from its opening tag to the field's name."""
    at = content.index(f'name="{name}"')
    return content[content.rindex('<div class="field"', 0, at) : at]


@pytest.mark.parametrize(
    ("kind", "shown", "hidden"),
    [
        ("offer", ["form"], ["accepted_forms", "process", "accepts_hazardous"]),
        ("wanted", ["accepted_forms", "process", "accepts_hazardous"], ["form"]),
    ],
)
def test_the_listing_form_shows_the_fields_of_the_kind_in_steps(
    client, producer, kind, shown, hidden
):
    client.force_login(producer.user)
    content = client.get(reverse("exchange:listing_create"), {"kind": kind}).content.decode()
    assert "1. The listing" in content and "2. The material" in content
    assert "5. Certifications and photo" in content
    for name in shown:
        assert " hidden>" not in field_block(content, name)
    for name in hidden:
        assert " hidden>" in field_block(content, name)
    # negotiable by default: no price amount asked
    assert " hidden>" in field_block(content, "price_amount")


def test_a_price_per_unit_that_is_missing_is_shown_with_its_error(client, producer):
    client.force_login(producer.user)
    response = client.post(
        reverse("exchange:listing_create"),
        {"kind": "offer", "title": "X", "price_type": "per_unit", "quantity": "1", "unit": "kg"},
    )
    content = response.content.decode()
    assert "Enter the price per unit." in content
    assert " hidden>" not in field_block(content, "price_amount")
