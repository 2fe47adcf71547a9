"""Actions of the exchange, by area. Views, tasks, commands and tests all call these.

- ``organisations``: registration, membership, verification
- ``listings``: saving, publishing, states, expiry, remaining quantity (one service)
- ``inquiries``: threads and deals that both sides confirm
"""

from ..selectors import member_organisations
from .inquiries import (
    acting_organisation,
    deal_confirm,
    deal_decline,
    deal_propose,
    deal_withdraw,
    inquiries_left_today,
    inquiry_reply,
    inquiry_start,
)
from .listings import (
    ALLOWED_TRANSITIONS,
    QUALITY_CHECKS,
    lifetime,
    listing_can_edit,
    listing_publish,
    listing_quality,
    listing_quantity_set,
    listing_refresh,
    listing_remaining_adjust,
    listing_renew,
    listing_save,
    listing_set_state,
    listings_expire,
)
from .organisations import (
    is_member,
    is_owner,
    membership_approve,
    membership_request,
    organisation_create,
    organisation_recipients,
    organisation_verify,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "QUALITY_CHECKS",
    "acting_organisation",
    "deal_confirm",
    "deal_decline",
    "deal_propose",
    "deal_withdraw",
    "inquiries_left_today",
    "inquiry_reply",
    "inquiry_start",
    "is_member",
    "is_owner",
    "lifetime",
    "listing_can_edit",
    "listing_publish",
    "listing_quality",
    "listing_quantity_set",
    "listing_refresh",
    "listing_remaining_adjust",
    "listing_renew",
    "listing_save",
    "listing_set_state",
    "listings_expire",
    "member_organisations",
    "membership_approve",
    "membership_request",
    "organisation_create",
    "organisation_recipients",
    "organisation_verify",
]
