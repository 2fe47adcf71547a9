"""Demo page-view history (the last 60 days) so the dissemination report has something to show.
Idempotent: days that already have counts are left alone."""

import datetime
import random

from django.utils import timezone
from wagtail.models import Page

from .models import LinkClick, PageView

DAYS = 60


def load(*, stdout, style):
    pages = list(
        Page.objects.live()
        .filter(depth__gte=2)
        .order_by("depth", "path")
        .values_list("pk", flat=True)[:60]
    )
    today = timezone.localdate()
    randomiser = random.Random(2026)
    existing = set(PageView.objects.filter(page_id__in=pages).values_list("page_id").distinct())
    rows = []
    for rank, page_id in enumerate(pages):
        if (page_id,) in existing:  # already has a history: loading twice changes nothing
            continue
        popularity = max(1, 40 // (rank + 1))
        for offset in range(DAYS):
            day = today - datetime.timedelta(days=offset)
            weekday_factor = 0.5 if day.weekday() >= 5 else 1.0
            views = int(randomiser.randint(0, popularity + 3) * weekday_factor)
            if views:
                rows.append(PageView(page_id=page_id, day=day, views=views))
    PageView.objects.bulk_create(rows, batch_size=500)
    sends = _demo_newsletter_sends(randomiser, today)
    stdout.write(
        style.SUCCESS(
            f"Analytics: {len(rows)} demo page-view counts, {sends} newsletter sends added."
        )
    )


def _demo_newsletter_sends(randomiser, today):
    """Record the past sending of the demo newsletter issues to their regions' demo subscribers,
    with some clicks, as if they had gone out on their issue date."""
    from cms.models import NewsletterIssuePage
    from cms.newsletters.models import Delivery, IssueSend, Subscription

    created = 0
    issues = NewsletterIssuePage.objects.live().filter(newsletter_send__isnull=True)
    for issue in issues.filter(region__newsletter_subscriptions__isnull=False).distinct()[:6]:
        subscriptions = list(Subscription.objects.confirmed().filter(region_id=issue.region_id))
        send = IssueSend.objects.create(issue=issue, recipient_count=len(subscriptions))
        sent_at = timezone.now() - datetime.timedelta(days=randomiser.randint(3, 40))
        Delivery.objects.bulk_create(
            [Delivery(send=send, subscription=s, sent_at=sent_at) for s in subscriptions]
        )
        LinkClick.objects.create(
            issue=issue,
            url=issue.get_full_url() or "https://textile-centre.eu/",
            day=sent_at.date(),
            clicks=randomiser.randint(1, len(subscriptions) + 1),
        )
        created += 1
    return created
