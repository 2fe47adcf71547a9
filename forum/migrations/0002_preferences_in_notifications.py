"""How often each member hears of new posts moves to the site's one preference model
(cms.notifications, topic "forum.posts"): immediate -> instant, daily -> daily, never -> off."""

from django.db import migrations

TOPIC = "forum.posts"
FREQUENCIES = {"immediate": "instant", "daily": "daily", "never": "off"}


def forwards(apps, schema_editor):
    NotificationPrefs = apps.get_model("working_groups", "NotificationPrefs")
    Preference = apps.get_model("notifications", "NotificationPreference")
    for prefs in NotificationPrefs.objects.iterator():
        Preference.objects.update_or_create(
            user_id=prefs.user_id,
            email="",
            topic=TOPIC,
            target_type=None,
            target_id=None,
            defaults={"frequency": FREQUENCIES.get(prefs.frequency, "instant")},
        )


def backwards(apps, schema_editor):
    NotificationPrefs = apps.get_model("working_groups", "NotificationPrefs")
    Preference = apps.get_model("notifications", "NotificationPreference")
    back = {new: old for old, new in FREQUENCIES.items()}
    for preference in Preference.objects.filter(topic=TOPIC, user__isnull=False):
        NotificationPrefs.objects.update_or_create(
            user_id=preference.user_id,
            defaults={"frequency": back.get(preference.frequency, "immediate")},
        )
    Preference.objects.filter(topic=TOPIC).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="NotificationPrefs"),
    ]
