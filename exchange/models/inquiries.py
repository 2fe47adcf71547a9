"""Inquiry threads between two organisations about a listing, and the deals agreed on them.

The thread itself (its two sides, messages, unread state, the daily limit of unverified
organisations) is a ``cms.conversations`` conversation, the mechanism partner expressions of
interest share; an inquiry adds the listing it is about and the deals.

A deal is proposed by either side and counts (in the listing's remaining quantity and in the
impact figures) only once the other side confirms it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .listings import Listing, Membership

INQUIRY_CONVERSATION = "exchange.inquiry"


class InquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        own = Membership.objects.approved().filter(user=user).values("organisation_id")
        return self.filter(Q(organisation_id__in=own) | Q(listing__organisation_id__in=own))


class Inquiry(models.Model):
    """A conversation between an organisation and the organisation of a listing. Members talk
    through the site; their e-mail addresses are never shown to the other side."""

    conversation = models.OneToOneField(
        "conversations.Conversation", on_delete=models.CASCADE, related_name="inquiry"
    )
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="inquiries")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("asking organisation"),
        on_delete=models.CASCADE,
        related_name="exchange_inquiries",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self):
        return f"{self.organisation} → {self.listing}"

    def get_absolute_url(self):
        return reverse("exchange:inquiry_detail", kwargs={"pk": self.pk})

    @property
    def messages(self):
        """The thread's messages (of its conversation)."""
        return self.conversation.messages

    @property
    def sides(self):
        """The two organisation ids of the thread: (asking, listing's)."""
        return self.organisation_id, self.listing.organisation_id

    def other_side(self, organisation_id):
        asking, owner = self.sides
        return owner if organisation_id == asking else asking


class DealState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DealQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(state=DealState.CONFIRMED)

    def of_organisation(self, organisation_id):
        """Deals in which the organisation took part, on either side of the thread."""
        return self.filter(
            Q(inquiry__organisation_id=organisation_id)
            | Q(inquiry__listing__organisation_id=organisation_id)
        )


class Deal(models.Model):
    """Material exchanged on an inquiry. Proposed by one side, it lowers the listing's
    remaining quantity and counts in the impact figures only once the other side confirms."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="deals")
    quantity = models.DecimalField(
        _("quantity exchanged"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    state = models.CharField(
        _("state"), max_length=10, choices=DealState.choices, default=DealState.PROPOSED
    )
    tonnes = models.DecimalField(max_digits=12, decimal_places=3, null=True, editable=False)
    # What was redirected, for impact figures by region and material.
    region = models.ForeignKey(
        "directory.Region", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    fibre_family = models.CharField(max_length=24, blank=True)
    proposed_by_organisation = models.ForeignKey(
        "directory.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [models.Index(fields=["state", "date"])]

    def __str__(self):
        return f"{self.quantity} on {self.inquiry_id} ({self.state})"

    @property
    def is_proposed(self):
        return self.state == DealState.PROPOSED
