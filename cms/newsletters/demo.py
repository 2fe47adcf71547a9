"""Demo subscribers of two regions' newsletters (confirmed, so publishing an issue sends)."""

from django.utils import timezone

from cms.directory.models import Region
from cms.notifications.models import Frequency
from cms.notifications.services import preference_set

from .models import NEWSLETTER_TOPIC, Subscription

DEMO_SUBSCRIBERS = {
    "lodzkie": ["anna.kowalska@example.org", "sorting-lab@example.org", "zielona-moda@example.org"],
    "prato": ["giulia.rossi@example.org", "lanificio-demo@example.org"],
}


def load(*, stdout, style):
    now = timezone.now()
    created = 0
    for slug, emails in DEMO_SUBSCRIBERS.items():
        region = Region.objects.filter(slug=slug).first()
        if region is None:
            continue
        for email in emails:
            _subscription, was_created = Subscription.objects.get_or_create(
                email=email,
                region=region,
                defaults={"confirmed_at": now, "language": "pl" if slug == "lodzkie" else "it"},
            )
            preference_set(
                topic=NEWSLETTER_TOPIC, frequency=Frequency.INSTANT, email=email, target=region
            )
            created += was_created
    stdout.write(style.SUCCESS(f"Newsletters: {created} demo subscriptions added."))
