"""Background jobs of partner matching: the daily and weekly recommendation digests."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.directory.membership import acting_organisation_ids
from cms.directory.models import Organisation
from cms.mail import email_queue_template
from cms.notifications.links import unsubscribe_headers, unsubscribe_url
from cms.notifications.models import Frequency
from cms.notifications.selectors import preferences_with

from .models import RecommendationDelivery
from .selectors import opportunity_recommendations
from .topics import RECOMMENDATIONS_TOPIC

# How far back a digest looks: a little more than its period, so nothing published between two
# runs is missed (what was already sent is recorded and never sent again).
LOOK_BACK = {Frequency.DAILY: timedelta(days=2), Frequency.WEEKLY: timedelta(days=8)}
DIGEST_SIZE = 10


def recommendation_digest_send(*, user, frequency, now=None):
    """E-mail ``user`` the opportunities published lately that fit their organisations and
    were not announced to them yet. Returns how many were announced."""
    now = now or timezone.now()
    since = now - LOOK_BACK[frequency]
    announced = set(
        RecommendationDelivery.objects.filter(user=user).values_list("opportunity_id", flat=True)
    )
    sections = []
    for organisation in Organisation.objects.filter(pk__in=acting_organisation_ids(user)):
        fresh = [
            recommendation
            for recommendation in opportunity_recommendations(organisation, since=since)
            if recommendation.opportunity.pk not in announced
        ][:DIGEST_SIZE]
        if fresh:
            sections.append((organisation, fresh))
            announced.update(r.opportunity.pk for r in fresh)
    if not sections:
        return 0
    count = sum(len(fresh) for _organisation, fresh in sections)
    link = {"topic": RECOMMENDATIONS_TOPIC, "user": user, "language": user.preferred_language}
    with transaction.atomic():
        RecommendationDelivery.objects.bulk_create(
            (
                RecommendationDelivery(user=user, opportunity=recommendation.opportunity)
                for _organisation, fresh in sections
                for recommendation in fresh
            ),
            ignore_conflicts=True,
        )
        email_queue_template(
            to=[user.email],
            template_prefix="partners/email/recommendations",
            context={
                "sections": sections,
                "count": count,
                "site_url": settings.SITE_URL,
                "unsubscribe": unsubscribe_url(**link),
            },
            language=user.preferred_language,
            headers=unsubscribe_headers(**link),
        )
    return count


@shared_task
def send_recommendation_digests(frequency):
    """The daily or weekly digest of new opportunities for everyone who asked for it."""
    users = get_user_model().objects.filter(
        is_active=True,
        pk__in=preferences_with(topic=RECOMMENDATIONS_TOPIC, frequency=frequency).values("user_id"),
    )
    return sum(recommendation_digest_send(user=user, frequency=frequency) for user in users)
