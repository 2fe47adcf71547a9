"""Working groups' part of a person's data export and account deletion (cms/hooks.py
PERSONAL_DATA, PERSONAL_DATA_ERASE)."""

from machina.apps.forum_conversation.models import Post
from machina.apps.forum_member.models import ForumProfile

from cms.accounts.privacy import json_value

from .models import Invitation, Membership, PendingNotification, PostLike


def personal_data(user):
    return {
        "working_group_memberships": [
            {
                "group": membership.group.name,
                "role": membership.role,
                "state": membership.state,
                "message": membership.message,
                "since": json_value(membership.created),
            }
            for membership in Membership.objects.filter(user=user).select_related("group")
        ],
        "forum_posts": [
            {
                "topic": post.topic.subject,
                "subject": post.subject,
                "content": post.content.raw,
                "created": json_value(post.created),
                "updated": json_value(post.updated),
            }
            for post in Post.objects.filter(poster=user).select_related("topic").order_by("pk")
        ],
        "forum_likes": [
            {
                "post": like.post_id,
                "topic": like.post.topic.subject,
                "created": json_value(like.created),
            }
            for like in PostLike.objects.filter(user=user)
            .select_related("post__topic")
            .order_by("pk")
        ],
        "forum_profile": [
            {"signature": profile.signature.raw if profile.signature else ""}
            for profile in ForumProfile.objects.filter(user=user)
        ],
    }


def erase_personal_data(user):
    """Memberships, likes and the forum profile go (watch levels are notification preferences,
    which cms erases with the account); posts stay, their author shown as
    the deleted user the account becomes (other people's replies keep their context)."""
    Membership.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=user.email).delete()
    PostLike.objects.filter(user=user).delete()
    PendingNotification.objects.filter(user=user).delete()
    for profile in ForumProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    user.topic_subscriptions.clear()
