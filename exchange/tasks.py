"""Background jobs of the exchange: incremental matching, alerts, expiry."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from cms.mail import email_queue_template
from cms.notifications.links import unsubscribe_headers, unsubscribe_url
from cms.notifications.models import Frequency
from cms.notifications.selectors import preferences_with

from .filters import ListingFilter
from .matching import listing_matches_recompute
from .matching_bulk import matches_recompute_all
from .models import (
    MATCHES_TOPIC,
    SAVED_SEARCH_TOPIC,
    AlertDelivery,
    Match,
    MatchAlert,
    MatchAlertDelivery,
    Membership,
    SavedSearch,
)
from .services import listings_expire
from .services.imports import csv_import_check, csv_import_save


@shared_task
def listing_changed(listing_id):
    """Recompute the stored matches of one listing (only its pairs can have changed)."""
    kept = listing_matches_recompute(listing_id=listing_id)
    instant_match_alerts(listing_id)
    return kept


def saved_search_results(saved_search, listings=None):
    qs = ListingFilter(QueryDict(saved_search.query), user=saved_search.user).qs
    if listings is not None:
        qs = qs.filter(pk__in=listings)
    return qs.exclude(
        pk__in=AlertDelivery.objects.filter(saved_search=saved_search).values("listing_id")
    ).exclude(organisation__exchange_memberships__user=saved_search.user)


def _deliver(saved_search, listings):
    """E-mail the listings not yet announced to this search; record them so they never repeat."""
    fresh = []
    for listing in listings:
        try:
            with transaction.atomic():
                AlertDelivery.objects.create(saved_search=saved_search, listing=listing)
        except IntegrityError:
            continue
        fresh.append(listing)
    if fresh:
        user = saved_search.user
        link = {
            "topic": SAVED_SEARCH_TOPIC,
            "user": user,
            "target": saved_search,
            "language": user.preferred_language,
        }
        email_queue_template(
            to=[user.email],
            template_prefix="exchange/email/search_alert",
            context={
                "saved_search": saved_search,
                "listings": fresh,
                "site_url": settings.SITE_URL,
                "unsubscribe": unsubscribe_url(**link),
            },
            language=user.preferred_language,
            headers=unsubscribe_headers(**link),
        )
        saved_search.last_sent_at = timezone.now()
        saved_search.save(update_fields=["last_sent_at"])
    return len(fresh)


def _searches_with(frequency):
    """Saved searches whose alerts go out at ``frequency`` (their notification preference)."""
    chosen = preferences_with(topic=SAVED_SEARCH_TOPIC, frequency=frequency).values("target_id")
    return SavedSearch.objects.filter(pk__in=chosen).select_related("user")


def _match_alerts_with(frequency):
    chosen = preferences_with(topic=MATCHES_TOPIC, frequency=frequency).values("user_id")
    return MatchAlert.objects.filter(user__in=chosen)


@shared_task
def instant_alerts(listing_id):
    """A listing went live: tell every instant saved search it fits."""
    sent = 0
    searches = _searches_with(Frequency.INSTANT)
    for saved_search in searches:
        listings = list(saved_search_results(saved_search, listings=[listing_id])[:1])
        sent += _deliver(saved_search, listings)
    return sent


@shared_task
def send_search_digests(frequency):
    """Daily or weekly digest of the listings published since the search last looked."""
    period = timedelta(days=1 if frequency == Frequency.DAILY else 7)
    sent = 0
    searches = _searches_with(frequency)
    for saved_search in searches:
        since = saved_search.last_sent_at or (timezone.now() - period)
        listings = list(saved_search_results(saved_search).filter(published_at__gt=since)[:20])
        sent += _deliver(saved_search, listings)
    return sent


@shared_task
def csv_import_validate(csv_import_id):
    """Check an uploaded CSV file row by row (the preview); saves nothing."""
    return csv_import_check(csv_import_id=csv_import_id)


@shared_task(name="exchange.tasks.csv_import_save")
def csv_import_save_task(csv_import_id):
    """Import a confirmed CSV upload in one transaction."""
    return csv_import_save(csv_import_id=csv_import_id)


@shared_task
def expire_listings():
    return listings_expire()


@shared_task
def recompute_all_matches():
    """Full rebuild, for after a change to the scoring (management use, not scheduled)."""
    return matches_recompute_all()


# Match alerts ----------------------------------------------------------------------------------


def new_matches_for(alert, matches=None):
    """The matches of the member's organisations' listings scoring at least the member's
    threshold, not yet announced to them, best first. Only pairs with another organisation's
    listing count; every stored match already passes each hard limit of its pair."""
    organisations = Membership.objects.approved().filter(user=alert.user).values("organisation")
    qs = Match.objects.all() if matches is None else matches
    own_offer = qs.filter(offer__organisation__in=organisations).exclude(
        wanted__organisation__in=organisations
    )
    own_wanted = qs.filter(wanted__organisation__in=organisations).exclude(
        offer__organisation__in=organisations
    )
    delivered = MatchAlertDelivery.objects.filter(
        alert=alert, offer=OuterRef("offer"), wanted=OuterRef("wanted")
    )
    return (
        (own_offer | own_wanted)
        .filter(score__gte=alert.min_percent / 100)
        .exclude(Exists(delivered))
        .select_related("offer__organisation", "wanted__organisation")
        .order_by("-score")
    )


def _deliver_matches(alert, matches):
    """E-mail the matches not yet announced to this member and record them."""
    fresh = []
    for match in matches:
        try:
            with transaction.atomic():
                MatchAlertDelivery.objects.create(
                    alert=alert, offer_id=match.offer_id, wanted_id=match.wanted_id
                )
        except IntegrityError:
            continue
        fresh.append(match)
    if fresh:
        user = alert.user
        link = {"topic": MATCHES_TOPIC, "user": user, "language": user.preferred_language}
        email_queue_template(
            to=[user.email],
            template_prefix="exchange/email/match_alert",
            context={
                "matches": fresh,
                "site_url": settings.SITE_URL,
                "unsubscribe": unsubscribe_url(**link),
            },
            language=user.preferred_language,
            headers=unsubscribe_headers(**link),
        )
        alert.last_sent_at = timezone.now()
        alert.save(update_fields=["last_sent_at"])
    return len(fresh)


@shared_task
def instant_match_alerts(listing_id):
    """A listing's matches were recomputed: tell the members who want instant alerts."""
    matches = Match.objects.filter(Q(offer_id=listing_id) | Q(wanted_id=listing_id))
    # Only members of the organisations on either side of these matches can hear of them.
    organisations = {
        organisation
        for pair in matches.values_list("offer__organisation", "wanted__organisation")
        for organisation in pair
    }
    alerts = (
        _match_alerts_with(Frequency.INSTANT)
        .filter(
            user__exchange_memberships__organisation__in=organisations,
            user__exchange_memberships__approved_at__isnull=False,
        )
        .distinct()
        .select_related("user")
    )
    sent = 0
    for alert in alerts:
        sent += _deliver_matches(alert, list(new_matches_for(alert, matches)[:20]))
    return sent


@shared_task
def send_match_digests(frequency):
    """Daily or weekly digest of the new matches of each member's organisations."""
    sent = 0
    for alert in _match_alerts_with(frequency).select_related("user"):
        sent += _deliver_matches(alert, list(new_matches_for(alert)[:20]))
    return sent
