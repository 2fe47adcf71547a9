"""Listings: saving, publishing, state changes, expiry, and the one way to change the
remaining quantity."""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.accounts.models import User
from cms.mail import email_queue_template
from cms.taxonomy import normalise_waste_code

from .. import jobs
from ..matching import reach_box
from ..models import AcceptedWasteCode, Listing, ListingKind, ListingState
from .organisations import is_member, organisation_recipients


def lifetime() -> timedelta:
    return timedelta(days=settings.EXCHANGE_LISTING_LIFETIME_DAYS)


# Data quality: (name of what is missing, as the member reads it; check).
QualityCheck = tuple[object, Callable[[Listing, Mapping[str, Any]], bool]]
QUALITY_CHECKS: list[QualityCheck] = [
    (
        gettext_lazy("List of Waste code"),
        lambda listing, c: bool(listing.waste_code if listing.is_offer else c.get("codes")),
    ),
    (
        gettext_lazy("Fibre composition without unknown fibres"),
        lambda listing, c: (
            (bool(c["composition"]) and "unknown" not in c["composition"])
            if listing.is_offer
            else bool(c.get("fibre_limits") or listing.any_fibre)
        ),
    ),
    (gettext_lazy("Origin"), lambda listing, c: bool(listing.origin)),
    (gettext_lazy("Production stage"), lambda listing, c: bool(listing.production_stage)),
    (
        # The label of the field the member fills in: offers state a form, wanted listings
        # the forms they accept.
        lambda listing: (
            gettext_lazy("Form") if listing.is_offer else gettext_lazy("Forms accepted")
        ),
        lambda listing, c: bool(listing.form or listing.accepted_forms),
    ),
    (gettext_lazy("Colour"), lambda listing, c: bool(listing.colour)),
    (gettext_lazy("Contaminants and trims"), lambda listing, c: listing.contaminants_stated),
    (gettext_lazy("Legal status"), lambda listing, c: bool(listing.legal_status)),
    (gettext_lazy("Quantity"), lambda listing, c: listing.quantity > 0),
    (gettext_lazy("Location"), lambda listing, c: listing.site_id is not None),
    (gettext_lazy("Logistics"), lambda listing, c: bool(listing.logistics)),
    # "Negotiable" is a price statement: nobody is asked for a figure they chose not to give.
    (gettext_lazy("Price"), lambda listing, c: bool(listing.price_type)),
    (gettext_lazy("Available from"), lambda listing, c: bool(listing.available_from)),
    (gettext_lazy("Certifications"), lambda listing, c: c["certifications"] > 0),
    (gettext_lazy("Photos"), lambda listing, c: c["photos"] > 0 or not listing.is_offer),
    (
        gettext_lazy("Description (at least 80 characters)"),
        lambda listing, c: len(listing.description) >= 80,
    ),
]


def listing_quality(
    listing: Listing, counts: Mapping[str, Any] | None = None
) -> tuple[int, list[str]]:
    """Completeness 0–100 and the labels of what is missing (Cirplus-style data quality).
    ``counts`` (fibres, number of certifications and photos) when the caller has them."""
    counts = counts or {
        "composition": {line.fibre for line in listing.composition.all()},
        "certifications": len(listing.certifications.all()),
        "photos": len(listing.photos.all()),
        "fibre_limits": len(listing.fibre_limits.all()),
        "codes": len(listing.accepted_codes.all()),
    }
    missing = [
        str(label(listing) if callable(label) else label)
        for label, check in QUALITY_CHECKS
        if not check(listing, counts)
    ]
    score = round(100 * (len(QUALITY_CHECKS) - len(missing)) / len(QUALITY_CHECKS))
    return score, missing


def listing_derive(
    *,
    listing: Listing,
    composition: Iterable[tuple[str, int]],
    counts: Mapping[str, Any] | None = None,
) -> Listing:
    """Set what a listing copies or computes (location, region, primary fibre, data quality)
    on the instance, without saving. ``composition``: (fibre, percent) pairs."""
    source = listing.site or listing.organisation
    listing.latitude, listing.longitude = source.latitude, source.longitude
    listing.region_id = listing.organisation.region_id
    (
        listing.reach_min_latitude,
        listing.reach_max_latitude,
        listing.reach_min_longitude,
        listing.reach_max_longitude,
    ) = reach_box(listing)
    lines = sorted(composition, key=lambda line: -line[1])
    listing.primary_fibre = lines[0][0] if lines else ""
    listing.quality_score, _missing = listing_quality(listing, counts)
    return listing


