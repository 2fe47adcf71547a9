"""What conversations e-mail about, as a notification topic (cms/notifications)."""

from django.utils.translation import gettext_lazy as _

from cms.notifications.models import Frequency
from cms.notifications.topics import NotificationTopic

MESSAGES_TOPIC = "conversations.messages"


def conversation_topics():
    return [
        NotificationTopic(
            key=MESSAGES_TOPIC,
            label=_("new messages in your organisations' conversations"),
            default=Frequency.INSTANT,
            frequencies=(Frequency.INSTANT, Frequency.OFF),
        )
    ]
