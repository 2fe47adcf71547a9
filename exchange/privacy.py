"""The exchange's part of a person's data export and account deletion (cms/hooks.py
PERSONAL_DATA, PERSONAL_DATA_ERASE)."""

from cms.accounts.privacy import json_value

from .models import Inquiry, Listing, MatchAlert, Membership, SavedSearch


def personal_data(user):
    """The messages of inquiry threads are in the conversations' section
    (cms.conversations)."""
    return {
        "exchange_memberships": [
            {"organisation": membership.organisation.name, "role": membership.role}
            for membership in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "exchange_listings": [
            {
                "title": listing.title,
                "kind": listing.kind,
                "organisation": listing.organisation.name,
                "description": listing.description,
                "state": listing.state,
            }
            for listing in Listing.objects.filter(created_by=user).select_related("organisation")
        ],
        "exchange_inquiries": [
            {"listing": inquiry.listing.title, "started": json_value(inquiry.created_at)}
            for inquiry in Inquiry.objects.filter(conversation__started_by=user).select_related(
                "listing"
            )
        ],
        "exchange_saved_searches": [
            {key: json_value(value) for key, value in search.items() if key != "user_id"}
            for search in SavedSearch.objects.filter(user=user).values()
        ],
    }


def erase_personal_data(user):
    """Saved searches, alerts and memberships go. Listings and inquiry messages belong to the
    organisations' conversations and stay, their author shown as the deleted user."""
    SavedSearch.objects.filter(user=user).delete()
    MatchAlert.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