def listing_refresh(*, listing: Listing) -> Listing:
    """Recompute the copied location, primary fibre and data-quality score, then queue the
    incremental match recomputation once the transaction commits."""
    lines = [(line.fibre, line.percent) for line in listing.composition.all()]
    listing_derive(listing=listing, composition=lines)
    Listing.objects.filter(pk=listing.pk).update(
        latitude=listing.latitude,
        longitude=listing.longitude,
        region_id=listing.region_id,
        reach_min_latitude=listing.reach_min_latitude,
        reach_max_latitude=listing.reach_max_latitude,
        reach_min_longitude=listing.reach_min_longitude,
        reach_max_longitude=listing.reach_max_longitude,
        primary_fibre=listing.primary_fibre,
        quality_score=listing.quality_score,
    )
    jobs.enqueue_on_commit(jobs.LISTING_CHANGED, listing.pk)
    return listing


def listing_can_edit(user: User | AnonymousUser, listing: Listing) -> bool:
    return is_member(user, listing.organisation_id)


# Remaining quantity ----------------------------------------------------------------------------


def listing_remaining_adjust(*, listing_id: int, delta: Decimal | int | str) -> Listing:
    """The one way the remaining quantity goes down (deals) or up: under a row lock, so a deal
    and an edit recorded at the same moment both count. Returns the locked, updated listing.
    Must run inside the caller's transaction."""
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    remaining = listing.remaining_quantity + Decimal(delta)
    if remaining < 0:
        raise ValidationError(
            _("Only %(remaining)s %(unit)s remain on this listing.")
            % {
                "remaining": listing.remaining_quantity.normalize(),
                "unit": listing.get_unit_display(),
            }
        )
    listing.remaining_quantity = remaining
    Listing.objects.filter(pk=listing_id).update(
        remaining_quantity=remaining, updated_at=timezone.now()
    )
    return listing


def listing_quantity_set(*, listing_id: int, quantity: Decimal | int | str) -> Listing:
    """A member changes the total quantity: what was already exchanged stays exchanged, so the
    remaining quantity moves by the same amount (never below zero). Reads both under the row
    lock, so it never writes back a remaining quantity read before a deal."""
    listing = Listing.objects.select_for_update().get(pk=listing_id)
    quantity = Decimal(quantity)
    if quantity == listing.quantity:
        return listing
    remaining = max(listing.remaining_quantity + quantity - listing.quantity, Decimal(0))
    Listing.objects.filter(pk=listing_id).update(
        quantity=quantity, remaining_quantity=remaining, updated_at=timezone.now()
    )
    listing.quantity, listing.remaining_quantity = quantity, remaining
    return listing


@transaction.atomic
def listing_save(*, listing: Listing, user: User, fields: Iterable[str]) -> Listing:
    """Save a listing edited in a form. A new listing starts with all of its quantity
    remaining; an existing one saves only the form's ``fields`` and changes its quantity
    through ``listing_quantity_set``, never writing a remaining quantity it read earlier."""
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if listing.pk is None:
        listing.created_by = user
        listing.remaining_quantity = listing.quantity
        listing.save()
        return listing
    quantity = listing.quantity
    columns = {field.name for field in Listing._meta.concrete_fields}
    update = [f for f in fields if f in columns and f not in ("quantity", "remaining_quantity")]
    listing.save(update_fields=[*update, "updated_at"])
    fresh = listing_quantity_set(listing_id=listing.pk, quantity=quantity)
    listing.quantity, listing.remaining_quantity = fresh.quantity, fresh.remaining_quantity
    return listing


