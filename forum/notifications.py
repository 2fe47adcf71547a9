"""E-mail about new posts: to subscribers of the topic (machina's subscriptions), followers of
the group's forum and members mentioned with @handle; at once or in a daily digest, as each
recipient prefers. Nobody gets a post their forum permissions do not let them read."""

import re

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from machina.apps.forum_conversation.models import Post
from machina.apps.forum_permission.handler import PermissionHandler

from cms.mail import email_queue_template
from cms.notifications.links import unsubscribe_headers, unsubscribe_url
from cms.notifications.models import Frequency
from cms.notifications.selectors import preference_frequencies

from .models import ForumSubscription, PendingNotification

# Notification topics (cms.notifications) of the working groups, declared in wagtail_hooks.py.
TOPIC_POSTS = "forum.posts"  # how often to hear of new posts at all (no target)
TOPIC_DISCUSSION = "forum.topic"  # a subscribed discussion (target: machina's Topic)
TOPIC_GROUP = "forum.group"  # a followed group's forum (target: machina's Forum)
# Read only, for links in e-mails sent before cms.notifications (forum.views.legacy_unsubscribe).
LEGACY_UNSUBSCRIBE_SALT = "working_groups.unsubscribe"
MENTION_PATTERN = re.compile(r"(?<![\w@])@([\w][\w.\-]*[\w]|[\w])", re.UNICODE)


def mention_handle(user):
    """How members mention someone: their display name as a slug (``@ewa-editor``)."""
    return slugify(user.get_display_name()) or user.email.split("@")[0].lower()


def mentioned_users(post):
    group = getattr(post.topic.forum, "working_group", None)
    if group is None:
        return []
    handles = {match.lower().rstrip(".") for match in MENTION_PATTERN.findall(post.content.raw)}
    if not handles:
        return []
    members = [membership.user for membership in group.memberships.active().select_related("user")]
    return [
        user
        for user in members
        if mention_handle(user) in handles or user.email.split("@")[0].lower() in handles
    ]


def post_url(post):
    topic = post.topic
    return (
        settings.SITE_URL
        + reverse(
            "forum_conversation:topic",
            kwargs={
                "forum_slug": topic.forum.slug,
                "forum_pk": topic.forum_id,
                "slug": topic.slug,
                "pk": topic.pk,
            },
        )
        + f"?post={post.pk}#{post.pk}"
    )


def recipients_for(post):
    """{user: (reason, notification topic, target)} of everyone to tell about ``post``, before
    the permission check. A mention wins over a subscription; the poster is never told. The
    notification topic and target are what the e-mail's unsubscribe link stops."""
    topic = post.topic
    recipients = {}
    for user in topic.subscribers.all():
        recipients[user] = (PendingNotification.Reason.TOPIC, TOPIC_DISCUSSION, topic)
    for subscription in ForumSubscription.objects.filter(forum=topic.forum).select_related("user"):
        recipients.setdefault(
            subscription.user, (PendingNotification.Reason.FORUM, TOPIC_GROUP, topic.forum)
        )
    for user in mentioned_users(post):
        recipients[user] = (PendingNotification.Reason.MENTION, TOPIC_POSTS, None)
    recipients.pop(post.poster, None)
    return recipients


@transaction.atomic
def post_notify(*, post_id):
    """Queue the e-mails about one new, approved post."""
    post = (
        Post.objects.select_related("topic", "topic__forum", "poster")
        .filter(pk=post_id, approved=True)
        .first()
    )
    if post is None or post.poster is None:
        return 0
    sent = 0
    recipients = recipients_for(post)
    frequencies = preference_frequencies(
        topic=TOPIC_POSTS, user_ids=[user.pk for user in recipients]
    )
    for user, (reason, notification_topic, target) in recipients.items():
        if not user.is_active or not PermissionHandler().can_read_forum(post.topic.forum, user):
            continue
        frequency = frequencies[user.pk]
        if frequency == Frequency.OFF:
            continue
        if frequency != Frequency.INSTANT:  # daily (weekly is not offered): the digest
            PendingNotification.objects.get_or_create(
                user=user, post=post, defaults={"reason": reason}
            )
            continue
        link = {"topic": notification_topic, "user": user, "target": target}
        email_queue_template(
            to=[user.email],
            template_prefix="working_groups/email/new_post",
            context={
                "post": post,
                "topic": post.topic,
                "reason": reason,
                "recipient": user,
                "post_url": post_url(post),
                "unsubscribe_url": unsubscribe_url(**link, language=user.preferred_language),
            },
            language=user.preferred_language,
            headers=unsubscribe_headers(**link, language=user.preferred_language),
        )
        sent += 1
    return sent


def digests_send():
    """Send each daily-digest reader one e-mail with the posts since the last digest."""
    sent = 0
    user_ids = PendingNotification.objects.values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        with transaction.atomic():
            pending = list(
                PendingNotification.objects.select_for_update(of=("self",))
                .filter(user_id=user_id)
                .select_related("user", "post", "post__topic", "post__topic__forum", "post__poster")
                .order_by("post__created")
            )
            if not pending:
                continue
            user = pending[0].user
            handler = PermissionHandler()
            posts = [
                item.post
                for item in pending
                if item.post.approved and handler.can_read_forum(item.post.topic.forum, user)
            ]
            PendingNotification.objects.filter(pk__in=[item.pk for item in pending]).delete()
            if not posts or not user.is_active:
                continue
            link = {"topic": TOPIC_POSTS, "user": user, "language": user.preferred_language}
            email_queue_template(
                to=[user.email],
                template_prefix="working_groups/email/digest",
                context={
                    "recipient": user,
                    "items": [(post, post_url(post)) for post in posts],
                    "unsubscribe_url": unsubscribe_url(**link),
                },
                language=user.preferred_language,
                headers=unsubscribe_headers(**link),
            )
            sent += 1
    return sent
