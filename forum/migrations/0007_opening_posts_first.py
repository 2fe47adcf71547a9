"""The demo loader (before this fix) dated each topic's opening post after its replies, and
machina's trackers then took the first reply for the opening post. Repair such topics: the
opening post (the topic's first post created, lowest id) gets the topic's own date, or just
before its earliest reply, and the first/last post trackers are computed again."""

from datetime import timedelta

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def repair(apps, schema_editor):
    Topic = apps.get_model("forum_conversation", "Topic")
    Post = apps.get_model("forum_conversation", "Post")
    opening_ids = Topic.objects.annotate(opening_id=Min("posts__id")).values("opening_id")
    earliest_reply = (
        Post.objects.filter(topic_id=OuterRef("topic_id"))
        .exclude(pk=OuterRef("pk"))
        .order_by("created")
        .values("created")[:1]
    )
    late_openings = Post.objects.filter(pk__in=opening_ids).annotate(
        earliest_reply=Subquery(earliest_reply)
    )
    for opening in late_openings.select_related("topic"):
        if opening.earliest_reply is None or opening.earliest_reply >= opening.created:
            continue
        topic = opening.topic
        created = min(topic.created, opening.earliest_reply - timedelta(seconds=1))
        Post.objects.filter(pk=opening.pk).update(created=created)
        posts = Post.objects.filter(topic=topic)
        last = posts.filter(approved=True).order_by("-created", "-pk").first()
        Topic.objects.filter(pk=topic.pk).update(
            created=created,
            first_post=posts.order_by("created", "pk").first(),
            last_post=last,
            last_post_on=last.created if last else None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("working_groups", "0006_likes_and_questions"),
        ("forum_conversation", "0013_auto_20201220_1745"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
