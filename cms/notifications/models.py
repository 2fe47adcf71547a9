"""What each person wants to be e-mailed about, and how often."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    """How often to e-mail about a topic. Topics offer the subset that makes sense for them."""

    INSTANT = "instant", _("At once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    # Only what concerns the recipient: replies in a discussion they took part in, quotes and
    # mentions (a forum topic's "normal" level, set against its group's watching or muting).
    RELEVANT = "relevant", _("Only replies, quotes and mentions")
    OFF = "off", _("No e-mail")


class NotificationPreference(models.Model):
    """One recipient's choice about one topic, optionally about one target object.

    The recipient is a user, or, for people without an account (newsletter subscribers), an
    e-mail address. No row means the topic's default. ``topic`` is the key of a registered
    ``NotificationTopic`` (``"forum.posts"``, ``"newsletters.region"``, ...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    topic = models.CharField(_("topic"), max_length=64)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        indexes = [models.Index(fields=["topic", "frequency"], name="notification_topic_freq")]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="notification_has_recipient"
            ),
            models.CheckConstraint(
                condition=Q(target_type__isnull=True, target_id__isnull=True)
                | Q(target_type__isnull=False, target_id__isnull=False),
                name="notification_target_whole",
            ),
            models.UniqueConstraint(
                fields=["user", "topic", "target_type", "target_id"],
                condition=Q(user__isnull=False, target_type__isnull=False),
                name="notification_user_target_once",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(user__isnull=False, target_type__isnull=True),
                name="notification_user_topic_once",
            ),
            models.UniqueConstraint(
                fields=["email", "topic", "target_type", "target_id"],
                condition=Q(user__isnull=True, target_type__isnull=False),
                name="notification_email_target_once",
            ),
            models.UniqueConstraint(
                fields=["email", "topic"],
                condition=Q(user__isnull=True, target_type__isnull=True),
                name="notification_email_topic_once",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email}: {self.topic} → {self.frequency}"
