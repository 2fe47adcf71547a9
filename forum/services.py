"""Actions on working groups. Each runs in one transaction and keeps machina's forum and its
permissions in step with the group and its memberships."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import (
    ForumPermission,
    GroupForumPermission,
    UserForumPermission,
)

from cms.accounts.models import User
from cms.mail import email_queue_template
from cms.notifications.models import Frequency, NotificationPreference
from cms.notifications.services import preference_delete, preference_set

from . import permissions
from .models import (
    FOLLOW_GROUP,
    TOPIC_DISCUSSION,
    TOPIC_GROUP,
    Invitation,
    Membership,
    PostLike,
    Report,
    TopicQuestion,
    WatchLevel,
    WorkingGroup,
)


def _email(
    *,
    to: Sequence[str],
    template_prefix: str,
    context: Mapping[str, Any],
    language: str | None = None,
) -> None:
    email_queue_template(
        to=to,
        template_prefix=template_prefix,
        context={"site_url": settings.SITE_URL, **context},
        language=language,
    )


# --- groups and their forums -----------------------------------------------------------------


def _permission_objects(codenames: Sequence[str]) -> list[ForumPermission]:
    found = {p.codename: p for p in ForumPermission.objects.filter(codename__in=codenames)}
    return [found[codename] for codename in codenames if codename in found]


def _grant_group(*, auth_group: Group | None, forum: Forum, codenames: Sequence[str]) -> None:
    GroupForumPermission.objects.filter(group=auth_group, forum=forum).exclude(
        permission__codename__in=codenames
    ).delete()
    for permission in _permission_objects(codenames):
        GroupForumPermission.objects.update_or_create(
            group=auth_group, forum=forum, permission=permission, defaults={"has_perm": True}
        )


def _sync_forum_permissions(group: WorkingGroup) -> None:
    forum = group.forum
    _grant_group(
        auth_group=group.member_group, forum=forum, codenames=permissions.MEMBER_PERMISSIONS
    )
    _grant_group(
        auth_group=group.coordinator_group,
        forum=forum,
        codenames=permissions.COORDINATOR_PERMISSIONS,
    )
    # Everyone, signed in or not, reads a public group's forum; nobody else reads a private one.
    everyone = UserForumPermission.objects.filter(forum=forum, user__isnull=True)
    if group.is_private:
        everyone.delete()
        return
    everyone.exclude(permission__codename__in=permissions.READ_PERMISSIONS).delete()
    for permission in _permission_objects(permissions.READ_PERMISSIONS):
        for who in ({"anonymous_user": True}, {"authenticated_user": True}):
            UserForumPermission.objects.update_or_create(
                forum=forum, user=None, permission=permission, **who, defaults={"has_perm": True}
            )


def site_moderator_permissions_sync() -> None:
    """Site moderators moderate every forum: global machina permissions of the Moderator role."""
    moderators = permissions.site_moderator_group()
    for permission in _permission_objects(permissions.SITE_MODERATOR_PERMISSIONS):
        GroupForumPermission.objects.update_or_create(
            group=moderators, forum=None, permission=permission, defaults={"has_perm": True}
        )


@transaction.atomic
def working_group_save(*, group: WorkingGroup, coordinators: Iterable[User] = ()) -> WorkingGroup:
    """Create or update a working group, its machina forum, its two auth groups ("Working group:
    <name>" for members, "... coordinators" for coordinators) and their forum permissions."""
    group.full_clean(exclude=["forum", "member_group", "coordinator_group"])
    if group.forum is None:
        group.forum = Forum.objects.create(
            name=group.name, type=Forum.FORUM_POST, description=group.description
        )
    else:
        group.forum.name = group.name
        group.forum.description = group.description
        group.forum.save()
    if group.member_group is None:
        group.member_group = Group.objects.get_or_create(name=f"Working group: {group.name}"[:150])[
            0
        ]
        group.coordinator_group = Group.objects.get_or_create(
            name=f"Working group coordinators: {group.name}"[:150]
        )[0]
    group.save()
    _sync_forum_permissions(group)
    for user in coordinators:
        membership_add(group=group, user=user, role=Membership.Role.COORDINATOR)
    return group


def _sync_auth_groups(membership: Membership) -> None:
    group, user = membership.group, membership.user
    member_group, coordinator_group = group.member_group, group.coordinator_group
    if member_group is None or coordinator_group is None:  # working_group_save makes both first
        raise ValueError(f"Working group {group.pk} has no auth groups: save it first.")
    if membership.is_active:
        user.groups.add(member_group)
        if membership.role == Membership.Role.COORDINATOR:
            user.groups.add(coordinator_group)
        else:
            user.groups.remove(coordinator_group)
    else:
        user.groups.remove(member_group, coordinator_group)


@transaction.atomic
def membership_add(
    *,
    group: WorkingGroup,
    user: User,
    role: str = Membership.Role.MEMBER,
    decided_by: User | None = None,
) -> Membership:
    """Make ``user`` an active member (or coordinator) straight away."""
    membership, _created = Membership.objects.update_or_create(
        group=group,
        user=user,
        defaults={"state": Membership.State.ACTIVE, "role": role, "decided_by": decided_by},
    )
    _sync_auth_groups(membership)
    return membership


def _coordinator_emails(group: WorkingGroup) -> list[str]:
    return list(
        group.memberships.active()
        .filter(role=Membership.Role.COORDINATOR)
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def membership_request(*, group: WorkingGroup, user: User, message: str = "") -> Membership:
    """``user`` asks to join; the coordinators get an e-mail and see the request in their queue."""
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership and membership.state == Membership.State.BANNED:
        raise ValidationError(_("You cannot join this group."))
    if membership and membership.state in (Membership.State.ACTIVE, Membership.State.REQUESTED):
        return membership
    if membership and membership.state == Membership.State.INVITED:
        membership.state = Membership.State.ACTIVE
        membership.save()
        _sync_auth_groups(membership)
        return membership
    membership, _created = Membership.objects.update_or_create(
        group=group,
        user=user,
        defaults={
            "state": Membership.State.REQUESTED,
            "message": message,
            "role": Membership.Role.MEMBER,
        },
    )
    recipients = _coordinator_emails(group)
    if recipients:
        _email(
            to=recipients,
            template_prefix="working_groups/email/join_request",
            context={"group": group, "applicant": user, "membership": membership},
        )
    return membership


def _decide(*, membership: Membership, by: User, state: str) -> Membership:
    if not permissions.can_manage_group(by, membership.group):
        raise PermissionDenied
    membership.state = state
    membership.decided_by = by
    membership.save()
    _sync_auth_groups(membership)
    _email(
        to=[membership.user.email],
        template_prefix="working_groups/email/join_decision",
        context={"group": membership.group, "membership": membership},
        language=membership.user.preferred_language,
    )
    return membership


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return _decide(membership=membership, by=by, state=Membership.State.ACTIVE)


@transaction.atomic
def membership_decline(*, membership: Membership, by: User) -> Membership:
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return _decide(membership=membership, by=by, state=Membership.State.DECLINED)


@transaction.atomic
def membership_leave(*, group: WorkingGroup, user: User) -> Membership:
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None or not membership.is_active:
        raise ValidationError(_("You are not a member of this group."))
    if (
        membership.is_coordinator
        and group.memberships.active().filter(role=Membership.Role.COORDINATOR).count() == 1
    ):
        raise ValidationError(
            _("You are the group's only coordinator: name another coordinator before you leave.")
        )
    membership.state = Membership.State.LEFT
    membership.role = Membership.Role.MEMBER
    membership.save()
    _sync_auth_groups(membership)
    _drop_private_subscriptions(group=group, user=user)
    return membership


def _drop_private_subscriptions(*, group: WorkingGroup, user: User) -> None:
    """Someone who no longer reads a private group keeps no watch level of it or its topics:
    their settings page and e-mails would go on showing titles and posters."""
    if group.visibility != group.Visibility.PRIVATE:
        return
    watch_levels_forget(user=user, forum=group.forum)


def watch_levels_forget(*, user: User, forum: Forum) -> None:
    """Drop ``user``'s watch levels of ``forum`` and of its topics."""
    content_type = ContentType.objects.get_for_model
    NotificationPreference.objects.filter(
        user=user, topic=TOPIC_GROUP, target_type=content_type(Forum), target_id=forum.pk
    ).delete()
    NotificationPreference.objects.filter(
        user=user,
        topic=TOPIC_DISCUSSION,
        target_type=content_type(Topic),
        target_id__in=list(forum.topics.values_list("pk", flat=True)),
    ).delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, role: str, by: User) -> Membership:
    """Name a member coordinator, or make a coordinator a plain member again (never the last)."""
    if not permissions.can_manage_group(by, membership.group):
        raise PermissionDenied
    if not membership.is_active:
        raise ValidationError(_("Only active members can coordinate the group."))
    if (
        role == Membership.Role.MEMBER
        and membership.is_coordinator
        and membership.group.memberships.active().filter(role=Membership.Role.COORDINATOR).count()
        == 1
    ):
        raise ValidationError(_("A group needs at least one coordinator."))
    membership.role = role
    membership.save()
    _sync_auth_groups(membership)
    return membership


@transaction.atomic
def membership_ban(*, group: WorkingGroup, user: User, by: User) -> Membership:
    """Remove ``user`` from the group for good: no posting, no reading if private, no rejoining."""
    if not permissions.can_manage_group(by, group):
        raise PermissionDenied
    if user == by:
        raise ValidationError(_("You cannot ban yourself."))
    membership, _created = Membership.objects.update_or_create(
        group=group,
        user=user,
        defaults={
            "state": Membership.State.BANNED,
            "role": Membership.Role.MEMBER,
            "decided_by": by,
        },
    )
    _sync_auth_groups(membership)
    _drop_private_subscriptions(group=group, user=user)
    # A banned user must not post in a public group either, even if public posting opens later.
    for permission in _permission_objects(
        ["can_start_new_topics", "can_reply_to_topics", "can_vote_in_polls"]
    ):
        UserForumPermission.objects.update_or_create(
            forum=group.forum, user=user, permission=permission, defaults={"has_perm": False}
        )
    return membership


@transaction.atomic
def invitation_send(*, group: WorkingGroup, email: str, by: User) -> Invitation:
    """A coordinator invites someone by e-mail; the link adds them to the group once they are
    signed in with that address (new people sign up first)."""
    if not permissions.can_manage_group(by, group):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email).strip()
    existing = group.memberships.filter(user__email__iexact=email).first()
    if existing and existing.state == Membership.State.ACTIVE:
        raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    if existing and existing.state == Membership.State.BANNED:
        raise ValidationError(_("%(email)s is banned from this group.") % {"email": email})
    invitation = Invitation.objects.create(group=group, email=email, invited_by=by)
    _email(
        to=[email],
        template_prefix="working_groups/email/invitation",
        context={"group": group, "invitation": invitation, "inviter": by},
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already used."))
    if (
        invitation.email.lower() != user.email.lower()
        and not EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    ):
        raise ValidationError(
            _("This invitation was sent to %(email)s: sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership = Membership.objects.filter(group=invitation.group, user=user).first()
    if membership and membership.state == Membership.State.BANNED:
        raise ValidationError(_("You cannot join this group."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if membership and membership.is_active:
        return membership
    return membership_add(group=invitation.group, user=user, decided_by=invitation.invited_by)


def invitations_accept_for_email(*, user: User, email: str) -> None:
    """After sign-up and e-mail confirmation: land in every group the address was invited to."""
    for invitation in Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True):
        try:
            invitation_accept(invitation=invitation, user=user)
        except ValidationError:
            continue


# --- trust and moderation -----------------------------------------------------------------------


def user_trust(*, user: User) -> None:
    """Let ``user``'s posts appear without approval from now on (global machina permission)."""
    permission = _permission_objects([permissions.TRUSTED_PERMISSION])
    if permission:
        UserForumPermission.objects.get_or_create(
            forum=None, user=user, permission=permission[0], defaults={"has_perm": True}
        )


@transaction.atomic
def post_report(*, post: Post, reporter: User, reason: str) -> Report:
    if not permissions.can_read_forum(reporter, post.topic.forum):
        raise PermissionDenied
    if Report.objects.open().filter(post=post, reporter=reporter).exists():
        raise ValidationError(_("You have already reported this post."))
    report = Report.objects.create(post=post, reporter=reporter, reason=reason)
    group = getattr(post.topic.forum, "working_group", None)
    recipients = _coordinator_emails(group) if group else []
    if recipients:
        _email(
            to=recipients,
            template_prefix="working_groups/email/report",
            context={"report": report, "post": post, "group": group},
        )
    return report


def _can_moderate_post(user: User, post: Post) -> bool:
    return post.topic.forum_id in permissions.moderated_forum_ids(user)


@transaction.atomic
def post_hide(*, post: Post, by: User) -> Post:
    """Take a post out of view: it goes back to machina's moderation queue (approved=False)."""
    if not _can_moderate_post(by, post):
        raise PermissionDenied
    post.approved = False
    post.save()
    Report.objects.open().filter(post=post).update(
        resolved_at=timezone.now(), resolved_by=by, resolution="hidden"
    )
    return post


@transaction.atomic
def report_dismiss(*, report: Report, by: User) -> Report:
    if not _can_moderate_post(by, report.post):
        raise PermissionDenied
    report.resolved_at = timezone.now()
    report.resolved_by = by
    report.resolution = "dismissed"
    report.save()
    return report


# Watch levels and e-mail notifications (cms.notifications topics "forum.topic", "forum.group")


@transaction.atomic
def watch_level_set(*, user: User, target: Forum | Topic, level: str) -> None:
    """Watch, mute or set back to normal a group's forum (``target`` a machina Forum) or a topic
    (a machina Topic) for ``user``, who must be able to read it; a topic may also follow its
    group again (``FOLLOW_GROUP``). Stored as the cms.notifications preference of that target:
    watching = instant, muted = off; normal is no preference for a group and ``relevant`` for a
    topic (it then overrides the group's watching or muting); following = no preference."""
    is_group = isinstance(target, Forum)
    forum = target if is_group else target.forum
    if not user.is_authenticated or not permissions.can_read_forum(user, forum):
        raise PermissionDenied
    if level not in WatchLevel.values and (is_group or level != FOLLOW_GROUP):
        raise ValidationError(_("Choose a notification level."))
    key = TOPIC_GROUP if is_group else TOPIC_DISCUSSION
    if level == FOLLOW_GROUP or (is_group and level == WatchLevel.NORMAL):
        preference_delete(topic=key, user=user, target=target)
        return
    frequency_of_level: dict[str, str] = {
        WatchLevel.WATCHING: Frequency.INSTANT,
        WatchLevel.NORMAL: Frequency.RELEVANT,
        WatchLevel.MUTED: Frequency.OFF,
    }
    preference_set(topic=key, frequency=frequency_of_level[level], user=user, target=target)


def group_unwatch(*, user: User, email: str = "", target: Forum) -> None:
    """One-click unsubscribe from the e-mails of a watched group: back to normal (replies to
    your own topics and mentions still come; muting is the group page's choice)."""
    NotificationPreference.objects.filter(
        user=user,
        topic=TOPIC_GROUP,
        target_type=ContentType.objects.get_for_model(Forum),
        target_id=target.pk,
        frequency=Frequency.INSTANT,
    ).delete()


# Likes and accepted answers ------------------------------------------------------------------


@transaction.atomic
def post_like_toggle(*, post: Post, user: User) -> bool:
    """Like ``post``, or take the like back. Returns True when ``user`` now likes it."""
    if not permissions.can_like_post(user, post):
        raise PermissionDenied
    deleted, _rows = PostLike.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    PostLike.objects.get_or_create(post=post, user=user)
    return True


@transaction.atomic
def topic_question_set(*, topic: Topic, is_question: bool, by: User) -> TopicQuestion | None:
    """Ask the topic as a question (replies may be accepted as its answer), or make it a plain
    discussion again (an accepted answer goes with it)."""
    if not permissions.can_accept_answer(by, topic):
        raise PermissionDenied
    if is_question:
        return TopicQuestion.objects.get_or_create(topic=topic)[0]
    TopicQuestion.objects.filter(topic=topic).delete()
    return None


@transaction.atomic
def answer_accept(*, post: Post, by: User) -> TopicQuestion:
    """Mark ``post``, a visible reply of a question topic, as its accepted answer (it replaces
    an earlier one). Only the topic's author and the forum's moderators may."""
    topic = post.topic
    if not permissions.can_accept_answer(by, topic):
        raise PermissionDenied
    question = TopicQuestion.objects.select_for_update().filter(topic=topic).first()
    if question is None:
        raise ValidationError(_("Only a question can have an accepted answer."))
    if not post.approved or post.pk == topic.first_post_id:
        raise ValidationError(_("Only a visible reply can be the accepted answer."))
    question.answer = post
    question.accepted_by = by
    question.accepted_at = timezone.now()
    question.save()
    return question


@transaction.atomic
def answer_clear(*, topic: Topic, by: User) -> TopicQuestion:
    """The question is open again."""
    if not permissions.can_accept_answer(by, topic):
        raise PermissionDenied
    question = TopicQuestion.objects.select_for_update().filter(topic=topic).first()
    if question is None:
        raise ValidationError(_("Only a question can have an accepted answer."))
    question.answer = None
    question.accepted_by = None
    question.accepted_at = None
    question.save()
    return question


def topic_views_add(*, counts: dict[int, int]) -> None:
    """Add ``counts`` ({topic id: views}) to the topics' view counters: the counter
    "forum.topic_views" of cms.analytics, flushed from Redis every minute (or one view at a
    time without the buffer). One UPDATE per topic, the statement machina itself used, which
    the page cache knows to leave alone (cms/pagecache.py, IGNORED_UPDATES)."""
    for topic_id, views in sorted(counts.items()):
        Topic.objects.filter(pk=topic_id).update(views_count=F("views_count") + views)
