"""Reads shared by views, hooks and search."""

from django.db.models import Count, Q
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.handler import PermissionHandler

from . import search
from .models import Membership, WorkingGroup


def groups_for_listing(user):
    """Groups ``user`` may see, with member count and last activity, in a fixed number of
    queries."""
    return (
        WorkingGroup.objects.visible_to(user)
        .select_related("forum", "forum__last_post", "forum__last_post__poster", "topic")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__state=Membership.State.ACTIVE), distinct=True
            )
        )
        .order_by("name")
    )


def readable_forums(user, handler=None):
    from machina.apps.forum.models import Forum

    handler = handler or PermissionHandler()
    return handler.get_readable_forums(Forum.objects.all(), user)


def latest_topics(user, limit=5):
    """Latest topics of the groups ``user`` may see, in one query (home page panel). A group's
    forum is readable exactly when the group is visible: its permissions derive from it."""
    visible = WorkingGroup.objects.visible_to(user).values("forum_id")
    return list(
        Topic.objects.filter(forum_id__in=visible, approved=True)
        .select_related("forum", "last_post", "last_post__poster")
        .order_by("-last_post_on")[:limit]
    )


def search_posts(user, query):
    """Approved posts of readable forums containing every word of ``query`` in subject or text
    (PostgreSQL full-text search, or a plain word search on SQLite: ``forum.search``). A
    private group's posts are never among them for an outsider."""
    words = search.search_words(query)
    if not words:
        return Post.objects.none()
    posts = Post.objects.filter(
        approved=True, topic__approved=True, topic__forum__in=readable_forums(user)
    )
    return search.filter_posts_by_words(posts, words).select_related(
        "topic", "topic__forum", "poster"
    )


def groups_of_organisation(organisation, user):
    member_of = Membership.objects.filter(
        user__organisation=organisation, state=Membership.State.ACTIVE
    ).values("group_id")
    return list(WorkingGroup.objects.visible_to(user).filter(pk__in=member_of).order_by("name"))
