"""Inquiry threads and the deals agreed on them.

The thread is the mechanism: two organisations, one about the other's listing, messages that
never show an e-mail address, and deals that one side proposes and the other confirms.

- ``inquiry_start`` opens (or continues) the thread; an unverified organisation may open
  ``EXCHANGE_UNVERIFIED_INQUIRIES_PER_DAY`` new threads a day.
- ``inquiry_reply`` adds a message; the other side is e-mailed.
- ``deal_propose`` (either side, verified organisations only) → ``deal_confirm`` or
  ``deal_decline`` (the other side) or ``deal_withdraw`` (the proposing side). Only a
  confirmed deal lowers the listing's remaining quantity (under a row lock) and counts in the
  impact figures. Both sides are e-mailed at each step.
"""

from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.models import Organisation
from cms.mail import email_queue_template
from cms.taxonomy import FIBRE_FAMILY

from .. import jobs
from ..models import (
    KG_PER_UNIT,
    Deal,
    DealState,
    Inquiry,
    InquiryMessage,
    ListingState,
    Membership,
)
from ..selectors import IMPACT_CACHE_KEYS
from .listings import listing_close_when_exhausted, listing_remaining_adjust
from .organisations import is_member


def acting_organisation(*, inquiry, user):
    """The side of the thread ``user`` acts for (the asking organisation first, when they
    belong to both), or PermissionDenied."""
    for organisation_id in inquiry.sides:
        if is_member(user, organisation_id):
            return organisation_id
    raise PermissionDenied


def _email_organisation(organisation_id, *, template_prefix, context, exclude_user=None):
    """E-mail the approved members of one organisation, each in their own language."""
    members = (
        Membership.objects.approved()
        .filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("pk")
    )
    by_language = {}
    for membership in members:
        if exclude_user is not None and membership.user_id == exclude_user.pk:
            continue
        language = membership.user.preferred_language or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(membership.user.email)
    for language, recipients in by_language.items():
        email_queue_template(
            to=recipients,
            template_prefix=template_prefix,
            context={**context, "site_url": settings.SITE_URL},
            language=language,
        )


# Threads ---------------------------------------------------------------------------------------


def inquiries_left_today(organisation):
    """How many new threads an unverified organisation may still open today (None: no limit)."""
    if organisation.is_verified:
        return None
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    opened = Inquiry.objects.filter(organisation=organisation, created_at__gte=start).count()
    return max(settings.EXCHANGE_UNVERIFIED_INQUIRIES_PER_DAY - opened, 0)


@transaction.atomic
def inquiry_start(*, listing, user, organisation, body):
    """Open a thread with the listing's organisation (or continue the existing one)."""
    if not is_member(user, organisation.pk):
        raise PermissionDenied
    if listing.organisation_id == organisation.pk:
        raise ValidationError(_("You cannot send an inquiry about your own listing."))
    if listing.state not in (ListingState.ACTIVE, ListingState.RESERVED):
        raise ValidationError(_("This listing is no longer available."))
    inquiry = Inquiry.objects.filter(listing=listing, organisation=organisation).first()
    if inquiry is None:
        # The count is per organisation and day in the database, so it holds across processes
        # and without a cache; the lock on the organisation serialises two requests at once.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if inquiries_left_today(organisation) == 0:
            raise ValidationError(
                _(
                    "Organisations that are not verified yet may start %(count)s inquiries a day. "
                    "Try again tomorrow, or continue one of your conversations."
                )
                % {"count": settings.EXCHANGE_UNVERIFIED_INQUIRIES_PER_DAY}
            )
        inquiry = Inquiry.objects.create(
            listing=listing, organisation=organisation, started_by=user
        )
    inquiry_reply(inquiry=inquiry, user=user, body=body)
    return inquiry


@transaction.atomic
def inquiry_reply(*, inquiry, user, body, notify=True):
    author_org = acting_organisation(inquiry=inquiry, user=user)
    message = InquiryMessage.objects.create(
        inquiry=inquiry, author=user, author_organisation_id=author_org, body=body
    )
    inquiry.updated_at = message.created_at
    inquiry.save(update_fields=["updated_at"])
    if notify:
        _email_organisation(
            inquiry.other_side(author_org),
            template_prefix="exchange/email/inquiry_message",
            context={"inquiry": inquiry, "message": message},
            exclude_user=user,
        )
    return message


# Deals -----------------------------------------------------------------------------------------


def _require_verified(organisation_id):
    if not Organisation.objects.filter(pk=organisation_id, verified_at__isnull=False).exists():
        raise ValidationError(
            _("Your organisation must be verified by staff before it can record deals.")
        )


