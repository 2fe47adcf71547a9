import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from exchange.models import Listing, ListingPhoto, ListingState, Site
from exchange.services import listings_expire
from tests.exchange.factories import ListingFactory, MembershipFactory, SiteFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def listing_data(site, **overrides):
    data = {
        "kind": "offer",
        "title": "Cotton jersey cuttings, white",
        "description": "Weekly cutting-room waste of white cotton-elastane jersey, baled by 250 kg and stored indoors on pallets.",
        "waste_code": "04 02 22",
        "origin": "pre_consumer",
        "production_stage": "cutting",
        "form": "fabric_cuttings",
        "colour": "white",
        "contaminants": ["labels"],
        "contaminants_stated": "on",
        "legal_status": "by_product",
        "quantity": "1500",
        "unit": "kg",
        "supply_pattern": "week",
        "site": str(site.pk),
        "logistics": "pick_up",
        "price_type": "per_unit",
        "price_amount": "0.15",
        "currency": "EUR",
        "available_from": "2026-12-01",
        "available_until": "2027-06-30",
        "composition-TOTAL_FORMS": "2",
        "composition-INITIAL_FORMS": "0",
        "composition-0-fibre": "cotton",
        "composition-0-percent": "95",
        "composition-1-fibre": "elastane",
        "composition-1-percent": "5",
        "certifications-TOTAL_FORMS": "1",
        "certifications-INITIAL_FORMS": "0",
        "certifications-0-scheme": "GOTS",
        "certifications-0-number": "CU-GOTS-55210",
        "limits-TOTAL_FORMS": "0",
        "limits-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def wanted_data(site, **overrides):
    """A recycler's specification: two codes, cotton at least 90%, elastane at most 3%."""
    data = listing_data(
        site,
        kind="wanted",
        title="Wanted: white cotton cuttings for mechanical recycling",
        waste_code="",
        accepted_waste_codes=["04 02 21", "04 02 22"],
        accepted_forms=["fabric_cuttings", "yarn"],
        accepted_grades=["sorted", "sorted_cleaned"],
        refused_contaminants=["coatings", "laminates"],
        min_lot_kg="500",
        max_lot_kg="20000",
        radius_km="800",
        holds_permit="on",
        process="mechanical",
        **{
            "composition-TOTAL_FORMS": "0",
            "limits-TOTAL_FORMS": "2",
            "limits-0-fibre": "cotton",
            "limits-0-min_percent": "90",
            "limits-1-fibre": "elastane",
            "limits-1-max_percent": "3",
        },
    )
    data.update(overrides)
    return data


def test_member_creates_a_draft_with_composition_and_quality_score(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    response = client.post(reverse("exchange:listing_create"), listing_data(site))
    listing = Listing.objects.get()
    assert response.status_code == 302 and response.url == listing.get_absolute_url()
    assert listing.state == ListingState.DRAFT
    assert listing.remaining_quantity == 1500
    assert [(line.fibre, line.percent) for line in listing.composition.all()] == [
        ("cotton", 95),
        ("elastane", 5),
    ]
    assert listing.certifications.get().number == "CU-GOTS-55210"
    assert listing.latitude == site.latitude and listing.primary_fibre == "cotton"
    # everything described except a photo: 15 of 16 checks
    assert listing.quality_score == 94
    page = client.get(listing.get_absolute_url())
    assert "Photos" in page.context["quality_missing"]


def test_composition_must_add_up_to_100_and_nothing_is_saved(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    response = client.post(
        reverse("exchange:listing_create"), listing_data(site, **{"composition-1-percent": "15"})
    )
    assert response.status_code == 200
    assert "add up to 110%" in response.content.decode()
    assert not Listing.objects.exists()


def test_unknown_fibre_is_allowed(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    data = listing_data(site, **{"composition-1-fibre": "unknown", "composition-1-percent": "5"})
    client.post(reverse("exchange:listing_create"), data)
    assert Listing.objects.get().composition.filter(fibre="unknown").exists()


def test_wanted_listing_must_opt_in_to_hazardous_codes(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    data = wanted_data(site, accepted_waste_codes=["04 02 22", "15 02 02*"])
    response = client.post(reverse("exchange:listing_create"), data)
    assert response.status_code == 200
    assert "15 02 02* is hazardous" in response.content.decode()
    assert not Listing.objects.exists()
    client.post(reverse("exchange:listing_create"), {**data, "accepts_hazardous": "on"})
    assert Listing.objects.get().accepts_hazardous


def test_site_of_another_organisation_is_refused(client, producer):
    other_site = SiteFactory()
    client.force_login(producer.user)
    response = client.post(reverse("exchange:listing_create"), listing_data(other_site))
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_editing_another_organisations_listing_is_forbidden(client, producer):
    listing = ListingFactory()
    client.force_login(producer.user)
    url = reverse("exchange:listing_edit", args=[listing.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, listing_data(listing.site)).status_code == 403
    close = reverse("exchange:listing_action", args=[listing.pk, "close"])
    assert client.post(close).status_code == 403
    listing.refresh_from_db()
    assert listing.state == ListingState.ACTIVE


def test_unapproved_member_cannot_edit(client):
    membership = MembershipFactory(approved_at=None)
    listing = ListingFactory(organisation=membership.organisation)
    client.force_login(membership.user)
    assert client.get(reverse("exchange:listing_edit", args=[listing.pk])).status_code == 403


def test_unverified_organisation_cannot_publish(client):
    organisation = OrganisationFactory(verified_at=None)
    membership = MembershipFactory(organisation=organisation)
    listing = ListingFactory(organisation=organisation, state=ListingState.DRAFT)
    client.force_login(membership.user)
    response = client.post(
        reverse("exchange:listing_action", args=[listing.pk, "publish"]), follow=True
    )
    assert "not verified yet" in response.content.decode()
    listing.refresh_from_db()
    assert listing.state == ListingState.DRAFT
    # and its drafts are not public
    client.logout()
    assert client.get(listing.get_absolute_url()).status_code == 404


def test_verified_member_publishes_and_listing_expires_later(client, producer):
    listing = ListingFactory(
        organisation=producer.organisation, state=ListingState.DRAFT, published_at=None
    )
    client.force_login(producer.user)
    client.post(reverse("exchange:listing_action", args=[listing.pk, "publish"]))
    listing.refresh_from_db()
    assert listing.state == ListingState.ACTIVE
    assert listing.expires_at - timezone.now() > timedelta(days=89)


def test_staff_verify_organisations_others_cannot(client, admin_user, user):
    organisation = OrganisationFactory(verified_at=None)
    MembershipFactory(organisation=organisation)
    client.force_login(user)
    assert client.get(reverse("exchange:verification_queue")).status_code == 403
    client.force_login(admin_user)
    assert organisation.name in client.get(reverse("exchange:verification_queue")).content.decode()
    client.post(reverse("exchange:verification_queue"), {"organisation": organisation.pk})
    organisation.refresh_from_db()
    assert organisation.is_verified


def test_join_flow_registers_an_unverified_organisation_with_its_owner(client, user):
    client.force_login(user)
    response = client.post(
        reverse("exchange:join"),
        {
            "org-name": "Varaždin Denim Works",
            "org-kind": "company",
            "org-country": "HR",
            "org-registration_number": "HR12345678901",
            "site-name": "Factory",
            "site-city": "Varaždin",
            "site-country": "HR",
            "site-latitude": "46.30",
            "site-longitude": "16.33",
        },
    )
    assert response.status_code == 302
    membership = user.exchange_memberships.get()
    assert membership.role == "owner" and membership.approved_at
    assert not membership.organisation.is_verified
    assert Site.objects.get(organisation=membership.organisation).city == "Varaždin"


def test_join_request_is_approved_by_an_owner(
    client, producer, user, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("exchange:join"),
            {"action": "join", "organisation": producer.organisation.slug},
        )
    pending = user.exchange_memberships.get()
    assert pending.approved_at is None
    assert mail.outbox and producer.user.email in mail.outbox[0].to
    # the applicant cannot approve themselves
    assert client.post(reverse("exchange:membership_approve", args=[pending.pk])).status_code == 403
    client.force_login(producer.user)
    client.post(reverse("exchange:membership_approve", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.approved_at is not None


def _jpeg_with_exif():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_is_validated_and_stripped_of_metadata(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    data = listing_data(site)
    data["photo-image"] = SimpleUploadedFile("bales.jpg", _jpeg_with_exif(), "image/jpeg")
    data["photo-alt_text"] = "Bales of white cuttings"
    client.post(reverse("exchange:listing_create"), data)
    photo = ListingPhoto.objects.get()
    with Image.open(photo.image.path) as saved:
        assert not saved.getexif()
    assert Listing.objects.get().quality_score == 100


def test_a_non_image_is_refused(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    data = listing_data(site)
    data["photo-image"] = SimpleUploadedFile("bales.jpg", b"not an image", "image/jpeg")
    data["photo-alt_text"] = "Bales"
    response = client.post(reverse("exchange:listing_create"), data)
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_expiry_reminder_then_closing(producer, django_capture_on_commit_callbacks):
    soon = ListingFactory(
        organisation=producer.organisation, expires_at=timezone.now() + timedelta(days=3)
    )
    gone = ListingFactory(
        organisation=producer.organisation, expires_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert listings_expire() == (1, 1)
    assert len(mail.outbox) == 1 and soon.title in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert listings_expire() == (0, 0)  # no second reminder
    assert len(mail.outbox) == 1
    gone.refresh_from_db()
    assert gone.state == ListingState.CLOSED


def test_detail_page_queries_are_bounded(client, producer, django_assert_max_num_queries):
    listing = ListingFactory(
        organisation=producer.organisation, composition={"cotton": 60, "polyester": 40}
    )
    client.force_login(producer.user)
    # The first request of a fresh cache also reads what later ones find in it (the site and
    # its home page with its content type, the site look: cms/tablecache.py).
    with django_assert_max_num_queries(22):
        assert client.get(listing.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(listing.get_absolute_url()).status_code == 200


def test_wanted_listing_saves_the_buyer_specification(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    response = client.post(reverse("exchange:listing_create"), wanted_data(site))
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert sorted(listing.accepted_codes.values_list("code", flat=True)) == ["04 02 21", "04 02 22"]
    limits = {
        limit.fibre: (limit.min_percent, limit.max_percent) for limit in listing.fibre_limits.all()
    }
    assert limits == {"cotton": (90, None), "elastane": (None, 3)}
    assert listing.waste_code == "" and listing.form == "" and listing.contaminants == []
    assert listing.accepted_grades == ["sorted", "sorted_cleaned"]
    assert listing.radius_km == 800 and listing.reach_min_latitude < site.latitude
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "cotton at least 90%" in page and "elastane at most 3%" in page
    assert "within 800 km" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"limits-0-min_percent": "95", "limits-0-max_percent": "80"}, "minimum is above"),
        ({"limits-1-fibre": "cotton", "limits-1-max_percent": "99"}, "duplicate"),
        (
            {
                "limits-1-fibre": "polyester",
                "limits-1-min_percent": "20",
                "limits-1-max_percent": "",
            },
            "more than 100%",
        ),
        ({"any_fibre": "on"}, "contradict"),
        ({"limits-TOTAL_FORMS": "0"}, "tick that you take any fibre"),
        ({"limits-0-min_percent": "1000"}, "less than or equal to 100"),
        ({"min_lot_kg": "5000", "max_lot_kg": "100"}, "largest lot is smaller"),
        ({"radius_km": "99999999999"}, "less than or equal to 5000"),
        ({"accepted_waste_codes": ["99 99 99"]}, "Select a valid choice"),
        ({"title": "Cotton\x00 cuttings"}, "Null characters are not allowed"),
    ],
)
def test_buyer_specification_is_validated_on_the_server(client, producer, overrides, message):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    response = client.post(reverse("exchange:listing_create"), wanted_data(site, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Listing.objects.exists()


def test_publishing_a_wanted_listing_needs_fibre_rules_not_a_composition(client, producer):
    site = producer.organisation.exchange_sites.get()
    client.force_login(producer.user)
    client.post(reverse("exchange:listing_create"), wanted_data(site))
    listing = Listing.objects.get()
    assert not listing.composition.exists()
    client.post(reverse("exchange:listing_action", args=[listing.pk, "publish"]))
    listing.refresh_from_db()
    assert listing.state == "active"
