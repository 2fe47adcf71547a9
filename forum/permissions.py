"""The one place that says who may do what in a working group. Machina's own per-forum
permissions are derived from memberships here (see ``forum.services``), and read back through
machina's permission handler."""

import functools

from django.contrib.auth.models import Group
from django.core import signing
from machina.apps.forum_permission.handler import PermissionHandler

from cms import tablecache
from cms.accounts import roles

# Forum permissions machina checks, by who gets them on a group's forum.
READ_PERMISSIONS = ["can_see_forum", "can_read_forum", "can_download_file"]
MEMBER_PERMISSIONS = [
    *READ_PERMISSIONS,
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_delete_own_posts",
    "can_create_polls",
    "can_vote_in_polls",
    "can_attach_file",
]
MODERATION_PERMISSIONS = [
    "can_post_without_approval",
    "can_post_stickies",
    "can_post_announcements",
    "can_lock_topics",
    "can_edit_posts",
    "can_delete_posts",
    "can_approve_posts",
    "can_reply_to_locked_topics",
]
COORDINATOR_PERMISSIONS = [*MEMBER_PERMISSIONS, *MODERATION_PERMISSIONS]
# Site moderators hold these on every forum (global, forum=None). can_move_topics stays with
# them: moving a topic between groups could move it out of a private group.
SITE_MODERATOR_PERMISSIONS = [*COORDINATOR_PERMISSIONS, "can_move_topics"]
# Granted to a user (globally) once a moderator approved one of their posts: from then on their
# posts appear at once. New accounts' first posts wait in machina's moderation queue.
TRUSTED_PERMISSION = "can_post_without_approval"


def is_site_moderator(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return tablecache.for_user(
        user,
        "forum:site-moderator",
        tables=permission_tables(),
        compute=lambda: user.groups.filter(name=roles.MODERATOR).exists(),
    )


def membership_of(user, group):
    from .models import Membership

    if not user.is_authenticated:
        return None
    return Membership.objects.filter(group=group, user=user).first()


def is_member(user, group):
    membership = membership_of(user, group)
    return bool(membership and membership.is_active)


JOIN_KEY_SALT = "working_groups.join"


def join_key(group):
    """The key of a private group's "ask to join" link, which coordinators share. Without it a
    private group does not exist for outsiders."""
    return signing.dumps(group.pk, salt=JOIN_KEY_SALT)


def join_key_valid(group, key):
    try:
        return signing.loads(key or "", salt=JOIN_KEY_SALT) == group.pk
    except signing.BadSignature:
        return False


def can_see_group(user, group):
    return not group.is_private or is_member(user, group) or is_site_moderator(user)


def can_manage_group(user, group):
    """Coordinators of the group and site moderators approve members, invite and moderate."""
    if is_site_moderator(user):
        return True
    membership = membership_of(user, group)
    return bool(membership and membership.is_coordinator)


def can_read_forum(user, forum, handler=None):
    return (handler or PermissionHandler()).can_read_forum(forum, user)


@functools.cache  # the same every time; asked on every forum page
def permission_tables():
    """The tables machina's permission handler reads to answer for a member: the forums, their
    user and group permissions, the groups and who is in them (cms/tablecache.py keeps its
    answers until one of them is written)."""
    from machina.apps.forum.models import Forum
    from machina.apps.forum_permission.models import (
        ForumPermission,
        GroupForumPermission,
        UserForumPermission,
    )

    from cms.accounts.models import User

    return tablecache.tables_of(
        Forum,
        ForumPermission,
        UserForumPermission,
        GroupForumPermission,
        Group,
        User.groups.through,
    )


def moderated_forum_ids(user, handler=None):
    """Forums whose posts ``user`` may moderate (machina's can_approve_posts). Without a
    handler, kept until a table of ``permission_tables`` is written: the working groups' menu
    asks on every forum page, and machina works it out over every forum (a tenth of a second of
    CPU with 50 working groups)."""
    if not user.is_authenticated:
        return []

    def read():
        return [
            forum.pk for forum in (handler or PermissionHandler()).get_moderation_queue_forums(user)
        ]

    if handler is not None:
        return read()
    return tablecache.for_user(
        user, f"forum:moderated:{user.is_superuser}", tables=permission_tables(), compute=read
    )


def site_moderator_group():
    return Group.objects.get_or_create(name=roles.MODERATOR)[0]


def can_like_post(user, post, handler=None):
    """Signed-in readers of the post's forum like other people's visible posts (never their
    own). A private group's posts stay out of reach of everyone who cannot read them."""
    return (
        user.is_authenticated
        and user.is_active
        and post.approved
        and post.poster_id != user.pk
        and can_read_forum(user, post.topic.forum, handler)
    )


def can_moderate_forum(user, forum, handler=None):
    """Coordinators of the forum's group and site moderators (machina's can_approve_posts;
    the request's handler caches what it has checked)."""
    return user.is_authenticated and (handler or PermissionHandler()).can_approve_posts(forum, user)


def can_accept_answer(user, topic, handler=None):
    """The author of a question topic, or a moderator of its forum, accepts a reply as the
    answer (Discourse's "solved": the topic owner and staff)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not can_read_forum(user, topic.forum, handler):
        return False
    return topic.poster_id == user.pk or can_moderate_forum(user, topic.forum, handler)
