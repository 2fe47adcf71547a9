"""Actions of the exchange. Views, tasks, commands and tests all call these."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cms.directory.models import Organisation
from cms.mail import email_queue_template
from cms.notifications.services import preference_delete, preference_set
from cms.taxonomy import FIBRE_FAMILY

from .models import (
    KG_PER_UNIT,
    MATCHES_TOPIC,
    SAVED_SEARCH_TOPIC,
    Deal,
    Inquiry,
    InquiryMessage,
    Listing,
    ListingKind,
    ListingState,
    MatchAlert,
    Membership,
    MembershipRole,
    PriceType,
    SavedSearch,
    Site,
)
from .selectors import IMPACT_CACHE_KEY, IMPACT_TOTAL_CACHE_KEY


def lifetime():
    return timedelta(days=getattr(settings, "EXCHANGE_LISTING_LIFETIME_DAYS", 90))


# Organisations ---------------------------------------------------------------------------------


def member_organisations(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        exchange_memberships__user=user, exchange_memberships__approved_at__isnull=False
    )


def is_member(user, organisation_id):
    return (
        user.is_authenticated
        and Membership.objects.approved()
        .filter(user=user, organisation_id=organisation_id)
        .exists()
    )


def is_owner(user, organisation_id):
    return (
        user.is_authenticated
        and Membership.objects.approved()
        .filter(user=user, organisation_id=organisation_id, role=MembershipRole.OWNER)
        .exists()
    )


@transaction.atomic
def organisation_create(*, user, data, site_data):
    """Register a new (unverified) organisation with its first site; the user becomes owner."""
    base = slugify(data["name"])[:180] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation.objects.create(slug=slug, **data)
    site = Site.objects.create(organisation=organisation, **site_data)
    if organisation.latitude is None:
        organisation.latitude, organisation.longitude = site.latitude, site.longitude
        organisation.save(update_fields=["latitude", "longitude"])
    Membership.objects.create(
        organisation=organisation, user=user, role=MembershipRole.OWNER, approved_at=timezone.now()
    )
    if user.organisation_id is None:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    return organisation


@transaction.atomic
def membership_request(*, user, organisation):
    membership, created = Membership.objects.get_or_create(organisation=organisation, user=user)
    if created:
        owners = Membership.objects.approved().filter(
            organisation=organisation, role=MembershipRole.OWNER
        )
        recipients = [m.user.email for m in owners.select_related("user")]
        if recipients:
            email_queue_template(
                to=recipients,
                template_prefix="exchange/email/join_request",
                context={
                    "organisation": organisation,
                    "applicant": user,
                    "site_url": settings.SITE_URL,
                },
            )
    return membership


@transaction.atomic
def membership_approve(*, membership, by):
    if not is_owner(by, membership.organisation_id):
        raise PermissionDenied
    membership.approved_at = timezone.now()
    membership.save(update_fields=["approved_at"])
    return membership


@transaction.atomic
def organisation_verify(*, organisation, by):
    """Staff confirm the organisation's identity; from now on its members can publish."""
    if not by.is_staff:
        raise PermissionDenied
    organisation.verified_at = timezone.now()
    organisation.save(update_fields=["verified_at"])
    return organisation


# Listings --------------------------------------------------------------------------------------

QUALITY_CHECKS = [
    ("waste_code", lambda listing, c: bool(listing.waste_code)),
    (
        "composition",
        lambda listing, c: bool(c["composition"]) and "unknown" not in c["composition"],
    ),
    ("origin", lambda listing, c: bool(listing.origin)),
    ("production_stage", lambda listing, c: bool(listing.production_stage)),
    ("form", lambda listing, c: bool(listing.form or listing.accepted_forms)),
    ("colour", lambda listing, c: bool(listing.colour)),
    ("contaminants", lambda listing, c: listing.contaminants_stated),
    ("legal_status", lambda listing, c: bool(listing.legal_status)),
    ("supply_pattern", lambda listing, c: listing.quantity > 0),
    ("site", lambda listing, c: listing.site_id is not None),
    ("logistics", lambda listing, c: bool(listing.logistics)),
    ("price", lambda listing, c: listing.price_type != PriceType.NEGOTIABLE),
    ("availability", lambda listing, c: bool(listing.available_from)),
    ("certifications", lambda listing, c: c["certifications"] > 0),
    ("photos", lambda listing, c: c["photos"] > 0 or not listing.is_offer),
    ("description", lambda listing, c: len(listing.description) >= 80),
]


