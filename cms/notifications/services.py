"""Changing preferences, and the one-click unsubscribe."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model

from cms.accounts.models import User

from .links import UnsubscribeRequest, read_unsubscribe_token
from .models import Frequency, NotificationPreference
from .selectors import preference_lookup
from .topics import NotificationTopic, topic_get


def preference_set(
    *,
    topic: str,
    frequency: str,
    user: User | None = None,
    email: str = "",
    target: Model | None = None,
) -> NotificationPreference:
    """Store how often ``user`` (or the address ``email``) wants e-mail about ``topic`` (and
    ``target``). Raises ValueError for a frequency the topic does not offer."""
    registered = topic_get(topic)
    if frequency not in registered.frequencies:
        raise ValueError(f"{topic} does not offer {frequency!r}")
    lookup = preference_lookup(topic=topic, user=user, email=email, target=target)
    with transaction.atomic():
        preference, _created = NotificationPreference.objects.update_or_create(
            **lookup, defaults={"frequency": frequency}
        )
    return preference


def preference_delete(
    *, topic: str, user: User | None = None, email: str = "", target: Model | None = None
) -> None:
    """Forget a stored choice (the topic's default applies again), e.g. when the target goes."""
    NotificationPreference.objects.filter(
        **preference_lookup(topic=topic, user=user, email=email, target=target)
    ).delete()


@dataclass
class Unsubscribed:
    topic: NotificationTopic
    target_name: str
    request: UnsubscribeRequest


def preference_unsubscribe(*, token: str) -> Unsubscribed:
    """Apply a one-click unsubscribe token: the topic (about the target) is ``off`` for its
    recipient. Idempotent. Raises django.core.signing.BadSignature for a forged token and
    LookupError when its user, target or topic no longer exists."""
    request = read_unsubscribe_token(token)
    topic = topic_get(request.topic)
    with transaction.atomic():
        if topic.unsubscribe is not None:
            topic.unsubscribe(user=request.user, email=request.email, target=request.target)
        else:
            preference_set(
                topic=request.topic,
                frequency=Frequency.OFF,
                user=request.user,
                email=request.email,
                target=request.target,
            )
    return Unsubscribed(topic=topic, target_name=topic.target_name(request.target), request=request)
