"""Topic subscriptions (machina's Topic.subscribers) and followed groups (ForumSubscription)
become watch levels, cms.notifications preferences: "forum.topic" about the topic and
"forum.group" about the group's forum, both "instant" (watching). ForumSubscription goes;
machina's subscriber table is emptied (its links now set watch levels)."""

from django.db import migrations, models

WATCHING = "instant"


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def forwards(apps, schema_editor):
    Preference = apps.get_model("notifications", "NotificationPreference")
    ForumSubscription = apps.get_model("working_groups", "ForumSubscription")
    Topic = apps.get_model("forum_conversation", "Topic")
    topic_type = content_type(apps, "forum_conversation", "topic")
    forum_type = content_type(apps, "forum", "forum")
    for subscription in ForumSubscription.objects.iterator():
        Preference.objects.update_or_create(
            user_id=subscription.user_id,
            email="",
            topic="forum.group",
            target_type=forum_type,
            target_id=subscription.forum_id,
            defaults={"frequency": WATCHING},
        )
    subscribers = Topic.subscribers.through.objects
    for row in subscribers.iterator():
        Preference.objects.update_or_create(
            user_id=row.user_id,
            email="",
            topic="forum.topic",
            target_type=topic_type,
            target_id=row.topic_id,
            defaults={"frequency": WATCHING},
        )
    subscribers.all().delete()


def backwards(apps, schema_editor):
    Preference = apps.get_model("notifications", "NotificationPreference")
    ForumSubscription = apps.get_model("working_groups", "ForumSubscription")
    Topic = apps.get_model("forum_conversation", "Topic")
    watching = Preference.objects.filter(user__isnull=False, frequency=WATCHING)
    for preference in watching.filter(topic="forum.group"):
        ForumSubscription.objects.get_or_create(
            user_id=preference.user_id, forum_id=preference.target_id
        )
    for preference in watching.filter(topic="forum.topic"):
        Topic.subscribers.through.objects.get_or_create(
            user_id=preference.user_id, topic_id=preference.target_id
        )
    Preference.objects.filter(topic__in=["forum.group", "forum.topic"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0007_opening_posts_first"),
        ("notifications", "0001_initial"),
        ("forum_conversation", "0013_auto_20201220_1745"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="pendingnotification",
            name="reason",
            field=models.CharField(
                choices=[
                    ("topic", "watched topic"),
                    ("forum", "watched group"),
                    ("reply", "reply to your topic"),
                    ("mention", "mention"),
                ],
                max_length=10,
            ),
        ),
        migrations.DeleteModel(name="ForumSubscription"),
    ]
