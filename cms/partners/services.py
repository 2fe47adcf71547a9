"""Actions of partner matching. Each checks who may do it (PermissionDenied otherwise), runs in
a transaction and queues its e-mail through the outbox.

Opportunities: ``opportunity_save`` (members of the posting organisation, while a draft or
returned) → ``opportunity_submit`` → a reviewer's ``opportunity_approve`` (published) or
``opportunity_return`` (back to the members with a note); ``opportunity_set_status`` closes it
or marks the partner found."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.accounts.models import User
from cms.conversations.models import Message
from cms.conversations.selectors import conversation_side
from cms.conversations.services import (
    clean_body,
    conversation_close,
    conversation_post,
    conversation_reopen,
    conversation_start,
)
from cms.directory.membership import (
    email_organisation_members,
    is_organisation_member,
    organisation_members,
)
from cms.directory.models import Organisation
from cms.mail import email_queue_template
from cms.models import TechnologyPage

from .models import (
    INTEREST_CONVERSATION,
    CooperationProfile,
    Expert,
    Interest,
    InterestState,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    ReviewState,
)
from .selectors import technology_matches

REVIEW_PERMISSION = "partners.review_opportunity"


def _require_member(user: User, organisation_id: int | None) -> None:
    if not is_organisation_member(user, organisation_id):
        raise PermissionDenied


# Profiles ----------------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *, organisation: Organisation, user: User, data: Mapping[str, Any]
) -> CooperationProfile:
    """Create or change an organisation's cooperation profile (its members only)."""
    _require_member(user, organisation.pk)
    profile = CooperationProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = CooperationProfile(organisation=organisation)
    for name, value in data.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    return profile


# Opportunities -----------------------------------------------------------------------------------


@transaction.atomic
def opportunity_save(
    *,
    user: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    opportunity: Opportunity | None = None,
) -> Opportunity:
    """Create a draft, or change one that is a draft or was returned for changes."""
    _require_member(user, organisation.pk)
    if opportunity is None:
        opportunity = Opportunity(organisation=organisation, created_by=user)
    elif opportunity.organisation_id != organisation.pk:
        raise PermissionDenied
    elif not opportunity.is_editable:
        raise ValidationError(
            _("This opportunity is under review or published: it cannot be changed.")
        )
    for name, value in data.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    opportunity.save()
    return opportunity


def reviewers() -> QuerySet[User]:
    """Active users who may review opportunities (by group, by user permission, superusers)."""
    permission = Q(
        groups__permissions__codename="review_opportunity",
        groups__permissions__content_type__app_label="partners",
    ) | Q(
        user_permissions__codename="review_opportunity",
        user_permissions__content_type__app_label="partners",
    )
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | permission, is_active=True)
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def opportunity_submit(*, opportunity: Opportunity, user: User) -> Opportunity:
    """Send a draft to the reviewers."""
    _require_member(user, opportunity.organisation_id)
    if not opportunity.is_editable:
        raise ValidationError(_("This opportunity is already under review or published."))
    opportunity.review_state = ReviewState.SUBMITTED
    opportunity.save(update_fields=["review_state", "updated_at"])
    recipients = list(reviewers().values_list("email", flat=True))
    if recipients:
        email_queue_template(
            to=recipients,
            template_prefix="partners/email/opportunity_submitted",
            context={"opportunity": opportunity, "site_url": settings.SITE_URL},
        )
    return opportunity