def listing_quality(listing):
    """Completeness 0–100 and the names of what is missing (Cirplus-style data quality)."""
    counts = {
        "composition": {line.fibre for line in listing.composition.all()},
        "certifications": len(listing.certifications.all()),
        "photos": len(listing.photos.all()),
    }
    missing = [name for name, check in QUALITY_CHECKS if not check(listing, counts)]
    score = round(100 * (len(QUALITY_CHECKS) - len(missing)) / len(QUALITY_CHECKS))
    return score, missing


def listing_refresh(*, listing):
    """Recompute the copied location, primary fibre and data-quality score, then queue the
    incremental match recomputation once the transaction commits."""
    from .tasks import listing_changed

    source = listing.site or listing.organisation
    listing.latitude, listing.longitude = source.latitude, source.longitude
    listing.region_id = listing.organisation.region_id
    lines = sorted(listing.composition.all(), key=lambda line: -line.percent)
    listing.primary_fibre = lines[0].fibre if lines else ""
    listing.quality_score, _missing = listing_quality(listing)
    Listing.objects.filter(pk=listing.pk).update(
        latitude=listing.latitude,
        longitude=listing.longitude,
        region_id=listing.region_id,
        primary_fibre=listing.primary_fibre,
        quality_score=listing.quality_score,
    )
    transaction.on_commit(lambda: listing_changed.delay(listing.pk))
    return listing


def listing_can_edit(user, listing):
    return is_member(user, listing.organisation_id)


@transaction.atomic
def listing_publish(*, listing, user):
    """Draft → active. Only members of a verified organisation may publish."""
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if not listing.organisation.is_verified:
        raise ValidationError(
            _(
                "Your organisation is not verified yet: the listing stays a draft until staff verify it."
            )
        )
    if not listing.composition.exists():
        raise ValidationError(_("Describe the fibre composition before publishing."))
    now = timezone.now()
    listing.state = ListingState.ACTIVE
    listing.published_at = listing.published_at or now
    listing.expires_at = now + lifetime()
    listing.reminder_sent_at = None
    listing.save(
        update_fields=["state", "published_at", "expires_at", "reminder_sent_at", "updated_at"]
    )
    listing_refresh(listing=listing)
    from .tasks import instant_alerts

    transaction.on_commit(lambda: instant_alerts.delay(listing.pk))
    return listing


ALLOWED_TRANSITIONS = {
    ListingState.ACTIVE: {ListingState.RESERVED, ListingState.CLOSED},
    ListingState.RESERVED: {ListingState.ACTIVE, ListingState.CLOSED},
    ListingState.DRAFT: {ListingState.CLOSED},
    ListingState.CLOSED: set(),
}


@transaction.atomic
def listing_set_state(*, listing, user, state):
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if state not in ALLOWED_TRANSITIONS[listing.state]:
        raise ValidationError(_("This listing cannot change to that state."))
    listing.state = state
    listing.save(update_fields=["state", "updated_at"])
    listing_refresh(listing=listing)
    return listing


@transaction.atomic
def listing_renew(*, listing, user):
    if not listing_can_edit(user, listing):
        raise PermissionDenied
    if listing.state != ListingState.ACTIVE:
        raise ValidationError(_("Only active listings can be renewed."))
    listing.expires_at = timezone.now() + lifetime()
    listing.reminder_sent_at = None
    listing.save(update_fields=["expires_at", "reminder_sent_at", "updated_at"])
    return listing


def organisation_recipients(organisation_id, exclude_user=None):
    members = Membership.objects.approved().filter(organisation_id=organisation_id)
    if exclude_user is not None:
        members = members.exclude(user=exclude_user)
    return list(members.values_list("user__email", flat=True))


def listings_expire(*, now=None):
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
    from .tasks import listing_changed

    for pk in expired_ids:
        listing_changed.delay(pk)
    return reminded, len(expired_ids)


# Inquiries and deals ---------------------------------------------------------------------------


def _notify_inquiry(inquiry, message, sender):
    other_org = (
        inquiry.listing.organisation_id
        if message.author_organisation_id == inquiry.organisation_id
        else inquiry.organisation_id
    )
    recipients = organisation_recipients(other_org, exclude_user=sender)
    if recipients:
        email_queue_template(
            to=recipients,
            template_prefix="exchange/email/inquiry_message",
            context={"inquiry": inquiry, "message": message, "site_url": settings.SITE_URL},
        )


