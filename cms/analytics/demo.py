"""Demo page-view history (the last 60 days) so the dissemination report has something to show.
Idempotent: days that already have counts are left alone."""

import datetime
import random

from django.utils import timezone
from wagtail.models import Page

from .models import LinkClick, MediaCoverage, OutputTarget, PageView, SocialPost, Visit

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
    visits = _demo_visits(pages, randomiser, today)
    media = _demo_media_log(randomiser, today)
    stdout.write(
        style.SUCCESS(
            f"Analytics: {len(rows)} demo page-view counts, {visits} visits from other sites "
            f"and campaigns, {media} media-log entries, {sends} newsletter sends added."
        )
    )


REFERRERS = ["linkedin.com", "facebook.com", "google.com", "lodz.pl", "tex4im.eu", "ansa.it"]
CAMPAIGNS = [
    ("linkedin", "social", "share"),
    ("facebook", "social", "share"),
    ("newsletter", "email", "lodzkie-2026-11"),
    ("x", "social", "share"),
]


def _demo_visits(pages, randomiser, today):
    """Visits from other sites and from share links and newsletters to the most viewed pages."""
    if Visit.objects.exclude(referrer="", source="").exists():
        return 0
    paths = dict(Page.objects.filter(pk__in=pages[:12]).values_list("pk", "url_path"))
    rows = []
    for page_id, url_path in paths.items():
        path = "/" + "/".join(url_path.strip("/").split("/")[1:]) + "/"
        for offset in range(0, DAYS, 3):
            day = today - datetime.timedelta(days=offset)
            referrer = randomiser.choice(REFERRERS)
            rows.append(
                Visit(
                    page_id=page_id,
                    path=path,
                    day=day,
                    referrer=referrer,
                    views=randomiser.randint(1, 9),
                )
            )
            source, medium, campaign = randomiser.choice(CAMPAIGNS)
            rows.append(
                Visit(
                    page_id=page_id,
                    path=path,
                    day=day,
                    source=source,
                    medium=medium,
                    campaign=campaign,
                    views=randomiser.randint(1, 6),
                )
            )
    Visit.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


OUTLETS = [
    ("Dziennik Łódzki", "press", 45_000),
    ("Radio Łódź", "radio", 120_000),
    ("TVP3 Łódź", "tv", 300_000),
    ("La Nazione – Prato", "press", 60_000),
    ("TV Prato", "tv", 80_000),
    ("Innovation in Textiles", "online", 25_000),
]


def _demo_media_log(randomiser, today):
    """Coverage, social posts and targets of the regions over the last two quarters."""
    from cms.directory.models import Region

    if MediaCoverage.objects.exists():
        return 0
    created = 0
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for region in Region.objects.order_by("pk")[:4]:
        for n in range(4):
            outlet, media_type, reach = randomiser.choice(OUTLETS)
            MediaCoverage.objects.create(
                region=region,
                date=today - datetime.timedelta(days=randomiser.randint(0, 150)),
                outlet=outlet,
                media_type=media_type,
                title=f"Textile recycling in {region.name} ({n + 1})",
                reach=reach,
                link="https://example.org/coverage",
            )
            created += 1
        for n in range(8):
            SocialPost.objects.create(
                region=region,
                date=today - datetime.timedelta(days=randomiser.randint(0, 150)),
                network=randomiser.choice(["linkedin", "facebook", "instagram", "x"]),
                summary=f"Virtual Centre news {n + 1}",
                reach=randomiser.randint(300, 4000),
                engagement=randomiser.randint(10, 300),
            )
            created += 1
        for indicator, target in [
            ("web_views", 1500),
            ("campaign_visits", 150),
            ("media_items", 3),
            ("media_reach", 150_000),
            ("social_posts", 6),
            ("social_reach", 8000),
            ("social_engagement", 500),
        ]:
            OutputTarget.objects.get_or_create(
                region=region,
                year=year,
                quarter=quarter,
                indicator=indicator,
                defaults={"target": target},
            )
    return created


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
