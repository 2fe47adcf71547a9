"""The one place where django-machina 1.3.1 is adapted to this project's Django.

Imported by ``forum/apps.py``: Django creates every app config (importing each app's ``apps``
module) before it imports any model, and the fix must be on machina's AppConfig classes before
its models are built.

Machina's app configs declare no ``default_auto_field``. With this project's
``DEFAULT_AUTO_FIELD = BigAutoField``, Django would ask for new migrations inside machina's
installed package. Machina's own migrations create ``AutoField`` keys, so its configs are told
so explicitly (docs/stack.md, "django-machina", fix 1).
"""

from importlib import import_module

MACHINA_APP_CONFIGS = [
    ("machina.apps.forum.apps", "ForumAppConfig"),
    ("machina.apps.forum_conversation.apps", "ForumConversationAppConfig"),
    ("machina.apps.forum_conversation.forum_attachments.apps", "ForumAttachmentsAppConfig"),
    ("machina.apps.forum_conversation.forum_polls.apps", "ForumPollsAppConfig"),
    ("machina.apps.forum_feeds.apps", "ForumFeedsAppConfig"),
    ("machina.apps.forum_moderation.apps", "ForumModerationAppConfig"),
    ("machina.apps.forum_tracking.apps", "ForumTrackingAppConfig"),
    ("machina.apps.forum_member.apps", "ForumMemberAppConfig"),
    ("machina.apps.forum_permission.apps", "ForumPermissionAppConfig"),
]

for module_name, class_name in MACHINA_APP_CONFIGS:
    getattr(
        import_module(module_name), class_name
    ).default_auto_field = "django.db.models.AutoField"