@transaction.atomic
def inquiry_start(*, listing, user, organisation, body):
    """Open a thread with the listing's organisation (or continue the existing one)."""
    if not is_member(user, organisation.pk):
        raise PermissionDenied
    if listing.organisation_id == organisation.pk:
        raise ValidationError(_("You cannot send an inquiry about your own listing."))
    if listing.state not in (ListingState.ACTIVE, ListingState.RESERVED):
        raise ValidationError(_("This listing is no longer available."))
    inquiry, _created = Inquiry.objects.get_or_create(
        listing=listing, organisation=organisation, defaults={"started_by": user}
    )
    inquiry_reply(inquiry=inquiry, user=user, body=body)
    return inquiry


@transaction.atomic
def inquiry_reply(*, inquiry, user, body):
    if is_member(user, inquiry.organisation_id):
        author_org = inquiry.organisation_id
    elif is_member(user, inquiry.listing.organisation_id):
        author_org = inquiry.listing.organisation_id
    else:
        raise PermissionDenied
    message = InquiryMessage.objects.create(
        inquiry=inquiry, author=user, author_organisation_id=author_org, body=body
    )
    inquiry.updated_at = message.created_at
    inquiry.save(update_fields=["updated_at"])
    _notify_inquiry(inquiry, message, user)
    return message


@transaction.atomic
def deal_record(*, inquiry, user, quantity, date):
    """Record material exchanged on a thread. Locks the listing so two deals recorded at the
    same moment cannot both spend the same remaining quantity."""
    if not (
        is_member(user, inquiry.organisation_id) or is_member(user, inquiry.listing.organisation_id)
    ):
        raise PermissionDenied
    listing = Listing.objects.select_for_update().get(pk=inquiry.listing_id)
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError(_("Enter a quantity above zero."))
    if quantity > listing.remaining_quantity:
        raise ValidationError(
            _("Only %(remaining)s %(unit)s remain on this listing.")
            % {"remaining": listing.remaining_quantity, "unit": listing.get_unit_display()}
        )
    factor = KG_PER_UNIT.get(listing.unit)
    families = {}
    for line in listing.composition.all():
        family = FIBRE_FAMILY.get(line.fibre, "unknown")
        families[family] = families.get(family, 0) + line.percent
    deal = Deal.objects.create(
        inquiry=inquiry,
        quantity=quantity,
        date=date,
        tonnes=(quantity * factor / 1000) if factor is not None else None,
        region_id=listing.region_id or listing.organisation.region_id,
        fibre_family=max(families, key=families.get) if families else "unknown",
        recorded_by=user,
    )
    listing.remaining_quantity -= quantity
    transaction.on_commit(lambda: cache.delete_many([IMPACT_CACHE_KEY, IMPACT_TOTAL_CACHE_KEY]))
    fields = ["remaining_quantity", "updated_at"]
    if listing.remaining_quantity <= 0 and listing.kind == ListingKind.OFFER:
        listing.state = ListingState.CLOSED
        fields.append("state")
    listing.save(update_fields=fields)
    listing_refresh(listing=listing)
    body = _("Deal recorded: %(quantity)s %(unit)s on %(date)s.") % {
        "quantity": quantity,
        "unit": listing.get_unit_display(),
        "date": date,
    }
    inquiry_reply(inquiry=inquiry, user=user, body=body)
    return deal


# Saved searches and alerts (how often: cms.notifications preferences) ------------------------


def saved_search_create(*, user, name: str, query: str, frequency: str) -> SavedSearch:
    """Save a browse query and how often to hear of new listings that fit it."""
    with transaction.atomic():
        saved = SavedSearch.objects.create(user=user, name=name, query=query[:1000])
        preference_set(topic=SAVED_SEARCH_TOPIC, frequency=frequency, user=user, target=saved)
    return saved


def saved_search_delete(*, saved_search: SavedSearch) -> None:
    with transaction.atomic():
        preference_delete(topic=SAVED_SEARCH_TOPIC, user=saved_search.user, target=saved_search)
        saved_search.delete()


def match_alerts_set(*, user, frequency: str) -> None:
    """How often the member hears of new matches for their organisations' listings."""
    with transaction.atomic():
        MatchAlert.objects.get_or_create(user=user)
        preference_set(topic=MATCHES_TOPIC, frequency=frequency, user=user)
