"""The working groups' key pages for `manage.py bench_pages` (BENCH_PAGES hook): the list of
groups and the longest topic of a public group, read by a member of that group."""

from django.urls import reverse
from machina.apps.forum_conversation.models import Topic

from cms.hooks import KeyPage

from . import services
from .models import Membership, WorkingGroup


def forum_pages(*, member):
    public = WorkingGroup.objects.filter(visibility=WorkingGroup.Visibility.PUBLIC)
    topic = (
        Topic.objects.filter(forum__in=public.values("forum"), approved=True)
        .select_related("forum")
        .order_by("-posts_count", "pk")
        .first()
    )
    group = public.get(forum=topic.forum)
    if not Membership.objects.filter(group=group, user=member).exists():
        services.membership_add(group=group, user=member)
    url = reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum.pk,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )
    return [
        KeyPage("forum index", reverse("working_groups:list")),
        KeyPage(f"topic ({topic.posts_count} posts)", url),
    ]
