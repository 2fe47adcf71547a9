"""What partner matching e-mails about, as a notification topic (cms/notifications)."""

from django.utils.translation import gettext_lazy as _

from cms.notifications.models import Frequency
from cms.notifications.topics import NotificationTopic

RECOMMENDATIONS_TOPIC = "partners.recommendations"


def partner_topics():
    return [
        NotificationTopic(
            key=RECOMMENDATIONS_TOPIC,
            label=_("new cooperation opportunities that fit your organisation"),
            default=Frequency.OFF,
            frequencies=(Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF),
            settings_url="partners:recommendations",
        )
    ]
