"""The core's key pages for `manage.py bench_pages` (BENCH_PAGES hook)."""

from django.urls import reverse

from .hooks import KeyPage
from .models import StoryIndexPage, StoryPage


def core_pages(*, member):
    index = StoryIndexPage.objects.live().order_by("path").first()
    story = StoryPage.objects.live().public().order_by("path").first()
    return [
        KeyPage("home", "/"),
        KeyPage("search", reverse("search") + "?q=recycled+cotton"),
        KeyPage("section index (stories)", index.url),
        KeyPage("story", story.url),
    ]


def partner_pages(*, member):
    return [KeyPage("partners", "/partners/")]
