"""Reading preferences. A missing row means the topic's default."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from cms.accounts.models import User

from .models import Frequency, NotificationPreference
from .topics import topic_get


def preference_lookup(
    *, topic: str, user: User | None = None, email: str = "", target: Model | None = None
) -> dict[str, Any]:
    """The fields that identify one preference, for ``filter()`` and ``update_or_create()``."""
    if user is None and not email:
        raise ValueError("A preference belongs to a user or to an e-mail address")
    lookup: dict[str, Any] = {
        "topic": topic,
        "user": user,
        "email": "" if user is not None else email.strip().lower(),
    }
    if target is None:
        lookup.update(target_type=None, target_id=None)
    else:
        lookup.update(
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
            target_id=target.pk,
        )
    return lookup


def preference_frequency(
    *, topic: str, user: User | None = None, email: str = "", target: Model | None = None
) -> str:
    """How often ``user`` (or the address ``email``) wants e-mail about ``topic`` (and
    ``target``): the stored choice, else the topic's default."""
    lookup = preference_lookup(topic=topic, user=user, email=email, target=target)
    stored = (
        NotificationPreference.objects.filter(**lookup).values_list("frequency", flat=True).first()
    )
    return stored or topic_get(topic).default


def preference_frequencies(
    *, topic: str, user_ids: Iterable[int], target: Model | None = None
) -> dict[int, str]:
    """{user id: frequency} for many users in one query (defaults filled in)."""
    user_ids = list(user_ids)
    if target is None:
        target_lookup: dict[str, Any] = {"target_type": None}
    else:
        target_lookup = {
            "target_type": ContentType.objects.get_for_model(target, for_concrete_model=False),
            "target_id": target.pk,
        }
    stored = dict(
        NotificationPreference.objects.filter(
            topic=topic, user_id__in=user_ids, **target_lookup
        ).values_list("user_id", "frequency")
    )
    default = topic_get(topic).default
    return {user_id: stored.get(user_id, default) for user_id in user_ids}


def preferences_with(*, topic: str, frequency: str) -> QuerySet[NotificationPreference]:
    """Stored preferences of ``topic`` set to ``frequency`` (for digests: who wants a daily
    one). Use ``.values("user_id")`` or ``.values("target_id")`` in a subquery."""
    return NotificationPreference.objects.filter(topic=topic, frequency=frequency)


def receiving_preferences(*, topic: str) -> QuerySet[NotificationPreference]:
    """Stored preferences of ``topic`` that are not ``off``."""
    return NotificationPreference.objects.filter(topic=topic).exclude(frequency=Frequency.OFF)


def preferences_of(*, user: User) -> QuerySet[NotificationPreference]:
    return NotificationPreference.objects.filter(user=user).select_related("target_type")
