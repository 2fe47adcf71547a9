"""How often saved-search and match alerts go out moves to the site's one preference model
(cms.notifications): topic "exchange.saved_search" with the saved search as target, and
"exchange.matches" per member. never -> off; instant, daily, weekly unchanged. The UUID tokens
stay, so unsubscribe links in alerts already sent keep working."""

from django.db import migrations

SAVED_SEARCH_TOPIC = "exchange.saved_search"
MATCHES_TOPIC = "exchange.matches"


def _new(frequency):
    return "off" if frequency == "never" else frequency


def forwards(apps, schema_editor):
    SavedSearch = apps.get_model("exchange", "SavedSearch")
    MatchAlert = apps.get_model("exchange", "MatchAlert")
    Preference = apps.get_model("notifications", "NotificationPreference")
    ContentType = apps.get_model("contenttypes", "ContentType")
    search_type, _ = ContentType.objects.get_or_create(app_label="exchange", model="savedsearch")
    for saved in SavedSearch.objects.iterator():
        Preference.objects.update_or_create(
            user_id=saved.user_id,
            email="",
            topic=SAVED_SEARCH_TOPIC,
            target_type=search_type,
            target_id=saved.pk,
            defaults={"frequency": _new(saved.frequency)},
        )
    for alert in MatchAlert.objects.iterator():
        Preference.objects.update_or_create(
            user_id=alert.user_id,
            email="",
            topic=MATCHES_TOPIC,
            target_type=None,
            target_id=None,
            defaults={"frequency": _new(alert.frequency)},
        )


def backwards(apps, schema_editor):
    SavedSearch = apps.get_model("exchange", "SavedSearch")
    MatchAlert = apps.get_model("exchange", "MatchAlert")
    Preference = apps.get_model("notifications", "NotificationPreference")
    old = {"off": "never"}
    for preference in Preference.objects.filter(topic=SAVED_SEARCH_TOPIC):
        SavedSearch.objects.filter(pk=preference.target_id).update(
            frequency=old.get(preference.frequency, preference.frequency)
        )
    for preference in Preference.objects.filter(topic=MATCHES_TOPIC):
        MatchAlert.objects.filter(user_id=preference.user_id).update(
            frequency=old.get(preference.frequency, preference.frequency)
        )
    Preference.objects.filter(topic__in=[SAVED_SEARCH_TOPIC, MATCHES_TOPIC]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("exchange", "0003_deals_both_sides_confirm"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="matchalert", name="frequency"),
        migrations.RemoveField(model_name="savedsearch", name="frequency"),
    ]
