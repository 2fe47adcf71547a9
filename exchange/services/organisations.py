"""Organisations on the exchange: registration, membership, verification."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.accounts.models import User
from cms.directory.models import Organisation
from cms.mail import email_queue_template

from ..models import Membership, MembershipRole, Site


def is_member(user: User | AnonymousUser, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.approved()
        .filter(user=user, organisation_id=organisation_id)
        .exists()
    )


def is_owner(user: User | AnonymousUser, organisation_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.approved()
        .filter(user=user, organisation_id=organisation_id, role=MembershipRole.OWNER)
        .exists()
    )


def organisation_recipients(organisation_id: int, exclude_user: User | None = None) -> list[str]:
    """E-mail addresses of the approved members of an organisation."""
    members = Membership.objects.approved().filter(organisation_id=organisation_id)
    if exclude_user is not None:
        members = members.exclude(user=exclude_user)
    return list(members.values_list("user__email", flat=True))


@transaction.atomic
def organisation_create(
    *, user: User, data: Mapping[str, Any], site_data: Mapping[str, Any]
) -> Organisation:
    """Register a new (unverified) organisation with its first site; the user becomes owner."""
    base = slugify(data["name"])[:180] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation.objects.create(slug=slug, **data)
    site = Site.objects.create(organisation=organisation, **site_data)
    if organisation.latitude is None:
        organisation.latitude, organisation.longitude = site.latitude, site.longitude
        organisation.save(update_fields=["latitude", "longitude"])
    Membership.objects.create(
        organisation=organisation, user=user, role=MembershipRole.OWNER, approved_at=timezone.now()
    )
    if user.organisation_id is None:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    return organisation


@transaction.atomic
def membership_request(*, user: User, organisation: Organisation) -> Membership:
    membership, created = Membership.objects.get_or_create(organisation=organisation, user=user)
    if created:
        owners = Membership.objects.approved().filter(
            organisation=organisation, role=MembershipRole.OWNER
        )
        recipients = [m.user.email for m in owners.select_related("user")]
        if recipients:
            email_queue_template(
                to=recipients,
                template_prefix="exchange/email/join_request",
                context={
                    "organisation": organisation,
                    "applicant": user,
                    "site_url": settings.SITE_URL,
                },
            )
    return membership


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    if not is_owner(by, membership.organisation_id):
        raise PermissionDenied
    membership.approved_at = timezone.now()
    membership.save(update_fields=["approved_at"])
    return membership


@transaction.atomic
def organisation_verify(*, organisation: Organisation, by: User) -> Organisation:
    """Staff confirm the organisation's identity; from now on its members can publish."""
    if not by.is_staff:
        raise PermissionDenied
    organisation.verified_at = timezone.now()
    organisation.save(update_fields=["verified_at"])
    return organisation
