"""Saved searches and alerts; how often they go out is a cms.notifications preference."""

from django.db import transaction

from cms.accounts.models import User
from cms.notifications.services import preference_delete, preference_set

from ..models import MATCHES_TOPIC, SAVED_SEARCH_TOPIC, MatchAlert, SavedSearch


def saved_search_create(*, user: User, name: str, query: str, frequency: str) -> SavedSearch:
    """Save a browse query and how often to hear of new listings that fit it."""
    with transaction.atomic():
        saved = SavedSearch.objects.create(user=user, name=name, query=query[:1000])
        preference_set(topic=SAVED_SEARCH_TOPIC, frequency=frequency, user=user, target=saved)
    return saved


def saved_search_delete(*, saved_search: SavedSearch) -> None:
    with transaction.atomic():
        preference_delete(topic=SAVED_SEARCH_TOPIC, user=saved_search.user, target=saved_search)
        saved_search.delete()


def match_alerts_set(*, user: User, frequency: str, min_percent: int | None = None) -> None:
    """How often the member hears of new matches for their organisations' listings, and from
    which score (percent) a match is worth an e-mail."""
    with transaction.atomic():
        alert, _created = MatchAlert.objects.get_or_create(user=user)
        if min_percent is not None and min_percent != alert.min_percent:
            alert.min_percent = min_percent
            alert.full_clean(exclude=["user"])
            alert.save(update_fields=["min_percent"])
        preference_set(topic=MATCHES_TOPIC, frequency=frequency, user=user)