def listing_specification_save(*, listing: Listing, user: User, codes: Iterable[str]) -> Listing:
    """Replace the waste codes a wanted listing accepts (an offer accepts none: it has its own
    ``waste_code``). Fibre limits are saved by their formset with the listing."""
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    codes = {normalise_waste_code(code) for code in codes} - {""}
    if listing.kind != ListingKind.WANTED:
        codes = set()
    with transaction.atomic():
        listing.accepted_codes.exclude(code__in=codes).delete()
        existing = set(listing.accepted_codes.values_list("code", flat=True))
        AcceptedWasteCode.objects.bulk_create(
            AcceptedWasteCode(listing=listing, code=code) for code in sorted(codes - existing)
        )
    return listing


# Publishing and states -------------------------------------------------------------------------


@transaction.atomic
def listing_publish(*, listing: Listing, user: User) -> Listing:
    """Draft → active. Only members of a verified organisation may publish."""
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if not listing.organisation.is_verified:
        raise ValidationError(
            _(
                "Your organisation is not verified yet: the listing stays a draft until staff verify it."
            )
        )
    if listing.is_offer and not listing.composition.exists():
        raise ValidationError(_("Describe the fibre composition before publishing."))
    if not listing.is_offer and not (listing.any_fibre or listing.fibre_limits.exists()):
        raise ValidationError(
            _("Say which fibres you accept (or that you take any fibre) before publishing.")
        )
    now = timezone.now()
    listing.state = ListingState.ACTIVE
    listing.published_at = listing.published_at or now
    listing.expires_at = now + lifetime()
    listing.reminder_sent_at = None
    listing.save(
        update_fields=["state", "published_at", "expires_at", "reminder_sent_at", "updated_at"]
    )
    listing_refresh(listing=listing)
    jobs.enqueue_on_commit(jobs.INSTANT_ALERTS, listing.pk)
    return listing


ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ListingState.ACTIVE: {ListingState.RESERVED, ListingState.CLOSED},
    ListingState.RESERVED: {ListingState.ACTIVE, ListingState.CLOSED},
    ListingState.DRAFT: {ListingState.CLOSED},
    ListingState.CLOSED: set(),
}


@transaction.atomic
def listing_set_state(*, listing: Listing, user: User, state: str) -> Listing:
    """Only members of the listing's own organisation change its state."""
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if state not in ALLOWED_TRANSITIONS[listing.state]:
        raise ValidationError(_("This listing cannot change to that state."))
    listing.state = state
    listing.save(update_fields=["state", "updated_at"])
    listing_refresh(listing=listing)
    return listing


def listing_close_when_exhausted(*, listing: Listing) -> None:
    """An offer whose remaining quantity reached zero through a deal its organisation proposed
    or confirmed closes. Called by the deal service only, with the listing locked."""
    if listing.kind == ListingKind.OFFER and listing.remaining_quantity <= 0:
        Listing.objects.filter(pk=listing.pk).update(state=ListingState.CLOSED)
        listing.state = ListingState.CLOSED


@transaction.atomic
def listing_renew(*, listing: Listing, user: User) -> Listing:
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if listing.state != ListingState.ACTIVE:
        raise ValidationError(_("Only active listings can be renewed."))
    listing.expires_at = timezone.now() + lifetime()
    listing.reminder_sent_at = None
    listing.save(update_fields=["expires_at", "reminder_sent_at", "updated_at"])
    return listing


def listings_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """Close active listings past their expiry; remind members a week before. Returns
    (reminded, expired)."""
    now = now or timezone.now()
    reminded = 0
    due = Listing.objects.active().filter(
        expires_at__lte=now + timedelta(days=7), expires_at__gt=now, reminder_sent_at__isnull=True
    )
    for listing in due.select_related("organisation"):
        with transaction.atomic():
            updated = Listing.objects.filter(pk=listing.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if updated and (recipients := organisation_recipients(listing.organisation_id)):
                email_queue_template(
                    to=recipients,
                    template_prefix="exchange/email/expiry_reminder",
                    context={"listing": listing, "site_url": settings.SITE_URL},
                )
                reminded += 1
    expired_ids = list(
        Listing.objects.active().filter(expires_at__lte=now).values_list("pk", flat=True)
    )
    Listing.objects.filter(pk__in=expired_ids).update(state=ListingState.CLOSED)
    for pk in expired_ids:
        jobs.enqueue(jobs.LISTING_CHANGED, pk)
    return reminded, len(expired_ids)
