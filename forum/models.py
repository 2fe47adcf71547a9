"""Working groups: who belongs to which group, and what the machina forum of each group needs
beyond machina itself (reports, likes, questions, watch levels, invitations)."""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Notification topics (cms.notifications) of the working groups, declared in wagtail_hooks.py.
TOPIC_POSTS = "forum.posts"  # how often to hear of new posts at all (no target)
TOPIC_DISCUSSION = "forum.topic"  # a topic's watch level (target: machina's Topic)
TOPIC_GROUP = "forum.group"  # a group's watch level (target: the group's machina Forum)


class WatchLevel(models.TextChoices):
    """Discourse's notification levels, for a working group and for a topic.

    watching  every new post.
    normal    replies in topics you started or posted in, posts quoting you, @mentions.
    muted     nothing, not even mentions; hidden from the new-topic lists.

    Stored as cms.notifications preferences of TOPIC_GROUP (about the group's forum) and
    TOPIC_DISCUSSION (about a topic): ``instant`` is watching, ``relevant`` normal, ``off``
    muted. No group preference is normal; a topic without one follows its group (FOLLOW_GROUP),
    a topic's own level, normal included, wins over its group's."""

    WATCHING = "watching", _("Watching")
    NORMAL = "normal", _("Normal")
    MUTED = "muted", _("Muted")


# A topic's choice of no level of its own: its group's level applies.
FOLLOW_GROUP = "group"


class WorkingGroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public groups for everyone; private groups only for their active members (and for
        site moderators, who moderate every forum)."""
        if not user.is_authenticated:
            return self.filter(visibility=WorkingGroup.Visibility.PUBLIC)
        if user.is_superuser:
            return self
        member_of = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
            "group_id"
        )
        # The moderator role is asked inside the same query (no query of its own).
        moderator = Group.objects.filter(name="Moderator", user=user)
        return self.filter(
            Q(visibility=WorkingGroup.Visibility.PUBLIC)
            | Q(pk__in=member_of)
            | Q(Exists(moderator))
        )


class WorkingGroup(models.Model):
    """A working group of the Virtual Centre, with its own machina forum kept in step by
    ``forum.services``."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone reads, members post")
        PRIVATE = "private", _("Private: only members see it")

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    topic = models.ForeignKey(
        "cms.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    forum = models.OneToOneField(
        "forum.Forum",
        verbose_name=_("forum"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="working_group",
    )
    member_group = models.OneToOneField(
        "auth.Group", null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    coordinator_group = models.OneToOneField(
        "auth.Group", null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name

    @property
    def is_private(self):
        return self.visibility == self.Visibility.PRIVATE

    def get_absolute_url(self):
        return reverse("working_groups:detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state=Membership.State.ACTIVE)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Asked to join")
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        BANNED = "banned", _("Banned")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="working_group_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    message = models.TextField(_("message to the coordinators"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} in {self.group} ({self.state})"

    @property
    def is_active(self):
        return self.state == self.State.ACTIVE

    @property
    def is_coordinator(self):
        return self.is_active and self.role == self.Role.COORDINATOR


def _invitation_token():
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation by e-mail. The person signs in (or signs up with that address) and lands in
    the group."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.group}"

    def get_absolute_url(self):
        return reverse("working_groups:invitation", kwargs={"token": self.token})


class PendingNotification(models.Model):
    """A post waiting for the recipient's daily digest."""

    class Reason(models.TextChoices):
        TOPIC = "topic", _("watched topic")
        FORUM = "forum", _("watched group")
        REPLY = "reply", _("reply in a topic you started or posted in")
        QUOTE = "quote", _("quote of your post")
        MENTION = "mention", _("mention")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forum_conversation.Post", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="one_pending_notification")
        ]


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A member reports a post to the group's coordinators and the site moderators."""

    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("what is wrong with this post?"), max_length=1000)
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"Report on post {self.post_id}"


class PostLike(models.Model):
    """A reader liked a post (one like per person and post, as on Discourse)."""

    post = models.ForeignKey(
        "forum_conversation.Post", on_delete=models.CASCADE, related_name="likes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_post_likes"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="one_like_per_post")]
        verbose_name = _("like")
        verbose_name_plural = _("likes")

    def __str__(self):
        return f"{self.user} likes post {self.post_id}"


class TopicQuestion(models.Model):
    """A topic asked as a question: its author or a moderator may accept one reply as the
    answer (Discourse's "solved"). A topic without this row is a plain discussion."""

    topic = models.OneToOneField(
        "forum_conversation.Topic", on_delete=models.CASCADE, related_name="question"
    )
    answer = models.ForeignKey(
        "forum_conversation.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"Question {self.topic_id}"

    @property
    def is_solved(self):
        return self.answer_id is not None
