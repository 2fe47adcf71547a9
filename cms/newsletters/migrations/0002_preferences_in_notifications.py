"""Whether a confirmed subscriber still wants a region's newsletter moves to the site's one
preference model (cms.notifications): confirmed and not unsubscribed -> instant, unsubscribed
-> off. Pending subscriptions get no preference until they are confirmed."""

from django.db import migrations

TOPIC = "newsletters.region"


def forwards(apps, schema_editor):
    Subscription = apps.get_model("newsletters", "Subscription")
    Preference = apps.get_model("notifications", "NotificationPreference")
    ContentType = apps.get_model("contenttypes", "ContentType")
    region_type, _ = ContentType.objects.get_or_create(app_label="directory", model="region")
    for subscription in Subscription.objects.filter(confirmed_at__isnull=False).iterator():
        Preference.objects.update_or_create(
            user=None,
            email=subscription.email.lower(),
            topic=TOPIC,
            target_type=region_type,
            target_id=subscription.region_id,
            defaults={"frequency": "off" if subscription.unsubscribed_at else "instant"},
        )


def backwards(apps, schema_editor):
    Subscription = apps.get_model("newsletters", "Subscription")
    Preference = apps.get_model("notifications", "NotificationPreference")
    for preference in Preference.objects.filter(topic=TOPIC, frequency="off"):
        Subscription.objects.filter(
            email=preference.email, region_id=preference.target_id
        ).update(unsubscribed_at=preference.updated_at)
    Preference.objects.filter(topic=TOPIC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="subscription", name="unsubscribed_at"),
    ]
