"""Expressions of interest keep their thread in cms.conversations (the mechanism the exchange's
inquiries share): each interest gets a conversation with its two sides, its messages move
there, and a closed interest's conversation is closed."""

import django.db.models.deletion
from django.db import migrations, models


def move_threads(apps, schema_editor):
    Interest = apps.get_model("partners", "Interest")
    InterestMessage = apps.get_model("partners", "InterestMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    ReadMark = apps.get_model("conversations", "ReadMark")
    for interest in Interest.objects.order_by("pk").iterator():
        messages = list(InterestMessage.objects.filter(interest=interest).order_by("created_at", "pk"))
        last = messages[-1].created_at if messages else interest.updated_at
        conversation = Conversation.objects.create(
            kind="partners.interest",
            starter_organisation_id=interest.organisation_id,
            owner_organisation_id=interest.owner_organisation_id,
            started_by_id=interest.started_by_id,
            created_at=interest.created_at,
            last_message_at=last,
            closed_at=interest.updated_at if interest.state == "closed" else None,
        )
        Message.objects.bulk_create(
            Message(
                conversation=conversation,
                author_id=message.author_id,
                author_organisation_id=message.author_organisation_id,
                body=message.body,
                created_at=message.created_at,
            )
            for message in messages
        )
        # Each author has read the thread up to their own last message.
        read = {}
        for message in messages:
            if message.author_id:
                read[message.author_id] = message.created_at
        ReadMark.objects.bulk_create(
            ReadMark(conversation=conversation, user_id=user_id, read_at=at)
            for user_id, at in read.items()
        )
        interest.conversation = conversation
        interest.save(update_fields=["conversation"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
        ("partners", "0006_opportunity_term_countries"),
    ]

    operations = [
        migrations.AddField(
            model_name="interest",
            name="conversation",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="interest",
                to="conversations.conversation",
            ),
        ),
        migrations.RunPython(move_threads, migrations.RunPython.noop),
    ]
