"""Subscriptions to the partner regions' newsletters and the record of every issue sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscriptions confirmed by the double opt-in and not cancelled since."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """One address subscribed to one region's newsletter. Confirmed only once the subscriber
    clicked the link of the confirmation e-mail (double opt-in)."""

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
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("newsletter subscription")
        verbose_name_plural = _("newsletter subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["email", "region"], name="one_subscription_per_region")
        ]

    def __str__(self):
        return f"{self.email} → {self.region}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


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
