"""Actions on working groups. Each runs in one transaction and keeps machina's forum and its
permissions in step with the group and its memberships."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Topic
from machina.apps.forum_permission.models import (
    ForumPermission,
    GroupForumPermission,
    UserForumPermission,
)

from cms.mail import email_queue_template

from . import permissions
from .models import ForumSubscription, Invitation, Membership, Report


def _email(*, to, template_prefix, context, language=None):
    email_queue_template(
        to=to,
        template_prefix=template_prefix,
        context={"site_url": settings.SITE_URL, **context},
        language=language,
    )


# --- groups and their forums -----------------------------------------------------------------


def _permission_objects(codenames):
    found = {p.codename: p for p in ForumPermission.objects.filter(codename__in=codenames)}
    return [found[codename] for codename in codenames if codename in found]


def _grant_group(*, auth_group, forum, codenames):
    GroupForumPermission.objects.filter(group=auth_group, forum=forum).exclude(
        permission__codename__in=codenames
    ).delete()
    for permission in _permission_objects(codenames):
        GroupForumPermission.objects.update_or_create(
            group=auth_group, forum=forum, permission=permission, defaults={"has_perm": True}
        )


def _sync_forum_permissions(group):
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


def site_moderator_permissions_sync():
    """Site moderators moderate every forum: global machina permissions of the Moderator role."""
    moderators = permissions.site_moderator_group()
    for permission in _permission_objects(permissions.SITE_MODERATOR_PERMISSIONS):
        GroupForumPermission.objects.update_or_create(
            group=moderators, forum=None, permission=permission, defaults={"has_perm": True}
        )


@transaction.atomic
def working_group_save(*, group, coordinators=()):
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


def _sync_auth_groups(membership):
    group, user = membership.group, membership.user
    if membership.is_active:
        user.groups.add(group.member_group)
        if membership.role == Membership.Role.COORDINATOR:
            user.groups.add(group.coordinator_group)
        else:
            user.groups.remove(group.coordinator_group)
    else:
        user.groups.remove(group.member_group, group.coordinator_group)


@transaction.atomic
def membership_add(*, group, user, role=Membership.Role.MEMBER, decided_by=None):
    """Make ``user`` an active member (or coordinator) straight away."""
    membership, _created = Membership.objects.update_or_create(
        group=group,
        user=user,
        defaults={"state": Membership.State.ACTIVE, "role": role, "decided_by": decided_by},
    )
    _sync_auth_groups(membership)
    return membership


def _coordinator_emails(group):
    return list(
        group.memberships.active()
        .filter(role=Membership.Role.COORDINATOR)
        .values_list("user__email", flat=True)
    )


@transaction.atomic
def membership_request(*, group, user, message=""):
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


def _decide(*, membership, by, state):
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
def membership_approve(*, membership, by):
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return _decide(membership=membership, by=by, state=Membership.State.ACTIVE)


@transaction.atomic
def membership_decline(*, membership, by):
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    return _decide(membership=membership, by=by, state=Membership.State.DECLINED)


@transaction.atomic
def membership_leave(*, group, user):
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


def _drop_private_subscriptions(*, group, user):
    """Someone who no longer reads a private group keeps no subscription to its topics: their
    subscription list and e-mails would go on showing titles and posters."""
    if group.visibility != group.Visibility.PRIVATE:
        return
    Topic.subscribers.through.objects.filter(user=user, topic__forum=group.forum).delete()
    ForumSubscription.objects.filter(user=user, forum=group.forum).delete()


@transaction.atomic
def membership_set_role(*, membership, role, by):
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
def membership_ban(*, group, user, by):
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
def invitation_send(*, group, email, by):
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
def invitation_accept(*, invitation, user):
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already used."))
    if (
        invitation.email.lower() != user.email.lower()
        and not user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists()
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


def invitations_accept_for_email(*, user, email):
    """After sign-up and e-mail confirmation: land in every group the address was invited to."""
    for invitation in Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True):
        try:
            invitation_accept(invitation=invitation, user=user)
        except ValidationError:
            continue


# --- trust and moderation -----------------------------------------------------------------------


def user_trust(*, user):
    """Let ``user``'s posts appear without approval from now on (global machina permission)."""
    permission = _permission_objects([permissions.TRUSTED_PERMISSION])
    if permission:
        UserForumPermission.objects.get_or_create(
            forum=None, user=user, permission=permission[0], defaults={"has_perm": True}
        )


@transaction.atomic
def post_report(*, post, reporter, reason):
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


def _can_moderate_post(user, post):
    return post.topic.forum_id in permissions.moderated_forum_ids(user)


@transaction.atomic
def post_hide(*, post, by):
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
def report_dismiss(*, report, by):
    if not _can_moderate_post(by, report.post):
        raise PermissionDenied
    report.resolved_at = timezone.now()
    report.resolved_by = by
    report.resolution = "dismissed"
    report.save()
    return report


# E-mail notifications (cms.notifications topics "forum.topic" and "forum.group") ---------------


def discussion_unsubscribe(*, user, email="", target):
    """One-click unsubscribe from a discussion: machina's topic subscription is removed."""
    target.subscribers.remove(user)


def group_unfollow(*, user, email="", target):
    """One-click unsubscribe from a followed group's forum."""
    ForumSubscription.objects.filter(user=user, forum=target).delete()
