"""Actions of partner matching. Each checks who may do it (PermissionDenied otherwise), runs in
a transaction and queues its e-mail through the outbox.

Opportunities: ``opportunity_save`` (members of the posting organisation, while a draft or
returned) → ``opportunity_submit`` → a reviewer's ``opportunity_approve`` (published) or
``opportunity_return`` (back to the members with a note); ``opportunity_set_status`` closes it
or marks the partner found."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.directory.membership import is_organisation_member, organisation_members
from cms.mail import email_queue_template

from .models import (
    CooperationProfile,
    Expert,
    Interest,
    InterestMessage,
    InterestState,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    ReviewState,
)
from .selectors import technology_matches

REVIEW_PERMISSION = "partners.review_opportunity"


def email_organisation(organisation_id, *, template_prefix, context, exclude_user=None):
    """E-mail the approved members of an organisation, each in their own language."""
    by_language = {}
    for user in organisation_members([organisation_id]).get(organisation_id, []):
        if exclude_user is not None and user.pk == exclude_user.pk:
            continue
        language = user.preferred_language or settings.LANGUAGE_CODE
        by_language.setdefault(language, []).append(user.email)
    for language, recipients in sorted(by_language.items()):
        email_queue_template(
            to=recipients,
            template_prefix=template_prefix,
            context={**context, "site_url": settings.SITE_URL},
            language=language,
        )


def _require_member(user, organisation_id):
    if not is_organisation_member(user, organisation_id):
        raise PermissionDenied


# Profiles ----------------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, organisation, user, data) -> CooperationProfile:
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
def opportunity_save(*, user, organisation, data, opportunity=None) -> Opportunity:
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


def reviewers():
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
def opportunity_submit(*, opportunity, user) -> Opportunity:
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


def _require_reviewer(user):
    if not (user.is_authenticated and user.has_perm(REVIEW_PERMISSION)):
        raise PermissionDenied


def _lock_submitted(opportunity):
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.review_state != ReviewState.SUBMITTED:
        raise ValidationError(_("This opportunity is not waiting for review."))
    return opportunity


@transaction.atomic
def opportunity_approve(*, opportunity, user) -> Opportunity:
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
    email_organisation(
        opportunity.organisation_id,
        template_prefix="partners/email/opportunity_published",
        context={"opportunity": opportunity},
    )
    if opportunity.kind == OpportunityKind.TECHNOLOGY_REQUEST:
        technology_request_send(opportunity=opportunity)
    return opportunity


def technology_request_send(*, opportunity):
    """Send a published technology request to the developers of the technologies (and the
    posters of the technology offers) that may answer it: their members, else the
    technology's contact address. Returns the organisations or addresses reached."""
    matches = technology_matches(opportunity)
    reached = []
    members = organisation_members({match.organisation_id for match in matches})
    for organisation_id in dict.fromkeys(match.organisation_id for match in matches):
        own = [match for match in matches if match.organisation_id == organisation_id]
        context = {"opportunity": opportunity, "matches": own}
        if members.get(organisation_id):
            email_organisation(
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
def opportunity_return(*, opportunity, user, note) -> Opportunity:
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
    email_organisation(
        opportunity.organisation_id,
        template_prefix="partners/email/opportunity_returned",
        context={"opportunity": opportunity},
    )
    return opportunity


@transaction.atomic
def opportunity_set_status(*, opportunity, user, status) -> Opportunity:
    """The posting organisation closes the opportunity, marks the partner found, or opens it
    again."""
    _require_member(user, opportunity.organisation_id)
    if status not in OpportunityStatus.values:
        raise ValidationError(_("Choose a valid status."))
    opportunity.status = status
    opportunity.save(update_fields=["status", "updated_at"])
    return opportunity


# Contact through the site --------------------------------------------------------------------------


def _contact_context(sender, body):
    return {
        "sender_name": sender.get_display_name(),
        "sender_email": sender.email,
        "sender_organisation": sender.organisation,
        "body": body,
    }


@transaction.atomic
def organisation_contact(*, organisation, sender, body):
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
    email_organisation(
        organisation.pk, template_prefix="partners/email/organisation_contact", context=context
    )


@transaction.atomic
def expert_contact(*, expert, sender, body):
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
def expert_save(*, user, data, listed) -> Expert:
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


def acting_side(*, interest, user):
    """The side of the thread ``user`` acts for (the interested side first), or
    PermissionDenied."""
    for organisation_id in interest.sides:
        if is_organisation_member(user, organisation_id):
            return organisation_id
    raise PermissionDenied


@transaction.atomic
def interest_express(*, user, organisation, body, opportunity=None, technology=None) -> Interest:
    """Open an expression of interest in an opportunity or a technology (or continue the one
    already open) with a first message. Both sides are e-mailed."""
    _require_member(user, organisation.pk)
    if opportunity is not None:
        if not opportunity.is_live:
            raise ValidationError(_("This opportunity is no longer open."))
        owner_id, lookup = opportunity.organisation_id, {"opportunity": opportunity}
    else:
        if technology is None or not technology.live:
            raise ValidationError(_("This technology is not published."))
        owner_id, lookup = technology.developer_id, {"technology": technology}
    if owner_id == organisation.pk:
        raise ValidationError(_("This is your own organisation's."))
    interest = Interest.objects.filter(organisation=organisation, **lookup).first()
    created = interest is None
    if created:
        interest = Interest.objects.create(
            organisation=organisation, owner_organisation_id=owner_id, started_by=user, **lookup
        )
    interest_reply(interest=interest, user=user, body=body, notify=not created)
    if created:
        context = {"interest": interest, "body": body.strip(), "organisation": organisation}
        email_organisation(
            owner_id, template_prefix="partners/email/interest_received", context=context
        )
        email_organisation(
            organisation.pk, template_prefix="partners/email/interest_sent", context=context
        )
    return interest


@transaction.atomic
def interest_reply(*, interest, user, body, notify=True) -> InterestMessage:
    side = acting_side(interest=interest, user=user)
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message."))
    if interest.state == InterestState.CLOSED:
        raise ValidationError(_("This conversation is closed."))
    message = InterestMessage.objects.create(
        interest=interest, author=user, author_organisation_id=side, body=body
    )
    interest.updated_at = message.created_at
    interest.save(update_fields=["updated_at"])
    if notify:
        email_organisation(
            interest.other_side(side),
            template_prefix="partners/email/interest_message",
            context={"interest": interest, "message": message},
            exclude_user=user,
        )
    return message


@transaction.atomic
def interest_set_state(*, interest, user, state) -> Interest:
    """The receiving side shortlists, closes or reopens an expression of interest; the
    interested side is told when it is shortlisted or closed."""
    _require_member(user, interest.owner_organisation_id)
    if state not in InterestState.values:
        raise ValidationError(_("Choose a valid state."))
    if state == interest.state:
        return interest
    interest.state = state
    interest.updated_at = timezone.now()
    interest.save(update_fields=["state", "updated_at"])
    if state != InterestState.OPEN:
        email_organisation(
            interest.organisation_id,
            template_prefix="partners/email/interest_state",
            context={"interest": interest},
        )
    return interest