def _deal_step(deal, *, event, actor, actor_org):
    """E-mail both sides about a step of a deal: the other side to act or to know, the
    actor's side (the actor included) as a record, so everyone knows where the deal stands."""
    inquiry = deal.inquiry
    inquiry.updated_at = timezone.now()
    inquiry.save(update_fields=["updated_at"])
    other_org = inquiry.other_side(actor_org)
    names = dict(Organisation.objects.filter(pk__in=inquiry.sides).values_list("pk", "name"))
    context = {
        "deal": deal,
        "inquiry": inquiry,
        "listing": inquiry.listing,
        "actor_name": names.get(actor_org, ""),
        "other_name": names.get(other_org, ""),
    }
    _email_organisation(
        other_org,
        template_prefix=f"exchange/email/deal_{event}",
        context={**context, "for_actor": False},
    )
    _email_organisation(
        actor_org,
        template_prefix=f"exchange/email/deal_{event}",
        context={**context, "for_actor": True},
    )


@transaction.atomic
def deal_propose(*, inquiry, user, quantity, date):
    """Either side proposes a deal; it counts once the other side confirms it."""
    actor_org = acting_organisation(inquiry=inquiry, user=user)
    _require_verified(actor_org)
    listing = inquiry.listing
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError(_("Enter a quantity above zero."))
    if listing.state not in (ListingState.ACTIVE, ListingState.RESERVED):
        raise ValidationError(_("This listing is no longer available."))
    if quantity > listing.remaining_quantity:
        raise ValidationError(
            _("Only %(remaining)s %(unit)s remain on this listing.")
            % {
                "remaining": listing.remaining_quantity.normalize(),
                "unit": listing.get_unit_display(),
            }
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
        proposed_by=user,
        proposed_by_organisation_id=actor_org,
    )
    _deal_step(deal, event="proposed", actor=user, actor_org=actor_org)
    return deal


def _lock_open_deal(deal):
    deal = Deal.objects.select_for_update().select_related("inquiry__listing").get(pk=deal.pk)
    if deal.state != DealState.PROPOSED:
        raise ValidationError(_("This deal is no longer waiting for confirmation."))
    return deal


def _deciding_organisation(deal, user):
    """The side that did not propose the deal; the proposer (even if they belong to both
    organisations) never decides their own proposal."""
    other = deal.inquiry.other_side(deal.proposed_by_organisation_id)
    if user.pk == deal.proposed_by_id or not is_member(user, other):
        raise PermissionDenied
    return other


@transaction.atomic
def deal_confirm(*, deal, user):
    """The other side confirms: the listing's remaining quantity goes down under a row lock
    (an offer that reaches zero closes: its organisation proposed or confirmed this deal) and
    the deal counts in the impact figures."""
    deal = _lock_open_deal(deal)
    actor_org = _deciding_organisation(deal, user)
    _require_verified(actor_org)
    listing = listing_remaining_adjust(listing_id=deal.inquiry.listing_id, delta=-deal.quantity)
    listing_close_when_exhausted(listing=listing)
    deal.state = DealState.CONFIRMED
    deal.decided_by, deal.decided_at = user, timezone.now()
    deal.save(update_fields=["state", "decided_by", "decided_at"])
    transaction.on_commit(lambda: cache.delete_many(IMPACT_CACHE_KEYS))
    jobs.enqueue_on_commit(jobs.LISTING_CHANGED, listing.pk)
    deal.inquiry.listing = listing
    _deal_step(deal, event="confirmed", actor=user, actor_org=actor_org)
    return deal


@transaction.atomic
def deal_decline(*, deal, user):
    deal = _lock_open_deal(deal)
    actor_org = _deciding_organisation(deal, user)
    deal.state = DealState.DECLINED
    deal.decided_by, deal.decided_at = user, timezone.now()
    deal.save(update_fields=["state", "decided_by", "decided_at"])
    _deal_step(deal, event="declined", actor=user, actor_org=actor_org)
    return deal


@transaction.atomic
def deal_withdraw(*, deal, user):
    deal = _lock_open_deal(deal)
    actor_org = deal.proposed_by_organisation_id
    if not is_member(user, actor_org):
        raise PermissionDenied
    deal.state = DealState.WITHDRAWN
    deal.decided_by, deal.decided_at = user, timezone.now()
    deal.save(update_fields=["state", "decided_by", "decided_at"])
    _deal_step(deal, event="withdrawn", actor=user, actor_org=actor_org)
    return deal
