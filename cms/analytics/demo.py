"""Demo page-view history (the last 60 days) so the dissemination report has something to show.
Idempotent: days that already have counts are left alone."""

import datetime
import random

from django.utils import timezone

from cms.discovery import content_pages

from .models import PageView

DAYS = 60


def load(*, stdout, style):
    pages = list(content_pages().values_list("pk", flat=True)[:60])
    if not pages:
        stdout.write("Analytics: no content pages yet, no demo views.")
        return
    today = timezone.localdate()
    randomiser = random.Random(2026)
    existing = set(PageView.objects.filter(page_id__in=pages).values_list("page_id", "day"))
    rows = []
    for rank, page_id in enumerate(pages):
        popularity = max(1, 40 // (rank + 1))
        for offset in range(DAYS):
            day = today - datetime.timedelta(days=offset)
            if (page_id, day) in existing:
                continue
            weekday_factor = 0.5 if day.weekday() >= 5 else 1.0
            views = int(randomiser.randint(0, popularity + 3) * weekday_factor)
            if views:
                rows.append(PageView(page_id=page_id, day=day, views=views))
    PageView.objects.bulk_create(rows, batch_size=500)
    stdout.write(style.SUCCESS(f"Analytics: {len(rows)} demo page-view counts added."))
