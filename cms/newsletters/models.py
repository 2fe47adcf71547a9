"""Subscriptions to the partner regions' newsletters and the record of every issue sent."""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from cms.notifications.selectors import receiving_preferences

# The notification topic of a region's newsletter (cms.notifications): its preference, keyed by
# the address and the region, says whether the newsletter is wanted (instant) or not (off).
NEWSLETTER_TOPIC = "newsletters.region"


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscriptions confirmed by the double opt-in whose newsletter is still wanted."""
        wanted = receiving_preferences(topic=NEWSLETTER_TOPIC).filter(
            user__isnull=True, email=OuterRef("email"), target_id=OuterRef("region_id")
        )
        return self.filter(confirmed_at__isnull=False).filter(Exists(wanted))

    def with_receiving(self):
        """Annotate ``receiving``: confirmed and the newsletter still wanted."""
        wanted = receiving_preferences(topic=NEWSLETTER_TOPIC).filter(
            user__isnull=True, email=OuterRef("email"), target_id=OuterRef("region_id")
        )
        return self.annotate(receiving=Exists(wanted))


class Subscription(models.Model):
    """One address asked for one region's newsletter: the record of the double opt-in (asked,
    confirmed). Whether the newsletter is still wanted is the address's notification
    preference (``NEWSLETTER_TOPIC``, target the region): unsubscribing turns it off."""

    email = models.EmailField(_("e-mail address"), db_index=True)
    region = models.ForeignKey(
        "directory.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="newsletter_subscriptions",
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "region"], name="one_subscription_per_region")
        ]

    def __str__(self):
        return f"{self.email} → {self.region}"


class IssueSend(models.Model):
    """The sending of one newsletter issue. One per issue (the one-to-one key is the guarantee
    that an issue is never sent twice, whatever re-publishing or retries happen)."""

    issue = models.OneToOneField(
        "cms.NewsletterIssuePage",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="newsletter_send",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("issue sent")
        verbose_name_plural = _("issues sent")

    def __str__(self):
        return str(self.issue_id)


class Delivery(models.Model):
    """One e-mail of an issue to one subscription. ``sent_at`` is set once the mail server
    accepted it; a retried batch skips what was already sent."""

    send = models.ForeignKey(IssueSend, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["send", "subscription"], name="one_delivery_per_subscription"
            )
        ]
