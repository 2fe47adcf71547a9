"""Actions of the exchange, by area. Views, tasks, commands and tests all call these.

- ``organisations``: registration, membership, verification
- ``listings``: saving, publishing, states, expiry, remaining quantity (one service)
- ``inquiries``: threads and deals that both sides confirm
- ``imports``: CSV imports as background jobs (upload, check, confirm, save)
- ``alerts``: saved searches and match alerts (frequency: cms.notifications preferences)
"""

from ..selectors import member_organisations
from .alerts import match_alerts_set, saved_search_create, saved_search_delete
from .inquiries import (
    acting_organisation,
    deal_confirm,
    deal_decline,
    deal_propose,
    deal_withdraw,
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
    listing_specification_save,
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
    "match_alerts_set",
    "saved_search_create",
    "saved_search_delete",
    "ALLOWED_TRANSITIONS",
    "QUALITY_CHECKS",
    "acting_organisation",
    "deal_confirm",
    "deal_decline",
    "deal_propose",
    "deal_withdraw",
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
    "listing_specification_save",
    "listings_expire",
    "member_organisations",
    "membership_approve",
    "membership_request",
    "organisation_create",
    "organisation_recipients",
    "organisation_verify",
]
