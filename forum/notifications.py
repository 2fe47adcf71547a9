"""E-mail about new posts, by Discourse's notification levels (``WatchLevel``, stored as
cms.notifications preferences; the topic's own level, else its group's, else normal): watching
gets every post; normal gets the replies in topics one started or posted in (Discourse watches
the topics you create and tracks those you reply to), posts quoting one of one's posts and posts
that mention one's @handle; muted means nothing, not even mentions. At once or in a daily
digest, as each recipient prefers (``forum.posts``). Nobody gets a post their forum permissions
do not let them read."""

import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from machina.apps.forum_conversation.models import Post
from machina.apps.forum_permission.handler import PermissionHandler

from cms.mail import email_queue_template
from cms.notifications.links import unsubscribe_headers, unsubscribe_url
from cms.notifications.models import Frequency
from cms.notifications.selectors import preference_frequencies

from . import selectors
from .models import (
    TOPIC_DISCUSSION,
    TOPIC_GROUP,
    TOPIC_POSTS,
    PendingNotification,
    WatchLevel,
)

# Read only, for links in e-mails sent before cms.notifications (forum.views.legacy_unsubscribe).
LEGACY_UNSUBSCRIBE_SALT = "working_groups.unsubscribe"
MENTION_PATTERN = re.compile(r"(?<![\w@])@([\w][\w.\-]*[\w]|[\w])", re.UNICODE)
# The first line of a quote made by the reply box's "Quote" (machina_overrides.quoted_text).
QUOTE_PATTERN = re.compile(r"^>\s*\*\*(.+?):\*\*\s*$", re.MULTILINE)


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


def quoted_user_ids(post, participants):
    """The ids of ``participants`` (users who posted in the topic) whose posts ``post`` quotes,
    recognised by the quote's first line, ``> **<display name>:**``."""
    names = {name.strip() for name in QUOTE_PATTERN.findall(post.content.raw)}
    if not names:
        return set()
    return {user.pk for user in participants if user.get_display_name() in names}


def recipients_for(post):
    """{user: (reason, notification topic, target)} of everyone to tell about ``post``, before
    the permission check. A mention wins over a quote, a quote over watching, watching over a
    reply; the poster is never told. The notification topic and target are what the e-mail's
    unsubscribe link stops: the group's every-post e-mails (back to normal), the topic (muted),
    or all forum e-mail (mentions)."""
    topic = post.topic
    by_topic, by_forum = selectors.level_preferences(topics=[topic], forums=[topic.forum])
    own = {user_id: level for (user_id, _topic_id), level in by_topic.items()}
    group = {user_id: level for (user_id, _forum_id), level in by_forum.items()}

    def level_of(user_id):
        return own.get(user_id) or group.get(user_id, WatchLevel.NORMAL)

    mentioned = {user.pk: user for user in mentioned_users(post)}
    participant_ids = set(
        Post.objects.filter(topic=topic, approved=True, poster__isnull=False)
        .exclude(pk=post.pk)
        .values_list("poster_id", flat=True)
    )
    if topic.poster_id:
        participant_ids.add(topic.poster_id)
    candidate_ids = {*own, *group, *mentioned, *participant_ids}
    candidate_ids.discard(post.poster_id)
    users = get_user_model().objects.in_bulk(candidate_ids)
    quoted = quoted_user_ids(post, [users[pk] for pk in participant_ids if pk in users])
    recipients = {}
    for user_id, user in users.items():
        level = level_of(user_id)
        if level == WatchLevel.MUTED:
            continue
        if user_id in mentioned:
            recipients[user] = (PendingNotification.Reason.MENTION, TOPIC_POSTS, None)
        elif user_id in quoted:
            recipients[user] = (PendingNotification.Reason.QUOTE, TOPIC_DISCUSSION, topic)
        elif level == WatchLevel.WATCHING and own.get(user_id) == WatchLevel.WATCHING:
            recipients[user] = (PendingNotification.Reason.TOPIC, TOPIC_DISCUSSION, topic)
        elif level == WatchLevel.WATCHING:
            recipients[user] = (PendingNotification.Reason.FORUM, TOPIC_GROUP, topic.forum)
        elif user_id in participant_ids:
            recipients[user] = (PendingNotification.Reason.REPLY, TOPIC_DISCUSSION, topic)
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
