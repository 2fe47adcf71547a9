"""The topics people can be e-mailed about. Apps declare theirs with a hook::

from wagtail import hooks
from cms.hooks import NOTIFICATION_TOPICS
from cms.notifications.topics import NotificationTopic
from cms.notifications.models import Frequency

@hooks.register(NOTIFICATION_TOPICS)
def exchange_topics():
    return [
        NotificationTopic(
            key="exchange.matches",
            label=_("new matches for your organisations"),
            default=Frequency.OFF,
        ),
    ]
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from wagtail import hooks

from cms.hooks import NOTIFICATION_TOPICS

from .models import Frequency


@dataclass(frozen=True)
class NotificationTopic:
    """``key``: stored in preferences and tokens, never renamed. ``label``: what the recipient
    stops receiving, shown on the unsubscribe page ("new posts in working groups").
    ``default``: the frequency of someone without a stored preference. ``frequencies``: what
    the topic offers. ``describe(target)``: the target's name on the unsubscribe page
    (``str(target)`` by default). ``unsubscribe(*, user, email, target)``: only for topics whose
    subscription lives elsewhere (machina's topic subscribers): it replaces storing ``OFF``.
    ``settings_url``: a URL name where a signed-in user changes this topic's e-mails."""

    key: str
    label: str | Promise
    default: str = Frequency.INSTANT
    frequencies: tuple = (Frequency.INSTANT, Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF)
    describe: Callable | None = None
    unsubscribe: Callable | None = None
    settings_url: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def choices(self):
        return [(value, Frequency(value).label) for value in self.frequencies]

    def target_name(self, target):
        if target is None:
            return ""
        return self.describe(target) if self.describe else str(target)


def all_topics() -> dict[str, NotificationTopic]:
    topics = {}
    for hook in hooks.get_hooks(NOTIFICATION_TOPICS):
        for topic in hook():
            topics[topic.key] = topic
    return topics


def topic_get(key: str) -> NotificationTopic:
    """The registered topic ``key``; KeyError when no app declares it."""
    return all_topics()[key]
