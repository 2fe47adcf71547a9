"""Private conversations between two organisations: the one thread mechanism of the site.

A materials-exchange inquiry (about a listing) and a partner expression of interest (about an
opportunity or a technology) are each one ``Conversation``: the organisation that started it,
the organisation that received it, the messages their members write through the site (never
showing an e-mail address), and each reader's unread state. What a thread is *about*, and what
else happens on it (deals, a shortlist), stays with the app that owns the subject, in a model
with a one-to-one link to its conversation."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 5000


def unread_expression(user, *, prefix):
    """True when a message came after ``user`` last read the conversation at ``prefix`` (the
    path to it: "" on Conversation, "conversation__" on a model linked one-to-one)."""
    read = ReadMark.objects.filter(
        conversation=OuterRef(f"{prefix}pk"),
        user=user,
        read_at__gte=OuterRef(f"{prefix}last_message_at"),
    )
    return ~Exists(read)


class ConversationQuerySet(models.QuerySet):
    def of_organisations(self, organisation_ids):
        """The conversations of which one of ``organisation_ids`` is a side."""
        organisation_ids = list(organisation_ids)
        return self.filter(
            Q(starter_organisation_id__in=organisation_ids)
            | Q(owner_organisation_id__in=organisation_ids)
        )

    def with_unread(self, user):
        """Annotate ``unread``: a message came after ``user`` last read the thread (their own
        messages mark it read)."""
        return self.annotate(unread=unread_expression(user, prefix=""))

    def unread_by(self, user):
        return self.with_unread(user).filter(unread=True)


class Conversation(models.Model):
    """A private thread between two organisations. ``kind`` names the app's subject
    (``"exchange.inquiry"``, ``"partners.interest"``); the two sides are fixed when it starts."""

    kind = models.CharField(_("kind"), max_length=40)
    starter_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("starting organisation"),
        on_delete=models.CASCADE,
        related_name="conversations_started",
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("receiving organisation"),
        on_delete=models.CASCADE,
        related_name="conversations_received",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(starter_organisation=models.F("owner_organisation")),
                name="conversation_two_sides",
            )
        ]
        indexes = [
            models.Index(fields=["starter_organisation", "created_at"]),
            models.Index(fields=["owner_organisation", "last_message_at"]),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def sides(self):
        """(starting organisation id, receiving organisation id)."""
        return self.starter_organisation_id, self.owner_organisation_id

    def other_side(self, organisation_id):
        starter, owner = self.sides
        return owner if organisation_id == starter else starter

    @property
    def is_closed(self):
        return self.closed_at is not None


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self):
        return f"{self.author_organisation_id}: {self.body[:40]}"


class ReadMark(models.Model):
    """Up to when ``user`` has read a conversation (no row: nothing read yet)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_marks"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once")
        ]
