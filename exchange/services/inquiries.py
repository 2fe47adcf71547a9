"""Inquiry threads and the deals agreed on them.

The thread is a ``cms.conversations`` conversation (the mechanism partner expressions of
interest share): two organisations, one about the other's listing, messages that never show an
e-mail address, per-reader unread state. The exchange adds deals that one side proposes and the
other confirms.

- ``inquiry_start`` opens (or continues) the thread; an unverified organisation may start
  ``UNVERIFIED_CONVERSATIONS_PER_DAY`` new conversations a day (``conversation_start``).
- ``inquiry_reply`` adds a message; the other side is e-mailed (``conversation_post``).
- ``deal_propose`` (either side, verified organisations only) → ``deal_confirm`` or
  ``deal_decline`` (the other side) or ``deal_withdraw`` (the proposing side). Only a
  confirmed deal lowers the listing's remaining quantity (under a row lock) and counts in the
  impact figures. Both sides are e-mailed at each step.
"""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.conversations.models import Message
from cms.conversations.selectors import conversation_side
from cms.conversations.services import clean_body, conversation_post, conversation_start
from cms.directory.membership import email_organisation_members
from cms.directory.models import Organisation
from cms.taxonomy import FIBRE_FAMILY

from .. import jobs
from ..models import (
    INQUIRY_CONVERSATION,
    KG_PER_UNIT,
    Deal,
    DealState,
    Inquiry,
    Listing,
    ListingState,
)
from ..selectors import IMPACT_CACHE_KEYS
from .listings import listing_close_when_exhausted, listing_remaining_adjust
from .organisations import is_member


def acting_organisation(*, inquiry: Inquiry, user: User) -> int:
    """The side of the thread ``user`` acts for (the asking organisation first, when they
    belong to both), or PermissionDenied."""
    side = conversation_side(conversation=inquiry.conversation, user=user)
    if side is None:
        raise PermissionDenied
    return side


# Threads ---------------------------------------------------------------------------------------


@transaction.atomic
def inquiry_start(
    *, listing: Listing, user: User, organisation: Organisation, body: object
) -> Inquiry:
    """Open a thread with the listing's organisation (or continue the existing one)."""
    if not is_member(user, organisation.pk):
        raise PermissionDenied
    if listing.organisation_id == organisation.pk:
        raise ValidationError(_("You cannot send an inquiry about your own listing."))
    if listing.state not in (ListingState.ACTIVE, ListingState.RESERVED):
        raise ValidationError(_("This listing is no longer available."))
    body = clean_body(body)
    inquiry = (
        Inquiry.objects.select_related("conversation")
        .filter(listing=listing, organisation=organisation)
        .first()
    )
    if inquiry is None:
        conversation = conversation_start(
            kind=INQUIRY_CONVERSATION,
            starter_organisation=organisation,
            owner_organisation_id=listing.organisation_id,
            user=user,
        )
        inquiry = Inquiry.objects.create(
            conversation=conversation, listing=listing, organisation=organisation
        )
    inquiry_reply(inquiry=inquiry, user=user, body=body)
    return inquiry


@transaction.atomic
def inquiry_reply(*, inquiry: Inquiry, user: User, body: object, notify: bool = True) -> Message:
    """A member of either side writes in the thread; the other side is e-mailed."""
    message = conversation_post(
        conversation=inquiry.conversation,
        user=user,
        body=body,
        notify_template="exchange/email/inquiry_message" if notify else None,
        notify_context={"inquiry": inquiry},
    )
    inquiry.updated_at = message.created_at
    inquiry.save(update_fields=["updated_at"])
    return message


# Deals -----------------------------------------------------------------------------------------


def _require_verified(organisation_id: int) -> None:
    if not Organisation.objects.filter(pk=organisation_id, verified_at__isnull=False).exists():
        raise ValidationError(
            _("Your organisation must be verified by staff before it can record deals.")
        )


def _deal_step(deal: Deal, *, event: str, actor: User, actor_org: int) -> None:
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
    email_organisation_members(
        other_org,
        template_prefix=f"exchange/email/deal_{event}",
        context={**context, "for_actor": False},
    )
    email_organisation_members(
        actor_org,
        template_prefix=f"exchange/email/deal_{event}",
        context={**context, "for_actor": True},
    )


@transaction.atomic
def deal_propose(
    *, inquiry: Inquiry, user: User, quantity: Decimal | int | str, date: datetime.date
) -> Deal:
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
    families: dict[str, int] = {}
    for line in listing.composition.all():
        family = FIBRE_FAMILY.get(line.fibre, "unknown")
        families[family] = families.get(family, 0) + line.percent
    deal = Deal.objects.create(
        inquiry=inquiry,
        quantity=quantity,
        date=date,
        tonnes=(quantity * factor / 1000) if factor is not None else None,
        region_id=listing.region_id or listing.organisation.region_id,
        fibre_family=max(families, key=families.__getitem__) if families else "unknown",
        proposed_by=user,
        proposed_by_organisation_id=actor_org,
    )
    _deal_step(deal, event="proposed", actor=user, actor_org=actor_org)
    return deal


def _lock_open_deal(deal: Deal) -> Deal:
    deal = Deal.objects.select_for_update().select_related("inquiry__listing").get(pk=deal.pk)
    if deal.state != DealState.PROPOSED:
        raise ValidationError(_("This deal is no longer waiting for confirmation."))
    return deal


def _deciding_organisation(deal: Deal, user: User) -> int:
    """The side that did not propose the deal; the proposer (even if they belong to both
    organisations) never decides their own proposal."""
    other = deal.inquiry.other_side(deal.proposed_by_organisation_id)
    if user.pk == deal.proposed_by_id or not is_member(user, other):
        raise PermissionDenied
    return other


@transaction.atomic
def deal_confirm(*, deal: Deal, user: User) -> Deal:
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
def deal_decline(*, deal: Deal, user: User) -> Deal:
    deal = _lock_open_deal(deal)
    actor_org = _deciding_organisation(deal, user)
    deal.state = DealState.DECLINED
    deal.decided_by, deal.decided_at = user, timezone.now()
    deal.save(update_fields=["state", "decided_by", "decided_at"])
    _deal_step(deal, event="declined", actor=user, actor_org=actor_org)
    return deal


@transaction.atomic
def deal_withdraw(*, deal: Deal, user: User) -> Deal:
    deal = _lock_open_deal(deal)
    actor_org = deal.proposed_by_organisation_id
    if actor_org is None or not is_member(user, actor_org):
        raise PermissionDenied
    deal.state = DealState.WITHDRAWN
    deal.decided_by, deal.decided_at = user, timezone.now()
    deal.save(update_fields=["state", "decided_by", "decided_at"])
    _deal_step(deal, event="withdrawn", actor=user, actor_org=actor_org)
    return deal
