"""Stored matches, saved searches and the e-mail alerts about them."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..explanations import explain
from .listings import Listing

# Matching ------------------------------------------------------------------------------------


class Match(models.Model):
    """A scored pairing of an active offer and an active wanted listing, recomputed by a
    background job whenever either listing changes."""

    # No index of their own: (offer, wanted) leads the unique constraint and each side leads
    # its "best first" index, which serve every lookup; two more indexes on ~2,000,000 rows
    # only slowed each listing's rewrite of its matches.
    offer = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="matches_as_offer", db_index=False
    )
    wanted = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="matches_as_wanted", db_index=False
    )
    score = models.FloatField()
    distance_km = models.FloatField(null=True)
    transport_co2_kg = models.FloatField(null=True)
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "wanted"], name="exchange_one_match")
        ]
        indexes = [
            models.Index(fields=["wanted", "-score"]),
            models.Index(fields=["offer", "-score"]),
        ]

    def __str__(self):
        return f"{self.offer_id} ↔ {self.wanted_id}: {self.score:.2f}"

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def explanation(self):
        return "; ".join(explain(self.reasons))


# Saved searches and alerts ---------------------------------------------------------------------


# How often alerts go out is a notification preference (cms.notifications): topic
# SAVED_SEARCH_TOPIC with the saved search as target, and MATCHES_TOPIC per member.
SAVED_SEARCH_TOPIC = "exchange.saved_search"
MATCHES_TOPIC = "exchange.matches"


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_saved_searches"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    # Only for unsubscribe links in alerts sent before cms.notifications (legacy view).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        url = reverse("exchange:browse")
        return f"{url}?{self.query}" if self.query else url


class AlertDelivery(models.Model):
    """One listing already announced to one saved search: alerts never repeat."""

    saved_search = models.ForeignKey(
        SavedSearch, on_delete=models.CASCADE, related_name="deliveries"
    )
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "listing"], name="exchange_alert_once")
        ]


class MatchAlert(models.Model):
    """What was sent of a member's match alerts (how often: the MATCHES_TOPIC preference)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_match_alert"
    )
    # Only for unsubscribe links in alerts sent before cms.notifications (legacy view).
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    # Matches pass every hard limit before they exist; this is the member's own bar above that.
    min_percent = models.PositiveSmallIntegerField(
        _("only matches scoring at least (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")

    def __str__(self):
        return str(self.user)


class MatchAlertDelivery(models.Model):
    """One offer–wanted pair already announced to one member: match alerts never repeat, even
    when the pair's stored match is recomputed."""

    alert = models.ForeignKey(MatchAlert, on_delete=models.CASCADE, related_name="deliveries")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    wanted = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "offer", "wanted"], name="exchange_match_alert_once"
            )
        ]
