from wagtail import hooks

from cms.accounts.privacy import json_value
from cms.hooks import NOTIFICATION_TOPICS, PERSONAL_DATA

from .models import Message
from .topics import conversation_topics

hooks.register(NOTIFICATION_TOPICS, conversation_topics)


@hooks.register(PERSONAL_DATA)
def conversation_messages(user):
    """The messages a person wrote. They stay when the account is deleted: they belong to the
    two organisations' conversation (the author then shows as the deleted user)."""
    return {
        "conversation_messages": [
            {
                "kind": message.conversation.kind,
                "organisation": message.author_organisation.name,
                "message": message.body,
                "sent": json_value(message.created_at),
            }
            for message in Message.objects.filter(author=user).select_related(
                "conversation", "author_organisation"
            )
        ]
    }
