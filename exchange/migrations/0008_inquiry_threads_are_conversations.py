"""Inquiries keep their thread in cms.conversations (the mechanism partner expressions of
interest share): each inquiry gets a conversation between the asking organisation and the
listing's, and its messages move there."""

import django.db.models.deletion
from django.db import migrations, models


def move_threads(apps, schema_editor):
    Inquiry = apps.get_model("exchange", "Inquiry")
    InquiryMessage = apps.get_model("exchange", "InquiryMessage")
    Conversation = apps.get_model("conversations", "Conversation")
    Message = apps.get_model("conversations", "Message")
    ReadMark = apps.get_model("conversations", "ReadMark")
    inquiries = Inquiry.objects.select_related("listing").order_by("pk")
    for inquiry in inquiries.iterator():
        messages = list(
            InquiryMessage.objects.filter(inquiry=inquiry).order_by("created_at", "pk")
        )
        conversation = Conversation.objects.create(
            kind="exchange.inquiry",
            starter_organisation_id=inquiry.organisation_id,
            owner_organisation_id=inquiry.listing.organisation_id,
            started_by_id=inquiry.started_by_id,
            created_at=inquiry.created_at,
            last_message_at=messages[-1].created_at if messages else inquiry.created_at,
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
        read = {message.author_id: message.created_at for message in messages if message.author_id}
        ReadMark.objects.bulk_create(
            ReadMark(conversation=conversation, user_id=user_id, read_at=at)
            for user_id, at in read.items()
        )
        inquiry.conversation = conversation
        inquiry.save(update_fields=["conversation"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
        ("exchange", "0007_match_alert_threshold"),
    ]

    operations = [
        migrations.AddField(
            model_name="inquiry",
            name="conversation",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="inquiry",
                to="conversations.conversation",
            ),
        ),
        migrations.RunPython(move_threads, migrations.RunPython.noop),
    ]
