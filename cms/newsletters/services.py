"""Subscribing (double opt-in), unsubscribing, and sending an issue once to its region."""

import re
from collections.abc import Sequence
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from cms.analytics.services import tracked_url
from cms.directory.models import Region
from cms.mail import email_queue, email_queue_template
from cms.models import NewsletterIssuePage
from cms.notifications.links import unsubscribe_url
from cms.notifications.models import Frequency
from cms.notifications.services import preference_set
from cms.ratelimit import ratelimit_hit

from .models import NEWSLETTER_TOPIC, Delivery, IssueSend, Subscription
from .tokens import confirm_token, read_confirm_token

HREF = re.compile(r'href="([^"]+)"')


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path)


def subscription_request(*, email: str, regions: Sequence[Region], language: str) -> None:
    """Record pending subscriptions of ``email`` to ``regions`` and e-mail the confirmation
    link. Nothing is confirmed until the link is followed. Says nothing about whether the
    address was already subscribed (the same answer for everyone)."""
    email = email.strip().lower()
    # At most one confirmation e-mail per address every ten minutes, so the form cannot be used
    # to flood someone's inbox. The pending subscriptions are still recorded.
    send_confirmation = not ratelimit_hit(scope="newsletters.confirmation", key=email)
    with transaction.atomic():
        for region in regions:
            Subscription.objects.get_or_create(
                email=email, region=region, defaults={"language": language}
            )
        if not send_confirmation:
            return
        token = confirm_token(email=email, region_ids=[region.pk for region in regions])
        email_queue_template(
            to=[email],
            template_prefix="newsletters/email/confirm",
            context={
                "regions": regions,
                "confirm_url": _absolute(reverse("newsletters:confirm", args=[token])),
            },
            language=language,
        )


def subscription_confirm(*, token: str) -> list[Subscription]:
    """Confirm the subscriptions named by a confirmation token. Returns them.
    Raises django.core.signing.BadSignature for a forged or expired token."""
    email, region_ids = read_confirm_token(token)
    now = timezone.now()
    with transaction.atomic():
        subscriptions = list(
            Subscription.objects.select_for_update()
            .filter(email=email, region_id__in=region_ids)
            .select_related("region")
        )
        for subscription in subscriptions:
            if subscription.confirmed_at is None:
                subscription.confirmed_at = now
                subscription.save(update_fields=["confirmed_at"])
            preference_set(
                topic=NEWSLETTER_TOPIC,
                frequency=Frequency.INSTANT,
                email=email,
                target=subscription.region,
            )
    return subscriptions


def subscription_cancel(*, subscription: Subscription) -> None:
    """Stop the newsletter of the subscription's region for its address."""
    preference_set(
        topic=NEWSLETTER_TOPIC,
        frequency=Frequency.OFF,
        email=subscription.email,
        target=subscription.region,
    )


def subscription_unsubscribe_url(subscription: Subscription) -> str:
    return unsubscribe_url(
        topic=NEWSLETTER_TOPIC,
        email=subscription.email,
        target=subscription.region,
        language=subscription.language,
    )


def issue_send_start(*, issue_id: int) -> IssueSend | None:
    """Start sending a published issue to its region's confirmed subscribers: one Delivery
    each, which the newsletter_issue_send task hands out in batches. Returns the IssueSend, or
    None when the issue was already sent (re-publishing, a retried task, or two workers at once:
    the one-to-one key lets only one through)."""
    with transaction.atomic():
        issue = (
            NewsletterIssuePage.objects.select_for_update().filter(pk=issue_id, live=True).first()
        )
        if issue is None or issue.region_id is None:
            return None
        # An issue and its translations are one newsletter, sent once: the first version
        # published starts the send, and each subscriber gets it in their own language when a
        # translation is live (newsletter_deliver). Publishing a translation later sends nothing.
        versions = list(
            NewsletterIssuePage.objects.select_for_update()
            .filter(translation_key=issue.translation_key)
            .values_list("pk", flat=True)
        )
        if IssueSend.objects.filter(issue_id__in=versions).exclude(issue=issue).exists():
            return None
        send, created = IssueSend.objects.get_or_create(issue=issue)
        if not created:
            return None
        subscriptions = Subscription.objects.confirmed().filter(region_id=issue.region_id)
        deliveries = Delivery.objects.bulk_create(
            [Delivery(send=send, subscription=subscription) for subscription in subscriptions]
        )
        send.recipient_count = len(deliveries)
        send.save(update_fields=["recipient_count"])
    return send


def _rewrite_links(html: str, issue_id: int) -> str:
    """Absolute, click-counted links; mailto: and in-page anchors stay as they are."""

    def replace(match: re.Match[str]) -> str:
        href = match.group(1)
        if href.startswith(("mailto:", "tel:", "#")) or href == "{unsubscribe_url}":
            return match.group(0)
        return f'href="{tracked_url(issue_id=issue_id, url=_absolute(href))}"'

    return HREF.sub(replace, html)


def render_issue(issue: NewsletterIssuePage, *, language: str) -> tuple[str, str, str]:
    """(subject, text body, HTML body with tracked links) of an issue, without the per-recipient
    unsubscribe link (the ``{unsubscribe_url}`` placeholder)."""
    with translation.override(language):
        context = {"issue": issue, "page_url": issue.get_full_url(), "site_url": settings.SITE_URL}
        html: str = render_to_string("newsletters/email/issue_message.html", context)
        text = render_to_string("newsletters/email/issue_message.txt", context)
    html = _rewrite_links(html, issue.pk)
    subject = issue.title
    return subject, text, html


def newsletter_deliver(*, delivery_ids: Sequence[int]) -> int:
    """Put the deliveries not sent yet in the mail outbox, one e-mail per address (so a
    refused address never holds up the others), and mark them sent in the same transaction:
    a retried batch never queues one twice."""
    receiving = Subscription.objects.confirmed().values("pk")
    with transaction.atomic():
        deliveries = list(
            Delivery.objects.select_for_update(of=("self",))
            .filter(pk__in=delivery_ids, sent_at__isnull=True, subscription__in=receiving)
            .select_related("subscription__region", "send__issue")
            .order_by("pk")
        )
        if not deliveries:
            return 0
        issue = deliveries[0].send.issue
        rendered: dict[str, tuple[str, str, str]] = {}
        for delivery in deliveries:
            subscription = delivery.subscription
            if subscription is None:  # never: only deliveries to receiving subscriptions
                continue
            if subscription.language not in rendered:
                version = (
                    issue.get_translations(inclusive=True)
                    .live()
                    .filter(locale__language_code=subscription.language)
                    .specific()
                    .first()
                ) or issue
                rendered[subscription.language] = render_issue(
                    version, language=subscription.language
                )
            subject, text, html = rendered[subscription.language]
            link = subscription_unsubscribe_url(subscription)
            email_queue(
                to=[subscription.email],
                subject=subject,
                text_body=text.replace("{unsubscribe_url}", link),
                html_body=html.replace("{unsubscribe_url}", link),
                headers={
                    "List-Unsubscribe": f"<{link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                    "List-Id": f"<region-{issue.region_id}.newsletters.{_list_host()}>",
                },
            )
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
            sent_at=timezone.now()
        )
    return len(deliveries)


def _list_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"
