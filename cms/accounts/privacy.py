"""A person's rights over their data (GDPR articles 15, 17 and 20): download everything the site
holds about them as JSON, and delete their account.

The core exports and erases its own records (profile, addresses, sign-in factors, event
registrations, newsletter subscriptions, notification preferences, the outbox's e-mails); each
app adds its own through the PERSONAL_DATA and PERSONAL_DATA_ERASE hooks of cms/hooks.py."""

import datetime
import decimal
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.events.models import Registration
from cms.hooks import collect_personal_data, erase_personal_data
from cms.newsletters.models import Subscription
from cms.notifications.models import NotificationPreference
from cms.outbox.services import outbox_erase_person

# What the account row says once it is deleted; the display name shown on kept forum posts.
DELETED_USER_NAME = "Deleted user"


def json_value(value):
    """A JSON-friendly copy of a model field's value."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _profile(user):
    return {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": user.organisation.name if user.organisation_id else None,
        "region": user.region.name if user.region_id else None,
        "preferred_language": user.preferred_language,
        "date_joined": json_value(user.date_joined),
        "last_login": json_value(user.last_login),
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }


def user_personal_data(*, user):
    """Everything the site holds about ``user``, as one JSON-serialisable dict."""
    addresses = list(EmailAddress.objects.filter(user=user).order_by("email"))
    emails = [address.email for address in addresses]
    data = {
        "exported_at": json_value(timezone.now()),
        "profile": _profile(user),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in addresses
        ],
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "event_registrations": [
            {
                "event": registration.event.title,
                "status": registration.status,
                "answers": registration.answers,
                "registered": json_value(registration.queued_at),
                "confirmed": json_value(registration.confirmed_at),
                "cancelled": json_value(registration.cancelled_at),
            }
            for registration in Registration.objects.filter(user=user).select_related("event")
        ],
        "newsletter_subscriptions": [
            {
                "email": subscription.email,
                "region": subscription.region.name,
                "language": subscription.language,
                "requested": json_value(subscription.created_at),
                "confirmed": json_value(subscription.confirmed_at),
            }
            for subscription in Subscription.objects.filter(email__in=emails).select_related(
                "region"
            )
        ],
        "notification_preferences": [
            {
                key: json_value(value)
                for key, value in preference.items()
                if key not in {"id", "user_id", "target_type_id"}
            }
            for preference in NotificationPreference.objects.filter(
                Q(user=user) | Q(email__in=emails)
            ).values()
        ],
    }
    data.update(collect_personal_data(user))
    return data


@transaction.atomic
def user_delete_account(*, user):
    """Erase or anonymise ``user``'s personal data in one transaction.

    The account row stays, anonymised and unable to sign in, because other people's records
    point at it: forum posts are kept and shown as by "Deleted user", certificates stay
    verifiable without the name. Everything else about the person is deleted."""
    emails = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    emails.append(user.email)
    erase_personal_data(user)
    # Queued, sent and dead e-mails hold addresses and bodies: those to the person go, and the
    # person is named no more in those to others.
    outbox_erase_person(
        addresses=emails,
        names=[user.display_name, f"{user.first_name} {user.last_name}".strip()],
        replacement=DELETED_USER_NAME,
    )
    Registration.objects.filter(user=user).delete()
    Subscription.objects.filter(email__in=emails).delete()
    NotificationPreference.objects.filter(Q(user=user) | Q(email__in=emails)).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"deleted-user-{user.pk}@deleted.invalid"
    user.display_name = DELETED_USER_NAME
    user.first_name = ""
    user.last_name = ""
    user.organisation = None
    user.region = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