def _require_reviewer(user: User) -> None:
    if not (user.is_authenticated and user.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied


def _lock_submitted(opportunity: Opportunity) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.review_state != ReviewState.SUBMITTED:
        raise ValidationError(_("This opportunity is not waiting for review."))
    return opportunity


@transaction.atomic
def opportunity_approve(*, opportunity: Opportunity, user: User) -> Opportunity:
    """A reviewer publishes the opportunity; the posting organisation is told."""
    _require_reviewer(user)
    opportunity = _lock_submitted(opportunity)
    now = timezone.now()
    opportunity.review_state = ReviewState.PUBLISHED
    opportunity.review_note = ""
    opportunity.reviewed_by, opportunity.reviewed_at = user, now
    opportunity.published_at = opportunity.published_at or now
    opportunity.save(
        update_fields=[
            "review_state", "review_note", "reviewed_by", "reviewed_at", "published_at", "updated_at"
        ]
    )  # fmt: skip
    email_organisation_members(
        opportunity.organisation_id,
        template_prefix="partners/email/opportunity_published",
        context={"opportunity": opportunity},
    )
    if opportunity.kind == OpportunityKind.TECHNOLOGY_REQUEST:
        technology_request_send(opportunity=opportunity)
    return opportunity


def technology_request_send(*, opportunity: Opportunity) -> list[int]:
    """Send a published technology request to the developers of the technologies (and the
    posters of the technology offers) that may answer it: their members, else the
    technology's contact address. Returns the organisations or addresses reached."""
    matches = technology_matches(opportunity)
    reached: list[int] = []
    members = organisation_members({match.organisation_id for match in matches})
    for organisation_id in dict.fromkeys(match.organisation_id for match in matches):
        own = [match for match in matches if match.organisation_id == organisation_id]
        context = {"opportunity": opportunity, "matches": own}
        if members.get(organisation_id):
            email_organisation_members(
                organisation_id,
                template_prefix="partners/email/technology_request",
                context=context,
            )
            reached.append(organisation_id)
            continue
        addresses = sorted(
            {m.technology.contact_email for m in own if m.technology and m.technology.contact_email}
        )
        if addresses:
            email_queue_template(
                to=addresses,
                template_prefix="partners/email/technology_request",
                context={**context, "site_url": settings.SITE_URL},
            )
            reached.append(organisation_id)
    return reached


@transaction.atomic
def opportunity_return(*, opportunity: Opportunity, user: User, note: str | None) -> Opportunity:
    """A reviewer sends the opportunity back to its organisation with a note."""
    _require_reviewer(user)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say what should change."))
    opportunity = _lock_submitted(opportunity)
    opportunity.review_state = ReviewState.REJECTED
    opportunity.review_note = note[:2000]
    opportunity.reviewed_by, opportunity.reviewed_at = user, timezone.now()
    opportunity.save(
        update_fields=["review_state", "review_note", "reviewed_by", "reviewed_at", "updated_at"]
    )
    email_organisation_members(
        opportunity.organisation_id,
        template_prefix="partners/email/opportunity_returned",
        context={"opportunity": opportunity},
    )
    return opportunity


@transaction.atomic
def opportunity_set_status(*, opportunity: Opportunity, user: User, status: str) -> Opportunity:
    """The posting organisation closes the opportunity, marks the partner found, or opens it
    again."""
    _require_member(user, opportunity.organisation_id)
    if status not in OpportunityStatus.values:
        raise ValidationError(_("Choose a valid status."))
    opportunity.status = status
    opportunity.save(update_fields=["status", "updated_at"])
    return opportunity


# Contact through the site --------------------------------------------------------------------------


def _contact_context(sender: User, body: str) -> dict[str, Any]:
    return {
        "sender_name": sender.get_display_name(),
        "sender_email": sender.email,
        "sender_organisation": sender.organisation,
        "body": body,
    }


@transaction.atomic
def organisation_contact(*, organisation: Organisation, sender: User, body: str | None) -> None:
    """Forward a message to the organisation's contact person (or, without one, to its
    members). Their address is never shown; the sender's is, so they can answer."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."))
    profile = CooperationProfile.objects.filter(organisation=organisation).first()
    context = {**_contact_context(sender, body), "organisation": organisation}
    if profile is not None and profile.contact_email:
        email_queue_template(
            to=[profile.contact_email],
            template_prefix="partners/email/organisation_contact",
            context={**context, "site_url": settings.SITE_URL},
            headers={"Reply-To": sender.email},
        )
        return
    if not organisation_members([organisation.pk]).get(organisation.pk):
        raise ValidationError(_("This organisation cannot be contacted through the site yet."))
    email_organisation_members(
        organisation.pk, template_prefix="partners/email/organisation_contact", context=context
    )


@transaction.atomic
def expert_contact(*, expert: Expert, sender: User, body: str | None) -> None:
    """Forward a message to an expert who opted in; their address is never shown."""
    if not expert.is_public or not expert.user.is_active:
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."))
    email_queue_template(
        to=[expert.user.email],
        template_prefix="partners/email/expert_contact",
        context={**_contact_context(sender, body), "expert": expert, "site_url": settings.SITE_URL},
        language=expert.user.preferred_language,
        headers={"Reply-To": sender.email},
    )


# Experts -----------------------------------------------------------------------------------------


@transaction.atomic
def expert_save(*, user: User, data: Mapping[str, Any], listed: bool) -> Expert:
    """Create or change the user's expert profile. ``listed``: opt in (shown in /partners/ and
    on the organisation's page) or out (nothing shown)."""
    expert = Expert.objects.filter(user=user).first() or Expert(user=user)
    for name, value in data.items():
        setattr(expert, name, value)
    if expert.organisation_id and not is_organisation_member(user, expert.organisation_id):
        raise ValidationError(_("You can only name an organisation you are a member of."))
    if listed and expert.opted_in_at is None:
        expert.opted_in_at = timezone.now()
    elif not listed:
        expert.opted_in_at = None
    expert.full_clean(exclude=["user"])
    expert.save()
    return expert


# Expressions of interest -----------------------------------------------------------------------
# The thread is a cms.conversations conversation (the exchange's inquiries are the same): these
# services add what it is about and the states of an expression of interest.


def acting_side(*, interest: Interest, user: User) -> int:
    """The side of the thread ``user`` acts for (the interested side first), or
    PermissionDenied."""
    side = conversation_side(conversation=interest.conversation, user=user)
    if side is None:
        raise PermissionDenied
    return side


@transaction.atomic
def interest_express(
    *,
    user: User,
    organisation: Organisation,
    body: object,
    opportunity: Opportunity | None = None,
    technology: TechnologyPage | None = None,
) -> Interest:
    """Open an expression of interest in an opportunity or a technology (or continue the one
    already open, or take back up one the organisation withdrew) with a message. Both sides
    are e-mailed when it opens; later messages e-mail the other side."""
    _require_member(user, organisation.pk)
    if opportunity is not None:
        if not opportunity.is_live:
            raise ValidationError(_("This opportunity is no longer open."))
        owner_id, lookup = opportunity.organisation_id, {"opportunity": opportunity}
    else:
        if technology is None or not technology.live:
            raise ValidationError(_("This technology is not published."))
        owner_id, lookup = technology.developer_id, {"technology": technology}
    if owner_id is None:
        raise ValidationError(_("No organisation answers for this yet."))
    if owner_id == organisation.pk:
        raise ValidationError(_("This is your own organisation's."))
    body = clean_body(body)
    interest = (
        Interest.objects.select_related("conversation")
        .filter(organisation=organisation, **lookup)
        .first()
    )
    created = interest is None
    if interest is None:
        conversation = conversation_start(
            kind=INTEREST_CONVERSATION,
            starter_organisation=organisation,
            owner_organisation_id=owner_id,
            user=user,
        )
        interest = Interest.objects.create(
            conversation=conversation,
            organisation=organisation,
            owner_organisation_id=owner_id,
            **lookup,
        )
    elif interest.state == InterestState.WITHDRAWN:
        interest.state = InterestState.OPEN
        interest.save(update_fields=["state"])
        conversation_reopen(conversation=interest.conversation)
    interest_reply(interest=interest, user=user, body=body, notify=not created)
    if created:
        context = {"interest": interest, "body": body, "organisation": organisation}
        email_organisation_members(
            owner_id, template_prefix="partners/email/interest_received", context=context
        )
        email_organisation_members(
            organisation.pk, template_prefix="partners/email/interest_sent", context=context
        )
    return interest


@transaction.atomic
def interest_reply(*, interest: Interest, user: User, body: object, notify: bool = True) -> Message:
    """A member of either side writes in the thread; the other side is e-mailed."""
    acting_side(interest=interest, user=user)
    if interest.is_ended:
        raise ValidationError(_("This conversation is closed."))
    message = conversation_post(
        conversation=interest.conversation,
        user=user,
        body=body,
        notify_template="partners/email/interest_message" if notify else None,
        notify_context={"interest": interest},
    )
    interest.updated_at = message.created_at
    interest.save(update_fields=["updated_at"])
    return message


@transaction.atomic
def interest_set_state(*, interest: Interest, user: User, state: str) -> Interest:
    """The receiving side shortlists, closes or reopens an expression of interest; the
    interested side is told when it is shortlisted or closed. A closed thread takes no more
    messages."""
    _require_member(user, interest.owner_organisation_id)
    if state not in (InterestState.OPEN, InterestState.SHORTLISTED, InterestState.CLOSED):
        raise ValidationError(_("Choose a valid state."))
    if interest.state == InterestState.WITHDRAWN:
        raise ValidationError(
            _("The interested organisation withdrew this expression of interest.")
        )
    if state == interest.state:
        return interest
    interest.state = state
    interest.updated_at = timezone.now()
    interest.save(update_fields=["state", "updated_at"])
    if state == InterestState.CLOSED:
        conversation_close(conversation=interest.conversation)
    else:
        conversation_reopen(conversation=interest.conversation)
    if state != InterestState.OPEN:
        email_organisation_members(
            interest.organisation_id,
            template_prefix="partners/email/interest_state",
            context={"interest": interest},
        )
    return interest


@transaction.atomic
def interest_withdraw(*, interest: Interest, user: User) -> Interest:
    """The interested side takes its expression of interest back: the thread closes and the
    receiving side is told. Expressing interest again reopens it."""
    _require_member(user, interest.organisation_id)
    if interest.is_ended:
        raise ValidationError(_("This expression of interest is already closed."))
    interest.state = InterestState.WITHDRAWN
    interest.updated_at = timezone.now()
    interest.save(update_fields=["state", "updated_at"])
    conversation_close(conversation=interest.conversation)
    email_organisation_members(
        interest.owner_organisation_id,
        template_prefix="partners/email/interest_withdrawn",
        context={"interest": interest},
    )
    return interest
